"""From files to facts: read, normalise, extract, resolve across documents.

Every extractor has one signature, ``extract(document, context) -> list[fact]``,
and is registered by name in ``EXTRACTORS``; they run in that order on each
document (the plan extractor first: the others read the plan's province from
the context). ``context`` holds the build's reference data, loaded once.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from plankg.cache import FactCache

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
from plankg.paths import readable
from plankg.script import HAN
from plankg.resolve import link_document_corridors, resolve_corpus


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
        m = re.match(rf"^(?:中共)?(?P<p>[{HAN}]{{2,6}}?(?:省|自治区))", claim.value.removeprefix("unlisted:"))
        if m:
            return m["p"]
    return None


@dataclass(frozen=True)
class DocumentJob:
    """The files holding one document's bytes (sorted by path) and their SHA-256."""

    sha256: str
    paths: tuple[str, ...]

    @property
    def name(self) -> str:
        """The file name the document is read under (its first path's)."""
        return readable(Path(self.paths[0]).name)


@dataclass
class JobResult:
    """What extracting one document gave: its facts (None when it failed), the
    ``(path, problem)`` of every file that failed, and its length in characters."""

    facts: DocumentFacts | None
    errors: list[tuple[str, str]]
    characters: int = 0
    cached: bool = False


def extract_job(job: DocumentJob, reference: ReferenceData, strict: bool = False, keep_text: bool = True) -> JobResult:
    """Read the files of one document and run every extractor on it.

    A file that cannot be read, or an extractor that fails, becomes an entry
    of ``errors`` (with ``strict``, its ``DocumentError`` is raised). Without
    ``keep_text`` the facts' ``source`` holds no text: the evidence already
    quotes what provenance needs.
    """
    sources, errors = [], []
    for path in job.paths:
        try:
            sources.append(read_document(path))
        except DocumentError as exc:
            if strict:
                raise
            errors.append((exc.path, exc.problem))
    if not sources:
        return JobResult(None, errors)
    source = first_copy(sources)
    try:
        facts = extract_document(prepare(source), reference)
    except Exception as exc:  # one document's failure must not sink the others
        error = DocumentError(source.path, f"could not be extracted ({type(exc).__name__}: {exc})")
        if strict:
            raise error from exc
        return JobResult(None, errors + [(error.path, error.problem)])
    if not keep_text:
        facts.source = replace(facts.source, text="")
    return JobResult(facts, errors, len(source.text))


_WORKER: dict = {}  # the reference data of a worker process, loaded once by ``_init_worker``


def _init_worker(extra_dirs: tuple[str, ...]) -> None:
    _WORKER["reference"] = ReferenceData.load(extra_dirs)


def _extract_in_worker(job: DocumentJob, keep_text: bool = False) -> JobResult:
    return extract_job(job, _WORKER["reference"], keep_text=keep_text)


def default_jobs() -> int:
    """Worker processes when none are asked for: one per CPU."""
    return os.cpu_count() or 1


# Below this many characters to extract (about 6 s of work in one process),
# worker start-up (importing plankg, loading the reference data and compiling
# the rules in each worker: 2-3 s) costs about what it saves, and a build with
# ``jobs=None`` runs in the calling process.
PARALLEL_MIN_CHARACTERS = 1_000_000


def hash_files(files: list[Path], strict: bool, progress, errors: list[str]) -> list[DocumentJob]:
    """Group files by the SHA-256 of their bytes, in SHA-256 order. A file that
    cannot be opened is reported (or raises, with ``strict``) as reading it would."""
    by_sha: dict[str, list[str]] = {}
    for path in files:
        if progress:
            progress(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        except OSError:
            digest = None
        if digest is None:
            try:
                digest = read_document(path).sha256  # raises the DocumentError that says what is wrong
            except DocumentError as exc:
                if strict:
                    raise
                errors.append(str(exc))
                continue
        by_sha.setdefault(digest, []).append(str(path))
    return [DocumentJob(sha, tuple(sorted(paths))) for sha, paths in sorted(by_sha.items())]


def _run_jobs(jobs: list[DocumentJob], reference: ReferenceData, workers: int, strict: bool,
              keep_text: bool) -> Iterator[JobResult]:
    """Extract jobs in order, in this process or in ``workers`` processes."""
    with worker_pool(workers, reference) as pool:
        yield from worker_map(pool, partial(_extract_in_worker, keep_text=keep_text),
                              partial(extract_job, reference=reference, strict=strict, keep_text=keep_text),
                              jobs, workers)


@contextmanager
def worker_pool(workers: int, reference: ReferenceData):
    """Worker processes that hold the reference data, or None for this
    process. Once their work is done the workers exit while the caller goes
    on; on an error they are stopped before it propagates."""
    if workers <= 1:
        yield None
        return
    context = multiprocessing.get_context("spawn")  # safe whatever threads the caller runs
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(reference.extra_dirs,))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=False)


