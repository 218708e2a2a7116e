"""Build the RDF graph from extracted facts.

Every extracted statement is asserted and also reified as a ``pkg:Evidence``
node (``rdf:Statement`` + ``prov:Entity``) carrying the source document, one
``oa:TextPositionSelector`` per span in the original file, an
``oa:TextQuoteSelector`` with the exact original text, and the rule. Plain
reification works the same in rdflib, Oxigraph, pyshacl and the Neo4j
mapping, and serialises to Turtle, unlike RDF-star or named graphs.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from rdflib import Literal, URIRef
from rdflib.term import Node

from plankg.facts import (AxisFacts, CitedDocument, ClusterFacts, CorpusFacts, DocumentFacts, Evidence, PlanFacts,
                          PlanScope, ProjectFact, RegionMember, StructureFormula, TargetFact, TaskFacts)
from plankg.graph.ids import (agency_iri, child_iri, document_iri, external_document_iri, plan_iri, project_iri,
                             project_key_iri)
from plankg.graph.namespaces import DCTERMS, ELI, ID, OA, ORG, PKG, PROV, RDF, SKOS, XSD
from plankg.graph.indicators import add_target
from plankg.graph.projects import ProjectNode, add_project_mention, add_project_nodes, project_nodes
from plankg.graph.spatial import SpatialWriter
from plankg.graph.tasks import add_task
from plankg.graph.triples import TripleSet, nt_string, nt_term
from plankg.context import ReferenceData
from plankg.paths import readable

ZH = "zh-Hans"
# The terms of every evidence node, in N-Triples form (``GraphBuilder.assert_fact``).
(_TYPE, _EVIDENCE, _SUBJECT, _PREDICATE, _OBJECT, _DERIVED_FROM, _RULE, _HAS_SELECTOR, _POSITION_SELECTOR, _START,
 _END, _NON_NEGATIVE, _QUOTE_SELECTOR, _EXACT) = (
    f"<{t}>" for t in (RDF.type, PKG.Evidence, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, PKG.rule,
                       OA.hasSelector, OA.TextPositionSelector, OA.start, OA.end, XSD.nonNegativeInteger,
                       OA.TextQuoteSelector, OA.exact))


def zh(text: str) -> Literal:
    """A simplified-Chinese literal."""
    return Literal(text, lang=ZH)


def year_literal(year: int | str) -> Literal:
    """An ``xsd:gYear`` literal."""
    return Literal(f"{int(year):04d}", datatype=XSD.gYear)


def date_literal(iso: str) -> Literal:
    """``xsd:date`` for full dates, ``xsd:gYear`` for a year alone."""
    return Literal(iso, datatype=XSD.date if len(iso) == 10 else XSD.gYear)


class GraphBuilder:
    """Accumulates facts into one set of triples (``graph``); pass it to the next stage."""

    def __init__(self, reference: ReferenceData):
        self.graph = TripleSet(indexed=(SKOS.prefLabel,))  # the one predicate builders ask back
        self.reference = reference
        self.gazetteer = reference.agencies
        self._agencies: set[URIRef] = set()

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Add a triple that needs no evidence (types, labels from curated data)."""
        self.graph.add((s, p, o))

    def assert_fact(self, s: URIRef, p: URIRef, o: Node, evidence: Evidence) -> URIRef:
        """Add a triple and its evidence node; return the evidence IRI."""
        g = self.graph
        g.add((s, p, o))
        ev = child_iri(s, "evidence", p, o, evidence.document, evidence.spans, evidence.rule)
        e = f"<{ev}>"
        rows = [f"{e} {_TYPE} {_EVIDENCE} .\n", f"{e} {_SUBJECT} {nt_term(s)} .\n",
                f"{e} {_PREDICATE} {nt_term(p)} .\n", f"{e} {_OBJECT} {nt_term(o)} .\n",
                f"{e} {_DERIVED_FROM} <{document_iri(evidence.document)}> .\n",
                f"{e} {_RULE} {nt_string(evidence.rule)} .\n"]
        for i, (start, end) in enumerate(evidence.spans):
            sel = f"<{ev}/position-{i}>"
            rows += [f"{e} {_HAS_SELECTOR} {sel} .\n", f"{sel} {_TYPE} {_POSITION_SELECTOR} .\n",
                     f'{sel} {_START} "{start}"^^{_NON_NEGATIVE} .\n', f'{sel} {_END} "{end}"^^{_NON_NEGATIVE} .\n']
        quote = f"<{ev}/quote>"
        rows += [f"{e} {_HAS_SELECTOR} {quote} .\n", f"{quote} {_TYPE} {_QUOTE_SELECTOR} .\n",
                 f"{quote} {_EXACT} {nt_string(evidence.text)} .\n"]
        g.add_rows(rows)  # none of these predicates is indexed
        return ev

    def kind(self, key: str) -> URIRef:
        """The SKOS concept of a document kind (规划, 意见, 批复 …)."""
        iri = ID[f"kind/{key}"]
        if (iri, SKOS.prefLabel, None) not in self.graph:
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, SKOS.inScheme, ID["kind"])
            self.add(iri, SKOS.prefLabel, zh(self.reference.kind_label(key)))
            self.add(iri, SKOS.prefLabel, Literal(self.reference.kind_label_en(key), lang="en"))
            self.add(iri, SKOS.notation, Literal(key))
        return iri

    def agency(self, key: str) -> URIRef:
        """The node of a gazetteer agency, an unlisted body or a collective, with
        labels; listed agencies bring their line of succession along."""
        iri = agency_iri(key)
        if iri in self._agencies:
            return iri
        self._agencies.add(iri)
        agency = self.gazetteer.agencies.get(key)
        if agency is None:
            kind, _, rest = key.partition(":")
            label = rest.split(":", 1)[-1] if kind == "collective" else rest
            self.add(iri, RDF.type, PKG.CollectiveBody if kind == "collective" else PKG.Agency)
            if kind != "collective":
                self.add(iri, RDF.type, PKG.Unresolved)
            self.add(iri, SKOS.prefLabel, zh(label))
            self.add(iri, PKG.inGazetteer, Literal(False))
            return iri
        self.add(iri, RDF.type, PKG.Agency)
        self.add(iri, SKOS.prefLabel, zh(agency.name))
        for alias in agency.aliases:
            self.add(iri, SKOS.altLabel, zh(alias))
        if agency.province:
            self.add(iri, PKG.province, Literal(agency.province))
        self.add(iri, PKG.inGazetteer, Literal(True))
        for change in self.gazetteer.successors(key):
            successor = self.agency(change.new)
            event = ID[f"change/{change.old}--{change.new}"]
            self.add(event, RDF.type, ORG.ChangeEvent)
            self.add(event, ORG.originalOrganization, iri)
            self.add(event, ORG.resultingOrganization, successor)
            self.add(event, PKG.year, year_literal(change.year))
            self.add(event, PKG.changeKind, Literal(change.kind))
            self.add(iri, PKG.succeededBy, successor)
        return iri

    def add_document(self, doc: DocumentFacts) -> URIRef | None:
        """Add a source document and the plan node it holds; return the plan IRI.
        The plan's metadata comes from the ``PlanFacts`` writer, for the
        document that speaks for the plan only (not its other versions)."""
        src = doc.source
        d = document_iri(src.id)
        self.add(d, RDF.type, PKG.SourceDocument)
        for name in {src.name, *(readable(os.path.basename(c)) for c in src.copies)}:
            self.add(d, PKG.fileName, Literal(name))
        self.add(d, PKG.sha256, Literal(src.sha256))
        self.add(d, PKG.encoding, Literal(src.encoding))
        self.add(d, DCTERMS["format"], Literal(src.media_type))
        p = plan_of(doc)
        if p is None:
            return None
        self.add(p, RDF.type, PKG.Plan)
        self.add(p, PKG.sourceDocument, d)
        return p

    def add_plan(self, plan: PlanFacts, p: URIRef) -> None:
        """A plan's own metadata: title, kind, issuers, dates, numbers, period, scope figures."""
        self.assert_fact(p, DCTERMS.title, zh(plan.title.value), plan.title.evidence)
        if plan.kind:
            self.assert_fact(p, PKG.documentKind, self.kind(plan.kind.value), plan.kind.evidence)
        if plan.published:
            self.assert_fact(p, ELI.date_publication, date_literal(plan.published.value), plan.published.evidence)
        if plan.notice_title:
            self.assert_fact(p, PKG.noticeTitle, zh(plan.notice_title.value), plan.notice_title.evidence)
        for issuer in plan.issuers:
            self.assert_fact(p, ELI.passed_by, self.agency(issuer.value), issuer.evidence)
        for approver in plan.approved_by:
            self.assert_fact(p, PKG.approvedBy, self.agency(approver.value), approver.evidence)
        if plan.approval_doc_no:
            self.assert_fact(p, PKG.approvalNumber, Literal(plan.approval_doc_no.value), plan.approval_doc_no.evidence)
        if plan.date:
            self.assert_fact(p, ELI.date_document, date_literal(plan.date.value), plan.date.evidence)
        if plan.doc_no:
            self.assert_fact(p, ELI.id_local, Literal(plan.doc_no.value), plan.doc_no.evidence)
        if plan.period:
            start, end = plan.period.value
            self.assert_fact(p, PKG.periodStart, year_literal(start), plan.period.evidence)
            self.assert_fact(p, PKG.periodEnd, year_literal(end), plan.period.evidence)
        for target in plan.target_years:
            self.assert_fact(p, PKG.targetYear, year_literal(target.value), target.evidence)
        for fig in plan.scope:
            node = child_iri(p, "scope", fig.measure)
            self.add(node, RDF.type, PKG.ScopeFigure)
            self.add(node, PKG.measure, Literal(fig.measure))
            self.add(node, PKG.unit, Literal(fig.unit))
            if fig.year:
                self.add(node, PKG.year, year_literal(fig.year))
            self.assert_fact(node, RDF.value, Literal(f"{fig.value:.2f}", datatype=XSD.decimal), fig.evidence)
            self.assert_fact(p, PKG.scopeFigure, node, fig.evidence)


