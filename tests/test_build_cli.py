"""The build, query, validate and export commands, end to end on the sample corpus."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from conftest import ANNOTATIONS
from plankg import queries
from plankg.cli import main
from plankg.graph.namespaces import OA, PKG, PROV, RDF

EXPECTED = {k: v for k, v in json.loads((ANNOTATIONS / "plans.json").read_text("utf-8")).items() if not k.startswith("_")}


def run(*args, **kw):
    result = CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False, **kw)
    return result


def test_plans_query_answers_for_every_document(built):
    result = run("query", "plans", "--graph", built, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["plan", "title", "issuer", "date", "doc_no", "kind", "published"]
    got = {(r["plan"], r["issuer"], r["date"], r["doc_no"]) for r in rows}
    want = {(e["plan"], issuer, e["date"], e["doc_no"]) for e in EXPECTED.values() for issuer in e["issuers"]}
    assert got == want
    titles = {r["plan"]: r["title"] for r in rows}
    for e in EXPECTED.values():
        assert titles[e["plan"]] == e.get("notice_title") or titles[e["plan"]] == f"{e['notice_issuer']}关于印发《{e['notice_plan']}》的通知"


def test_build_uses_plankg_corpus_by_default(tmp_path, corpus_dir, monkeypatch):
    monkeypatch.setenv("PLANKG_CORPUS", str(corpus_dir))
    result = run("build", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "5 documents, 5 plans" in result.output
    assert (tmp_path / "o" / "graph.ttl").exists()


def test_builds_are_byte_identical(tmp_path, corpus_dir, built):
    run("build", corpus_dir, "--out", tmp_path / "again", "-q")
    assert (tmp_path / "again" / "graph.nt").read_bytes() == (built / "graph.nt").read_bytes()


def test_bad_file_is_reported_and_the_rest_builds(tmp_path, corpus_dir):
    folder = tmp_path / "in"
    shutil.copytree(corpus_dir, folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "empty.md").write_bytes(b"")
    result = run("build", folder, "--out", tmp_path / "o")
    assert result.exit_code == 3  # a partial build says so (PARTIAL_BUILD_EXIT_CODE); it used to exit 0
    assert "broken.txt: looks binary" in result.output
    assert "empty.md: the file is empty" in result.output
    assert "5 documents" in result.output


def test_strict_failure_leaves_previous_build_intact(tmp_path, corpus_dir, built):
    out = tmp_path / "o"
    shutil.copytree(built, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("build", corpus_dir, bad, "--out", out, "--strict")
    assert result.exit_code == 1
    assert f"{bad}: the file is empty" in result.output
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".o.")]  # no half-written leftovers


def test_missing_input_is_a_clear_error(tmp_path):
    result = run("build", tmp_path / "nowhere.txt", "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert "nowhere.txt: no such file" in result.output


def test_every_evidence_quotes_the_original_file(built, corpus_dir):
    g = Graph().parse(built / "graph.nt", format="nt")
    files = {}
    for doc in g.subjects(RDF.type, PKG.SourceDocument):
        name = str(g.value(doc, PKG.fileName))
        files[doc] = (corpus_dir / name).read_text("utf-8")
    evidences = list(g.subjects(RDF.type, PKG.Evidence))
    assert len(evidences) > 20
    for ev in evidences:
        text = files[g.value(ev, PROV.wasDerivedFrom)]
        exact = next(str(g.value(s, OA.exact)) for s in g.objects(ev, OA.hasSelector) if g.value(s, OA.exact) is not None)
        positions = [s for s in g.objects(ev, OA.hasSelector) if g.value(s, OA.start) is not None]
        assert positions and g.value(ev, PKG.rule) is not None
        for sel in positions:
            a, b = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
            assert text[a:b].replace("\n", "") .strip() != ""
        first = min(positions, key=lambda s: str(s))
        a, b = int(g.value(first, OA.start)), int(g.value(first, OA.end))
        assert text[a:b] == exact


def test_validate_reports_zero_violations(built):
    result = run("validate", "--graph", built)
    assert result.exit_code == 0 and "0 violations" in result.output


def test_validate_finds_violations(tmp_path, built):
    out = tmp_path / "o"
    shutil.copytree(built, out)
    with (out / "graph.nt").open("a", encoding="utf-8") as f:
        f.write(f"<https://w3id.org/plankg/id/plan/bad> <{RDF.type}> <{PKG.Plan}> .\n")
    result = run("validate", "--graph", out)
    assert result.exit_code == 1 and "violations" in result.output


def test_query_list_names_every_canned_query():
    result = run("query", "--list")
    for name in ["plans", "axis-nodes", "axis-infrastructure", "city-clusters", "plan-scope", "task-agencies",
                 "plan-agencies", "corridor-agencies", "project-plans", "plan-references", "indicators",
                 "agency-successors"]:
        assert name in result.output
        assert queries.get(name).question


@pytest.mark.parametrize("name", queries.names())
def test_every_canned_query_runs_with_its_columns(built, name):
    result = run("query", name, "--graph", built, "--format", "csv")
    assert result.exit_code == 0
    header = next(csv.reader(io.StringIO(result.output)))
    assert header == queries.get(name).columns


def test_query_formats(built):
    table = run("query", "plans", "--graph", built).output
    assert "(6 rows)" in table
    records = json.loads(run("query", "plans", "--graph", built, "--format", "json").output)
    assert len(records) == 6 and set(records[0]) == {"plan", "title", "issuer", "date", "doc_no", "kind", "published"}


def test_query_errors(tmp_path, built):
    assert "no canned query named 'nope'" in run("query", "nope", "--graph", built).output
    result = run("query", "plans", "--graph", tmp_path)
    assert result.exit_code == 1 and "not a plankg build" in result.output


@pytest.mark.parametrize("suffix", ["ttl", "nt", "jsonld", "graphml"])
def test_export_formats(tmp_path, built, suffix):
    dest = tmp_path / f"g.{suffix}"
    result = run("export", dest, "--graph", built)
    assert result.exit_code == 0 and dest.stat().st_size > 1000
    if suffix == "graphml":
        import networkx as nx

        g = nx.read_graphml(dest)
        assert any(d.get("label") == EXPECTED["003"]["plan"] for _, d in g.nodes(data=True))
    else:
        fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[suffix]
        assert len(Graph().parse(dest, format=fmt)) == len(Graph().parse(built / "graph.nt", format="nt"))


def test_python_api_mirrors_cli(built):
    import plankg

    result = plankg.query("plans", graph_dir=built)
    assert result.columns == ["plan", "title", "issuer", "date", "doc_no", "kind", "published"] and len(result.rows) == 6
    assert plankg.validate(built).conforms
