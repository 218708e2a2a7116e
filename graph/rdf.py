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
from plankg.graph.ids import agency_iri, child_iri, document_iri, external_document_iri, plan_iri
from plankg.graph.namespaces import DCTERMS, ELI, ID, OA, ORG, PKG, PROV, RDF, SKOS, XSD
from plankg.graph.indicators import add_target
from plankg.graph.projects import add_project_mention, add_project_nodes
from plankg.graph.spatial import SpatialWriter
from plankg.graph.tasks import add_task
from plankg.graph.triples import TripleSet
from plankg.context import ReferenceData
from plankg.paths import readable

ZH = "zh-Hans"


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
        g.add((ev, RDF.type, PKG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, PROV.wasDerivedFrom, document_iri(evidence.document)))
        g.add((ev, PKG.rule, Literal(evidence.rule)))
        for i, (start, end) in enumerate(evidence.spans):
            sel = URIRef(f"{ev}/position-{i}")
            g.add((ev, OA.hasSelector, sel))
            g.add((sel, RDF.type, OA.TextPositionSelector))
            g.add((sel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
            g.add((sel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        quote = URIRef(f"{ev}/quote")
        g.add((ev, OA.hasSelector, quote))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(evidence.text)))
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
        plan = doc.plan
        if plan.title is None:
            return None
        year = plan.date.value[:4] if plan.date else None
        p = plan_iri(plan.title.value, year)
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


def build_graph(corpus: CorpusFacts, reference: ReferenceData | None = None) -> TripleSet:
    """The RDF triples of a whole corpus (``TripleSet.to_rdflib()`` gives an rdflib graph).

    A plan citing another corpus plan by title links to it; cited documents
    outside the corpus are kept as ``pkg:ExternalDocument`` nodes.
    """
    builder = GraphBuilder(reference or ReferenceData.load())
    with _cyclic_gc_paused():
        _add_corpus(builder, corpus)
    return builder.graph


@contextmanager
def _cyclic_gc_paused():
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
    corridor once) and the plan node of each document, by document id."""

    builder: GraphBuilder
    spatial: SpatialWriter
    plans: dict[str, URIRef]


def write_plan(w: WriteContext, plan: PlanFacts, p: URIRef) -> None:
    """The ``PlanFacts`` writer."""
    w.builder.add_plan(plan, p)


def write_citation(w: WriteContext, cited: CitedDocument, source: URIRef) -> None:
    """A document a plan implements or cites: the corpus plan ``plankg.resolve``
    matched it to (a link between plans), else an external document node."""
    builder = w.builder
    target = w.plans.get(cited.target) if cited.target else None
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
# Writers run in this order, class after class over all documents; the order
# matters only where a writer labels a node the first time it sees it.
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


def _add_corpus(builder: GraphBuilder, corpus: CorpusFacts) -> None:
    """The corpus in three steps. Two corpus-level passes first, since they
    need every document: (1) each document's node and the plan it holds (so
    that citations between plans find their target, and versions of one plan
    share it); (2) one node per project key, named from all its mentions
    (before any axis labels a line of its own). Then (3) every fact of the
    documents that speak for their plan, through ``WRITERS``."""
    spatial = SpatialWriter(builder, builder.reference.places, builder.reference.corridors)
    plans: dict[str, URIRef] = {}  # document id -> the plan it holds
    for doc in corpus.documents:
        iri = builder.add_document(doc)
        if iri is not None:
            plans[doc.source.id] = iri
    own = [d for d in corpus.documents if d.version_of is None and d.source.id in plans]
    add_project_nodes(builder, CorpusFacts(documents=own))
    w = WriteContext(builder, spatial, plans)
    for cls, write in WRITERS.items():
        for doc in own:
            for fact in doc.of(cls):
                write(w, fact, plans[doc.source.id])
