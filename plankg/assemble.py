"""A build that never holds the whole corpus: documents to facts on disk,
facts to sorted runs of N-Triples rows, runs to the build's files.

Memory is bounded by the largest document and batch, not by the corpus:

1. **extract** (worker processes): each document's facts go to a
   ``FactCache``, the build's cache or a spill folder inside the new build's
   temporary folder; only its *outline* comes back (source, plan, axes,
   projects, warnings), which is all cross-document resolution reads.
2. **resolve** (this process), on the outlines: citations between plans,
   versions of one plan, city airports, the corridor lexicon and the graph's
   ``CorpusIndex``.
3. **assemble** (worker processes): batches of documents are read back,
   resolved with what step 2 found, and written as sorted, de-duplicated
   N-Triples *runs*, each with its documents' ``build.json`` findings; with
   a cache, the runs that still hold are taken from it instead
   (``plankg.run_cache``).

``plankg.graph.store.write_graph_files`` then merges the runs into
``graph.nt``, byte for byte what sorting the whole graph in memory gives
(``plankg.graph.rdf.build_graph``), and writes Turtle and the store from it.
"""
from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from plankg.cache import FactCache
from plankg.context import ReferenceData
from plankg.errors import PlankgError
from plankg.facts import CorpusFacts, DocumentFacts
from plankg.graph.rdf import (CorpusIndex, GraphBuilder, add_corpus_triples, add_document_triples, corpus_index,
                              cyclic_gc_paused, write_context)
from plankg.graph.store import facts_run, write_run
from plankg.loaders.reader import DocumentError, find_documents
from plankg.pipeline import (_WORKER, DocumentJob, ExtractionStats, _workers, extract_job, hash_files, with_job_source,
                             worker_map, worker_pool)
from plankg.report import DocumentFindings, document_findings
from plankg.resolve import CorridorLexicon, lexicon_texts, link_document_corridors, resolve_corpus
from plankg.run_cache import RecordingMapping, RunCache, RunEntry, assembly_version, digest_of, lookups_digest

# Characters of documents per run, on average (at most twice as many, see
# ``batches``): about 0.6 triples a character, so a batch's rows take some
# 100 MB in a worker while it is built (200 MB at most). Smaller
# corpora are cut into at least ``BATCHES_PER_WORKER`` batches a worker (of
# ``MIN_BATCH_CHARACTERS`` or more), so that the workers finish together.
BATCH_CHARACTERS = 400_000
MIN_BATCH_CHARACTERS = 20_000
BATCHES_PER_WORKER = 4
# At most this many runs to merge (open files at once); larger corpora get larger batches.
MAX_RUNS = 400


# The code a run's triples depend on beyond the extractors: resolution and the writers.
ASSEMBLY_CODE = [Path(__file__).resolve().parent, Path(add_document_triples.__code__.co_filename).resolve().parent]

OUTLINE = "outline"  # the cache entry holding a document's outline beside its facts


@dataclass
class Outline:
    """What extracting one document gives back to the build: its outline (the
    ``DocumentFacts`` without tasks, targets, clusters or structures; None
    when it failed), the ``(path, problem)`` of every file that failed, its
    length in characters, whether its facts came from the cache, and whether
    they are stored in the cache (else in the build's spill folder)."""

    job: DocumentJob
    doc: DocumentFacts | None
    errors: list[tuple[str, str]]
    characters: int = 0
    cached: bool = False
    in_cache: bool = False
    facts_digest: str | None = None  # of its entry in the cache


def outline_of(facts: DocumentFacts) -> DocumentFacts:
    """The part of a document's facts that cross-document resolution reads and changes."""
    return DocumentFacts(source=facts.source, plan=facts.plan, axes=facts.axes, projects=facts.projects,
                         warnings=list(facts.warnings), version_of=facts.version_of)


