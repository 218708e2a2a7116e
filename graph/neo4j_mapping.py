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

The graph comes as an rdflib ``Graph`` or, without any triple store, as a
build folder (or its ``graph.nt``): one quick scan finds where each
subject's lines are and which resources are selectors, then each subject's
lines are read and mapped in turn, in the order rdflib sorts a graph (so the
build id and every property list are the same either way). Only the property
graph itself, and one offset per subject, are held in memory. (rdflib's
literal order is not total: numbers compare by value, other literals by
datatype IRI, so one subject's ``xsd:decimal``, ``xsd:gYear`` and
``xsd:integer`` values of one predicate can form a cycle; only then may the
build id differ.)

>>> relationship_type("https://w3id.org/plankg/ontology#nodeCity")
'NODE_CITY'
"""
from __future__ import annotations

import hashlib
import itertools
import mmap
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plankg.graph.cypher import RESOURCE_LABEL
from plankg.graph.namespaces import OA, PKG

_INT_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long, XSD.positiveInteger}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}
# The provenance shape (graph/rdf.py GraphBuilder.assert_fact): selector values fold into
# their evidence node under these names; the reified statement's ends become relationships.
SELECTOR_PROPERTIES = {str(OA.start): "starts", str(OA.end): "ends", str(OA.exact): "exact"}
EVIDENCE_LINKS = {str(RDF.subject): "SUBJECT", str(RDF.object): "OBJECT"}
_TYPE, _EVIDENCE, _HAS_SELECTOR = str(RDF.type), str(PKG.Evidence), str(OA.hasSelector)
_PREDICATE = str(RDF.predicate)


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


def _value(lit: Literal):
    if lit.datatype in _INT_TYPES:
        return int(lit)
    if lit.datatype in _FLOAT_TYPES:
        return float(lit)
    if lit.datatype == XSD.boolean:
        return lit.toPython() is True
    return str(lit)


class _Lit:
    """A literal object as the mapping needs it: lexical form (as rdflib gives it),
    language, datatype, property value, and the rdflib term (made when needed, for ordering)."""

    __slots__ = ("lexical", "language", "datatype", "value", "_term")

    def __init__(self, lexical: str, language: str | None, datatype: str | None, value, term: Literal | None = None):
        self.lexical, self.language, self.datatype, self.value, self._term = lexical, language, datatype, value, term

    def __str__(self) -> str:
        return self.lexical

    def term(self) -> Literal:
        if self._term is None:
            self._term = Literal(self.lexical, lang=self.language, datatype=self.datatype and URIRef(self.datatype))
        return self._term

    @classmethod
    def of(cls, lit: Literal) -> "_Lit":
        return cls(str(lit), lit.language, str(lit.datatype) if lit.datatype else None, _value(lit), lit)


def _property_name(predicate: str, lit: _Lit) -> str:
    name = local_name(predicate)
    if lit.language and lit.language.lower() != "zh-hans":
        name += "_" + re.sub(r"[^A-Za-z0-9]", "_", lit.language)
    return name


def _rdflib_order(pairs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """One subject's (predicate, object) pairs in the order rdflib sorts triples:
    by predicate, then IRIs (by text) before literals (in rdflib's literal order)."""
    pairs.sort(key=lambda po: (po[0], 1, "") if isinstance(po[1], _Lit) else (po[0], 0, str(po[1])))
    ordered = []
    for _, group in itertools.groupby(pairs, key=lambda po: (po[0], isinstance(po[1], _Lit))):
        group = list(group)
        if len(group) > 1 and isinstance(group[0][1], _Lit):
            group.sort(key=lambda po: po[1].term())
        ordered += group
    return ordered


class _Mapper:
    """The mapping, fed one subject at a time in rdflib's sorted order; ``selectors``
    maps every selector to its evidence node (known before the first subject)."""

    def __init__(self, selectors: dict[str, str]):
        self.selectors = selectors
        self.props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.edges: dict[tuple[str, str, str], None] = {}
        self.evidence_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.digest = hashlib.sha256()

    def subject(self, s: str, pairs: list[tuple[str, object]]) -> None:
        """Map the statements of one subject (pairs in rdflib's order)."""
        update = self.digest.update
        for p, o in pairs:
            update(f"{s} {p} {o}\n".encode("utf-8"))
        if s in self.selectors:  # selectors fold into their evidence node
            folded = self.props[self.selectors[s]]
            for p, o in pairs:
                name = SELECTOR_PROPERTIES.get(p)
                if name:
                    folded[name].append(int(str(o)) if name != "exact" else str(o))
            return
        evidence = any(p == _TYPE and o == _EVIDENCE for p, o in pairs)
        props, labels, edges = self.props, self.labels, self.edges
        if evidence:
            first = {}
            for p, o in pairs:
                first.setdefault(p, o)
            stated = first.get(str(RDF.object))
            if stated is not None and not isinstance(stated, _Lit):
                key = (str(first.get(str(RDF.subject))), relationship_type(str(first.get(_PREDICATE))), stated)
                self.evidence_of[key].append(s)
        own = labels[s]
        for p, o in pairs:
            own.add(RESOURCE_LABEL)
            if p == _TYPE:
                own.add(local_name(o))
                continue
            if p == _HAS_SELECTOR:
                continue
            if evidence and p in EVIDENCE_LINKS:
                if not isinstance(o, _Lit):
                    edges.setdefault((s, EVIDENCE_LINKS[p], o), None)
                    labels[o].add(RESOURCE_LABEL)
                else:
                    props[s]["objectLiteral"].append(o.value)
                continue
            if evidence and p == _PREDICATE:
                props[s]["predicate"].append(str(o))
                continue
            if isinstance(o, _Lit):
                props[s][_property_name(p, o)].append(o.value)
            else:
                labels[o].add(RESOURCE_LABEL)
                edges.setdefault((s, relationship_type(p), o), None)

    def result(self) -> PropertyGraph:
        """The property graph of every subject fed so far."""
        pg = PropertyGraph()
        props, labels = self.props, self.labels
        for iri in sorted(k for k, v in labels.items() if v):
            node_props = {"iri": iri}
            for name, values in sorted(props.pop(iri, {}).items()):  # each node's lists freed once mapped
                if name in ("starts", "ends"):
                    node_props[name] = values  # one entry per span, in selector order
                else:
                    values = sorted(set(values), key=str) if len(values) > 1 else values
                    node_props[name] = values if len(values) > 1 else values[0]
            pg.nodes[iri] = {"labels": sorted(labels[iri]), "props": node_props}
        edges, self.edges = sorted(self.edges), {}
        for (s, t, o) in edges:
            rel_props = {}
            if self.evidence_of.get((s, t, o)):
                rel_props["evidence"] = sorted(self.evidence_of[(s, t, o)])
            pg.relationships.append((s, t, o, rel_props))
        pg.build_id = self.digest.hexdigest()[:16]
        return pg


def _from_rdflib(graph: Graph) -> PropertyGraph:
    selectors = {str(o): str(s) for s, o in graph.subject_objects(OA.hasSelector)}
    mapper = _Mapper(selectors)
    for s, triples in itertools.groupby(sorted(graph), key=lambda t: t[0]):
        mapper.subject(str(s), [(str(p), _Lit.of(o) if isinstance(o, Literal) else str(o)) for _, p, o in triples])
    return mapper.result()


# N-Triples, one statement a line: subject, predicate, then an IRI, a blank node or a literal.
_LINE = re.compile(r'[ \t]*(?:<([^>]*)>|_:(\S+))[ \t]+<([^>]*)>[ \t]+(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"'
                   r'(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<([^>]*)>)?)[ \t]*\.[ \t]*(?:#.*)?')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ESCAPED[m[3]], text)