def plan_of(doc: DocumentFacts) -> URIRef | None:
    """The IRI of the plan a document holds (None when it has no title)."""
    plan = doc.plan
    if plan.title is None:
        return None
    return plan_iri(plan.title.value, plan.date.value[:4] if plan.date else None)


@dataclass(frozen=True)
class CorpusIndex:
    """What one document's triples need from the rest of the corpus, so that
    documents can be written one at a time, in any order or process: the plan
    each document holds (citations between plans find their target, versions
    of one plan share it), the project nodes named from all their mentions,
    and the label of every line that is no project node (the name its first
    mention in corpus order gives)."""

    plans: dict[str, URIRef]  # document id -> the plan it holds
    projects: dict[str, ProjectNode]  # project key -> its node
    lines: dict[URIRef, str]  # line IRI -> its label


def corpus_index(documents: list[DocumentFacts]) -> CorpusIndex:
    """The ``CorpusIndex`` of resolved documents, in corpus order. Only the
    plans, axes and projects of the documents are read."""
    plans = {d.source.id: iri for d in documents if (iri := plan_of(d)) is not None}
    own = [d for d in documents if d.version_of is None and d.source.id in plans]
    projects = project_nodes(own)
    project_iris = {project_key_iri(key) for key in projects}
    lines: dict[URIRef, str] = {}
    for doc in own:
        for axis in doc.axes:
            for claim in axis.infrastructure:
                key = axis.line_keys.get(claim.value)
                iri = project_key_iri(key) if key else project_iri(claim.value)
                if iri not in project_iris:
                    lines.setdefault(iri, claim.value)
    return CorpusIndex(plans, projects, lines)


