"""The persistent Oxigraph store a build writes in ``DIR/store/``, and the
fallback for builds without one."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

import plankg
from plankg import queries as canned
from plankg.api import run_sparql
from plankg.errors import OutputError
from plankg.graph import patch, store


@pytest.fixture(scope="module")
def stored(tmp_path_factory, corpus_dir):
    """A build of the sample corpus with its store."""
    out = tmp_path_factory.mktemp("stored") / "out"
    plankg.build([corpus_dir], out=out, store=True)
    return out


def test_store_is_written_and_graph_nt_unchanged(stored, built):
    assert store.has_store(stored) and not store.has_store(built)  # the sample is below the automatic size
    assert (stored / "graph.nt").read_bytes() == (built / "graph.nt").read_bytes()
    assert (stored / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert (stored / "build.json").read_bytes() == (built / "build.json").read_bytes()
    assert len(store.open_store(stored)) == len(store.load_store(stored))


@pytest.mark.parametrize("name", canned.names())
def test_canned_queries_give_the_same_rows_from_the_store_and_from_graph_nt(stored, name):
    q = canned.get(name)
    on_disk = run_sparql(store.open_store(stored), q.sparql, q.columns).rows
    parsed = run_sparql(store.load_store(stored), q.sparql, q.columns).rows
    assert canned.sort_list_cells(q, on_disk) == canned.sort_list_cells(q, parsed)
    assert plankg.query(name, graph_dir=stored).rows == canned.sort_list_cells(q, parsed)


def test_a_build_without_a_store_falls_back_with_a_note(stored, tmp_path, monkeypatch, capsys):
    old = tmp_path / "old"
    shutil.copytree(stored, old, ignore=shutil.ignore_patterns("store", "answers"))  # as an older build
    assert not store.has_store(old)
    monkeypatch.setattr(store, "STORE_NOTE_BYTES", 0)
    rows = plankg.query("plans", graph_dir=old).rows
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no store/" in err and "plankg store --graph" in err
    assert rows == plankg.query("plans", graph_dir=stored).rows


def test_small_builds_without_a_store_query_silently(built, capsys):
    plankg.query("plans", graph_dir=built)
    assert capsys.readouterr().err == ""


def test_store_is_written_automatically_for_large_graphs(tmp_path, corpus_dir, monkeypatch):
    monkeypatch.setattr(store, "STORE_AUTO_TRIPLES", 10)
    assert store.has_store(plankg.build([corpus_dir], out=tmp_path / "big").out)
    assert not store.has_store(plankg.build([corpus_dir], out=tmp_path / "no", store=False).out)


def test_two_processes_hold_the_store_read_only_at_once(stored):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, pyoxigraph
        s = pyoxigraph.Store.read_only({str(stored / 'store')!r})
        print(len(s), flush=True)
        sys.stdin.read()   # hold it open until the parent is done
        print(len(s), flush=True)
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        first = holder.stdout.readline().strip()
        assert first == str(len(store.open_store(stored)))
        assert plankg.query("plans", graph_dir=stored).rows
        out, _ = holder.communicate("", timeout=30)
    finally:
        holder.kill()
    assert out.strip() == first and holder.returncode == 0


def test_a_failing_store_write_leaves_the_previous_build(stored, tmp_path, corpus_dir, monkeypatch):
    out = tmp_path / "o"
    shutil.copytree(stored, out)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*"))
    nt = (out / "graph.nt").read_bytes()

    def full_disk(ntriples, dest):
        (dest / "partial").mkdir(parents=True)
        raise OSError(28, "No space left on device")

    def full_disk_patching(rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "write_store", full_disk)
    monkeypatch.setattr(patch, "_quads", full_disk_patching)  # the store is patched from the previous one first
    with pytest.raises(OutputError):
        plankg.build([corpus_dir], out=out, store=True)
    assert sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*")) == before
    assert (out / "graph.nt").read_bytes() == nt
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".o.")]


def test_add_store_gives_an_older_build_its_store_and_replaces_it_in_one_step(stored, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(stored, old, ignore=shutil.ignore_patterns("store", "answers"))  # as an older build
    nt = (old / "graph.nt").read_bytes()
    plankg.api.add_store(old)
    reader = store.open_store(old)  # a reader keeps its view while the store is replaced
    plankg.api.add_store(old)
    assert len(reader) == len(store.open_store(old)) == len(store.load_store(old))
    assert (old / "graph.nt").read_bytes() == nt
    assert sorted(p.name for p in old.iterdir()) == ["answers", "build.json", "graph.nt", "graph.ttl", "store"]


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_turtle_written_in_pieces_is_the_same_bytes(built, tmp_path, monkeypatch, workers):
    monkeypatch.setattr(store, "TURTLE_PIECE_BYTES", 0)
    nt = built / "graph.nt"
    ranges = store.subject_ranges(nt, workers)
    assert 1 < len(ranges) <= workers and ranges[0][0] == 0 and ranges[-1][1] is None
    rows = nt.read_bytes()
    for (start, _), (cut, _) in zip(ranges, ranges[1:]):
        assert rows[cut - 1:cut] == b"\n"
        before = rows[:cut].rsplit(b"\n", 2)[-2]
        assert before.split(b" ", 1)[0] != rows[cut:].split(b" ", 1)[0]  # no subject is split
    store.turtle_from_ntriples(nt, tmp_path / "graph.ttl", workers)
    assert (tmp_path / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
