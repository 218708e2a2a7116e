"""The nationwide division table: coverage, former divisions, WGS84 points,
common-word short forms, and divisions added by a data directory."""
from __future__ import annotations

import csv
import importlib.util
import math
import sys
from importlib import resources
from pathlib import Path

import pytest

from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.reference import read_provinces

PLACES = PlaceGazetteer.load()
FIXTURE = Path(__file__).parent / "fixtures" / "fictional_province"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("plankg.loaders").joinpath(f"gazetteers/{name}").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371000 * math.hypot(dx, math.radians(lat2 - lat1))


def test_every_province_level_unit_is_a_division():
    provinces = read_provinces()
    assert len(provinces) == 34
    for code, p in provinces.items():
        place = PLACES.get(code)
        assert (place.name, place.level, place.replaced_by) == (p.name, "province", None)
        assert PLACES.lookup(p.name) is place


@pytest.mark.parametrize("full, short, code", [
    ("哈尔滨市", "哈尔滨", "230100"), ("漠河市", "漠河", "232701"),  # 黑龙江
    ("喀什地区", "喀什", "653100"), ("库车市", "库车", "652902"),  # 新疆
    ("日喀则市", "日喀则", "540200"), ("那曲市", "那曲", "540600"),  # 西藏
    ("儋州市", "儋州", "460400"), ("琼海市", "琼海", "469002"),  # 海南
    ("大理白族自治州", "大理", "532900"), ("瑞丽市", "瑞丽", "533102"),  # 云南
])
def test_distant_divisions_resolve_by_full_and_short_name(full, short, code):
    assert PLACES.lookup(full).code == code
    assert PLACES.lookup(short).code == code


def test_counties_and_districts_have_their_prefecture_as_parent():
    assert PLACES.get("652902").parent == "652900"  # 库车市 in 阿克苏地区
    assert PLACES.get("110101").parent == "110000"  # a district of a direct-administered city
    assert PLACES.get("429004").parent == "420000"  # 仙桃市, administered by the province


@pytest.mark.parametrize("old, successor, code", [
    ("巢湖市", "巢湖市", "340181"),  # the prefecture (abolished 2011) and today's county-level city share the name
    ("居巢区", "巢湖市", "340181"),
    ("莱芜市", "莱芜区", "370116"), ("莱芜", "莱芜区", "370116"), ("莱城区", "莱芜区", "370116"),
    ("日喀则地区", "日喀则市", "540200"), ("崇明县", "崇明区", "310151"),
    ("宁乡县", "宁乡市", "430182"), ("株洲县", "渌口区", "430212"),
    ("襄樊市", "襄阳市", "420600"), ("那曲地区", "那曲市", "540600"), ("伊克昭盟", "鄂尔多斯市", "150600"),
])
def test_former_divisions_resolve_to_their_successors(old, successor, code):
    place = PLACES.lookup(old)
    assert (place.name, place.code) == (successor, code)
    assert place.replaced_by is None


def test_former_divisions_keep_code_and_years():
    laiwu = PLACES.get("371200")
    assert (laiwu.name, laiwu.level, laiwu.replaced_by, laiwu.replaced_year) == ("莱芜市", "prefecture", "370116", 2019)
    assert PLACES.get("370116").parent == "370100"  # 济南市
    chaohu = PLACES.get("341400")
    assert (chaohu.level, chaohu.replaced_by, chaohu.replaced_year) == ("prefecture", "340181", 2011)
    assert PLACES.current(PLACES.get("542300")).name == "日喀则市"
    assert PLACES.get("469003").replaced_year == 2015 and PLACES.get("460400").level == "prefecture"
    assert "襄樊市" in PLACES.get("420600").aliases


def test_every_change_points_to_a_current_division():
    for r in _rows("division_changes.csv"):
        assert PLACES.current(PLACES.get(r["old_code"])).replaced_by is None
        assert r["source"], r
        assert not r["year"] or 2000 <= int(r["year"]) <= 2025, r


def test_wgs84_points_are_in_china_and_close_to_gcj02():
    rows = [r for r in _rows("divisions.csv") if r["lon_gcj02"]]
    assert len(rows) > 3000
    for r in rows:
        lon, lat = float(r["lon_wgs84"]), float(r["lat_wgs84"])
        assert 73.0 < lon < 135.2 and 3.5 < lat < 53.6, r
        shift = _metres(lon, lat, float(r["lon_gcj02"]), float(r["lat_gcj02"]))
        assert 1 < shift < 1000, r
    assert not [r for r in _rows("divisions.csv") if bool(r["lon_gcj02"]) != bool(r["lon_wgs84"])]


