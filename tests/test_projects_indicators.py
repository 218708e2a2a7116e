"""Projects, indicators and plan references: against the hand annotation and on new text."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import ANNOTATIONS
from plankg.cli import main
from plankg.loaders.indicators import extract_indicators
from plankg.loaders.projects import extract_projects
from test_metadata import prepared_text

ANN = json.loads((ANNOTATIONS / "projects_indicators.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def docs(corpus_facts):
    return {d.source.name[:3]: d for d in corpus_facts.documents}


def mention(docs, prefix, name):
    found = [p for p in docs[prefix].projects if p.name == name or p.name.endswith(name)]
    assert found, f"{prefix}: no project named {name}"
    return found[0]


def test_projects_in_several_plans_are_one_resource_each(docs):
    keys = {}
    for project, names in ANN["projects_across_plans"].items():
        group = {mention(docs, prefix, name).key for prefix, name in names.items()}
        assert len(group) == 1, (project, group)
        keys[project] = group.pop()
    assert len(set(keys.values())) == len(keys)  # and different projects stay apart
    print(f"projects across plans: {len(keys)} annotated, all resolved to one resource each")


@pytest.mark.parametrize("pair", ANN["distinct"], ids=lambda p: f"{p[0][1]}≠{p[1][1]}")
def test_disambiguation(docs, pair):
    (pa, na), (pb, nb) = pair
    assert mention(docs, pa, na).key != mention(docs, pb, nb).key


def test_sections_are_parts_of_their_line(docs):
    for prefix, name, section in ANN["sections"]:
        assert any(p.section == section for p in docs[prefix].projects if p.name.endswith(name)), (prefix, name, section)


def test_traditional_mention_keeps_traditional_evidence(docs):
    m = mention(docs, "003", "长沙机场")
    assert m.evidence.text == "長沙機場" and m.evidence.rule == "project.resolve.city-airport"


def test_projects_across_plans_query(built):
    out = CliRunner().invoke(main, ["query", "projects-across-plans", "--graph", str(built), "--format", "csv"]).output
    rows = {r["project"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["长沙黄花机场"]["n_plans"] == "4" and rows["长沙黄花机场"]["kind"] == "airport"
    # 3 plans name it 渝长厦高铁; the 2015 plan lists it, bare, in its railway network's 七横 list.
    assert int(rows["渝长厦高铁"]["n_plans"]) == 4


@pytest.mark.parametrize("prefix", sorted(ANN["indicators"]))
def test_indicators(docs, prefix):
    got = [[t.written, t.year, t.value_text, t.unit, t.baseline_year, t.baseline_text] for t in docs[prefix].indicators]
    assert got == ANN["indicators"][prefix]


def test_indicator_trend_joins_synonyms(built):
    out = CliRunner().invoke(main, ["query", "indicator-trend", "--graph", str(built), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    urban = [(r["year"], r["value"]) for r in rows if r["indicator"] == "常住人口城镇化率"]
    assert urban == [("2014", "53.8"), ("2020", "60"), ("2025", "80"), ("2025", "≈82")]
    assert {r["indicator"] for r in rows} >= {"研发经费投入强度", "森林覆盖率", "城市空气质量优良天数比率"}


@pytest.mark.parametrize("prefix", sorted(ANN["references"]))
def test_plan_references(docs, prefix):
    got = sorted([c.relation, c.title, c.doc_no] for c in docs[prefix].plan.citations)
    assert got == sorted(ANN["references"][prefix])


def test_plan_references_query_resolves_corpus_plans(built):
    out = CliRunner().invoke(main, ["query", "plan-references", "--graph", str(built), "--format", "csv"]).output
    rows = {(r["plan"], r["relation"], r["target"]) for r in csv.DictReader(io.StringIO(out))}
    assert ("湖南省贯彻落实国家《长江中游城市群发展规划》实施方案", "implements", "长江中游城市群发展规划") in rows
    assert sum(1 for r in rows if r[1] == "cites") == 3


# ---- new text written for these tests (not from the corpus) ----------------------

PROJECT_TEXT = ("加快建设怀邵衡铁路、张吉怀高铁，推进娄新高速娄底—新化段、新溆高速建设。"
                "推进邵阳武冈机场改扩建，启动怀化、永州机场建设。加快建设北海—怀化成品油管道，"
                "规划建设怀化—邵阳城际铁路。完善湘桂运河前期研究，建设洞口抽水蓄能电站。")


def test_unseen_projects_and_sections():
    facts = extract_projects(prepared_text(PROJECT_TEXT))
    got = {(p.name, p.kind, p.section) for p in facts}
    assert {("怀邵衡铁路", "railway", None), ("张吉怀高铁", "railway.high-speed", None),
            ("娄新高速", "expressway", "娄底—新化段"), ("新溆高速", "expressway", None),
            ("邵阳武冈机场", "airport", None), ("怀化机场", "airport", None), ("永州机场", "airport", None),
            ("北海—怀化成品油管道", "pipeline.product", None), ("怀化—邵阳城际铁路", "railway.intercity", None),
            ("湘桂运河", "waterway", None), ("洞口抽水蓄能电站", "power.pumped-storage", None)} <= got


def test_unseen_power_and_logistics_projects_but_not_hub_types():
    text = ("推进赣州至湘南特高压直流输电工程、宁远核电站前期工作，建设衡阳国家物流枢纽和永州国际陆港。"
            "布局一批陆港型物流枢纽和空港型物流枢纽，共建国家物流枢纽。")
    got = {(p.name, p.kind) for p in extract_projects(prepared_text(text))}
    assert got == {("赣州至湘南特高压直流输电工程", "power.uhv"), ("宁远核电站", "power.nuclear"),
                   ("衡阳国家物流枢纽", "logistics.hub"), ("永州国际陆港", "logistics.dry-port")}


def test_unseen_names_resolve_by_endpoints():
    a = extract_projects(prepared_text("推进张家界至吉首至怀化高速铁路建设。"))
    b = extract_projects(prepared_text("加快张吉怀高铁建设。"))
    assert a[0].key == b[0].key


INDICATOR_TEXT = """主要指标
\t类别
\t指  标
\t2020年
\t2025年
\t经济
\t地区生产总值（亿元）
\t12000
\t≥16000
\t
\t研发经费投入强度（%）
\t2.1
\t[2.8]
\t生态
\t空气质量优良天数比率（%）
\t—
\t＞90
注：地区生产总值为2019年数据。

