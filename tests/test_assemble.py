"""The streaming build (``plankg.assemble``): facts spilled to disk, outlines
resolved, batches written as sorted runs and merged.

However the corpus is cut into batches, however many workers write them and
whether the store is written beside Turtle or after it, a build gives the
bytes of the in-memory pipeline (``extract_corpus`` then
``build_graph``), and leaves nothing of its intermediate files behind.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pyoxigraph
import pytest

import plankg
from plankg import assemble
from plankg.errors import OutputError
from plankg.graph import store
from plankg.graph.rdf import build_graph
from plankg.pipeline import extract_corpus



@pytest.fixture(scope="module")
def corpus_paths(corpus_dir, real_plans_dir):
    return [corpus_dir, real_plans_dir]


@pytest.fixture(scope="module")
def reference():
    from plankg.context import ReferenceData

    return ReferenceData.load()


@pytest.fixture(scope="module")
def in_memory(corpus_paths, reference):
    """graph.nt as the in-memory pipeline writes it."""
    return build_graph(extract_corpus(corpus_paths, reference=reference), reference).ntriples()


@pytest.fixture
def tiny_batches(monkeypatch):
    """Every document in a batch of its own: as many runs as documents."""
    monkeypatch.setattr(assemble, "BATCH_CHARACTERS", 1)
    monkeypatch.setattr(assemble, "MIN_BATCH_CHARACTERS", 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_runs_merge_into_the_in_memory_graph(tmp_path, corpus_paths, in_memory, tiny_batches, jobs):
    out = plankg.build(corpus_paths, out=tmp_path / "out", jobs=jobs, store=True).out
    assert (out / "graph.nt").read_bytes() == in_memory
    assert sorted(p.name for p in out.iterdir()) == ["answers", "build.json", "graph.nt", "graph.ttl", "store"]
    held = pyoxigraph.Store.read_only(str(out / "store"))
    parsed = pyoxigraph.Store()
    parsed.bulk_load(path=str(out / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(held) == len(parsed) == in_memory.count(b"\n")
    assert set(held) == set(parsed)


def test_batching_does_not_change_the_build(tmp_path, corpus_paths, monkeypatch):
    one = plankg.build(corpus_paths, out=tmp_path / "one", jobs=1).out
    monkeypatch.setattr(assemble, "BATCH_CHARACTERS", 1)
    monkeypatch.setattr(assemble, "MIN_BATCH_CHARACTERS", 1)
    many = plankg.build(corpus_paths, out=tmp_path / "many", jobs=1).out
    for name in ("graph.nt", "graph.ttl", "build.json"):
        assert (one / name).read_bytes() == (many / name).read_bytes(), name


def test_batches_cover_the_corpus_in_order(tmp_path, corpus_paths, reference):
    from plankg.cache import FactCache
    from plankg.loaders.reader import find_documents
    from plankg.pipeline import hash_files

    spill = FactCache(tmp_path / "facts", "spill", required=True)
    jobs = hash_files(find_documents(corpus_paths), False, None, [])
    outlines = [assemble.extract_outline(job, reference, spill, None) for job in jobs]
    for workers in (1, 2, 8):
        cut = assemble.batches(outlines, tmp_path, workers)
        assert [name for b in cut for _, name, _ in b.documents] == [job.name for job in jobs]
        assert len({b.run for b in cut}) == len(cut)
    assert all(o.doc.tasks == [] for o in outlines)  # outlines leave the heavy facts on disk


def test_the_store_is_written_only_for_large_graphs(tmp_path, corpus_dir, monkeypatch):
    monkeypatch.setattr(store, "STORE_AUTO_TRIPLES", 10_000)
    big = plankg.build([corpus_dir], out=tmp_path / "big", jobs=2).out
    assert store.has_store(big)
    monkeypatch.setattr(store, "STORE_AUTO_TRIPLES", 10**9)
    assert not store.has_store(plankg.build([corpus_dir], out=tmp_path / "small", jobs=2).out)


def test_a_spill_that_cannot_be_written_leaves_the_previous_build(tmp_path, corpus_dir, monkeypatch):
    out = plankg.build([corpus_dir], out=tmp_path / "out", jobs=1).out
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = Path.write_bytes

    def full(self, data):
        if ".pickle.tmp-" in self.name and "facts" in self.parts:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="No space left on device"):
        plankg.build([corpus_dir], out=out, jobs=1, cache=False)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_store_stops_the_build_whether_written_beside_turtle_or_after(tmp_path, corpus_dir, monkeypatch,
                                                                              jobs):
    def broken(ntriples, dest):
        dest.mkdir()
        raise OSError(errno.EIO, "input/output error", str(dest))

    monkeypatch.setattr(store, "write_store", broken)
    with pytest.raises(OutputError, match="input/output error"):
        plankg.build([corpus_dir], out=tmp_path / "out", jobs=jobs, store=True)
    assert list(tmp_path.iterdir()) == []
