"""Parallel extraction, the per-document fact cache and the scale corpus generator.

Builds in worker processes and builds from the cache must give the same bytes
as a plain build; a corpus grown by one file extracts only that file.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import plankg
from plankg.cache import FactCache, extractor_version
from plankg.cli import main
from plankg.errors import PlankgError
from plankg.pipeline import EXTRACTORS, extract_document
from plan_fixtures import plan_text, write_plan

REAL_PLANS = Path(__file__).resolve().parents[1].parent / "shared" / "real-plans"
BENCH = Path(__file__).resolve().parents[1] / "bench"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_corpus", BENCH / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Eight generated plans, and a ninth kept apart."""
    folder = tmp_path_factory.mktemp("gen")
    paths = _generator().generate(9, folder / "all", seed=7)
    corpus = folder / "corpus"
    corpus.mkdir()
    for p in paths[:8]:
        (corpus / p.name).write_bytes(p.read_bytes())
    return corpus, paths[8]


def _nt(out: Path) -> bytes:
    return (out / "graph.nt").read_bytes()


def test_any_number_of_workers_gives_the_same_bytes(tmp_path, corpus_dir):
    paths = [corpus_dir] + ([REAL_PLANS] if REAL_PLANS.is_dir() else [])
    outputs = [plankg.build(paths, out=tmp_path / f"j{n}", jobs=n) for n in (1, 2, 3)]
    assert outputs[0].documents >= 5 and not outputs[0].errors
    assert _nt(tmp_path / "j1") == _nt(tmp_path / "j2") == _nt(tmp_path / "j3")
    manifests = [json.loads((tmp_path / f"j{n}" / "build.json").read_text("utf-8")) for n in (1, 2, 3)]
    assert manifests[0] == manifests[1] == manifests[2]


def test_worker_errors_are_reported_per_file(tmp_path):
    folder = tmp_path / "plans"
    write_plan(folder, "a.txt", plan_text("甲省试验区发展规划（2021—2025年）"))
    write_plan(folder, "b.txt", plan_text("乙省试验区发展规划（2021—2025年）"))
    write_plan(folder, "empty.txt", "")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    write_plan(folder, "copy-of-empty.txt", " \n")
    one = plankg.build([folder], out=tmp_path / "o1", jobs=1)
    two = plankg.build([folder], out=tmp_path / "o2", jobs=2)
    assert one.errors == two.errors and len(two.errors) == 3
    assert any("empty.txt: the file is empty" in e for e in two.errors)
    assert any("binary.txt: looks binary" in e for e in two.errors)
    assert _nt(tmp_path / "o1") == _nt(tmp_path / "o2") and two.documents == 2
    with pytest.raises(PlankgError, match="binary.txt|empty"):
        plankg.build([folder], out=tmp_path / "o3", jobs=2, strict=True)
    assert not (tmp_path / "o3").exists()


def test_adding_one_document_extracts_only_that_one(tmp_path, generated):
    corpus, extra = generated
    cache = tmp_path / "cache"
    first = plankg.build([corpus], out=tmp_path / "a", cache=cache, jobs=1)
    assert (first.extracted, first.cached) == (8, 0)
    (corpus.parent / "grown").mkdir(exist_ok=True)
    grown = corpus.parent / "grown"
    for p in [*corpus.iterdir(), extra]:
        (grown / p.name).write_bytes(p.read_bytes())
    second = plankg.build([grown], out=tmp_path / "b", cache=cache, jobs=2)
    assert (second.extracted, second.cached) == (1, 8)
    report = json.loads((tmp_path / "b" / "build.json").read_text("utf-8"))
    assert report["extraction"] == {"extracted": 1, "cached": 8}
    plain = plankg.build([grown], out=tmp_path / "c")
    assert plain.cached == 0 and _nt(tmp_path / "b") == _nt(tmp_path / "c")
    again = plankg.build([grown], out=tmp_path / "d", cache=cache)
    assert (again.extracted, again.cached) == (0, 9) and _nt(tmp_path / "d") == _nt(tmp_path / "c")
    assert again.characters == plain.characters


def test_corrupt_cache_entries_are_ignored_and_rewritten(tmp_path, generated):
    corpus, _ = generated
    cache = tmp_path / "cache"
    plankg.build([corpus], out=tmp_path / "a", cache=cache, jobs=1)
    entries = sorted((p for p in cache.rglob("*.pickle") if p.relative_to(cache).parts[0] != "runs"),
                     key=lambda p: p.stat().st_size)
    assert len(entries) == 16 and not list(cache.rglob(".*tmp*"))  # each document's facts and outline
    entries[-1].write_bytes(entries[-1].read_bytes()[:50])  # facts, truncated
    entries[-2].write_bytes(b"not a pickle")
    entries[0].write_bytes(b"not a pickle")  # an outline: taken from the facts again
    rebuilt = plankg.build([corpus], out=tmp_path / "b", cache=cache, jobs=1)
    assert (rebuilt.extracted, rebuilt.cached) == (2, 6)
    assert _nt(tmp_path / "a") == _nt(tmp_path / "b")
    assert plankg.build([corpus], out=tmp_path / "c", cache=cache).cached == 8


def test_outlines_are_read_from_their_own_entries(tmp_path, generated, monkeypatch):
    from plankg import assemble

    corpus, _ = generated
    cache = tmp_path / "cache"
    first = plankg.build([corpus], out=tmp_path / "a", cache=cache, jobs=1)
    read = []
    get = assemble.FactCache.get

    def watched(self, sha256, name, part=""):
        read.append(part)
        return get(self, sha256, name, part)

    monkeypatch.setattr(assemble.FactCache, "get", watched)
    again = plankg.build([corpus], out=tmp_path / "b", cache=cache, jobs=1)
    assert (again.extracted, again.cached) == (0, 8) and _nt(tmp_path / "a") == _nt(tmp_path / "b")
    assert read.count(assemble.OUTLINE) == 8
    assert again.batches_reused == again.batches and read.count("") == 0  # every run reused: no facts read
    assert again.characters == first.characters


