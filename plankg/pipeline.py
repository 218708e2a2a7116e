"""From files to facts: read, normalise, extract, resolve across documents.

Every extractor has one signature, ``extract(document, context) -> list[fact]``,
and is registered by name in ``EXTRACTORS``; they run in that order on each
document (the plan extractor first: the others read the plan's province from
the context). ``context`` holds the build's reference data, loaded once.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from plankg.context import ReferenceData
from plankg.facts import CorpusFacts, DocumentFacts, PlanFacts, PlanScope, SourceDocument
from plankg.loaders.indicators import extract_indicators
from plankg.loaders.metadata import extract_plan_facts
from plankg.loaders.prepared import PreparedDocument, prepare
from plankg.loaders.projects import extract_projects
from plankg.loaders.reader import DocumentError, find_documents, read_document
from plankg.loaders.spatial import extract_spatial
from plankg.loaders.structure import extract_structures
from plankg.loaders.tasks import extract_tasks
from plankg.resolve import link_task_corridors, merge_versions, resolve_city_airports, resolve_cross_document


@dataclass
class DocumentContext:
    """What the extractors of one document share: the build's reference data
    and the document's plan once the plan extractor has run."""

    reference: ReferenceData
    plan: PlanFacts | None = None

    @property
    def province(self) -> str | None:
        """The province whose relative names (省发改委) the document uses."""
        return plan_province(self.plan, self.reference) if self.plan else None


def _plan(doc: PreparedDocument, ctx: DocumentContext) -> list:
    ctx.plan = extract_plan_facts(doc, ctx.reference.agencies, list(ctx.reference.kinds))
    return [ctx.plan]


def _spatial(doc: PreparedDocument, ctx: DocumentContext) -> list:
    scope, axes, clusters, members = extract_spatial(doc, ctx.reference.places, ctx.reference.roles)
    return [PlanScope(tuple(scope)), *axes, *clusters, *members]


def _tasks(doc: PreparedDocument, ctx: DocumentContext) -> list:
    return extract_tasks(doc, ctx.province, ctx.reference.agencies, ctx.reference.places, ctx.reference.roles,
                         written_province(ctx.plan))


def _projects(doc: PreparedDocument, ctx: DocumentContext) -> list:
    return extract_projects(doc, ctx.reference.places)


def _indicators(doc: PreparedDocument, ctx: DocumentContext) -> list:
    return extract_indicators(doc)


def _structures(doc: PreparedDocument, ctx: DocumentContext) -> list:
    return extract_structures(doc, ctx.reference.roles)


EXTRACTORS: dict[str, Callable[[PreparedDocument, DocumentContext], list]] = {
    "plan": _plan,
    "spatial": _spatial,
    "tasks": _tasks,
    "projects": _projects,
    "indicators": _indicators,
    "structures": _structures,
}


def extract_document(doc: PreparedDocument, reference: ReferenceData) -> DocumentFacts:
    """Run every registered extractor over one prepared document."""
    ctx = DocumentContext(reference)
    facts: DocumentFacts | None = None
    for extract in EXTRACTORS.values():
        for fact in extract(doc, ctx):
            if isinstance(fact, PlanFacts):
                facts = DocumentFacts(source=doc.source, plan=fact)
            else:
                facts.add(fact)
    return facts


def plan_province(plan: PlanFacts, reference: ReferenceData) -> str | None:
    """The province whose abbreviations (省发改委) a plan's text uses: its issuer's,
    else the province its title opens with (湖南省…实施方案)."""
    gazetteer = reference.agencies
    for claim in plan.issuers:
        agency = gazetteer.agencies.get(claim.value)
        if agency and agency.province:
            return agency.province[:2] + "0000"
    title = plan.title.value if plan.title else ""
    for code, name in gazetteer.province_names.items():
        if title.startswith(name):
            return code
    return None


def written_province(plan: PlanFacts | None) -> str | None:
    """The province an issuer's name opens with as written (甲乙省人民政府 → 甲乙省),
    for relative names when no table knows the province."""
    for claim in plan.issuers if plan else ():
        m = re.match(r"^(?:中共)?(?P<p>[\u4e00-\u9fff]{2,6}?(?:省|自治区))", claim.value.removeprefix("unlisted:"))
        if m:
            return m["p"]
    return None


def extract_corpus(
    paths: Iterable[str | Path],
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    reference: ReferenceData | None = None,
) -> CorpusFacts:
    """Extract facts from files and folders.

    A file that cannot be read, or on which an extractor fails, is reported in
    ``errors`` and skipped, unless ``strict`` is set, in which case its
    ``DocumentError`` is raised. The result does not depend on the order in
    which the files are given: files with identical bytes are read once, under
    the path that sorts first (``copies`` lists the others), documents are kept
    in the order of their SHA-256, and errors are sorted.
    ``reference`` defaults to the shipped reference data.
    """
    reference = reference or ReferenceData.load()
    corpus = CorpusFacts()
    files = find_documents(list(paths))
    if not files:
        raise DocumentError(", ".join(map(str, paths)) or "<no paths>", "no .txt, .md or .html plan documents found")
    by_id: dict[str, list[SourceDocument]] = {}
    for path in files:
        if progress:
            progress(path)
        try:
            source = read_document(path)
        except DocumentError as exc:
            if strict:
                raise
            corpus.errors.append(str(exc))
            continue
        by_id.setdefault(source.id, []).append(source)
    for copies in sorted(by_id.values(), key=lambda c: c[0].sha256):
        source = first_copy(copies)
        try:
            facts = extract_document(prepare(source), reference)
        except Exception as exc:  # one document's failure must not sink the others
            error = DocumentError(source.path, f"could not be extracted ({type(exc).__name__}: {exc})")
            if strict:
                raise error from exc
            corpus.errors.append(str(error))
            continue
        corpus.documents.append(facts)
    corpus.errors.sort()
    resolve_cross_document(corpus, reference.agencies)
    merge_versions(corpus)
    resolve_city_airports(corpus, reference.places)
    return link_task_corridors(corpus, reference.corridors)


def first_copy(copies: list[SourceDocument]) -> SourceDocument:
    """Of files with identical bytes, the one whose path sorts first, listing the
    other paths in ``copies`` (the same file named twice counts once)."""
    ordered = sorted(copies, key=lambda s: s.path)
    first = ordered[0]
    seen = {os.path.realpath(first.path)}
    others = []
    for s in ordered[1:]:
        real = os.path.realpath(s.path)
        if real not in seen:
            seen.add(real)
            others.append(s.path)
    return replace(first, copies=tuple(others))
