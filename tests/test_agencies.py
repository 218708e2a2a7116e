"""Agencies, tasks and responsibilities: against the hand annotation and on new text."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from conftest import ANNOTATIONS, corpus_file
from plankg.cli import main
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.tasks import extract_tasks
from test_metadata import prepared_text

ANNEX = json.loads((ANNOTATIONS / "annex_tasks.json").read_text("utf-8"))
AGENCIES = AgencyGazetteer.load()


def label(key: str) -> str:
    if key in AGENCIES.agencies:
        return AGENCIES.agencies[key].name
    return key.split(":")[-1]


def roles(tasks):
    return {(t.number, label(r.key), role) for t in tasks for role, refs in (("lead", t.lead), ("support", t.support)) for r in refs}


@pytest.fixture(scope="module")
def docs(corpus_facts):
    return {d.source.name[:3]: d for d in corpus_facts.documents}


def test_annex_lead_and_support_precision_recall(docs):
    names = ANNEX["names"]
    want = {(n, names.get(a, a), role) for n, (lead, support) in ANNEX["tasks"].items()
            for role, agencies in (("lead", lead), ("support", support)) for a in agencies}
    annex = [t for t in docs["000"].tasks if t.source == "annex"]
    got = roles(annex)
    precision = len(got & want) / len(got)
    recall = len(got & want) / len(want)
    print(f"annex assignments: {len(want)} annotated, precision {precision:.3f}, recall {recall:.3f}")
    assert [t.number for t in annex] == [str(n) for n in range(1, 56)]
    assert precision >= 0.97 and recall >= 0.97


def test_annex_tasks_keep_category_and_main_task(docs):
    first = docs["000"].tasks[0]
    assert first.category.startswith("一、") and first.main_task.startswith("（一）")
    assert docs["000"].tasks[11].text.startswith("推进二广高速")


def test_typo_is_matched_and_kept_as_hidden_label(docs):
    task40 = next(t for t in docs["000"].tasks if t.number == "40")
    typo = [r for r in task40.support if r.match == "fuzzy"]
    assert [(label(r.key), r.written) for r in typo] == [("湖南省环境保护厅", "省环保护厅")]


def test_scrambled_document_assignments_all_found_with_evidence(docs):
    doc = docs["004"]
    original = corpus_file("004").read_text("utf-8")
    assignments = [m.span() for m in re.finditer(r"（[^（）]{0,200}(?:牵头|按职责分工负责)[^（）]{0,200}）", original)]
    covered = [any(a >= s and b <= e for t in doc.tasks for s, e in t.evidence.spans) for a, b in assignments]
    print(f"2016 scrape: {len(assignments)} assignment parentheticals in the file, "
          f"{sum(covered)} covered by {len(doc.tasks)} extracted tasks")
    assert all(covered)
    for t in doc.tasks:
        assert t.lead and t.evidence.rule.startswith("task.parenthetical")
        a, b = t.evidence.spans[0]
        assert original[a:b] == t.evidence.text
    joint = [t for t in doc.tasks if t.joint]
    assert joint and all(not t.support for t in joint)


def test_enumeration_pairs_agencies_with_domains_in_order(docs):
    enum = [t for t in docs["001"].tasks if t.source == "enumeration"]
    assert len(enum) == 6
    assert label(enum[0].lead[0].key) == "湖南省工业和信息化厅" and enum[0].text.startswith("产业发展")
    assert label(enum[1].lead[0].key) == "湖南省发展和改革委员会" and enum[1].text.startswith("基础设施")


def test_responsibility_statements(docs):
    statements = [t for t in docs["003"].tasks if t.source.startswith("statement")]
    assert sorted(label(r.key) for t in statements for r in t.lead) == sorted(
        ["长沙市人民政府", "株洲市人民政府", "湘潭市人民政府", "湖南省发展和改革委员会"])


def test_task_agencies_query_uses_official_names(built):
    out = CliRunner().invoke(main, ["query", "task-agencies", "--graph", str(built), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["role"] for r in rows} == {"lead", "support"}
    assert not any(r["agency"].startswith("省") for r in rows if "有关" not in r["agency"] and "相关" not in r["agency"])


def test_corridor_agencies(built):
    out = CliRunner().invoke(main, ["query", "corridor-agencies", "--graph", str(built), "--format", "csv"]).output
    rows = {(r["corridor"], r["agency"], r["role"]) for r in csv.DictReader(io.StringIO(out))}
    assert ("沪昆通道", "湖南省交通运输厅", "lead") in rows
    assert ("长江通道", "湖南省交通运输厅", "lead") in rows
    assert ("厦渝通道", "湖南省发展和改革委员会", "lead") in rows
    assert not [r for r in rows if "相关" in r[1] or "有关" in r[1]], "collective phrases are not agencies"


def test_successions_and_lineage_workload(built):
    runner = CliRunner()
    succ = list(csv.DictReader(io.StringIO(runner.invoke(main, ["query", "agency-successors", "--graph", str(built), "--format", "csv"]).output)))
    assert {"agency": "湖南省经济和信息化委员会", "successor": "湖南省工业和信息化厅", "year": "2018"} in succ
    lineage = list(csv.DictReader(io.StringIO(runner.invoke(main, ["query", "agency-workload-lineage", "--graph", str(built), "--format", "csv"]).output)))
    miit = next(r for r in lineage if r["agency"] == "湖南省工业和信息化厅")
    assert "湖南省经济和信息化委员会" in miit["predecessors"]
    plain = list(csv.DictReader(io.StringIO(runner.invoke(main, ["query", "agency-workload", "--graph", str(built), "--format", "csv"]).output)))
    eitc = next(r for r in plain if r["agency"] == "湖南省经济和信息化委员会")
    assert int(miit["lead_tasks"]) > int(eitc["lead_tasks"])


# ---- the gazetteer ----------------------------------------------------------------

@pytest.mark.parametrize("written, province, official", [
    ("省发展改革委", "360000", "江西省发展和改革委员会"),
    ("省发展改革委", "430000", "湖南省发展和改革委员会"),
    ("湖南省发展和改革委员会", None, "湖南省发展和改革委员会"),
    ("省發展改革委", "430000", "湖南省发展和改革委员会"),
    ("省卫计委", "430000", "湖南省卫生和计划生育委员会"),
    ("长沙市政府", "430000", "长沙市人民政府"),
])
def test_abbreviations_resolve_against_issuing_province(written, province, official):
    assert AGENCIES.resolve_tolerant(written, province).agency.name == official


def test_fuzzy_match_has_a_threshold():
    assert AGENCIES.resolve_tolerant("省交通运厅", "430000").agency.name == "湖南省交通运输厅"
    assert AGENCIES.resolve_tolerant("省财厅", "430000") is None or AGENCIES.resolve_tolerant("省财厅", "430000").how != "fuzzy"
    # An added 省 is not a typo: without a province, 省发展改革委 is not the national commission.
    found = AGENCIES.resolve_tolerant("省发展改革委", None)
    assert found.how == "pattern" and found.agency.name == "省发展改革委"


def test_plan_without_issuer_takes_its_province_from_the_title(tmp_path):
    import plankg

    (tmp_path / "plan.txt").write_text(
        "湖南省推进湘赣边区域合作实施方案\n推动湘赣边红色旅游协同发展。\n（省文化和旅游厅牵头负责，省发展改革委参与）\n",
        encoding="utf-8")
    built = plankg.build([tmp_path / "plan.txt"], out=tmp_path / "out").out
    rows = {(agency, role) for *_, agency, role in plankg.query("task-agencies", graph_dir=built).rows}
    assert rows == {("湖南省文化和旅游厅", "lead"), ("湖南省发展和改革委员会", "support")}


# ---- new text written for these tests (not from the corpus) ---------------------

MARKDOWN_ANNEX = """附件 重点任务分工
| 序号 | 重点任务 | 牵头单位 | 配合单位 |
| --- | --- | --- | --- |
| 1 | 建设沿江货运通道。 | 省发展改革委 | 省交通运输厅、省数据局 |
| 2 | 组建区域科创联盟。 | 省科技厅、省大湾区科创集团 | |
| 3 | 推进沪昆高铁站城融合。 | 甲乙市、丙丁市政府 | 省直有关部门 |
"""

LINE_ANNEX = """附件2
\t主要任务
\t建设重点
\t牵头部门
\t配合部门

