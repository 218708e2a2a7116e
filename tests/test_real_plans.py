"""The eleven real documents of ../shared/real-plans against hand annotations
(tests/annotations/real_plans.json, real_tasks.json): every document is a plan
with its kind, issuers, dates and number; the task–agency pairs of the two
documents that assign a named agency to every measure reach precision and
recall ≥ 0.9. The texts are read in place, never copied.
"""
from __future__ import annotations

import json
import re

import pytest

import plankg
from plankg.pipeline import extract_corpus

from conftest import ANNOTATIONS

PLANS = json.loads((ANNOTATIONS / "real_plans.json").read_text("utf-8"))["plans"]
TASKS = json.loads((ANNOTATIONS / "real_tasks.json").read_text("utf-8"))["documents"]


@pytest.fixture(scope="module")
def real_build(real_plans_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "out"
    plankg.build([real_plans_dir], out=out)
    return out


@pytest.fixture(scope="module")
def real_facts(real_plans_dir):
    return {d.source.name: d for d in extract_corpus([real_plans_dir]).documents}


def expected_title(real_plans_dir, name: str) -> str:
    """The title of a real document as sources.json gives it, without its closing
    note in brackets, the plan a 印发《…》 headline names, in simplified characters."""
    from plankg.script import to_simplified

    sources = {s["file"]: s["title"] for s in json.loads((real_plans_dir / "sources.json").read_text("utf-8"))}
    title = re.sub(r"（[^（）]*）$", "", sources[name])
    issued = re.search(r"印发《(.+)》$", title)
    return to_simplified(issued.group(1) if issued else title)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plan_metadata_of_real_documents(real_build, real_plans_dir, name):
    want = dict(PLANS[name], plan=expected_title(real_plans_dir, name))
    manifest = json.loads((real_build / "build.json").read_text("utf-8"))
    entry = next(d for d in manifest["documents"] if d["file"] == name)
    assert entry["plan"] == want["plan"] and entry["kind"] == want["kind"]
    rows = [r for r in plankg.query("plans", graph_dir=real_build).rows if r[0] == want["plan"]]
    assert {r[2] for r in rows} == set(want["issuers"])
    assert {(r[3], r[4], r[5], r[6]) for r in rows} == {(want["date"], want["doc_no"], want["kind"], want["published"])}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_agency_pairs_of_real_documents(real_facts, name):
    want = {tuple(x) for x in TASKS[name]}
    got = {(ref.evidence.start, ref.written, role)
           for task in real_facts[name].tasks
           for role, refs in (("lead", task.lead), ("support", task.support)) for ref in refs}
    true = len(want & got)
    precision, recall = true / len(got), true / len(want)
    print(f"{name}: precision {precision:.3f}, recall {recall:.3f} ({len(got)} found, {len(want)} annotated)")
    assert precision >= 0.9 and recall >= 0.9


def test_real_task_agencies_resolve_to_official_names(real_build):
    agencies = {agency for *_, agency, _ in plankg.query("task-agencies", graph_dir=real_build).rows}
    assert {"国家发展和改革委员会", "人力资源和社会保障部", "住房和城乡建设部", "国家林业和草原局"} & agencies
    assert "住房城乡建设部" not in agencies  # the short form resolves to the official name