def worker_map(pool, in_worker: Callable, here: Callable, items: list, workers: int) -> Iterator:
    """``here`` over ``items`` in this process, or ``in_worker`` in ``pool``, in order."""
    if pool is None or len(items) <= 1:
        return map(here, items)
    return ordered_map(pool, in_worker, items, window=4 * workers)


def ordered_map(pool, fn, items: list, window: int) -> Iterator:
    """``pool.map(fn, items)`` with at most ``window`` results waiting, so
    finished but unconsumed results do not pile up."""
    pending: deque = deque()
    it = iter(items)
    for item in it:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            break
    while pending:
        yield pending.popleft().result()
        for item in it:
            pending.append(pool.submit(fn, item))
            break


@dataclass
class ExtractionStats:
    """How a build's documents were obtained (extracted, or taken from the
    cache) and how their runs were (written, or taken from the run cache)."""

    extracted: int = 0
    cached: int = 0
    workers: int = 1
    batches: int = 0  # runs of triples the documents were written in
    batches_reused: int = 0  # of them, taken from the run cache


def extract_corpus(
    paths: Iterable[str | Path],
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    reference: ReferenceData | None = None,
    jobs: int | None = 1,
    cache: FactCache | None = None,
    keep_text: bool = True,
    stats: ExtractionStats | None = None,
) -> CorpusFacts:
    """Extract facts from files and folders.

    A file that cannot be read, or on which an extractor fails, is reported in
    ``errors`` and skipped, unless ``strict`` is set, in which case its
    ``DocumentError`` is raised. The result does not depend on the order in
    which the files are given: files with identical bytes are read once, under
    the path that sorts first (``copies`` lists the others), documents are kept
    in the order of their SHA-256, and errors are sorted.
    ``reference`` defaults to the shipped reference data.

    ``jobs`` worker processes extract the documents (None: one per CPU when
    the corpus is large enough to gain from it); the result is the same for
    any number. Documents found in ``cache`` are not extracted again, and new
    results are stored there. Without ``keep_text`` the documents' text is
    dropped once extracted. ``stats``, when given, is filled in.
    """
    reference = reference or ReferenceData.load()
    stats = stats if stats is not None else ExtractionStats()
    corpus = CorpusFacts()
    files = find_documents(list(paths))
    if not files:
        raise DocumentError(", ".join(map(str, paths)) or "<no paths>", "no .txt, .md or .html plan documents found")
    todo: list[DocumentJob] = []
    results: dict[str, JobResult] = {}
    for job in hash_files(files, strict, progress, corpus.errors):
        hit = cache.get(job.sha256, job.name) if cache else None
        if hit is None:
            todo.append(job)
            continue
        facts, characters = hit
        facts = with_job_source(facts, job)
        if keep_text:
            facts.source = replace(facts.source, text=read_document(facts.source.path).text)
        results[job.sha256] = JobResult(facts, [], characters, cached=True)
    stats.workers = _workers(jobs, todo)
    for job, result in zip(todo, _run_jobs(todo, reference, stats.workers, strict, keep_text)):
        for path, problem in result.errors:
            if strict:
                raise DocumentError(path, problem)
            corpus.errors.append(str(DocumentError(path, problem)))
        if result.facts is not None and cache:
            stored = replace(result.facts, source=replace(result.facts.source, text=""))
            cache.put(job.sha256, job.name, stored, result.characters)
        results[job.sha256] = result
    for sha in sorted(results):
        result = results[sha]
        if result.facts is not None:
            corpus.documents.append(result.facts)
            corpus.characters += result.characters
            if result.cached:
                stats.cached += 1
            else:
                stats.extracted += 1
    corpus.errors.sort()
    lexicon = resolve_corpus(corpus, reference)
    for doc in corpus.documents:
        link_document_corridors(doc, lexicon)
    return corpus


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # gone since it was hashed: reading it will say so
        return 0


def _workers(jobs: int | None, todo: list[DocumentJob]) -> int:
    """The number of worker processes for the documents left to extract."""
    if jobs is None:
        size = sum(_size(j.paths[0]) for j in todo)  # bytes: about 3 a character
        jobs = default_jobs() if size >= 3 * PARALLEL_MIN_CHARACTERS else 1
    return max(1, min(jobs, len(todo)))


def with_job_source(facts: DocumentFacts, job: DocumentJob) -> DocumentFacts:
    """Cached facts as the files of ``job`` hold them: the cache keys a
    document by its bytes and name, not by where its files are now."""
    source = replace(facts.source, path=job.paths[0], name=job.name)
    facts.source = first_copy([replace(source, path=p) for p in job.paths])
    return facts


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
