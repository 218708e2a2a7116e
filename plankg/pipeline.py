"""From files to facts: read, normalise, extract, resolve across documents."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from plankg.facts import CorpusFacts, DocumentFacts, SourceDocument
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.metadata import extract_plan_facts
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.spatial import extract_spatial
from plankg.loaders.indicators import extract_indicators
from plankg.loaders.projects import extract_projects
from plankg.loaders.tasks import extract_tasks
from plankg.loaders.prepared import PreparedDocument, prepare
from plankg.loaders.reader import DocumentError, find_documents, read_document
from plankg.paths import readable
from plankg.resolve import link_task_corridors, merge_versions, resolve_city_airports, resolve_cross_document


def extract_document(doc: PreparedDocument, gazetteer: AgencyGazetteer, places: PlaceGazetteer | None = None) -> DocumentFacts:
    """Run every extractor over one prepared document."""
    facts = DocumentFacts(source=doc.source, plan=extract_plan_facts(doc, gazetteer))
    facts.plan.scope_places, facts.axes, facts.clusters, facts.region_members = extract_spatial(doc, places)
    facts.tasks = extract_tasks(doc, plan_province(facts.plan, gazetteer), gazetteer, places)
    facts.projects = extract_projects(doc, places)
    facts.indicators = extract_indicators(doc)
    if facts.plan.title is None:
        facts.warnings.append(f"{readable(doc.source.path)}: no plan title found; the document adds no plan")
    return facts


def plan_province(plan, gazetteer: AgencyGazetteer) -> str | None:
    """The province whose abbreviations (省发改委) a plan's text uses: its issuer's,
    else the province its title opens with (湖南省…实施方案)."""
    for claim in plan.issuers:
        agency = gazetteer.agencies.get(claim.value)
        if agency and agency.province:
            return agency.province[:2] + "0000"
    title = plan.title.value if plan.title else ""
    for code, name in gazetteer.province_names.items():
        if title.startswith(name):
            return code
    return None


def extract_corpus(
    paths: Iterable[str | Path],
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> CorpusFacts:
    """Extract facts from files and folders.

    A file that cannot be read, or on which an extractor fails, is reported in
    ``errors`` and skipped, unless ``strict`` is set, in which case its
    ``DocumentError`` is raised. The result does not depend on the order in
    which the files are given: files with identical bytes are read once, under
    the path that sorts first (``copies`` lists the others), documents are kept
    in the order of their SHA-256, and errors are sorted.
    """
    gazetteer = AgencyGazetteer.load()
    places = PlaceGazetteer.load()
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
            facts = extract_document(prepare(source), gazetteer, places)
        except Exception as exc:  # one document's failure must not sink the others
            error = DocumentError(source.path, f"could not be extracted ({type(exc).__name__}: {exc})")
            if strict:
                raise error from exc
            corpus.errors.append(str(error))
            continue
        corpus.documents.append(facts)
    corpus.errors.sort()
    resolve_cross_document(corpus, gazetteer)
    merge_versions(corpus)
    resolve_city_airports(corpus, places)
    return link_task_corridors(corpus)


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