def build_graph(corpus: CorpusFacts, reference: ReferenceData | None = None) -> TripleSet:
    """The RDF triples of a whole corpus (``TripleSet.to_rdflib()`` gives an rdflib graph).

    A plan citing another corpus plan by title links to it; cited documents
    outside the corpus are kept as ``pkg:ExternalDocument`` nodes. The same
    triples come from ``add_corpus_triples`` and ``add_document_triples`` over
    the documents one at a time, in any grouping (``plankg.assemble``).
    """
    builder = GraphBuilder(reference or ReferenceData.load())
    index = corpus_index(corpus.documents)
    with cyclic_gc_paused():
        add_corpus_triples(builder, index)
        w = write_context(builder, index)
        for doc in corpus.documents:
            add_document_triples(w, doc)
    return builder.graph


@contextmanager
def cyclic_gc_paused():
    """Building creates millions of long-lived objects without reference cycles;
    the cyclic collector's repeated passes over them cost about 40% of the
    graph stage on a 150-document corpus, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class WriteContext:
    """What every writer shares: the builder, the spatial writer (each place and
    corridor once) and the ``CorpusIndex``."""

    builder: GraphBuilder
    spatial: SpatialWriter
    index: CorpusIndex


def write_context(builder: GraphBuilder, index: CorpusIndex) -> WriteContext:
    """The ``WriteContext`` of a builder for documents of the indexed corpus."""
    ref = builder.reference
    return WriteContext(builder, SpatialWriter(builder, ref.places, ref.corridors, index.lines), index)


def write_plan(w: WriteContext, plan: PlanFacts, p: URIRef) -> None:
    """The ``PlanFacts`` writer."""
    w.builder.add_plan(plan, p)


def write_citation(w: WriteContext, cited: CitedDocument, source: URIRef) -> None:
    """A document a plan implements or cites: the corpus plan ``plankg.resolve``
    matched it to (a link between plans), else an external document node."""
    builder = w.builder
    target = w.index.plans.get(cited.target) if cited.target else None
    if target is None:
        target = external_document_iri(cited.title, cited.doc_no)
        builder.add(target, RDF.type, PKG.ExternalDocument)
        builder.add(target, DCTERMS.title, zh(cited.title))
        if cited.doc_no:
            builder.add(target, ELI.id_local, Literal(cited.doc_no))
        issuer = builder.gazetteer.resolve(cited.issuer) if cited.issuer else None
        if issuer:
            builder.add(target, ELI.passed_by, builder.agency(issuer.key))
    prop = ELI.applies if cited.relation == "implements" else ELI.cites
    builder.assert_fact(source, prop, target, cited.evidence)


def write_structure(w: WriteContext, fact: StructureFormula, plan: URIRef) -> None:
    """A plan's spatial structure formula and its counted parts."""
    b = w.builder
    node = child_iri(plan, "structure", fact.formula)
    b.add(node, RDF.type, PKG.SpatialStructure)
    b.add(node, SKOS.prefLabel, zh(fact.formula))
    b.assert_fact(node, PKG.inPlan, plan, fact.evidence)
    for i, (count, element) in enumerate(fact.parts):
        part = child_iri(node, "part", i, count, element)
        b.add(part, RDF.type, PKG.StructurePart)
        b.add(part, SKOS.prefLabel, zh(count + element))
        b.add(part, PKG.partCount, zh(count))
        b.add(part, PKG.partElement, zh(element))
        b.add(part, PKG.partOrder, Literal(i + 1, datatype=XSD.positiveInteger))
        b.assert_fact(node, DCTERMS.hasPart, part, fact.evidence)


