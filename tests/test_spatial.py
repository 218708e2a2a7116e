"""Places, axes, corridors, clusters and scope: against the hand annotation and on new text."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import ANNOTATIONS
from plankg.cli import main
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.spatial import extract_spatial
from test_metadata import prepared_text

AXES = {k: v for k, v in json.loads((ANNOTATIONS / "axes.json").read_text("utf-8")).items() if not k.startswith("_")}
SPATIAL = json.loads((ANNOTATIONS / "spatial.json").read_text("utf-8"))
PLACES = PlaceGazetteer.load()


def name(code: str) -> str:
    return PLACES.get(code).name


@pytest.fixture(scope="module")
def docs(corpus_facts):
    return {d.source.name[:3]: d for d in corpus_facts.documents}


def node_scores(docs):
    tp = fp = fn = 0
    for prefix, axes in AXES.items():
        found = {a.name: {name(c.value) for c in a.nodes} for a in docs[prefix].axes}
        for axis, want in axes.items():
            got = found.get(axis, set())
            tp += len(got & set(want["nodes"]))
            fp += len(got - set(want["nodes"]))
            fn += len(set(want["nodes"]) - got)
    return tp / (tp + fp), tp / (tp + fn)


def test_every_annotated_axis_is_found_and_nothing_else(docs):
    for prefix, axes in AXES.items():
        assert sorted(a.name for a in docs[prefix].axes) == sorted(axes), prefix


def test_axis_node_precision_and_recall(docs):
    precision, recall = node_scores(docs)
    print(f"axis node cities: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


def test_radiation_targets_and_infrastructure(docs):
    for prefix, axes in AXES.items():
        found = {a.name: a for a in docs[prefix].axes}
        for axis, want in axes.items():
            if "radiates" in want:
                assert sorted(name(c.value) for c in found[axis].radiates) == sorted(want["radiates"])
            if "infrastructure" in want:
                assert [c.value for c in found[axis].infrastructure] == want["infrastructure"]


def test_corridor_linkage_matches_annotation(docs):
    got, want = {}, {}
    for prefix, axes in AXES.items():
        found = {a.name: a.corridor.value for a in docs[prefix].axes}
        for axis, ann in axes.items():
            got.setdefault(found[axis], set()).add((prefix, axis))
            want.setdefault(ann["corridor"], set()).add((prefix, axis))
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, want.values()))
    shared = [members for members in want.values() if len({p for p, _ in members}) > 1]
    assert len(shared) == 6  # corridors that appear in more than one plan


def test_traditional_document_axes_are_found(docs):
    assert len(docs["003"].axes) == 4
    ev = docs["003"].axes[1].evidence
    assert ev.text != docs["003"].axes[1].name  # evidence quotes the traditional original


def test_axis_nodes_query_end_to_end(built):
    out = CliRunner().invoke(main, ["query", "axis-nodes", "--graph", str(built), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {(r["axis"], r["city"]) for r in rows}
    want = {(axis, city) for axes in AXES.values() for axis, ann in axes.items() for city in ann["nodes"]}
    assert got == want
    corridors = {r["corridor"] for r in rows}
    assert {"京广通道", "沪昆通道", "厦渝通道", "长江通道", "二广通道", "京九通道", "湘江"} == corridors


@pytest.mark.parametrize("prefix", sorted(SPATIAL["scope"]))
def test_plan_scope(docs, prefix):
    assert [name(c.value) for c in docs[prefix].plan.scope_places] == SPATIAL["scope"][prefix]


@pytest.mark.parametrize("prefix", sorted(SPATIAL["clusters"]))
def test_clusters(docs, prefix):
    got = {c.name: [name(m.value) for m in c.members] for c in docs[prefix].clusters}
    assert got == SPATIAL["clusters"][prefix]


def test_city_axes_ranking(built):
    out = CliRunner().invoke(main, ["query", "city-axes", "--graph", str(built), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["city", "n_axes", "n_plans", "axes"]
    top = {r["city"] for r in rows[:2]}
    assert top == {"长沙市", "株洲市"} and all(int(r["n_plans"]) == 4 for r in rows[:2])


def test_network_command_ranks_by_degree_and_betweenness(built):
    result = CliRunner().invoke(main, ["network", "--graph", str(built), "--format", "json", "--top", "5"])
    records = json.loads(result.output)
    assert len(records) == 5 and set(records[0]) == {"city", "n_axes", "n_plans", "degree", "betweenness"}
    assert records[0]["city"] in {"长沙市", "株洲市"}


# ---- the gazetteer -----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("湘潭", "湘潭市"), ("湘潭县", "湘潭县"), ("长沙县", "长沙县"), ("醴陵", "醴陵市"),
    ("宁乡县", "宁乡市"), ("株洲县", "渌口区"), ("芷江", "芷江侗族自治县"), ("铜仁", "铜仁市"),
])
def test_lookup(text, expected):
    assert PLACES.lookup(text).name == expected


def test_place_inside_a_longer_proper_name_is_not_a_mention():
    text = "加快长沙黄花机场建设，推进株洲高新区发展，支持湘潭县与湘潭市合作。"
    names = [m.place.name for m in PLACES.scan(text)]
    assert names == ["湘潭县", "湘潭市"]


def test_gazetteer_files_state_their_source():
    from importlib import resources

    for f in ["divisions.csv", "division_changes.csv", "regions.csv", "corridors.csv", "agencies.csv"]:
        head = resources.files("plankg.loaders").joinpath(f"gazetteers/{f}").read_text("utf-8")[:600]
        assert "Source" in head or "source" in head, f


# ---- new text written for this test (not from the corpus) ------------------------

NEW_TEXT = """某某省城镇体系规划
规划范围包括怀化市、邵阳市全域和新化县，面积5.5万平方公里。
二、空间结构
沅水城镇发展轴。依托沅水航道和怀邵衡铁路，以怀化、常德为节点，提升沿线辰溪、溆浦、泸溪、沅陵、桃源等县市的综合实力，辐射带动麻阳、芷江发展。
重点建设以邵阳、新化为节点的资邵城镇发展轴，打造邵阳—新化城镇组团。
怀化—吉首—铜仁。共建武陵山区域合作示范区。
"""


def test_new_axis_with_unseen_counties():
    scope, axes, clusters, _ = extract_spatial(prepared_text(NEW_TEXT))
    assert [name(c.value) for c in scope] == ["怀化市", "邵阳市", "新化县"]
    by_name = {a.name: a for a in axes}
    assert set(by_name) == {"沅水城镇发展轴", "资邵城镇发展轴"}
    yuan = by_name["沅水城镇发展轴"]
    assert [name(c.value) for c in yuan.nodes] == ["怀化市", "常德市", "辰溪县", "溆浦县", "泸溪县", "沅陵县", "桃源县"]
    assert [name(c.value) for c in yuan.radiates] == ["麻阳苗族自治县", "芷江侗族自治县"]
    assert [c.value for c in yuan.infrastructure] == ["沅水航道", "怀邵衡铁路"]
    assert yuan.corridor.value == "local:沅水"
    assert [name(c.value) for c in by_name["资邵城镇发展轴"].nodes] == ["邵阳市", "新化县"]
    assert {c.name: [name(m.value) for m in c.members] for c in clusters} == {
        "邵阳—新化城镇组团": ["邵阳市", "新化县"], "怀化—吉首—铜仁": ["怀化市", "吉首市", "铜仁市"]}


def test_axes_of_one_corridor_in_new_plans_share_it():
    a = extract_spatial(prepared_text("南部（沪昆）发展带，依托沪昆高铁，以甲乙经开区为空间支撑。"))[1]
    b = extract_spatial(prepared_text("以娄底、邵阳为节点的沪昆城镇发展轴。"))[1]
    c = extract_spatial(prepared_text("京广发展轴。以武汉、长沙为龙头。"))[1]
    assert a[0].corridor.value == b[0].corridor.value == "hukun"
    assert c[0].corridor.value != a[0].corridor.value


def test_economic_belt_heading_its_paragraph_is_an_axis_but_a_national_strategy_is_not():
    text = ("汉江生态经济带。以襄阳、十堰为中心，沿线丹江口市、老河口市等城市联动发展，辐射带动神农架林区。\n"
            "共建长江经济带。依托长江黄金水道，加强与长三角协作。\n"
            "全面融入长江经济带，对接成渝地区。\n")
    axes = extract_spatial(prepared_text(text))[1]
    assert [a.name for a in axes] == ["汉江生态经济带"]
    belt = axes[0]
    assert [name(c.value) for c in belt.nodes] == ["襄阳市", "十堰市", "丹江口市", "老河口市"]
    assert [name(c.value) for c in belt.radiates] == ["神农架林区"]
    assert belt.corridor.value == "local:汉江"
