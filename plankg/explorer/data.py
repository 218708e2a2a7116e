"""What the explorer shows, read from one build: resources, their facts with
evidence, passages of the original files, search.

The build's graph is loaded into one Oxigraph store (``graph/store.py``
``load_store``) when the explorer starts; evidence is indexed once by the
statement it supports. Passages are cut from the original file, decoded as
``loaders/reader.py`` decodes it, so spans (code points into that text) land
on the characters the file has, traditional ones included.

>>> passage_windows([(10, 12), (14, 15), (400, 402)], 1000, context=20)
[(0, 35, [(10, 12), (14, 15)]), (380, 422, [(400, 402)])]
>>> cut_segments("abcdefgh", 1, 7, [(2, 4), (5, 6)])
[('b', False), ('cd', True), ('e', False), ('f', True), ('g', False)]
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from plankg.graph.store import load_store, read_manifest
from plankg.loaders.reader import decode

PKG = "https://w3id.org/plankg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"

PREFIXES = {"pkg": PKG, "rdf": RDF, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": SKOS, "dct": DCT,
            "oa": OA, "prov": PROV, "org": ORG, "eli": "http://data.europa.eu/eli/ontology#",
            "geo": "http://www.opengis.net/ont/geosparql#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "qb": "http://purl.org/linked-data/cube#", "schema": "https://schema.org/",
            "time": "http://www.w3.org/2006/time#"}

# The kinds of resource the start page lists, with a Chinese and an English name.
KINDS = [("Plan", "规划", "plans"), ("Corridor", "走廊", "corridors"), ("DevelopmentAxis", "发展轴", "axes"),
         ("CityCluster", "城市群/组团", "clusters"), ("Region", "区域", "regions"), ("Agency", "机构", "agencies"),
         ("CollectiveBody", "集体主体", "collective bodies"), ("Task", "任务", "tasks"),
         ("Project", "项目", "projects"), ("Indicator", "指标", "indicators"), ("Target", "目标值", "targets"),
         ("Province", "省", "provinces"), ("City", "市", "cities"), ("County", "县/区", "counties"),
         ("Infrastructure", "基础设施", "infrastructure"), ("SourceDocument", "文件", "documents")]
LABEL_PREDICATES = (SKOS + "prefLabel", DCT + "title", SKOS + "notation", PKG + "fileName", DCT + "description")
LABEL_CHARS = 60  # a description used as a label is cut here
SEARCH_PREDICATES = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", DCT + "title",
                     SKOS + "notation", PKG + "noticeTitle")
# Statements about the provenance machinery itself, left off resource pages.
HIDDEN_SUBJECT_TYPES = {PKG + "Evidence", OA + "TextPositionSelector", OA + "TextQuoteSelector"}
CONTEXT_CHARS = 120


def short(iri: str) -> str:
    """A prefixed name for an IRI the project's prefixes cover, else the IRI.

    >>> short("https://w3id.org/plankg/ontology#nodeCity")
    'pkg:nodeCity'
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def passage_windows(spans, length: int, context: int = CONTEXT_CHARS) -> list[tuple[int, int, list]]:
    """Group spans into passages: each span with ``context`` code points either
    side (clipped to the text), overlapping windows merged; each window lists
    its spans."""
    windows: list[tuple[int, int, list]] = []
    for start, end in sorted(spans):
        lo, hi = max(0, start - context), min(length, end + context)
        if windows and lo <= windows[-1][1]:
            w0, w1, inner = windows[-1]
            windows[-1] = (w0, max(w1, hi), inner + [(start, end)])
        else:
            windows.append((lo, hi, [(start, end)]))
    return windows


def cut_segments(text: str, lo: int, hi: int, spans) -> list[tuple[str, bool]]:
    """``text[lo:hi]`` as ``(piece, highlighted)`` pieces, the ``spans`` highlighted."""
    out, pos = [], lo
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, hi)
        if start > pos:
            out.append((text[pos:start], False))
        if end > start:
            out.append((text[start:end], True))
            pos = end
    if pos < hi:
        out.append((text[pos:hi], False))
    return out


@dataclass
class EvidenceItem:
    """One piece of evidence of one statement."""

    iri: str
    rule: str
    document: str
    exact: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    statement: tuple = ()  # (subject IRI, predicate IRI, ("iri", value) or ("literal", value, language, datatype))


@dataclass
class Fact:
    """One statement about a resource: predicate, value (a resource IRI or a
    literal) and its evidence."""

    predicate: str
    value: str
    is_iri: bool
    language: str = ""
    evidence: list[EvidenceItem] = field(default_factory=list)


