"""A build's store patched from the previous build's (``plankg.graph.patch``):
the difference of two sorted graphs, and a patched store holding exactly
the triples a bulk load of the new graph gives."""
from __future__ import annotations

import hashlib
import json
import random
import shutil

import pyoxigraph
import pytest

import plankg
from plankg.errors import OutputError
from plankg.graph import patch, store
from plan_fixtures import plan_text, write_plan


def _rows(rng: random.Random, n: int) -> set[bytes]:
    rows = set()
    while len(rows) < n:
        length = rng.choice([3, 10, 40, 300])
        rows.add(f"<s{rng.randrange(n)}> <p> \"{'x' * rng.randrange(length)}{rng.random()}\" .\n".encode())
    return rows


@pytest.mark.parametrize("seed", range(12))
def test_the_difference_of_two_sorted_files_is_their_set_difference(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr(patch, "CHUNK", rng.choice([7, 64, 1000]))
    monkeypatch.setattr(patch, "BLOCK", rng.choice([5, 50, 4096]))
    shared = _rows(rng, rng.choice([0, 5, 200]))
    only_old, only_new = _rows(rng, rng.randrange(20)) - shared, _rows(rng, rng.randrange(20)) - shared
    only_new -= only_old
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_bytes(b"".join(sorted(shared | only_old)))
    new.write_bytes(b"".join(sorted(shared | only_new)))
    diff = patch.sorted_rows_diff(old, new, limit=10_000)
    assert diff.removed == sorted(only_old) and diff.added == sorted(only_new)
    assert diff.old_sha256 == hashlib.sha256(old.read_bytes()).hexdigest()


def test_rows_longer_than_a_block_are_compared_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(patch, "BLOCK", 16)
    long = b'<a> <p> "' + b"y" * 100
    (tmp_path / "old.nt").write_bytes(long + b'1" .\n' + long + b'3" .\n')
    (tmp_path / "new.nt").write_bytes(long + b'1" .\n' + long + b'2" .\n')
    diff = patch.sorted_rows_diff(tmp_path / "old.nt", tmp_path / "new.nt", limit=10)
    assert diff.removed == [long + b'3" .\n'] and diff.added == [long + b'2" .\n']


def test_a_difference_beyond_the_limit_is_none(tmp_path):
    (tmp_path / "old.nt").write_bytes(b"".join(b"<a> <p> <o%d> .\n" % i for i in range(10)))
    (tmp_path / "new.nt").write_bytes(b"")
    assert patch.sorted_rows_diff(tmp_path / "old.nt", tmp_path / "new.nt", limit=9) is None
    assert len(patch.sorted_rows_diff(tmp_path / "old.nt", tmp_path / "new.nt", limit=10).removed) == 10


def _quads(graph_dir) -> set[str]:
    s = pyoxigraph.Store.read_only(str(graph_dir / "store"))
    try:
        return {str(q) for q in s}
    finally:
        del s


def _loaded_anew(tmp_path, corpus, out) -> None:
    """Build ``corpus`` into ``out``: its store is not patched, and holds what a fresh build's does."""
    assert plankg.build([corpus], out=out, store=True).store_patch is None
    plankg.build([corpus], out=tmp_path / "fresh", store=True)
    assert _quads(out) == _quads(tmp_path / "fresh")


@pytest.fixture()
def grown(tmp_path, corpus_dir):
    """The sample corpus, and a copy of it with one more plan."""
    more = tmp_path / "more"
    shutil.copytree(corpus_dir, more)
    write_plan(more, "extra.txt", plan_text("丙省沿江城市带发展规划（2021—2035年）"))
    return corpus_dir, more


def test_adding_a_plan_patches_the_store_to_what_a_bulk_load_gives(tmp_path, grown):
    sample, more = grown
    out = tmp_path / "out"
    first = plankg.build([sample], out=out, store=True)
    assert first.store_patch is None
    reader = pyoxigraph.Store.read_only(str(out / "store"))  # a reader of the previous build meanwhile
    before = len(reader)
    second = plankg.build([more], out=out, store=True)
    removed, added = second.store_patch
    assert added > 0
    fresh = plankg.build([more], out=tmp_path / "fresh", store=True)
    assert fresh.store_patch is None
    assert (out / "graph.nt").read_bytes() == (tmp_path / "fresh" / "graph.nt").read_bytes()
    assert _quads(out) == _quads(tmp_path / "fresh")
    assert len(_quads(out)) == second.triples == before - removed + added
    assert len(reader) == before  # its files live on under the new store's hard links
    del reader
    for name in ("plans", "city-axes", "task-agencies"):
        assert plankg.query(name, graph_dir=out, stored=False) == plankg.query(name, graph_dir=tmp_path / "fresh",
                                                                                stored=False)
    assert json.loads((out / "build.json").read_text("utf-8"))["graph_sha256"] == \
        hashlib.sha256((out / "graph.nt").read_bytes()).hexdigest()


@pytest.mark.parametrize("change", ["graph.nt edited", "older build", "blank node", "no store"])
def test_a_previous_build_that_cannot_be_patched_is_loaded_anew(tmp_path, grown, change):
    sample, more = grown
    out = tmp_path / "out"
    plankg.build([sample], out=out, store=True)
    manifest = json.loads((out / "build.json").read_text("utf-8"))
    if change == "graph.nt edited":
        rows = (out / "graph.nt").read_bytes().splitlines(keepends=True)
        (out / "graph.nt").write_bytes(b"".join(rows[1:]))
    elif change == "older build":
        del manifest["graph_sha256"]
        (out / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    elif change == "blank node":
        rows = (out / "graph.nt").read_bytes().splitlines(keepends=True)
        rows = sorted([*rows, b"_:b0 <https://example.org/p> \"x\" .\n"])
        (out / "graph.nt").write_bytes(b"".join(rows))
        manifest["graph_sha256"] = hashlib.sha256(b"".join(rows)).hexdigest()
        (out / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    else:
        shutil.rmtree(out / "store")
    _loaded_anew(tmp_path, more, out)


def test_a_patch_that_fails_half_way_is_loaded_anew(tmp_path, grown, monkeypatch):
    sample, more = grown
    out = tmp_path / "out"
    plankg.build([sample], out=out, store=True)

    def full_disk(rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(patch, "_quads", full_disk)
    _loaded_anew(tmp_path, more, out)


def test_a_failing_patch_and_load_leave_the_previous_build(tmp_path, grown, monkeypatch):
    sample, more = grown
    out = tmp_path / "out"
    plankg.build([sample], out=out, store=True)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*"))

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(patch, "_quads", full_disk)
    monkeypatch.setattr(store, "write_store", full_disk)
    with pytest.raises(OutputError):
        plankg.build([more], out=out, store=True)
    assert sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert plankg.query("plans", graph_dir=out, stored=False) == plankg.query("plans", graph_dir=out)
