"""Namespaces, declared once for the whole project.

``PKG`` is closed over the terms the ontology (``ontology/plankg.ttl``)
declares, as rdflib's ``DefinedNamespace`` is: a term the ontology lacks raises.

>>> str(PKG.Plan)
'https://w3id.org/plankg/ontology#Plan'
>>> hasattr(PKG, "Plann")   # PKG.Plann raises AttributeError
False
"""
import re
from importlib import resources

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, XSD, GEO, TIME, ClosedNamespace


def ontology_terms() -> list[str]:
    """The local names the plankg ontology declares (``pkg:Name a …`` at a line start)."""
    text = resources.files("plankg.ontology").joinpath("plankg.ttl").read_text("utf-8")
    return sorted(set(re.findall(r"(?m)^pkg:([A-Za-z_][A-Za-z0-9_]*)\s", text)))


PKG = ClosedNamespace("https://w3id.org/plankg/ontology#", ontology_terms())
ID = Namespace("https://w3id.org/plankg/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "pkg": PKG, "eli": ELI, "oa": OA, "dct": DCTERMS, "org": ORG, "owl": OWL, "prov": PROV,
    "qb": QB, "rdf": RDF, "rdfs": RDFS, "schema": SDO, "skos": SKOS, "xsd": XSD, "geo": GEO,
    "time": TIME,
}

# The vocabulary of the evidence layer: the reified statements (``pkg:Evidence``)
# and their Web Annotation selectors, whose nodes are ``…/evidence-…`` IRIs.
EVIDENCE_TERMS = frozenset(
    str(t) for t in (PKG.Evidence, PKG.rule, RDF.Statement, RDF.subject, RDF.predicate, RDF.object,
                     PROV.wasDerivedFrom, OA.hasSelector, OA.TextPositionSelector, OA.TextQuoteSelector,
                     OA.start, OA.end, OA.exact))

__all__ = ["PKG", "ID", "ELI", "OA", "DCTERMS", "ORG", "OWL", "PROV", "QB", "RDF", "RDFS",
           "SDO", "SKOS", "XSD", "GEO", "TIME", "PREFIXES", "EVIDENCE_TERMS", "bind_prefixes"]


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
