"""networkx projections of the RDF graph (for GraphML export and analysis)."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph, Literal, URIRef

from plankg.graph.namespaces import OA, PKG, RDF, SKOS, DCTERMS

_SKIP_TYPES = {PKG.Evidence, OA.TextPositionSelector, OA.TextQuoteSelector}


def _label(graph: Graph, node: URIRef) -> str:
    for p in (SKOS.prefLabel, DCTERMS.title):
        for o in graph.objects(node, p):
            return str(o)
    return str(node).rsplit("/", 1)[-1]


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def to_networkx(graph: Graph, with_provenance: bool = False) -> nx.MultiDiGraph:
    """Resources as nodes (label, type), resource-to-resource triples as edges.

    Evidence nodes and their selectors are left out unless asked for.
    """
    skip = set() if with_provenance else {s for t in _SKIP_TYPES for s in graph.subjects(RDF.type, t)}
    g = nx.MultiDiGraph()
    for s, p, o in graph:
        if s in skip or not isinstance(s, URIRef):
            continue
        if p == RDF.type:
            continue
        if isinstance(o, URIRef) and o not in skip:
            for n in (s, o):
                if n not in g:
                    types = sorted(_local(t) for t in graph.objects(n, RDF.type))
                    g.add_node(str(n), label=_label(graph, n), type=",".join(types))
            g.add_edge(str(s), str(o), key=_local(p), predicate=str(p))
    return g