class _Literals:
    """Typed literals as rdflib reads them (normalised lexical form, property value), cached."""

    def __init__(self, size: int = 100_000):
        self.cache: dict[tuple[str, str], _Lit] = {}
        self.size = size

    def __call__(self, lexical: str, language: str | None, datatype: str | None) -> _Lit:
        if datatype is None:
            return _Lit(lexical, language, None, lexical)
        key = (lexical, datatype)
        lit = self.cache.get(key)
        if lit is None:
            if len(self.cache) >= self.size:
                self.cache.clear()
            lit = self.cache[key] = _Lit.of(Literal(lexical, datatype=URIRef(datatype)))
        return lit


def _parse(line: str, literal: _Literals, where: str) -> tuple[str, str, object]:
    m = _LINE.fullmatch(line)
    if m is None:
        raise ValueError(f"{where}: not an N-Triples statement: {line[:200]!r}")
    s = _unescape(m[1]) if m[1] is not None else m[2]
    p = _unescape(m[3])
    if m[4] is not None:
        o = _unescape(m[4])
    elif m[5] is not None:
        o = m[5]
    else:
        o = literal(_unescape(m[6]), m[7], m[8] and _unescape(m[8]))
    return s, p, o


def _subject_key(token: bytes) -> tuple[int, str]:
    """rdflib's order of subjects: blank nodes before IRIs, each by text."""
    if token.startswith(b"_:"):
        return 0, token[2:].decode("utf-8")
    return 1, _unescape(token[1:-1].decode("utf-8"))


def _from_ntriples(path: Path) -> PropertyGraph:
    literal = _Literals()
    tokens: list[bytes] = []  # one per run of lines with the same subject
    starts, ends = array("q"), array("q")
    selectors: dict[str, str] = {}
    with path.open("rb") as f:
        offset, current = 0, None
        for line in f:
            stripped = line.lstrip(b" \t")
            if stripped.startswith(b"#") or not stripped.strip():
                offset += len(line)
                continue
            token = stripped.split(None, 1)[0]
            if token != current:
                if current is not None:
                    ends.append(offset)
                tokens.append(token)
                starts.append(offset)
                current = token
            if b"#hasSelector>" in line:
                s, p, o = _parse(line.decode("utf-8").rstrip("\r\n"), literal, str(path))
                if p == _HAS_SELECTOR and not isinstance(o, _Lit):
                    selectors[o] = s
            offset += len(line)
        if current is not None:
            ends.append(offset)
    mapper = _Mapper(selectors)
    keys = [_subject_key(t) for t in tokens]
    del tokens
    order = sorted(range(len(keys)), key=keys.__getitem__)
    if not order:
        return mapper.result()
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for key, runs in itertools.groupby(order, key=keys.__getitem__):
            pairs = []
            subject = None
            for run in runs:
                for line in mm[starts[run]:ends[run]].decode("utf-8").split("\n"):  # not splitlines(): U+2028 is text
                    line = line.rstrip("\r")
                    if not line.strip(" \t") or line.lstrip(" \t").startswith("#"):
                        continue
                    subject, p, o = _parse(line, literal, str(path))
                    pairs.append((p, o))
            mapper.subject(subject, _rdflib_order(pairs))
    return mapper.result()


def to_property_graph(graph: Graph | str | Path) -> PropertyGraph:
    """Map an RDF graph (as plankg builds it) to a property graph: an rdflib ``Graph``,
    or a build folder or N-Triples file, read subject by subject without a triple store."""
    if isinstance(graph, Graph):
        return _from_rdflib(graph)
    path = Path(graph)
    if path.is_dir() or not path.exists():
        from plankg.graph.store import graph_file

        path = graph_file(path)
    return _from_ntriples(path)