def extract_outline(job: DocumentJob, reference: ReferenceData, spill: FactCache, cache: FactCache | None,
                    strict: bool = False) -> Outline:
    """Extract one document (or take it from ``cache``), store its facts in the
    cache or else in ``spill``, and return its ``Outline``. A cached outline
    is read from its own entry while the facts entry it was taken from is
    unchanged; else it is taken from the facts and kept."""
    hit = cache.get(job.sha256, job.name, OUTLINE) if cache else None
    if hit is not None:  # a tenth of the bytes to unpickle; the facts entry is only hashed
        (outline, facts_digest), characters = hit
        if cache.digest(job.sha256, job.name) == facts_digest:
            return Outline(job, with_job_source(outline, job), [], characters, cached=True, in_cache=True,
                           facts_digest=facts_digest)
    hit = cache.get(job.sha256, job.name) if cache else None
    if hit is not None:
        facts, characters = hit
        digest = keep_outline(cache, job, facts, characters)
        return Outline(job, outline_of(with_job_source(facts, job)), [], characters, cached=True, in_cache=True,
                       facts_digest=digest)
    result = extract_job(job, reference, strict, keep_text=False)
    if result.facts is None:
        return Outline(job, None, result.errors)
    in_cache = bool(cache and cache.put(job.sha256, job.name, result.facts, result.characters))
    digest = keep_outline(cache, job, result.facts, result.characters) if in_cache else None
    if not in_cache:
        spill.put(job.sha256, job.name, result.facts, result.characters)
    return Outline(job, outline_of(result.facts), result.errors, result.characters, in_cache=in_cache,
                   facts_digest=digest)


def keep_outline(cache: FactCache, job: DocumentJob, facts: DocumentFacts, characters: int) -> str | None:
    """Store a document's outline beside its facts in ``cache``, with the
    digest of the facts entry it was taken from; that digest."""
    digest = cache.digest(job.sha256, job.name)
    if digest is not None:
        cache.put(job.sha256, job.name, (outline_of(facts), digest), characters, OUTLINE)
    return digest


@dataclass(frozen=True)
class Resolution:
    """What every document needs from the whole corpus to be written: the
    corridor lexicon its tasks are linked with and the graph's ``CorpusIndex``."""

    lexicon: CorridorLexicon
    index: CorpusIndex


def resolve_outlines(outlines: list[DocumentFacts], reference: ReferenceData) -> Resolution:
    """Cross-document resolution on the outlines of a corpus (in corpus order),
    in place, as ``plankg.pipeline.extract_corpus`` does on whole documents."""
    lexicon = resolve_corpus(CorpusFacts(documents=outlines), reference)
    return Resolution(lexicon, corpus_index(outlines))


def resolved_document(facts: DocumentFacts, outline: DocumentFacts, lexicon: CorridorLexicon) -> DocumentFacts:
    """A document's facts with what resolution changed in its outline, its tasks linked to corridors."""
    doc = replace(facts, source=outline.source, plan=outline.plan, projects=outline.projects,
                  warnings=outline.warnings, version_of=outline.version_of)
    return link_document_corridors(doc, lexicon)


@dataclass
class Batch:
    """Documents written into one run: for each, its outline, the name its
    facts are stored under and whether they are in the cache (else the
    spill); the run's key in the ``RunCache`` (None: not cached)."""

    documents: list[tuple[DocumentFacts, str, bool]]
    run: Path
    key: str | None = None


@dataclass
class RunResult:
    """A written run: its path and its documents' findings."""

    run: Path
    findings: list[DocumentFindings] = field(default_factory=list)


def assemble_batch(batch: Batch, reference: ReferenceData, resolution: Resolution, spill: FactCache,
                   cache: FactCache | None, runs: RunCache | None = None, lexicon_digest: str = "") -> RunResult:
    """Read a batch's facts back, resolve them and write their triples as one
    sorted run of N-Triples rows; with ``runs`` and a batch key, keep the run
    there with the index entries it read and the texts the lexicon
    ``lexicon_digest`` was matched against."""
    builder = GraphBuilder(reference)
    keep = runs is not None and batch.key is not None
    tables = index_tables(resolution.index)
    recorded = {name: RecordingMapping(table) for name, table in tables.items()} if keep else None
    w = write_context(builder, CorpusIndex(**recorded) if keep else resolution.index)
    findings, texts = [], []
    with cyclic_gc_paused():
        for outline, name, in_cache in batch.documents:
            source = cache if in_cache else spill
            stored = source.get(outline.source.sha256, name)
            if stored is None:
                raise PlankgError(f"{outline.source.path}: its extracted facts vanished from {source.folder} "
                                  "during the build (a cache emptied meanwhile?); build again")
            doc = resolved_document(stored[0], outline, resolution.lexicon)
            add_document_triples(w, doc)
            findings.append(document_findings(doc))
            if keep:
                texts += lexicon_texts(doc)
    write_run(builder.graph.rows(), batch.run)
    if keep:
        lookups = sorted(((name, key) for name, table in recorded.items() for key in table.read),
                         key=lambda lookup: (lookup[0], str(lookup[1])))
        runs.put(batch.key, batch.run, facts_run(batch.run),
                 RunEntry(findings, lookups, lookups_digest(tables, lookups), lexicon_digest, "\0".join(texts)))
    return RunResult(batch.run, findings)


