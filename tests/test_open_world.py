"""Open world: structure finds things, reference data resolves them.

The plan below is written for a province no table knows (瀚州省, with its own
cities, agencies and axis): every name a role slot, a member list or an axis
formula gives is kept, unresolved, with its span; the same plan built with
that province's rows added from a fixture folder (``--reference``) resolves
the same names. The real documents of ../shared/real-plans each yield a plan
with its kind.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import plankg
from plankg.cli import main
from plankg.errors import ReferenceDataError
from plankg.loaders.reference import read_data_csv

PLAN = "瀚州省瀚江经济走廊发展规划（2024—2030年）"
TEXT = f"""瀚州省人民政府关于印发《{PLAN}》的通知
瀚政发〔2024〕7号
各市人民政府，省直各部门：
现将《{PLAN}》印发给你们，请认真贯彻执行。
瀚州省人民政府
2024年4月8日
一、总体布局
规划范围包括瀚阳市、瀚东市、岚屿市和瀚西县全域，面积约3.2万平方公里。
构建以瀚阳市、瀚东市、岚屿市为节点的瀚江城镇发展轴。
推动瀚阳都市圈（瀚阳市、瀚东市、瀚西县）同城化发展。
二、重点任务
（一）建设瀚江港口群。（省交通运输厅牵头，省发展改革委、瀚阳市人民政府等按职责分工负责，年内持续推进）
（二）推进沿江生态修复工程。
牵头单位：省自然资源厅
配合单位：省林业局、瀚东市人民政府
（三）打造岚屿数字产业园。责任单位：岚屿市人民政府、瀚州数字集团有限公司。
（四）对接国家物流枢纽布局。（国家林草局牵头负责，中国证监会、交通运输部、国家铁路局等参与）
"""
FIXTURE = Path(__file__).parent / "fixtures" / "hanzhou"


def rows(name, out):
    return sorted(plankg.query(name, graph_dir=out).rows)


def spans_hold_quotes(out: Path, source: str) -> None:
    """Every evidence span of the build points into the file at exactly its quote."""
    from plankg.graph.store import load_store

    q = """PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?s ?e ?exact WHERE { ?ev oa:hasSelector ?p , ?q . ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?exact }"""
    found = list(load_store(out).query(q))
    assert found
    for solution in found:
        a, b = int(solution["s"].value), int(solution["e"].value)
        assert source[a:b] == solution["exact"].value


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("hz") / "hanzhou.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def unknown(plan_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "o"
    plankg.build([plan_file], out=out)
    return out


@pytest.fixture(scope="module")
def known(plan_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "o"
    plankg.build([plan_file], out=out, reference=[FIXTURE])
    return out


def test_unknown_province_gives_tasks_with_agencies_and_roles(unknown, plan_file):
    got = {(no, agency, role) for _, no, _, agency, role in rows("task-agencies", unknown)}
    assert got == {
        ("P1", "瀚州省交通运输厅", "lead"), ("P1", "瀚州省发展改革委", "support"), ("P1", "瀚阳市人民政府", "support"),
        ("P2", "瀚州省自然资源厅", "lead"), ("P2", "瀚州省林业局", "support"), ("P2", "瀚东市人民政府", "support"),
        ("P3", "岚屿市人民政府", "lead"), ("P3", "瀚州数字集团有限公司", "lead"),
        ("P4", "国家林业和草原局", "lead"), ("P4", "中国证券监督管理委员会", "support"), ("P4", "交通运输部", "support"),
        ("P4", "国家铁路局", "support"),
    }
    spans_hold_quotes(unknown, plan_file.read_text("utf-8"))
    assert plankg.validate(unknown).conforms


def test_unknown_province_gives_axes_and_scope(unknown):
    assert {(axis, corridor, city) for _, axis, corridor, city in rows("axis-nodes", unknown)} == {
        ("瀚江城镇发展轴", "瀚江", c) for c in ("瀚阳市", "瀚东市", "岚屿市")}
    assert {city for _, city in rows("plan-scope", unknown)} == {"瀚阳市", "瀚东市", "岚屿市", "瀚西县"}


def test_unknown_member_lists_give_clusters(unknown):
    assert {(c, m) for _, c, m in rows("city-clusters", unknown)} == {
        ("瀚阳都市圈", m) for m in ("瀚阳市", "瀚东市", "瀚西县")}


def test_unresolved_names_are_reported(unknown):
    report = {(name, kind) for name, kind, _, _ in rows("unresolved", unknown)}
    assert {("瀚阳市", "place"), ("瀚西县", "place"), ("瀚州省交通运输厅", "agency"),
            ("瀚州数字集团有限公司", "agency")} <= report
    manifest = json.loads((unknown / "build.json").read_text("utf-8"))
    assert manifest["unresolved"]["per_kind"]["place"] == 4
    entry = manifest["documents"][0]
    assert entry["title_source"] == "plan.title.notice" and entry["kind"] == "plan"
    assert entry["unresolved"]["place"] == 4


def test_fixture_rows_resolve_the_same_names(known, plan_file):
    got = {(no, agency, role) for _, no, _, agency, role in rows("task-agencies", known)}
    assert {("P1", "瀚州省交通运输厅", "lead"), ("P1", "瀚州省发展和改革委员会", "support"),
            ("P1", "瀚阳市人民政府", "support"), ("P2", "瀚州省自然资源厅", "lead"), ("P2", "瀚州省林业局", "support"),
            ("P3", "瀚州数字集团有限公司", "lead")} <= got
    names = {name for name, _, _, _ in rows("unresolved", known)}
    assert not names & {"瀚阳市", "瀚东市", "岚屿市", "瀚西县", "瀚州省交通运输厅", "瀚州省发展改革委",
                        "瀚州省发展和改革委员会", "瀚阳市人民政府", "瀚州数字集团有限公司"}
    assert {city for _, city in rows("plan-scope", known)} == {"瀚阳市", "瀚东市", "岚屿市", "瀚西县"}
    manifest = json.loads((known / "build.json").read_text("utf-8"))
    assert "place" not in manifest["unresolved"]["per_kind"]
    spans_hold_quotes(known, plan_file.read_text("utf-8"))
    assert plankg.validate(known).conforms


def test_reference_folder_from_the_command_line(plan_file, tmp_path):
    result = CliRunner().invoke(main, ["build", str(plan_file), "--out", str(tmp_path / "o"),
                                       "--reference", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "1 documents, 1 plans" in result.output


def test_bad_reference_rows_name_file_and_line(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name,short,key,relative,departments\n980000,瀚州省,瀚州\n1,2,3,4,5,6,7\n",
                                            encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"provinces\.csv, line 2"):
        read_data_csv("provinces.csv", [tmp_path])


@pytest.fixture(scope="module")
def real_plans(real_plans_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "o"
    plankg.build([real_plans_dir], out=out)
    return out


def test_every_real_document_is_a_plan_with_its_kind(real_plans, real_plans_dir):
    sources = json.loads((real_plans_dir / "sources.json").read_text("utf-8"))
    manifest = json.loads((real_plans / "build.json").read_text("utf-8"))
    by_file = {d["file"]: d for d in manifest["documents"]}
    assert set(by_file) == {s["file"] for s in sources}
    assert all(d["plan"] and d["kind"] and d["title_source"] for d in by_file.values())
    assert len(rows("plans", real_plans)) >= len(sources)
    assert plankg.validate(real_plans).conforms
