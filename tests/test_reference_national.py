"""National corridors and named regions as reference data: axes of plans from
other provinces find their national corridor, axes of two plans along one
corridor meet on one node, region members come from the documents that fix
them, and a corridor can be added from a directory of extra reference data.
The plans below are short texts written for these tests."""
from __future__ import annotations

import csv
from importlib import resources

import pytest
from rdflib import Graph, URIRef

import plankg
from plankg.loaders.lines import CorridorTable
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.spatial import extract_spatial
from test_metadata import prepared_text

SICHUAN = """四川省城镇体系规划（2025—2035年）
一、空间结构
成渝发展轴。以成都、资阳、内江为节点，强化与重庆的联系，建设双城之间的城镇密集带。
渝昆发展轴。以宜宾、泸州为节点，依托渝昆高铁，联通滇中地区。
"""
SHAANXI = """陕西省关中城镇发展规划（2025—2035年）
一、空间布局
陆桥发展轴。以西安、宝鸡、渭南为节点，依托陇海铁路和连霍高速，打造东西向开放走廊。
"""
HENAN = """河南省沿黄城镇协同发展规划（2025—2035年）
一、空间布局
郑洛城镇发展轴。以郑州、洛阳、三门峡为节点，依托连霍高速和徐兰高铁，串联沿线城镇。
"""
GUANGXI = """广西南向开放城镇规划（2025—2035年）
一、空间布局
西部陆海新通道发展轴。以南宁、钦州、北海为节点，建设面向东盟的出海大通道。
湘桂发展带。以桂林、柳州为节点，依托湘桂铁路，对接长江中游城市群。
"""


def corridors_of(text: str) -> dict[str, str]:
    """Axis name → corridor key of a test plan."""
    _, axes, _, _ = extract_spatial(prepared_text(text))
    return {a.name: a.corridor.value for a in axes}


def test_axes_of_other_provinces_find_their_national_corridor():
    assert corridors_of(SICHUAN) == {"成渝发展轴": "yangtze", "渝昆发展轴": "chengyukun"}
    assert corridors_of(SHAANXI) == {"陆桥发展轴": "luqiao"}
    assert corridors_of(GUANGXI) == {"西部陆海新通道发展轴": "xibuluhai", "湘桂发展带": "xianggui"}


def test_an_axis_named_by_neither_corridor_follows_its_expressway():
    (axis,) = extract_spatial(prepared_text(HENAN))[1]
    assert axis.corridor.value == "luqiao" and axis.corridor.evidence.rule == "axis.corridor.line"
    assert {c.value for c in axis.nodes} == {"410100", "410300", "411200"}


def test_axes_of_two_plans_along_one_corridor_meet_on_one_node(tmp_path):
    for name, text in [("shaanxi.txt", SHAANXI), ("henan.txt", HENAN)]:
        (tmp_path / name).write_text(text, "utf-8")
    result = plankg.build([tmp_path], out=tmp_path / "out")
    assert result.errors == [] and result.plans == 2
    g = Graph().parse(tmp_path / "out" / "graph.nt")
    on = URIRef("https://w3id.org/plankg/ontology#onCorridor")
    label = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    axes = {str(g.value(a, label)): c for a, c in g.subject_objects(on)}
    assert set(axes) == {"陆桥发展轴", "郑洛城镇发展轴"}
    assert len(set(axes.values())) == 1
    assert str(g.value(axes["陆桥发展轴"], label)) == "陆桥通道"


def test_national_expressways_carry_their_numbers_and_corridors():
    rows = list(csv.DictReader(
        line for line in resources.files("plankg.loaders").joinpath("gazetteers/expressways.csv")
        .read_text("utf-8").splitlines() if not line.startswith("#")))
    assert len(rows) == 7 + 11 + 18 and len({r["code"] for r in rows}) == len(rows)
    table = CorridorTable.load()
    assert table.for_line("沪昆高速公路").key == "hukun"  # G60
    assert table.for_line("杭瑞高速").name == "杭瑞高速"  # G56, a corridor of its own
    assert table.for_token("杭瑞").key == "g56"


