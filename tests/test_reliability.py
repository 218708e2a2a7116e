"""A failed build never touches the previous output; partial builds say so;
odd file names and malformed dates do not crash a build."""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import plankg
from plan_fixtures import plan_text, write_plan
from plankg.cli import main
from plankg.errors import PARTIAL_BUILD_EXIT_CODE, EmptyBuildError, OutputError
from plankg.graph import store


def run(*args, **kw):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False, **kw)


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes and mode, and the folder's own mode."""
    files = {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_mode)
             for p in sorted(folder.rglob("*"))}
    return {"mode": folder.stat().st_mode, "files": files}


def leftovers(out: Path) -> list[str]:
    """Temporary folders of builds beside ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture()
def plans(tmp_path) -> Path:
    folder = tmp_path / "plans"
    write_plan(folder, "a.txt", plan_text("试验区协同发展规划"))
    write_plan(folder, "b.txt", plan_text("试验区生态保护规划", number=7))
    return folder


@pytest.fixture()
def previous(tmp_path, plans) -> tuple[Path, dict]:
    """A good build in ``out`` and its snapshot."""
    out = tmp_path / "out"
    assert run("build", plans, "--out", out, "-q").exit_code == 0
    return out, snapshot(out)


def dead_pid() -> int:
    """The id of a process that has just ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# 1. A build that fails leaves the previous output byte for byte.

def test_missing_folder_leaves_previous_build(tmp_path, previous):
    out, before = previous
    result = run("build", tmp_path / "plan", "--out", out)  # a typo for plans/
    assert result.exit_code == 1
    assert "no document could be read" in result.output and "plan: no such file or folder" in result.output
    assert snapshot(out) == before and leftovers(out) == []


def test_all_files_unreadable_leaves_previous_build(tmp_path, previous):
    out, before = previous
    bad = write_plan(tmp_path / "bad", "empty.txt", "")
    with pytest.raises(EmptyBuildError, match="empty.txt: the file is empty"):
        plankg.build([bad.parent], out=out)
    assert snapshot(out) == before


def test_missing_folder_writes_no_new_build(tmp_path):
    result = run("build", tmp_path / "plan", "--out", tmp_path / "fresh")
    assert result.exit_code == 1 and not (tmp_path / "fresh").exists()


def test_extraction_failure_of_the_only_document(tmp_path, plans, previous, monkeypatch):
    out, before = previous
    from plankg import pipeline

    def boom(*a, **k):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(pipeline, "extract_document", boom)
    result = run("build", plans / "a.txt", "--out", out)
    assert result.exit_code == 1 and "could not be extracted (RuntimeError: extractor bug)" in result.output
    assert snapshot(out) == before


def test_extraction_failure_of_one_document_is_a_partial_build(tmp_path, plans, monkeypatch):
    from plankg import pipeline

    real = pipeline.extract_document

    def fails_on_b(doc, *a, **k):
        if doc.source.name == "b.txt":
            raise ValueError("bad table")
        return real(doc, *a, **k)

    monkeypatch.setattr(pipeline, "extract_document", fails_on_b)
    result = run("build", plans, "--out", tmp_path / "o", "--partial-exit")
    assert result.exit_code == PARTIAL_BUILD_EXIT_CODE
    assert "b.txt: could not be extracted (ValueError: bad table)" in result.output
    assert json.loads((tmp_path / "o" / "build.json").read_text("utf-8"))["errors"]
    with pytest.raises(Exception, match="bad table"):
        plankg.build([plans], out=tmp_path / "o2", strict=True)
    assert not (tmp_path / "o2").exists()


