"""Namespaces, declared once for the whole project."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, XSD, GEO, TIME

PKG = Namespace("https://w3id.org/plankg/ontology#")
ID = Namespace("https://w3id.org/plankg/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "pkg": PKG, "eli": ELI, "oa": OA, "dct": DCTERMS, "org": ORG, "owl": OWL, "prov": PROV,
    "qb": QB, "rdf": RDF, "rdfs": RDFS, "schema": SDO, "skos": SKOS, "xsd": XSD, "geo": GEO,
    "time": TIME,
}

__all__ = ["PKG", "ID", "ELI", "OA", "DCTERMS", "ORG", "OWL", "PROV", "QB", "RDF", "RDFS",
           "SDO", "SKOS", "XSD", "GEO", "TIME", "PREFIXES", "bind_prefixes"]


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
