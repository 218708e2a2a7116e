"""RDF → property graph: the mapping of a plankg build onto Neo4j's model.

* every IRI resource is a node labelled ``PlankgResource`` plus the local
  names of its ``rdf:type`` classes (``Plan``, ``City``, ``Agency``,
  ``DevelopmentAxis`` …), keyed by a uniquely constrained ``iri``;
* literal statements become node properties named by the predicate's local
  name (``prefLabel``, ``title``); a literal in a language other than
  simplified Chinese gets the tag in its name (``hiddenLabel_zh_Hant``); a
  property with several values on a node is a list; integers, decimals and
  booleans keep their type, every other literal its lexical form;
* statements between resources become relationships typed by the
  predicate's local name in upper snake case (``nodeCity`` → ``NODE_CITY``);
* provenance stays as ``Evidence`` nodes (one per statement and occurrence):
  ``(:Evidence)-[:SUBJECT]->(x)``, ``-[:OBJECT]->(y)`` for resource objects,
  the predicate and literal object as properties, the text selectors folded
  into ``starts``, ``ends`` and ``exact``, ``-[:WAS_DERIVED_FROM]->`` the
  source document. Relationships list the IRIs of their evidence in
  ``evidence``.

The mapping is generic over classes and properties: a new class or property
of the ontology needs no change here. Only the provenance shape that
``graph/rdf.py`` writes (``pkg:Evidence`` reifying a statement, with Web
Annotation selectors) is read specially, through the tables below.

>>> relationship_type("https://w3id.org/plankg/ontology#nodeCity")
'NODE_CITY'
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plankg.graph.cypher import RESOURCE_LABEL
from plankg.graph.namespaces import OA, PKG

_INT_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long, XSD.positiveInteger}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}
# The provenance shape (graph/rdf.py GraphBuilder.assert_fact): selector values fold into
# their evidence node under these names; the reified statement's ends become relationships.
SELECTOR_PROPERTIES = {OA.start: "starts", OA.end: "ends", OA.exact: "exact"}
EVIDENCE_LINKS = {RDF.subject: "SUBJECT", RDF.object: "OBJECT"}

_INT_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long, XSD.positiveInteger}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


@dataclass
class PropertyGraph:
    """Nodes (iri → labels, properties) and relationships (start, type, end, properties)."""

    nodes: dict[str, dict] = field(default_factory=dict)
    relationships: list[tuple[str, str, str, dict]] = field(default_factory=list)
    build_id: str = ""

    def counts(self) -> tuple[int, int]:
        """Number of nodes and relationships."""
        return len(self.nodes), len(self.relationships)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after # or /)."""
    return re.split(r"[#/]", str(iri))[-1]


def relationship_type(predicate: str) -> str:
    """``nodeCity`` → ``NODE_CITY``, ``passed_by`` → ``PASSED_BY``."""
    name = local_name(predicate)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def _property_name(predicate: URIRef, lit: Literal) -> str:
    name = local_name(predicate)
    if lit.language and lit.language.lower() != "zh-hans":
        name += "_" + re.sub(r"[^A-Za-z0-9]", "_", lit.language)
    return name


def _value(lit: Literal):
    if lit.datatype in _INT_TYPES:
        return int(lit)
    if lit.datatype in _FLOAT_TYPES:
        return float(lit)
    if lit.datatype == XSD.boolean:
        return lit.toPython() is True
    return str(lit)


def to_property_graph(graph: Graph) -> PropertyGraph:
    """Map an RDF graph (as plankg builds it) to a property graph."""
    pg = PropertyGraph()
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str, str], list[str]] = {}
    evidence_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    selectors: dict[str, str] = {}
    for s, p, o in graph.triples((None, OA.hasSelector, None)):
        selectors[str(o)] = str(s)
    evidence_nodes = {str(e) for e in graph.subjects(RDF.type, PKG.Evidence)}
    for ev in evidence_nodes:
        e = URIRef(ev)
        s, p, o = graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object)
        if isinstance(o, URIRef):
            evidence_of[(str(s), relationship_type(p), str(o))].append(ev)
    for s, p, o in sorted(graph):
        s_key = str(s)
        if s_key in selectors:  # selectors fold into their evidence node
            name = SELECTOR_PROPERTIES.get(p)
            if name:
                props[selectors[s_key]][name].append(int(o) if name != "exact" else str(o))
            continue
        labels[s_key].add(RESOURCE_LABEL)
        if p == RDF.type:
            labels[s_key].add(local_name(o))
            continue
        if p == OA.hasSelector:
            continue
        if s_key in evidence_nodes and p in EVIDENCE_LINKS:
            if isinstance(o, URIRef):
                edges.setdefault((s_key, EVIDENCE_LINKS[p], str(o)), [])
                labels[str(o)].add(RESOURCE_LABEL)
            else:
                props[s_key]["objectLiteral"].append(_value(o))
            continue
        if s_key in evidence_nodes and p == RDF.predicate:
            props[s_key]["predicate"].append(str(o))
            continue
        if isinstance(o, Literal):
            props[s_key][_property_name(p, o)].append(_value(o))
        else:
            labels[str(o)].add(RESOURCE_LABEL)
            key = (s_key, relationship_type(p), str(o))
            edges.setdefault(key, [])
    for iri in sorted(labels):
        node_props = {"iri": iri}
        for name, values in sorted(props.get(iri, {}).items()):
            if name in ("starts", "ends"):
                node_props[name] = values  # one entry per span, in selector order
            else:
                values = sorted(set(values), key=str) if len(values) > 1 else values
                node_props[name] = values if len(values) > 1 else values[0]
        pg.nodes[iri] = {"labels": sorted(labels[iri]), "props": node_props}
    for (s, t, o) in sorted(edges):
        rel_props = {}
        if evidence_of.get((s, t, o)):
            rel_props["evidence"] = sorted(evidence_of[(s, t, o)])
        pg.relationships.append((s, t, o, rel_props))
    digest = hashlib.sha256()
    for s, p, o in sorted(graph):
        digest.update(f"{s} {p} {o}\n".encode("utf-8"))
    pg.build_id = digest.hexdigest()[:16]
    return pg
