"""Canned answers computed once per build (``answers/``): the same rows as
the query evaluated on the whole graph, used only while they answer the
query's current text, and never half-written."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

import plankg
from plankg import queries as canned
from plankg.errors import OutputError
from plankg.graph import store
from plankg.queries import answers


@pytest.fixture(scope="module")
def real_built(tmp_path_factory, real_plans_dir):
    """A build of the real plans (other provinces, other kinds of document)."""
    out = tmp_path_factory.mktemp("real") / "out"
    plankg.build([real_plans_dir], out=out)
    return out


@pytest.mark.parametrize("name", canned.names())
def test_stored_answers_equal_the_query_on_the_whole_graph(built, real_built, name):
    for graph_dir in (built, real_built):
        stored = plankg.query(name, graph_dir=graph_dir)
        assert answers.answer_file(graph_dir, canned.get(name)) is not None
        assert stored == plankg.query(name, graph_dir=graph_dir, stored=False)


def test_every_build_writes_an_answer_per_canned_query(built):
    index = json.loads((built / "answers" / "index.json").read_text("utf-8"))
    assert sorted(index["answers"]) == canned.names()
    for name, entry in index["answers"].items():
        assert entry["sha256"] == answers.digest(canned.get(name))
        assert entry["rows"] == len(plankg.query(name, graph_dir=built).rows)
    assert index["answers"]["unresolved"]["graph"] == "whole"  # it counts evidence
    assert index["answers"]["plans"]["graph"] == "facts"


def test_queries_that_see_evidence_are_told_apart():
    assert answers.needs_evidence(canned.get("unresolved"))
    assert not any(answers.needs_evidence(canned.get(n)) for n in ("plans", "task-agencies", "axis-nodes"))
    prefix = "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
    for sparql in ("SELECT ?s WHERE { ?s ?p ?o }",
                   prefix + "SELECT ?s WHERE { ?s oa:hasSelector/oa:exact ?q }",
                   prefix + "SELECT ?s WHERE { ?s a ?c FILTER EXISTS { ?s oa:exact ?q } }"):
        assert answers.needs_evidence(canned.CannedQuery("x", "", ["s"], "", sparql, None)), sparql


def test_the_facts_layer_is_the_graph_without_evidence_nodes(built, tmp_path):
    facts = tmp_path / "facts.nt"
    kept = store.facts_layer(built / "graph.nt", facts)
    rows = (built / "graph.nt").read_bytes().splitlines(keepends=True)
    evidence = [r for r in rows if b"/evidence-" in r.split(b" ", 1)[0]]
    assert kept == len(rows) - len(evidence) > 0 and evidence
    assert facts.read_bytes() == b"".join(r for r in rows if r not in set(evidence))


def test_the_cli_prints_the_stored_answer_as_the_query_would(built):
    for name in ("plans", "task-agencies", "unresolved"):
        out = subprocess.run([sys.executable, "-m", "plankg.cli", "query", name, "--graph", str(built),
                              "--format", "csv"], capture_output=True, check=True).stdout
        assert out.decode("utf-8") == answers.to_csv(plankg.query(name, graph_dir=built, stored=False))


def test_an_answer_to_another_text_of_the_query_is_not_used(built, stale_answer):
    assert answers.answer_file(stale_answer, canned.get("plans")) is None
    assert plankg.query("plans", graph_dir=stale_answer) == plankg.query("plans", graph_dir=built)


def test_an_older_build_is_answered_on_its_graph_and_gets_answers_from_plankg_store(built, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(built, old, ignore=shutil.ignore_patterns("answers", "store"))
    assert answers.answer_file(old, canned.get("plans")) is None
    assert plankg.query("city-axes", graph_dir=old) == plankg.query("city-axes", graph_dir=built)
    plankg.api.add_store(old)
    assert store.has_store(old)
    assert sorted(p.name for p in (old / "answers").iterdir()) == sorted(p.name for p in (built / "answers").iterdir())
    for name in canned.names():
        assert (old / "answers" / f"{name}.csv").read_bytes() == (built / "answers" / f"{name}.csv").read_bytes()


def test_answers_that_cannot_be_written_leave_the_previous_ones(built, tmp_path, monkeypatch):
    graph_dir = tmp_path / "out"
    shutil.copytree(built, graph_dir)
    before = {p.name: p.read_bytes() for p in (graph_dir / "answers").iterdir()}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers, "to_csv", full_disk)
    with pytest.raises(OutputError):
        answers.add_answers(graph_dir)
    assert {p.name: p.read_bytes() for p in (graph_dir / "answers").iterdir()} == before
    assert not [p for p in graph_dir.iterdir() if p.name.startswith(".answers.")]


def test_a_build_whose_answers_fail_leaves_the_previous_build(built, corpus_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers, "to_csv", full_disk)
    with pytest.raises(OutputError):
        plankg.build([corpus_dir], out=out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_large_facts_layers_are_answered_on_the_store(built, tmp_path, monkeypatch):
    graph_dir = tmp_path / "out"
    shutil.copytree(built, graph_dir, ignore=shutil.ignore_patterns("answers"))
    store.add_store(graph_dir)
    monkeypatch.setattr(answers, "IN_MEMORY_TRIPLES", 0)
    answers.add_answers(graph_dir)
    index = json.loads((graph_dir / "answers" / "index.json").read_text("utf-8"))
    assert {e["graph"] for e in index["answers"].values()} == {"whole"}
    for name in canned.names():
        assert (graph_dir / "answers" / f"{name}.csv").read_bytes() == \
            (built / "answers" / f"{name}.csv").read_bytes()


def test_a_large_build_without_a_store_leaves_the_evidence_questions_to_query_time(built, tmp_path, monkeypatch):
    graph_dir = tmp_path / "out"
    shutil.copytree(built, graph_dir, ignore=shutil.ignore_patterns("answers", "store"))
    monkeypatch.setattr(answers, "IN_MEMORY_GRAPH_BYTES", 0)
    answers.add_answers(graph_dir)
    index = json.loads((graph_dir / "answers" / "index.json").read_text("utf-8"))
    assert "unresolved" not in index["answers"] and "plans" in index["answers"]
    assert answers.answer_file(graph_dir, canned.get("unresolved")) is None
    assert plankg.query("unresolved", graph_dir=graph_dir) == plankg.query("unresolved", graph_dir=built)
