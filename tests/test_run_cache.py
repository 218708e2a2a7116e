"""Assembled runs reused by incremental builds (``plankg.run_cache``): a run
is taken again only while what it was written from holds, so every build
gives the bytes a build without any cache gives."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

import plankg
from plankg import assemble
from plankg.assemble import Outline, batches
from plankg.run_cache import RecordingMapping, RunCache
from plan_fixtures import plan_text, write_plan


def _nt(out: Path) -> bytes:
    return (out / "graph.nt").read_bytes()


@pytest.fixture()
def one_per_batch(monkeypatch):
    """Batches of one document each, so that reuse is seen document by document."""
    monkeypatch.setattr(assemble, "BATCH_CHARACTERS", 1)
    monkeypatch.setattr(assemble, "MIN_BATCH_CHARACTERS", 1)


def _corpus(folder: Path) -> Path:
    for n, province in enumerate("甲乙丙丁"):
        write_plan(folder, f"p{n}.txt", plan_text(f"{province}省试验区发展规划（2021—2025年）"))
    return folder


def _check(tmp_path, corpus: Path, cache: Path, name: str) -> plankg.BuildResult:
    """Build ``corpus`` with the cache and without any; the same graph."""
    result = plankg.build([corpus], out=tmp_path / name, cache=cache, jobs=1)
    plankg.build([corpus], out=tmp_path / f"{name}-plain", cache=False, jobs=1)
    assert _nt(tmp_path / name) == _nt(tmp_path / f"{name}-plain")
    return result


def test_an_unchanged_corpus_reuses_every_run(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    first = _check(tmp_path, corpus, cache, "a")
    assert first.batches == 4 and first.batches_reused == 0
    again = _check(tmp_path, corpus, cache, "b")
    assert (again.batches, again.batches_reused) == (4, 4)


def test_a_new_axis_name_rewrites_the_runs_whose_tasks_name_it(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    write_plan(corpus, "task.txt", plan_text("戊省试验区发展规划（2021—2025年）",
                                             body="（二）推进沿湖创新发展轴产业协作。（省发展改革委牵头负责）"))
    first = _check(tmp_path, corpus, cache, "a")
    write_plan(corpus, "axis.txt", plan_text("己省沿湖地区发展规划（2021—2025年）",
                                             body="构建以岳阳、常德为节点的沿湖创新发展轴。"))
    grown = _check(tmp_path, corpus, cache, "b")
    assert grown.batches == first.batches + 1
    assert grown.batches_reused == first.batches - 1  # all but the plan whose task names the new axis
    linked = [r for r in _nt(tmp_path / "b").splitlines() if b"corridor" in r and "沿湖".encode() in r]
    assert linked


def test_a_newly_cited_plan_rewrites_the_run_of_the_plan_citing_it(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    cited = "庚省城市群发展规划（2021—2035年）"
    write_plan(corpus, "cites.txt", plan_text("辛省试验区实施方案（2021—2025年）", cites=f"根据《{cited}》，制定本方案。"))
    first = _check(tmp_path, corpus, cache, "a")
    write_plan(corpus, "cited.txt", plan_text(cited, issuer="庚省人民政府", period=(2021, 2035)))
    grown = _check(tmp_path, corpus, cache, "b")
    assert grown.batches == first.batches + 1 and grown.batches_reused < first.batches


def test_runs_of_a_changed_document_are_not_reused(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    _check(tmp_path, corpus, cache, "a")
    write_plan(corpus, "p0.txt", plan_text("甲省试验区发展规划（2021—2025年）", body="到2025年，新增就业10万人。"))
    changed = _check(tmp_path, corpus, cache, "b")
    assert (changed.batches, changed.batches_reused) == (4, 3)


def test_corrupt_or_missing_run_entries_are_written_again(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    _check(tmp_path, corpus, cache, "a")
    entries = sorted(p for p in (cache / "runs").rglob("*.pickle") if not p.name.startswith("lexicon-"))
    assert len(entries) == 4 and len(list((cache / "runs").rglob("*.facts.nt"))) == 4
    keys = [p.name.split(".")[0] for p in entries]
    folder = entries[0].parent
    entries[0].write_bytes(b"not a pickle")
    (folder / f"{keys[1]}.facts.nt").unlink()
    run = folder / f"{keys[2]}.nt"
    run.write_bytes(run.read_bytes()[:-10])  # truncated
    again = _check(tmp_path, corpus, cache, "b")
    assert again.batches_reused == 1
    assert _check(tmp_path, corpus, cache, "c").batches_reused == 4


def test_runs_of_another_version_are_removed(tmp_path, one_per_batch):
    corpus, cache = _corpus(tmp_path / "plans"), tmp_path / "cache"
    stale = cache / "runs" / ("0" * 40)
    stale.mkdir(parents=True)
    (stale / "x.nt").write_bytes(b"")
    _check(tmp_path, corpus, cache, "a")
    assert not stale.exists() and len(list((cache / "runs").iterdir())) == 1


def _outlines(rng: random.Random, n: int) -> list[Outline]:
    class Job:
        def __init__(self, sha256):
            self.sha256, self.name = sha256, sha256[:8]

    return [Outline(Job(f"{rng.getrandbits(256):064x}"), None, [], rng.randrange(2_000, 12_000)) for _ in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_a_document_added_changes_the_batch_it_joins_and_not_the_others(seed):
    rng = random.Random(seed)
    outlines = sorted(_outlines(rng, 3000), key=lambda o: o.job.sha256)
    before = batches(outlines, Path("w"))
    extra = _outlines(rng, 1)[0]
    after = batches(sorted([*outlines, extra], key=lambda o: o.job.sha256), Path("w"))

    def members(cut):
        return {tuple(name for _, name, _ in b.documents) for b in cut}

    assert len(members(before) - members(after)) <= 2 and len(before) <= assemble.MAX_RUNS
    assert len(members(after) - members(before)) <= 2


def test_a_recording_mapping_names_what_was_read_and_refuses_iteration():
    m = RecordingMapping({"a": 1, "b": 2})
    assert m["a"] == 1 and m.get("c") is None and "b" in m and len(m) == 2
    assert m.read == {"a", "b", "c"}
    with pytest.raises(TypeError):
        list(m)


def test_batch_keys_name_their_documents_in_order(tmp_path):
    runs = RunCache(tmp_path, "v")
    one, two = ("a" * 64, "a.txt", "f1", "o1"), ("b" * 64, "b.txt", "f2", "o2")
    assert runs.batch_key([one, two]) != runs.batch_key([two, one]) != runs.batch_key([one])
    assert runs.batch_key([one, two]) == RunCache(tmp_path, "v").batch_key([one, two])
    assert runs.batch_key([one]) != RunCache(tmp_path, "w").batch_key([one])