Writer = Callable[[WriteContext, object, URIRef], None]

# One writer per fact class, called with each fact of a document and the
# document's plan node. Adding a fact kind means: its class in plankg/facts.py,
# the rule that makes it (an extractor of plankg/pipeline.py) and its writer here.
WRITERS: dict[type, Writer] = {
    PlanFacts: write_plan,
    CitedDocument: write_citation,
    PlanScope: lambda w, fact, plan: w.spatial.add_scope(fact, plan),
    ProjectFact: add_project_mention,
    AxisFacts: lambda w, fact, plan: w.spatial.add_axis(fact, plan),
    ClusterFacts: lambda w, fact, plan: w.spatial.add_cluster(fact, plan),
    RegionMember: lambda w, fact, plan: w.spatial.add_region_member(fact, plan),
    TaskFacts: add_task,
    TargetFact: add_target,
    StructureFormula: write_structure,
}


def add_corpus_triples(builder: GraphBuilder, index: CorpusIndex) -> None:
    """The triples that belong to the corpus rather than to one document: one
    node per project key, named from all its mentions."""
    add_project_nodes(builder, index.projects)


def add_document_triples(w: WriteContext, doc: DocumentFacts) -> None:
    """One resolved document's triples: its node and the plan it holds, and,
    for the document that speaks for its plan (not another version of it),
    every fact through ``WRITERS``."""
    plan = w.builder.add_document(doc)
    if plan is None or doc.version_of is not None:
        return
    for cls, write in WRITERS.items():
        for fact in doc.of(cls):
            write(w, fact, plan)
