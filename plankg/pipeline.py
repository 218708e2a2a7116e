"""From files to facts: read, normalise, extract, resolve across documents.

Every extractor has one signature, ``extract(document, context) -> list[fact]``,
and is registered by name in ``EXTRACTORS``; they run in that order on each
document (the plan extractor first: the others read the plan's province from
the context). ``context`` holds the build's reference data, loaded once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from plankg.context import ReferenceData
from plankg.facts import CorpusFacts, DocumentFacts, PlanFacts, PlanScope
from plankg.loaders.indicators import extract_indicators
from plankg.loaders.metadata import extract_plan_facts
from plankg.loaders.prepared import PreparedDocument, prepare
from plankg.loaders.projects import extract_projects
from plankg.loaders.reader import DocumentError, find_documents, read_document
from plankg.loaders.spatial import extract_spatial
from plankg.loaders.tasks import extract_tasks
from plankg.resolve import link_task_corridors, resolve_city_airports, resolve_cross_document


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


EXTRACTORS: dict[str, Callable[[PreparedDocument, DocumentContext], list]] = {
    "plan": _plan,
    "spatial": _spatial,
    "tasks": _tasks,
    "projects": _projects,
    "indicators": _indicators,
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

    A file that cannot be read is reported in ``errors`` and skipped, unless
    ``strict`` is set, in which case its ``DocumentError`` is raised.
    ``reference`` defaults to the shipped reference data.
    """
    reference = reference or ReferenceData.load()
    corpus = CorpusFacts()
    files = find_documents(list(paths))
    if not files:
        raise DocumentError(", ".join(map(str, paths)) or "<no paths>", "no .txt, .md or .html plan documents found")
    seen_ids: set[str] = set()
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
        if source.id in seen_ids:
            continue  # the same file given twice
        seen_ids.add(source.id)
        corpus.documents.append(extract_document(prepare(source), reference))
    resolve_cross_document(corpus, reference.agencies)
    resolve_city_airports(corpus, reference.places)
    return link_task_corridors(corpus, reference.corridors)