def index_tables(index: CorpusIndex) -> dict[str, dict]:
    """The mappings of a ``CorpusIndex`` by field name."""
    return {"plans": index.plans, "projects": index.projects, "lines": index.lines}


def corpus_run(resolution: Resolution, reference: ReferenceData, run: Path) -> RunResult:
    """The run of the triples that belong to the corpus, not to one document."""
    builder = GraphBuilder(reference)
    add_corpus_triples(builder, resolution.index)
    write_run(builder.graph.rows(), run)
    return RunResult(run)


def batches(outlines: list[Outline], folder: Path, workers: int = 1) -> list[Batch]:
    """The corpus's documents (in corpus order) cut into batches for
    ``workers`` processes, of about ``BATCH_CHARACTERS`` characters, at most
    ``MAX_RUNS`` of them.

    A batch that holds half its size ends after a document whose SHA-256
    falls in one of ``odds`` classes (about the documents that fill the other
    half), and at twice its size at the latest: where the cuts
    fall depends on the documents around them, so adding a document changes
    the batch it joins and leaves the others as they were (``plankg.run_cache``).
    """
    total = sum(o.characters for o in outlines)
    size = min(BATCH_CHARACTERS, max(MIN_BATCH_CHARACTERS, total // (BATCHES_PER_WORKER * workers)))
    size = max(size, 2 * total // MAX_RUNS + 1)
    mean = max(1, total // max(1, len(outlines)))
    odds = 1 << max(0, round(math.log2(max(1.0, size / 2 / mean))))  # a power of two: stable as the corpus grows
    cut: list[Batch] = []
    filled, closed = 0, True
    for o in outlines:
        if closed:
            cut.append(Batch([], folder / f"run-{len(cut):05d}.nt"))
            filled = 0
        cut[-1].documents.append((o.doc, o.job.name, o.in_cache))
        filled += o.characters
        closed = filled >= 2 * size or (filled >= size // 2 and int(o.job.sha256[:12], 16) % odds == 0)
    return cut


def run_cache(cache: FactCache | None) -> RunCache | None:
    """The ``RunCache`` beside a build's fact cache (none without one)."""
    if cache is None:
        return None
    return RunCache(cache.folder, assembly_version(cache.version, ASSEMBLY_CODE))


def reuse_runs(runs: RunCache, cut: list[Batch], outlines: list[Outline],
               resolution: Resolution) -> tuple[dict[int, RunResult], str]:
    """Give each batch of cached documents its key, and put the cached runs
    that still hold in place: those runs by batch number, and the digest of
    the lexicon the others will be linked with."""
    terms = resolution.lexicon.terms
    lexicon_digest = digest_of(terms)
    runs.put_lexicon(terms, lexicon_digest)
    tables = index_tables(resolution.index)
    by_doc = {id(o.doc): o for o in outlines}
    reused = {}
    for i, batch in enumerate(cut):
        members = [by_doc[id(doc)] for doc, _, _ in batch.documents]
        if not all(o.in_cache and o.facts_digest for o in members):
            continue
        batch.key = runs.batch_key([(o.job.sha256, o.job.name, o.facts_digest, digest_of(o.doc)) for o in members])
        entry = runs.get(batch.key, tables, terms, lexicon_digest)
        if entry is not None and runs.link(batch.key, entry, batch.run, facts_run(batch.run)):
            reused[i] = RunResult(batch.run, entry.findings)
    return reused, lexicon_digest


_SHARED: dict = {}  # a worker's copy of the build's Resolution, read once from its file


def _shared_resolution(path: str) -> Resolution:
    if _SHARED.get("path") != path:
        _SHARED["resolution"] = pickle.loads(Path(path).read_bytes())
        _SHARED["path"] = path
    return _SHARED["resolution"]


def _outline_in_worker(job: DocumentJob, spill: FactCache, cache: FactCache | None) -> Outline:
    return extract_outline(job, _WORKER["reference"], spill, cache)


def _assemble_in_worker(batch: Batch, resolution_path: str, spill: FactCache, cache: FactCache | None,
                        runs: RunCache | None, lexicon_digest: str) -> RunResult:
    return assemble_batch(batch, _WORKER["reference"], _shared_resolution(resolution_path), spill, cache, runs,
                          lexicon_digest)


@dataclass
class AssembledCorpus:
    """The runs of a corpus and what ``build.json`` says of it."""

    runs: list[Path]
    findings: list[DocumentFindings]
    errors: list[str]
    warnings: list[str]
    documents: int
    plans: int
    characters: int


def assemble_corpus(
    paths: Iterable[str | Path],
    work: Path,
    reference: ReferenceData,
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = 1,
    cache: FactCache | None = None,
    stats: ExtractionStats | None = None,
) -> AssembledCorpus:
    """Extract, resolve and write the runs of the documents in ``paths`` into
    the folder ``work`` (which the caller removes).

    Files are found, grouped and reported as ``plankg.pipeline.extract_corpus``
    does; ``jobs`` worker processes extract and assemble (None: one per CPU
    when the corpus is large enough to gain from it); the runs hold the same
    rows for any number of workers and any batching.
    """
    stats = stats if stats is not None else ExtractionStats()
    files = find_documents(list(paths))
    if not files:
        raise DocumentError(", ".join(map(str, paths)) or "<no paths>", "no .txt, .md or .html plan documents found")
    errors: list[str] = []
    jobs_todo = hash_files(files, strict, progress, errors)
    spill = FactCache(work / "facts", "spill", required=True)
    stats.workers = _workers(jobs, jobs_todo)
    with worker_pool(stats.workers, reference) as pool:
        outlines = []
        for outline in worker_map(pool, partial(_outline_in_worker, spill=spill, cache=cache),
                            partial(extract_outline, reference=reference, spill=spill, cache=cache, strict=strict),
                            jobs_todo, stats.workers):
            for path, problem in outline.errors:
                if strict:
                    raise DocumentError(path, problem)
                errors.append(str(DocumentError(path, problem)))
            if outline.doc is not None:
                outlines.append(outline)
                stats.cached += outline.cached
                stats.extracted += not outline.cached
        errors.sort()
        docs = [o.doc for o in outlines]  # in SHA-256 order, as hashed
        if not docs:
            return AssembledCorpus([], [], errors, [], 0, 0, 0)
        resolution = resolve_outlines(docs, reference)
        resolution_path = work / "resolution.pickle"
        resolution_path.write_bytes(pickle.dumps(resolution, protocol=pickle.HIGHEST_PROTOCOL))
        cut = batches(outlines, work, stats.workers)
        runs = run_cache(cache)
        reused, lexicon_digest = (reuse_runs(runs, cut, outlines, resolution) if runs is not None else ({}, ""))
        stats.batches, stats.batches_reused = len(cut), len(reused)
        todo = [b for i, b in enumerate(cut) if i not in reused]
        written = iter(worker_map(pool, partial(_assemble_in_worker, resolution_path=str(resolution_path),
                                                spill=spill, cache=cache, runs=runs, lexicon_digest=lexicon_digest),
                                  partial(assemble_batch, reference=reference, resolution=resolution, spill=spill,
                                          cache=cache, runs=runs, lexicon_digest=lexicon_digest),
                                  todo, stats.workers))
        results = [corpus_run(resolution, reference, work / "run-corpus.nt")]
        results += [reused[i] if i in reused else next(written) for i in range(len(cut))]
        if runs is not None:
            runs.prune({b.key for b in cut if b.key} | {f"lexicon-{lexicon_digest}"})
    return AssembledCorpus(
        runs=[r.run for r in results], findings=[f for r in results for f in r.findings], errors=errors,
        warnings=[w for d in docs for w in d.warnings], documents=len(docs),
        plans=sum(1 for d in docs if d.plan.title), characters=sum(o.characters for o in outlines))