到2030年，人均地区生产总值突破15万元，常住人口城镇化率提高到75%左右，单位地区生产总值能耗较2025年降低8%以上，新建5G基站1.2万个。
"""


def test_unseen_indicator_table_and_prose():
    got = [[t.indicator, t.year, t.value_text, t.unit, t.baseline_year, t.baseline_text, t.base_value]
           for t in extract_indicators(prepared_text(INDICATOR_TEXT))]
    assert got[:3] == [
        ["地区生产总值", 2025, "≥16000", "亿元", 2019, "12000", 1.6e12],
        ["研发经费投入强度", 2025, "[2.8]", "%", 2020, "2.1", 2.8],
        ["城市空气质量优良天数比率", 2025, ">90", "%", None, None, 90.0],
    ]
    assert got[3:] == [
        ["人均地区生产总值", 2030, ">15", "万元", None, None, 150000.0],
        ["常住人口城镇化率", 2030, "≈75", "%", None, None, 75.0],
        ["单位地区生产总值能耗降低", 2030, "≥8", "%", 2025, None, 8.0],
        ["新建5G基站", 2030, "1.2", "万个", None, None, 12000.0],
    ]


def test_prose_targets_with_scope_words_levels_and_more_units():
    text = ("到2030年，全省研发经费投入强度达到3.1%，细颗粒物（PM2.5）平均浓度下降到30微克/立方米以下，"
            "高速公路通车里程达到9000公里，集装箱吞吐量达到120万标箱。")
    got = {(t.indicator, t.value, t.unit, t.comparator, t.year) for t in extract_indicators(prepared_text(text))}
    assert got == {("研发经费投入强度", 3.1, "%", None, 2030), ("细颗粒物（PM2.5）平均浓度", 30.0, "微克/立方米", "≤", 2030),
                   ("高速公路通车里程", 9000.0, "公里", None, 2030), ("集装箱吞吐量", 120.0, "万标箱", None, 2030)}


def test_indicator_table_with_unit_and_attribute_columns():
    text = ("专栏1 主要发展指标\n| 类别 | 指标 | 单位 | 2020年 | 2025年 | 属性 |\n| --- | --- | --- | --- | --- | --- |\n"
            "| 经济发展 | 地区生产总值 | 亿元 | 8500 | 12000 | 预期性 |\n| | 常住人口城镇化率 | % | 58.7 | 65 | 预期性 |\n"
            "| 绿色生态 | 森林覆盖率 | % | 60.1 | ≥61 | 约束性 |\n| | 单位地区生产总值能耗降低 | % | — | [13.5] | 约束性 |\n")
    got = [(t.indicator, t.value_text, t.base_value, t.unit, t.year, t.baseline_year, t.baseline_text, t.cumulative, t.category)
           for t in extract_indicators(prepared_text(text))]
    assert got == [
        ("地区生产总值", "12000", 1.2e12, "亿元", 2025, 2020, "8500", False, "经济发展"),
        ("常住人口城镇化率", "65", 65.0, "%", 2025, 2020, "58.7", False, "经济发展"),
        ("森林覆盖率", "≥61", 61.0, "%", 2025, 2020, "60.1", False, "绿色生态"),
        ("单位地区生产总值能耗降低", "[13.5]", 13.5, "%", 2025, None, None, True, "绿色生态"),
    ]


def test_indicator_table_year_headers_with_words():
    text = "指标\t2020年（基期）\t2025年目标值\n研发经费投入强度（%）\t2.5\t3.2\n"
    got = [(t.indicator, t.value_text, t.year, t.baseline_year) for t in extract_indicators(prepared_text(text))]
    assert got == [("研发经费投入强度", "3.2", 2025, 2020)]


def test_pipeline_works_in_a_long_line_are_read_once():
    """The sentence around each gas-network keyword is found outwards from it, never
    rescanning a long line (this was quadratic: 130 k characters took 97 s)."""
    from plankg.loaders.projects import pipeline_works_projects
    from plankg.loaders.places import PlaceGazetteer

    line = "推进城市群交通设施互联互通，" * 3000 + "完善天然气输送网络，建设甲乙联络线工程；" + "推进设施建设，" * 3000
    found = pipeline_works_projects(line, PlaceGazetteer.load())
    assert [(p.name, p.kind) for p in found] == [("甲乙联络线工程", "pipeline")]