class Explorer:
    """One build, opened once: the Oxigraph store, labels, types and the evidence index."""

    def __init__(self, graph_dir: str | Path, sources=()):
        self.graph_dir = Path(graph_dir)
        self.manifest = read_manifest(self.graph_dir)
        self.store = load_store(self.graph_dir)
        self.sources = [Path(s) for s in sources]
        self.labels = self._labels()
        self.types = self._types()
        self.evidence = self._evidence_index()
        self._texts: dict[str, tuple[str, str] | None] = {}

    def query(self, sparql: str):
        """Run a SPARQL query on the store."""
        return self.store.query(sparql)

    def _labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for pred in reversed(LABEL_PREDICATES):
            for s, _, o, _ in self.store.quads_for_pattern(None, pyoxigraph.NamedNode(pred), None):
                if isinstance(s, pyoxigraph.NamedNode) and isinstance(o, pyoxigraph.Literal):
                    lang = o.language or ""
                    if lang and not lang.lower().startswith("zh-hans") and s.value in labels:
                        continue
                    labels[s.value] = o.value if len(o.value) <= LABEL_CHARS else o.value[:LABEL_CHARS] + "…"
        return labels

    def _types(self) -> dict[str, list[str]]:
        types: dict[str, list[str]] = {}
        for s, _, o, _ in self.store.quads_for_pattern(None, pyoxigraph.NamedNode(RDF + "type"), None):
            if isinstance(s, pyoxigraph.NamedNode):
                types.setdefault(s.value, []).append(o.value)
        return {k: sorted(v) for k, v in types.items()}

    def _evidence_index(self) -> dict[tuple, list[EvidenceItem]]:
        sparql = f"""PREFIX rdf: <{RDF}> PREFIX oa: <{OA}> PREFIX prov: <{PROV}> PREFIX pkg: <{PKG}>
        SELECT ?e ?s ?p ?o ?rule ?doc ?exact ?start ?end WHERE {{
          ?e a pkg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          OPTIONAL {{ ?e pkg:rule ?rule }} OPTIONAL {{ ?e prov:wasDerivedFrom ?doc }}
          OPTIONAL {{ ?e oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }}
          OPTIONAL {{ ?e oa:hasSelector ?sel . ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }}
        }} ORDER BY ?e ?start"""
        items: dict[str, EvidenceItem] = {}
        index: dict[tuple, list[EvidenceItem]] = {}
        for row in self.store.query(sparql):
            iri = row["e"].value
            item = items.get(iri)
            if item is None:
                item = items[iri] = EvidenceItem(
                    iri, row["rule"].value if row["rule"] else "", row["doc"].value if row["doc"] else "",
                    row["exact"].value if row["exact"] else "")
                item.statement = (row["s"].value, row["p"].value, _term_key(row["o"]))
                index.setdefault(item.statement, []).append(item)
            if row["start"] is not None:
                span = (int(row["start"].value), int(row["end"].value))
                if span not in item.spans:
                    item.spans.append(span)
        self.evidence_items = items
        return index

    def label(self, iri: str) -> str:
        """The resource's label (preferred label, title, notation, file name), else its local name."""
        return self.labels.get(iri) or local_name(iri)

    def kind(self, iri: str) -> str:
        """The first plankg class of a resource, e.g. ``Plan`` (or the local name of any class)."""
        types = self.types.get(iri, [])
        for t in types:
            if t.startswith(PKG):
                return t[len(PKG):]
        return local_name(types[0]) if types else ""

    def of_kind(self, kind: str) -> list[str]:
        """The IRIs of a plankg class, sorted by label."""
        iri = PKG + kind
        return sorted((s for s, ts in self.types.items() if iri in ts), key=lambda s: (self.label(s), s))

    def facts(self, iri: str) -> list[Fact]:
        """The statements with ``iri`` as subject, each with its evidence."""
        node = pyoxigraph.NamedNode(iri)
        out = []
        for _, p, o, _ in self.store.quads_for_pattern(node, None, None):
            is_iri = isinstance(o, pyoxigraph.NamedNode)
            out.append(Fact(p.value, o.value, is_iri, getattr(o, "language", None) or "",
                            self.evidence.get((iri, p.value, _term_key(o)), [])))
        return sorted(out, key=lambda f: (f.predicate, not f.is_iri, self.label(f.value) if f.is_iri else f.value))

    def incoming(self, iri: str) -> list[Fact]:
        """Statements naming ``iri`` as object (``Fact.value`` is then the subject),
        the provenance machinery left out."""
        node = pyoxigraph.NamedNode(iri)
        out = []
        for s, p, _, _ in self.store.quads_for_pattern(None, None, node):
            if not isinstance(s, pyoxigraph.NamedNode) or p.value.startswith(RDF) or p.value == PROV + "wasDerivedFrom":
                continue
            if HIDDEN_SUBJECT_TYPES.intersection(self.types.get(s.value, [])):
                continue
            out.append(Fact(p.value, s.value, True, "", self.evidence.get((s.value, p.value, _term_key(node)), [])))
        return sorted(out, key=lambda f: (f.predicate, self.label(f.value), f.value))

    def corridor_owners(self, iri: str) -> list[tuple[str, str, str]]:
        """``(agency, role, task)`` IRIs for the tasks that concern a corridor."""
        sparql = f"""PREFIX pkg: <{PKG}>
        SELECT ?agency ?role ?task WHERE {{
          ?task pkg:concernsCorridor <{iri}> .
          {{ ?task pkg:leadAgency ?agency BIND("lead" AS ?role) }} UNION {{ ?task pkg:supportAgency ?agency BIND("support" AS ?role) }}
        }} ORDER BY ?role ?agency ?task"""
        return [(r["agency"].value, r["role"].value, r["task"].value) for r in self.store.query(sparql)]

    def search(self, text: str, limit: int = 200) -> list[tuple[str, str, str, str]]:
        """Resources whose labels, aliases, hidden labels, notations or titles
        contain ``text`` (case-insensitive; traditional script matched as simplified):
        ``(iri, matched label, predicate, via)`` where ``via`` is the IRI of an old
        name or abbreviation's resource when the hit is its successor."""
        from plankg.loaders.normalize import to_simplified

        needles = {text.strip().lower(), to_simplified(text.strip()).lower()} - {""}
        if not needles:
            return []
        hits: dict[str, tuple[str, str, str, str]] = {}
        for pred in SEARCH_PREDICATES:
            for s, _, o, _ in self.store.quads_for_pattern(None, pyoxigraph.NamedNode(pred), None):
                if not isinstance(s, pyoxigraph.NamedNode) or not isinstance(o, pyoxigraph.Literal):
                    continue
                value = o.value.lower()
                if any(n in value for n in needles) and s.value not in hits:
                    hits[s.value] = (s.value, o.value, pred, "")
        succeeded = pyoxigraph.NamedNode(PKG + "succeededBy")
        for iri, label, pred, _ in list(hits.values()):
            for _, _, successor, _ in self.store.quads_for_pattern(pyoxigraph.NamedNode(iri), succeeded, None):
                if successor.value not in hits:
                    hits[successor.value] = (successor.value, label, pred, iri)
        exact = {n for n in needles}
        ranked = sorted(hits.values(), key=lambda h: (h[1].lower() not in exact, len(h[1]), self.label(h[0]), h[0]))
        return ranked[:limit]

    def document_of(self, doc_iri: str) -> dict:
        """The file names, sha256 and encoding the graph records for a source document."""
        names, sha, encoding = [], "", ""
        for _, p, o, _ in self.store.quads_for_pattern(pyoxigraph.NamedNode(doc_iri), None, None):
            if p.value == PKG + "fileName":
                names.append(o.value)
            elif p.value == PKG + "sha256":
                sha = o.value
            elif p.value == PKG + "encoding":
                encoding = o.value
        return {"names": sorted(names), "sha256": sha, "encoding": encoding}

    def _candidate_paths(self, names: list[str], sha: str) -> list[Path]:
        paths = []
        for doc in self.manifest.get("documents", []):
            if doc.get("sha256") == sha and doc.get("path"):
                paths.append(Path(doc["path"]))
        for folder in self.sources:
            if folder.is_file():
                paths.append(folder)
                continue
            for name in names:
                paths.extend(sorted(folder.rglob(name)) if folder.is_dir() else [])
        return paths

    def source_text(self, doc_iri: str) -> tuple[str, str] | None:
        """``(decoded text, path)`` of a document's original file, found by the
        path in ``build.json`` or by its file name under the source folders, and
        only if its SHA-256 is the one the graph records; None when not found."""
        if doc_iri in self._texts:
            return self._texts[doc_iri]
        info = self.document_of(doc_iri)
        found = None
        for path in self._candidate_paths(info["names"], info["sha256"]):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() == info["sha256"]:
                found = (decode(data, path)[0], str(path))
                break
        self._texts[doc_iri] = found
        return found

    def passages(self, item: EvidenceItem, context: int = CONTEXT_CHARS) -> list[list[tuple[str, bool]]]:
        """The passages of the original file around an evidence's spans, each as
        highlighted and plain pieces; empty when the file cannot be found."""
        found = self.source_text(item.document)
        if found is None or not item.spans:
            return []
        text = found[0]
        return [cut_segments(text, lo, hi, inner) for lo, hi, inner in passage_windows(item.spans, len(text), context)]


def _term_key(term) -> tuple:
    if isinstance(term, pyoxigraph.Literal):
        return ("literal", term.value, term.language or "", term.datatype.value if term.datatype else "")
    return ("iri", term.value)


def default_sources(graph_dir: str | Path) -> list[Path]:
    """Where the explorer looks for original files the build recorded no path of:
    ``$PLANKG_SOURCES`` (folders separated by ``os.pathsep``), else the sample corpus."""
    env = os.environ.get("PLANKG_SOURCES")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    try:
        from plankg.api import default_corpus

        return [default_corpus()]
    except Exception:  # no sample corpus here: files are then found by build.json paths only
        return []


def manifest_json(explorer: Explorer) -> str:
    """The build's ``build.json``, pretty-printed."""
    return json.dumps(explorer.manifest, ensure_ascii=False, indent=2)