def test_codes_are_gbt2260_six_digit_and_unique():
    rows = _rows("divisions.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert {r["level"] for r in rows} == {"province", "prefecture", "county"}
    assert not [r for r in rows if r["name"] in ("市辖区", "县", "雄安新区", "苏鲁交界")]


def test_common_word_short_forms_count_only_in_lists():
    assert PLACES.lookup("合作") is None and PLACES.lookup("合作市").code == "623001"
    assert PLACES.lookup("朝阳") is None and PLACES.lookup("朝阳", words=True).name == "朝阳市"
    text = "发展朝阳产业，深化区域合作。支持朝阳、锦州、合作市建设。"
    names = [m.place.name for m in PLACES.scan(text, county_short=True)]
    assert names == ["朝阳市", "锦州市", "合作市"]
    assert [m.place.name for m in PLACES.scan("培育新兴产业，加快资源开发和大城市建设", county_short=True)] == []


def test_short_forms_shared_between_provinces_stay_ambiguous():
    # 伊宁市 and 伊宁县 (新疆) at the county level; 东安县 (湖南) and 东安区 (黑龙江); 江北区 in 重庆 and 宁波.
    for short in ("伊宁", "东安", "江北"):
        assert PLACES.lookup(short, district_short=True) is None, short
    assert PLACES.lookup("东安县").code == "431122" and PLACES.lookup("东安区").code == "231002"


def test_a_province_added_by_a_data_directory():
    g = PlaceGazetteer.load(extra_dirs=(str(FIXTURE),))
    assert PLACES.lookup("岚川省") is None
    assert g.lookup("岚川省").code == "980000" and g.lookup("岚川").code == "980000"
    assert g.lookup("望澜").name == "望澜市" and g.lookup("渺溪").name == "渺溪县"
    assert g.lookup("霁岭").name == "霁岭自治州"
    assert g.lookup("雾渚县").name == "青篁区"  # a former county without a row of its own
    assert g.get("980122").parent == "980100" and g.get("980122").replaced_year == 2012
    assert g.lookup("霁岭县").name == "霁岭市" and g.get("980203").parent == "980200"
    assert g.get("980102").lon_wgs84 == 100.607
    names = [m.place.name for m in g.scan("规划范围包括望澜市、渺溪和霁岭。", county_short=True)]
    assert names == ["望澜市", "渺溪县", "霁岭自治州"]
    assert g.lookup("湘潭").name == "湘潭市"  # the shipped data is still there


def _generator():
    path = Path(__file__).parents[1] / "loaders" / "gazetteers" / "scripts" / "make_divisions.py"
    spec = importlib.util.spec_from_file_location("make_divisions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_divisions", module)
    spec.loader.exec_module(module)
    return module


def test_generator_reads_adcodes_rows_as_divisions():
    gen = _generator()
    rows = [{"adcode": code + "000000", "name": name, "longitude": "1", "latitude": "2"} for code, name in [
        ("980000", "岚川省"), ("980100", "市辖区"), ("980102", "青篁区"), ("980200", "望澜市"),
        ("980221", "渺溪县"), ("989000", "省直辖县级行政区划"), ("989001", "霁岭市"), ("990000", "苏鲁交界")]]
    got = {d.code: (d.name, d.level, d.parent) for d in gen.divisions(rows).values()}
    assert got == {"980000": ("岚川省", "province", ""), "980102": ("青篁区", "county", "980000"),
                   "980200": ("望澜市", "prefecture", "980000"), "980221": ("渺溪县", "county", "980200"),
                   "989001": ("霁岭市", "county", "980000")}


def test_generator_stops_on_an_unexplained_former_division():
    gen = _generator()
    old = {"980000": gen.Division("980000", "岚川省", "province", ""),
           "980121": gen.Division("980121", "渺溪县", "county", "980000")}
    new = {"980000": old["980000"], "980181": gen.Division("980181", "渺溪市", "county", "980000")}
    assert gen.build(old, new, [])[3] == ["former division without a dated change: 980121 渺溪县"]
    curated = [{"year": "2020", "old_parent": "岚川省", "old_name": "渺溪县", "old_code": "",
                "new_parent": "岚川省", "new_name": "渺溪市", "new_code": "", "source": "test"}]
    _, former, changes, problems = gen.build(old, new, curated)
    assert problems == [] and changes == [("980121", "渺溪县", "980181", "渺溪市", "2020", "test")]