\t一、强化协同
\t（一）共建平台
\t1、建设联合实验室。
\t省科技厅
\t省教育厅、省未来产业促进中心

\t
\t2、编制专项规划。
\t省发改委

\t二、保障
\t3、加强督查。
\t省政府督查室
\t相关市、县政府
"""


def test_markdown_annex_with_agencies_absent_from_gazetteer():
    tasks = extract_tasks(prepared_text(MARKDOWN_ANNEX), "360000")
    assert roles(tasks) == {
        ("1", "江西省发展和改革委员会", "lead"), ("1", "江西省交通运输厅", "support"), ("1", "江西省数据局", "support"),
        ("2", "江西省科学技术厅", "lead"), ("2", "江西省大湾区科创集团", "lead"),
        ("3", "甲乙市人民政府", "lead"), ("3", "丙丁市人民政府", "lead"), ("3", "省直有关部门", "support"),
    }
    unlisted = {r.key for t in tasks for r in t.lead + t.support if r.match == "pattern"}
    assert "unlisted:江西省数据局" in unlisted and "unlisted:江西省大湾区科创集团" in unlisted


def test_cell_per_line_annex_with_blank_cells():
    tasks = extract_tasks(prepared_text(LINE_ANNEX), "430000")
    assert [t.number for t in tasks] == ["1", "2", "3"]
    assert roles(tasks) == {
        ("1", "湖南省科学技术厅", "lead"), ("1", "湖南省教育厅", "support"), ("1", "湖南省未来产业促进中心", "support"),
        ("2", "湖南省发展和改革委员会", "lead"),
        ("3", "湖南省政府督查室", "lead"), ("3", "相关市、县政府", "support"),
    }
    assert tasks[0].category == "一、强化协同" and tasks[2].category == "二、保障"


def test_parentheticals_with_unlisted_agencies():
    text = ("推进跨省数据互通共享。（省数据局牵头负责，省通信管理局、某某集团公司等参与）"
            "完善联合执法机制。（省公安厅、省市场监管局等按职责分工负责）"
            "建设区域应急物资储备库。（省应急厅牵头，各市州政府按职责分工负责）")
    tasks = extract_tasks(prepared_text(text), "430000")
    assert [t.text for t in tasks] == ["推进跨省数据互通共享。", "完善联合执法机制。", "建设区域应急物资储备库。"]
    assert roles(tasks) == {
        ("P1", "湖南省数据局", "lead"), ("P1", "湖南省通信管理局", "support"),
        ("P2", "湖南省公安厅", "lead"), ("P2", "湖南省市场监督管理局", "lead"),
        ("P3", "湖南省应急管理厅", "lead"), ("P3", "各市州政府", "support"),
    }
    assert tasks[1].joint and not tasks[0].joint


def test_enumeration_with_each_taking_its_own_domain():
    text = "省发展改革委、省交通运输厅、省生态环境厅等部门分别牵头负责产业协同、交通互联、生态共保等工作。"
    tasks = extract_tasks(prepared_text(text), "340000")
    assert [(t.text, [label(r.key) for r in t.lead]) for t in tasks] == [
        ("产业协同工作", ["安徽省发展和改革委员会"]), ("交通互联工作", ["安徽省交通运输厅"]), ("生态共保工作", ["安徽省生态环境厅"])]


def test_party_bodies_of_every_province_and_national_enterprises():
    text = ("推进数字政府建设。（省委网信办、省发改委牵头，中国铁路武汉局集团有限公司、国网湖北省电力公司、"
            "各市州人民政府等按职责分工负责）")
    tasks = extract_tasks(prepared_text(text), "420000")
    assert roles(tasks) == {
        ("P1", "中共湖北省委网络安全和信息化委员会办公室", "lead"), ("P1", "湖北省发展和改革委员会", "lead"),
        ("P1", "中国铁路武汉局集团有限公司", "support"), ("P1", "国网湖北省电力公司", "support"),
        ("P1", "各市州人民政府", "support"),
    }
    assert AGENCIES.resolve("自治区党委", "450000").name == "中国共产党广西壮族自治区委员会"
    assert AGENCIES.resolve("市委", "500000").name == "中国共产党重庆市委员会"
    assert AGENCIES.resolve("省委", "450000") is None


def test_html_annex_with_header_cells_rowspan_and_line_breaks_in_cells(tmp_path):
    import plankg

    (tmp_path / "list.html").write_text(
        "<html><body><h1>湖南省推进湘粤合作重点任务清单</h1><table><thead><tr><th>类别</th><th>序号</th><th>重点任务</th>"
        "<th>牵头单位</th><th>配合单位</th></tr></thead><tbody>"
        "<tr><td rowspan=\"2\">一、交通互联</td><td>1</td><td>推进广清永高铁前期工作</td><td>省发展改革委</td>"
        "<td>省交通运输厅、<br/>永州市人民政府</td></tr>"
        "<tr><td>2</td><td>加快厦蓉高速扩容</td><td>省交通运输厅</td><td></td></tr>"
        "</tbody></table></body></html>", encoding="utf-8")
    built = plankg.build([tmp_path / "list.html"], out=tmp_path / "out").out
    rows = {(no, agency, role) for _, no, _, agency, role in plankg.query("task-agencies", graph_dir=built).rows}
    assert rows == {("1", "湖南省发展和改革委员会", "lead"), ("1", "湖南省交通运输厅", "support"),
                    ("1", "永州市人民政府", "support"), ("2", "湖南省交通运输厅", "lead")}


def test_tasks_naming_their_plans_structure_own_its_corridors(built):
    """重点建设5条城镇发展轴: a task that names its plan's axes by count concerns all of them,
    so the main corridor of the sample (京广) has an owner."""
    out = CliRunner().invoke(main, ["query", "corridor-agencies", "--graph", str(built), "--format", "csv"]).output
    owners = {(r["corridor"], r["agency"]) for r in csv.DictReader(io.StringIO(out)) if r["role"] == "lead"}
    assert ("京广通道", "湖南省发展和改革委员会") in owners


def test_an_annex_row_concerns_what_the_body_passage_it_restates_names():
    text = ("一、重点任务\n推进甲乙城际铁路建设，加快沪昆高铁甲乙段改造，形成快速通道。\n"
            "附件\n重点任务分工表\n序号\t主要任务\t牵头单位\t配合单位\n"
            "1\t推进甲乙城际铁路建设\t省交通运输厅\t省发展改革委\n")
    from plankg.facts import CorpusFacts, DocumentFacts, PlanFacts
    from plankg.resolve import link_task_corridors

    doc = prepared_text(text)
    tasks = extract_tasks(doc, "430000")
    assert tasks[0].restates.evidence.rule == "task.annex.restates-body"
    assert "沪昆高铁" in tasks[0].restates.value
    corpus = CorpusFacts([DocumentFacts(doc.source, PlanFacts(doc.source.id), tasks=tasks)])
    link_task_corridors(corpus)
    assert [(c.value, c.evidence.rule) for c in tasks[0].corridors] == [("hukun", "task.corridor.line.restated-body")]