@pytest.mark.parametrize("stage", ["extract", "serialise", "turtle", "swap"])
def test_interrupt_leaves_previous_build(plans, previous, monkeypatch, stage):
    out, before = previous

    def interrupt(*a, **k):
        raise KeyboardInterrupt

    from plankg import pipeline
    from plankg.graph.triples import TripleSet

    target = {"extract": (pipeline, "extract_document"), "serialise": (TripleSet, "rows"),
              "turtle": (store, "turtle_from_ntriples"), "swap": (store, "_exchange")}[stage]
    monkeypatch.setattr(*target, interrupt)
    with pytest.raises(KeyboardInterrupt):
        plankg.build([plans], out=out)
    assert snapshot(out) == before and leftovers(out) == []
    result = run("build", plans, "--out", out)  # Ctrl-C on the command line: exit 1
    assert result.exit_code == 1 and snapshot(out) == before


def test_interrupt_between_the_two_renames(plans, previous, monkeypatch):
    """Where the one-step swap is not available, a failure after the previous
    build was set aside puts it back."""
    out, before = previous
    monkeypatch.setattr(store, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def rename(a, b):
        calls.append(Path(a).name)
        if Path(b) == out and len(calls) == 2:  # the new build's rename, after the old one's
            raise KeyboardInterrupt
        return real_rename(a, b)

    monkeypatch.setattr(store.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        plankg.build([plans], out=out)
    monkeypatch.setattr(store.os, "rename", real_rename)
    assert calls[0] == "out" and len(calls) == 3
    assert snapshot(out) == before and leftovers(out) == []


def test_graph_that_fails_to_serialise(plans, previous, monkeypatch):
    out, before = previous
    from plankg.graph.triples import TripleSet

    def broken(self):
        raise ValueError("cannot serialise")

    monkeypatch.setattr(TripleSet, "rows", broken)
    with pytest.raises(ValueError):
        plankg.build([plans], out=out)
    assert snapshot(out) == before and leftovers(out) == []


def _small_filesystem(path: Path, size: str) -> bool:
    path.mkdir()
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


def test_full_disk_on_a_real_small_filesystem(tmp_path, plans):
    """A 1 MiB tmpfs (needs root and ``mount``; else the injected test below covers it)."""
    disk = tmp_path / "disk"
    if not _small_filesystem(disk, "1m"):
        pytest.skip("cannot mount a small tmpfs here (not root, or no mount)")
    try:
        out = disk / "out"
        assert run("build", plans, "--out", out, "-q").exit_code == 0
        before = snapshot(out)
        try:  # fill the disk up (the build's cache may have filled it already)
            with (disk / "filler").open("wb") as f:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        result = run("build", plans, "--out", out)
        assert result.exit_code == 1 and "No space left on device" in result.output
        assert "the previous build is unchanged" in result.output
        assert snapshot(out) == before and leftovers(out) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_full_disk_injected(plans, previous, monkeypatch):
    """The disk fills up half-way through graph.ttl (written by Oxigraph, so
    the failure is injected where plankg calls it)."""
    out, before = previous

    def full(ntriples, turtle, *a, **k):
        turtle.write_bytes(b"@prefix pkg: <https://w3id.org/plankg/ontology#> .\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(turtle))

    monkeypatch.setattr(store, "turtle_from_ntriples", full)
    with pytest.raises(OutputError, match="No space left on device"):
        plankg.build([plans], out=out)
    assert snapshot(out) == before and leftovers(out) == []


def test_out_that_is_a_file(tmp_path, plans):
    out = tmp_path / "out"
    out.write_text("not a build")
    result = run("build", plans, "--out", out)
    assert result.exit_code == 1 and "not a folder" in result.output
    assert out.read_text() == "not a build"


# 2. Partial builds.

def test_partial_build_exit_codes(tmp_path, plans, previous):
    out, before = previous
    write_plan(plans, "empty.md", "")
    assert run("build", plans, "--out", tmp_path / "p0", "--no-partial-exit").exit_code == 0
    assert run("build", plans, "--out", tmp_path / "p0b", env={"PLANKG_PARTIAL_EXIT": "0"}).exit_code == 0
    assert run("build", plans, "--out", tmp_path / "p1").exit_code == PARTIAL_BUILD_EXIT_CODE  # the default
    result = run("build", plans, "--out", tmp_path / "p3", "--partial-exit")
    assert result.exit_code == PARTIAL_BUILD_EXIT_CODE
    assert "empty.md: the file is empty" in result.output and "1 files could not be read" in result.output
    assert (tmp_path / "p3" / "graph.nt").exists()
    env = run("build", plans, "--out", tmp_path / "p4", env={"PLANKG_PARTIAL_EXIT": "1"})
    assert env.exit_code == PARTIAL_BUILD_EXIT_CODE
    strict = run("build", plans, "--out", out, "--strict", "--partial-exit")
    assert strict.exit_code == 1 and snapshot(out) == before


def test_complete_build_exits_zero_with_partial_exit(tmp_path, plans):
    result = run("build", plans, "--out", tmp_path / "o", "--partial-exit")
    assert result.exit_code == 0
    assert plankg.build([plans], out=tmp_path / "o").partial is False


# 3. Permissions and leftovers.

@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_output_folder_follows_the_umask(tmp_path, plans, umask):
    old = os.umask(umask)
    try:
        out = plankg.build([plans], out=tmp_path / f"o{umask:o}").out
        plankg.build([plans], out=out)  # replacing keeps it too
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    assert all(p.stat().st_mode & 0o777 == (0o777 if p.is_dir() else 0o666) & ~umask for p in out.rglob("*"))


def test_leftovers_of_killed_builds_are_removed(tmp_path, plans, previous):
    out, before = previous
    gone = dead_pid()
    for name in (f".out.tmp-{gone}-dead0001", f".out.old-{gone}-dead0002"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "graph.nt").write_text("half")
    alive = tmp_path / f".out.tmp-{os.getppid()}-alive001"  # a build running at the same time
    alive.mkdir()
    other = tmp_path / f".outside.tmp-{gone}-x"  # another build folder's
    other.mkdir()
    assert run("build", plans, "--out", out, "-q").exit_code == 0
    assert leftovers(out) == [alive.name] and other.exists()


def test_leftovers_are_removed_by_a_build_that_then_fails(tmp_path, previous):
    out, before = previous
    (tmp_path / f".out.tmp-{dead_pid()}-dead0001").mkdir()
    assert run("build", tmp_path / "nowhere", "--out", out).exit_code == 1
    assert snapshot(out) == before


def test_previous_build_set_aside_by_a_killed_build_is_restored(tmp_path, previous):
    out, before = previous
    aside = tmp_path / f".out.old-{dead_pid()}-dead0003"
    os.rename(out, aside)  # killed between its two renames
    assert store.remove_stale_temporaries(out) == []
    assert snapshot(out) == before and not aside.exists()


# 4. File names that are not UTF-8.

@pytest.mark.parametrize("raw, shown", [("长沙规划".encode("gbk") + b".txt", "长沙规划.txt"),
                                         (b"plan-\xff\xfe.txt", "plan-\\xff\\xfe.txt")])
def test_file_name_that_is_not_utf8(tmp_path, raw, shown):
    folder = os.path.join(os.fsencode(tmp_path), b"in")
    os.mkdir(folder)
    with open(os.path.join(folder, raw), "wb") as f:  # a real file with a bytes name
        f.write(plan_text("试验区协同发展规划").encode("utf-8"))
    with open(os.path.join(folder, b"empty-" + raw), "wb"):
        pass
    out = tmp_path / "out"
    result = run("build", os.fsdecode(folder), "--out", out)  # one empty file among them: a partial build
    assert result.exit_code == PARTIAL_BUILD_EXIT_CODE, result.output
    manifest = json.loads((out / "build.json").read_text("utf-8"))
    (doc,) = manifest["documents"]
    assert doc["file"] == shown and bytes.fromhex(doc["file_bytes"]) == raw
    assert manifest["errors"] == [f"{tmp_path}/in/empty-{shown}: the file is empty"]
    nt = (out / "graph.nt").read_text("utf-8")
    assert f'"{shown}"'.replace("\\", "\\\\") in nt
    assert plankg.query("plans", graph_dir=out).rows


def test_utf8_file_names_are_kept_as_they_are(tmp_path):
    write_plan(tmp_path / "in", "长沙规划.txt", plan_text("试验区协同发展规划"))
    plankg.build([tmp_path / "in"], out=tmp_path / "out")
    (doc,) = json.loads((tmp_path / "out" / "build.json").read_text("utf-8"))["documents"]
    assert doc["file"] == "长沙规划.txt" and "file_bytes" not in doc


# 5. Dates.

@pytest.mark.parametrize("written", ["二〇二五年十四三月一日", "二〇二五年十十月一日", "二〇二五年十三月四十日",
                                     "2015年2月30日", "2015年13月1日", "2015年0月10日", "2015年6月00日",
                                     "2015年6月32日", "七〇〇三年一月一日", "1900年1月1日"])
def test_impossible_dates_are_not_dates(written):
    from plankg.loaders.metadata import _dates

    assert list(_dates(f"湖南省人民政府\n{written}\n")) == []


@pytest.mark.parametrize("written, iso", [("二〇一六年二月二十九日", "2016-02-29"), ("二〇二五年十二月三十一日", "2025-12-31"),
                                          ("2021年3月4日", "2021-03-04"), ("二〇〇九年十月一日", "2009-10-01")])
def test_real_dates_are_read(written, iso):
    from plankg.loaders.metadata import _dates

    assert [d for _, d in _dates(written)] == [iso]


def test_plan_signed_on_an_impossible_date_has_no_date(tmp_path):
    write_plan(tmp_path / "in", "a.txt", plan_text("试验区协同发展规划", date="二〇二一年十三月四十日", period=None))
    out = plankg.build([tmp_path / "in"], out=tmp_path / "out").out
    assert "date_document" not in (out / "graph.nt").read_text("utf-8")
    assert plankg.validate(out).conforms


# 6. Output does not depend on the order or the names of the input files.

def graph_of(paths, out: Path) -> bytes:
    plankg.build(paths, out=out)
    return (out / "graph.nt").read_bytes()


def test_same_bytes_under_two_names(tmp_path):
    text = plan_text("试验区协同发展规划")
    a = write_plan(tmp_path / "x", "zeta.txt", text)
    b = write_plan(tmp_path / "y", "alpha.txt", text)
    one = graph_of([a, b], tmp_path / "o1")
    two = graph_of([b, a], tmp_path / "o2")
    assert one == two
    assert (tmp_path / "o1" / "build.json").read_bytes() == (tmp_path / "o2" / "build.json").read_bytes()
    (doc,) = json.loads((tmp_path / "o1" / "build.json").read_text("utf-8"))["documents"]
    assert doc["file"] == "zeta.txt" and doc["copies"] == [str(b)]  # x/zeta.txt sorts before y/alpha.txt
    nt = one.decode("utf-8")
    assert '"zeta.txt"' in nt and '"alpha.txt"' in nt
    assert graph_of([a, a, tmp_path / "x" / ".." / "x" / "zeta.txt"], tmp_path / "o3").count(b"fileName") == 1


CITING = ("按照《湖南省人民政府关于印发〈试验区协同发展规划〉的通知》（湘政发〔2019〕3号）要求，"
          "落实《试验区协同发展规划》。")


def two_undated_versions(folder: Path, names=("v1.txt", "v2.txt")) -> list[Path]:
    """Two versions of one plan without number or date, and a plan citing it."""
    return [
        write_plan(folder, names[0], plan_text("试验区协同发展规划", number=None, date="", period=None, body="第一稿。")),
        write_plan(folder, names[1], plan_text("试验区协同发展规划", number=None, date="", period=None, body="第二稿。")),
        write_plan(folder, "c.txt", plan_text("试验区交通实施方案", year=2020, number=9, cites=CITING)),
    ]


def test_cited_year_goes_to_one_version_whatever_the_names_and_order(tmp_path):
    """Both versions lack a date: the citation's year goes to the one whose file
    has the smallest SHA-256, and the citation links to that plan."""
    import hashlib

    from rdflib import Graph, URIRef

    from plankg.graph.ids import plan_iri
    from plankg.graph.namespaces import ELI, PKG

    results = []
    for n, names in enumerate([("v1.txt", "v2.txt"), ("v2.txt", "v1.txt")]):
        files = two_undated_versions(tmp_path / f"in{n}", names)
        for order in (files, files[::-1]):
            out = tmp_path / f"o{n}-{len(results)}"
            plankg.build(order, out=out)
            g = Graph().parse(out / "graph.nt", format="nt")
            dated = plan_iri("试验区协同发展规划", "2019")
            sources = {str(g.value(d, PKG.sha256)) for d in g.objects(dated, PKG.sourceDocument)}
            citing = plan_iri("试验区交通实施方案", "2020")
            assert (citing, ELI.applies, dated) in g
            assert plankg.validate(out).conforms if not results else True
            results.append(sources)
    smallest = min(hashlib.sha256(p.read_bytes()).hexdigest() for p in two_undated_versions(tmp_path / "x")[:2])
    assert results == [{smallest}] * 4


def test_two_versions_of_one_year_make_one_plan_with_one_date_and_period(tmp_path):
    early = write_plan(tmp_path / "in", "b-early.txt", plan_text("试验区协同发展规划", date="2021年3月4日", period=(2021, 2025)))
    late = write_plan(tmp_path / "in", "a-late.txt", plan_text("试验区协同发展规划", date="2021年6月1日", period=(2021, 2030),
                                                             number=8))
    out = tmp_path / "out"
    result = plankg.build([early, late], out=out)
    assert plankg.validate(out).conforms
    rows = plankg.query("plans", graph_dir=out).rows
    assert {(r[3], r[4]) for r in rows} == {("2021-06-01", "湘政发〔2021〕8号")}  # the later version speaks
    nt = (out / "graph.nt").read_text("utf-8")
    assert nt.count("#periodEnd> \"") == 1 and nt.count("#date_document> \"") == 1 and "periodEnd> \"2030\"" in nt
    assert nt.count("#sourceDocument>") == 2
    assert any("b-early.txt: holds the plan" in w for w in result.warnings)
    assert graph_of([late, early], tmp_path / "again") == nt.encode("utf-8")


def test_versions_of_different_years_keep_their_own_content(tmp_path):
    """A 2016 plan and its 2021 revision: a citation quoting the 2016 number
    links the 2016 version; each version's axis stays in its own plan."""
    from rdflib import Graph

    from plankg.graph.ids import plan_iri
    from plankg.graph.namespaces import ELI

    files = [write_plan(tmp_path / "in", "old.txt", plan_text("试验区协同发展规划", year=2016, number=3, period=(2016, 2020))),
             write_plan(tmp_path / "in", "new.txt", plan_text("试验区协同发展规划", year=2021, number=4, period=(2021, 2025))),
             write_plan(tmp_path / "in", "c.txt", plan_text("试验区交通实施方案", year=2022, number=9,
                                                              cites="落实《试验区协同发展规划》（湘政发〔2016〕3号）。"))]
    out = tmp_path / "out"
    plankg.build(files, out=out)
    assert plankg.validate(out).conforms
    g = Graph().parse(out / "graph.nt", format="nt")
    citing = plan_iri("试验区交通实施方案", "2022")
    assert (citing, ELI.applies, plan_iri("试验区协同发展规划", "2016")) in g
    assert (citing, ELI.applies, plan_iri("试验区协同发展规划", "2021")) not in g
    from plankg.graph.namespaces import PKG

    parts = [set(g.subjects(PKG.inPlan, plan_iri("试验区协同发展规划", y))) for y in ("2016", "2021")]
    assert parts[0] and len(parts[0]) == len(parts[1]) and not parts[0] & parts[1]