def test_existing_corridors_keep_their_matching():
    table = CorridorTable.load()
    assert [table.for_token(t).key for t in ["京广", "沪昆", "长渝", "京九", "二广", "长江"]] == [
        "jingguang", "hukun", "xiayu", "jingjiu", "erguang", "yangtze"]
    assert table.for_token("湘江") is None  # a river's own axes keep their own-name corridor


def names(g: PlaceGazetteer, region: str) -> set[str]:
    return {p.name for p in g.expand(g.lookup(region))}


def test_cluster_members_as_their_plans_fix_them():
    g = PlaceGazetteer.load()
    middle = g.lookup("长江中游城市群")
    assert middle.kind == "city-cluster" and len(middle.members) == 31
    assert {"长沙市", "武汉市", "南昌市", "仙桃市", "抚州市"} <= names(g, "长江中游城市群")
    assert names(g, "珠三角") == {"广州市", "深圳市", "珠海市", "佛山市", "江门市", "肇庆市", "惠州市", "东莞市", "中山市"}
    assert g.lookup("湘江新区").name == "湖南湘江新区" and g.lookup("湘江新区").within == ("430000",)


def test_region_members_resolve_against_the_nationwide_divisions():
    g = PlaceGazetteer.load()
    assert len(names(g, "京津冀")) == 13 and {"北京市", "天津市", "廊坊市", "石家庄市"} <= names(g, "京津冀")
    every = {m for p in g.places.values() if p.is_region for m in p.members}
    assert every <= set(g.places)


def test_region_table_is_consistent():
    text = resources.files("plankg.loaders").joinpath("gazetteers/regions.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    by_kind: dict[str, list[dict]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r)
        members, partial = set(filter(None, r["members"].split("|"))), set(filter(None, r["partial"].split("|")))
        assert partial <= members, r["name"]
        assert all(len(c) == 6 and c.isdigit() for c in members | set(filter(None, r["within"].split("|"))))
        assert not members or r["source"], f"{r['name']}: members without a source"
    assert len(by_kind["new-area"]) == 19 and len(by_kind["free-trade-zone"]) == 22
    areas = text_rows("free_trade_zone_areas.csv")
    assert {a["zone"] for a in areas} <= {r["name"] for r in by_kind["free-trade-zone"]}
    assert len(names_of(by_kind, "中原城市群")) == 30 and len(names_of(by_kind, "长江三角洲城市群")) == 26
    assert len(names_of(by_kind, "长江经济带")) == 11 and len(names_of(by_kind, "粤港澳大湾区")) == 11


def text_rows(filename: str) -> list[dict]:
    text = resources.files("plankg.loaders").joinpath(f"gazetteers/{filename}").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def names_of(by_kind: dict[str, list[dict]], name: str) -> list[str]:
    row = next(r for rows in by_kind.values() for r in rows if r["name"] == name)
    return row["members"].split("|")


def test_a_strategy_region_is_joined_not_radiated_to():
    text = "某某市城镇规划\n一、空间结构\n京广城镇发展轴。以株洲、衡阳为节点，融入长江经济带，辐射带动珠三角。\n"
    (axis,) = extract_spatial(prepared_text(text))[1]
    radiated = {PlaceGazetteer.load().get(c.value).name for c in axis.radiates}
    assert "长江经济带" not in radiated and "广州市" in radiated


def test_a_corridor_added_from_an_extra_directory(tmp_path):
    (tmp_path / "corridors.csv").write_text(
        "# A test corridor (source: written for this test)\nkey,name,terminals,aliases,lines\n"
        "ganyue,赣粤通道,赣|粤,赣粤,赣深高铁|赣粤通道\n", "utf-8")
    table = CorridorTable.load((str(tmp_path),))
    assert table.for_token("赣粤").key == "ganyue" and table.for_line("赣深高铁").name == "赣粤通道"
    assert table.for_token("沪昆").key == "hukun"  # the shipped rows stay
    assert CorridorTable.load().for_token("赣粤") is None


@pytest.mark.parametrize("token", ["成渝", "渝昆", "陆桥", "西部陆海新通道", "呼南", "京哈", "绥满", "淮河"])
def test_national_corridor_tokens_resolve(token):
    assert CorridorTable.load().for_token(token) is not None