def test_changed_reference_data_invalidates_the_cache(tmp_path):
    folder = tmp_path / "plans"
    write_plan(folder, "a.txt", plan_text("甲省试验区发展规划（2021—2025年）"))
    cache = tmp_path / "cache"
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "regions.csv").write_text("name,kind,members,aliases,partial,within,source\n", "utf-8")
    assert plankg.build([folder], out=tmp_path / "a", cache=cache, reference=[ref]).extracted == 1
    assert plankg.build([folder], out=tmp_path / "b", cache=cache, reference=[ref]).cached == 1
    (ref / "regions.csv").write_text("name,kind,members,aliases,partial,within,source\n试验片区,region,,,,,\n", "utf-8")
    assert plankg.build([folder], out=tmp_path / "c", cache=cache, reference=[ref]).extracted == 1
    assert plankg.build([folder], out=tmp_path / "d", cache=cache).extracted == 1  # no reference folder: another key


def test_extractor_version_covers_code_data_and_registered_functions(tmp_path):
    base = extractor_version((), [extract_document, *EXTRACTORS.values()])
    assert base == extractor_version((), [extract_document, *EXTRACTORS.values()])
    assert base != extractor_version((), [lambda doc, ref: None, *EXTRACTORS.values()])
    (tmp_path / "agencies.csv").write_text("key\n", "utf-8")
    assert base != extractor_version([tmp_path], [extract_document, *EXTRACTORS.values()])
    cache = FactCache(tmp_path / "c", base)
    cache.put("ab" * 32, "a.txt", {"facts": 1}, 3)
    assert FactCache(tmp_path / "c", "other").get("ab" * 32, "a.txt") is None
    assert cache.get("ab" * 32, "b.txt") is None and cache.get("ab" * 32, "a.txt") == ({"facts": 1}, 3)


def test_cli_jobs_cache_and_no_cache(tmp_path, generated):
    corpus, _ = generated
    runner = CliRunner()
    args = ["build", str(corpus), "-q", "--jobs", "2"]
    first = runner.invoke(main, [*args, "--out", str(tmp_path / "a"), "--cache", str(tmp_path / "cache")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["build", str(corpus), "--out", str(tmp_path / "b"), "--cache", str(tmp_path / "cache")])
    assert "0 extracted, 8 cached" in second.output
    third = runner.invoke(main, ["build", str(corpus), "--out", str(tmp_path / "c"), "--no-cache"])
    assert "8 extracted, 0 cached" in third.output
    assert _nt(tmp_path / "a") == _nt(tmp_path / "b") == _nt(tmp_path / "c")
    default = runner.invoke(main, ["build", str(corpus), "-q", "--out", str(tmp_path / "d")], env={"XDG_CACHE_HOME": None})
    assert default.exit_code == 0 and (tmp_path / ".plankg-cache").is_dir()
    assert runner.invoke(main, ["build", "--jobs", "0", "--out", str(tmp_path / "e")]).exit_code == 2


def test_generated_corpus_answers_grow_with_n(tmp_path):
    gen = _generator()
    paths = gen.generate(20, tmp_path / "in", seed=3)
    again = gen.generate(20, tmp_path / "again", seed=3)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert {p.suffix for p in paths} == {".txt", ".html"}
    result = plankg.build([tmp_path / "in"], out=tmp_path / "out", jobs=1)
    assert result.plans == 20 and not result.errors
    plans = plankg.query("plans", graph_dir=tmp_path / "out").rows
    assert len({r[0] for r in plans}) == 20 and all(r[2].endswith("人民政府") and r[4] for r in plans)
    axes = {(r[0], r[1]) for r in plankg.query("axis-nodes", graph_dir=tmp_path / "out").rows}
    assert len(axes) >= 20
    tasks = plankg.query("task-agencies", graph_dir=tmp_path / "out").rows
    assert {r[4] for r in tasks} >= {"lead", "support"} and len({r[0] for r in tasks}) == 20
    assert plankg.query("corridor-agencies", graph_dir=tmp_path / "out").rows
    assert plankg.query("indicators", graph_dir=tmp_path / "out").rows
    encodings = {d["encoding"] for d in json.loads((tmp_path / "out" / "build.json").read_text("utf-8"))["documents"]}
    assert "gb18030" in encodings


def test_written_ntriples_are_the_sorted_rows(tmp_path, generated):
    from plankg.graph.rdf import build_graph
    from plankg.pipeline import extract_corpus

    graph = build_graph(extract_corpus([generated[0]]))
    graph.write_ntriples(tmp_path / "g.nt", chunk=1000)
    assert (tmp_path / "g.nt").read_bytes() == graph.ntriples()
    assert len(graph.to_rdflib()) == len(graph)


def test_reference_folders_reach_the_workers(tmp_path):
    from test_open_world import FIXTURE, TEXT

    folder = tmp_path / "plans"
    write_plan(folder, "hanzhou.txt", TEXT)
    write_plan(folder, "b.txt", plan_text("乙省试验区发展规划（2021—2025年）"))
    plankg.build([folder], out=tmp_path / "plain", jobs=1)
    one = plankg.build([folder], out=tmp_path / "one", jobs=1, reference=[FIXTURE])
    two = plankg.build([folder], out=tmp_path / "two", jobs=2, reference=[FIXTURE])
    assert _nt(tmp_path / "one") == _nt(tmp_path / "two") != _nt(tmp_path / "plain")
    assert one.unresolved == two.unresolved
