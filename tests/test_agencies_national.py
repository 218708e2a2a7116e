"""Agency reference data for the whole country: State Council bodies, central party
bodies, every province's and prefecture-level city's departments, municipalities'
own names, old bodies and their successors, central enterprises, and a province
added by a data directory alone. All texts here are written for these tests."""
from __future__ import annotations

import collections
from pathlib import Path

import pytest

from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.tasks import extract_tasks
from test_metadata import prepared_text

AGENCIES = AgencyGazetteer.load()
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fictional_province"

SICHUAN, LIAONING, XINJIANG, GUANGDONG, BEIJING, SHANGHAI = "510000", "210000", "650000", "440000", "110000", "310000"
TIANJIN, CHONGQING, HUNAN = "120000", "500000", "430000"


@pytest.mark.parametrize("written, province, official", [
    # State Council constituent departments, the special body, directly affiliated bodies
    ("外交部", None, "外交部"),
    ("国家发展改革委", SICHUAN, "国家发展和改革委员会"),
    ("工业和信息化部", None, "工业和信息化部"),
    ("人力资源社会保障部", LIAONING, "人力资源和社会保障部"),
    ("住房城乡建设部", None, "住房和城乡建设部"),
    ("交通运输部", GUANGDONG, "交通运输部"),
    ("国家卫生健康委", None, "国家卫生健康委员会"),
    ("退役军人部", None, "退役军人事务部"),
    ("审计署", XINJIANG, "审计署"),
    ("国务院国资委", SHANGHAI, "国务院国有资产监督管理委员会"),
    ("税务总局", None, "国家税务总局"),
    ("市场监管总局", None, "国家市场监督管理总局"),
    ("金融监管总局", None, "国家金融监督管理总局"),
    ("中国证监会", BEIJING, "中国证券监督管理委员会"),
    ("国管局", None, "国家机关事务管理局"),
    ("国家医保局", None, "国家医疗保障局"),
    # offices, institutions and the bureaus ministries administer
    ("国务院港澳办", None, "国务院港澳事务办公室"),
    ("新华社", None, "新华通讯社"),
    ("中科院", None, "中国科学院"),
    ("国家林草局", SICHUAN, "国家林业和草原局"),
    ("民航局", None, "中国民用航空局"),
    ("国家铁路局", None, "国家铁路局"),
    ("国家数据局", None, "国家数据局"),
    ("国家疾控局", None, "国家疾病预防控制局"),
    ("国家外汇局", None, "国家外汇管理局"),
    ("国家药监局", None, "国家药品监督管理局"),
    ("国家矿山安监局", None, "国家矿山安全监察局"),
    # central party bodies, state organs, people's organisations, the Corps
    ("中央组织部", None, "中共中央组织部"),
    ("中央网信办", None, "中央网络安全和信息化委员会办公室"),
    ("中央财办", None, "中央财经委员会办公室"),
    ("中央编办", None, "中央机构编制委员会办公室"),
    ("全国人大常委会办公厅", None, "全国人民代表大会常务委员会办公厅"),
    ("最高检", None, "最高人民检察院"),
    ("共青团中央", None, "中国共产主义青年团中央委员会"),
    ("全国工商联", None, "中华全国工商业联合会"),
    ("兵团", None, "新疆生产建设兵团"),
    # central enterprises
    ("国网", None, "国家电网有限公司"),
    ("国铁集团", None, "中国国家铁路集团有限公司"),
    ("中国石化", None, "中国石油化工集团有限公司"),
    ("中国联通", None, "中国联合网络通信集团有限公司"),
    # provincial departments, relative to the issuing province
    ("省发展改革委", SICHUAN, "四川省发展和改革委员会"),
    ("省住房城乡建设厅", LIAONING, "辽宁省住房和城乡建设厅"),
    ("自治区发展改革委", XINJIANG, "新疆维吾尔自治区发展和改革委员会"),
    ("新疆自治区交通运输厅", None, "新疆维吾尔自治区交通运输厅"),
    ("省委宣传部", GUANGDONG, "中共广东省委宣传部"),
    ("省委金融办", SICHUAN, "中共四川省委金融委员会办公室"),
    ("省国资委", LIAONING, "辽宁省人民政府国有资产监督管理委员会"),
    ("省医保局", GUANGDONG, "广东省医疗保障局"),
    ("四川省林草局", None, "四川省林业和草原局"),
])
def test_names_resolve_nationwide(written, province, official):
    assert AGENCIES.resolve(written, province).name == official


@pytest.mark.parametrize("written, province, official", [
    ("市发展改革委", BEIJING, "北京市发展和改革委员会"),
    ("市交通委", BEIJING, "北京市交通委员会"),
    ("市规划自然资源委", BEIJING, "北京市规划和自然资源委员会"),
    ("市教委", SHANGHAI, "上海市教育委员会"),
    ("市交通委", SHANGHAI, "上海市交通委员会"),
    ("市住房城乡建设管理委", SHANGHAI, "上海市住房和城乡建设管理委员会"),
    ("市财政局", TIANJIN, "天津市财政局"),
    ("市交通运输委", TIANJIN, "天津市交通运输委员会"),
    ("市交通局", CHONGQING, "重庆市交通局"),
    ("市委网信办", SHANGHAI, "中共上海市委网络安全和信息化委员会办公室"),
])
def test_municipalities_have_their_own_department_names(written, province, official):
    assert AGENCIES.resolve(written, province).name == official


def test_municipalities_have_no_province_style_names():
    assert AGENCIES.resolve("北京市交通运输厅") is None
    assert AGENCIES.resolve("市交通运输厅", SHANGHAI) is None
    assert AGENCIES.resolve("省交通运输厅", HUNAN).name == "湖南省交通运输厅"


def test_city_departments_resolve_against_the_issuing_city():
    guangzhou = "440100"
    assert AGENCIES.resolve("市发展改革委", GUANGDONG, city=guangzhou).name == "广州市发展和改革委员会"
    assert AGENCIES.resolve("市交通运输局", GUANGDONG, city=guangzhou).name == "广州市交通运输局"
    assert AGENCIES.resolve("市交通运输局", GUANGDONG, city="440300").name == "深圳市交通运输局"
    assert AGENCIES.resolve("州发展改革委", HUNAN, city="433100").name == "湘西土家族苗族自治州发展和改革委员会"
    assert AGENCIES.resolve("湘西州财政局").name == "湘西土家族苗族自治州财政局"
    assert AGENCIES.resolve("深圳市住建局").name == "深圳市住房和城乡建设局"
    # Without the city, 市… in a provincial document is not any one city's body.
    assert AGENCIES.resolve("市发展改革委", GUANGDONG) is None
    # The province's relative forms still resolve when a city is given.
    assert AGENCIES.resolve("省发展改革委", GUANGDONG, city=guangzhou).name == "广东省发展和改革委员会"
    # A prefecture's government carries its city, so a plan's issuer gives the context.
    assert AGENCIES.resolve("广州市人民政府").city == guangzhou


def test_bare_national_short_forms_resolve_in_national_documents_only():
    assert AGENCIES.resolve("发展改革委").name == "国家发展和改革委员会"
    assert AGENCIES.resolve("财政部").name == "财政部"
    assert AGENCIES.resolve("财政部", SICHUAN).name == "财政部"
    assert AGENCIES.resolve("统计局").name == "国家统计局"
    assert AGENCIES.resolve("人民银行").name == "中国人民银行"
    assert AGENCIES.resolve("统计局", SICHUAN) is None
    assert AGENCIES.resolve("国资委", LIAONING) is None


def lineage(key: str) -> list[tuple[str, int, str]]:
    return sorted((AGENCIES.agencies[s.new].name, s.year, s.kind) for s in AGENCIES.successors(key))


@pytest.mark.parametrize("old, successors", [
    ("国家林业局", [("国家林业和草原局", 2018, "merge")]),
    ("国土资源部", [("自然资源部", 2018, "merge")]),
    ("环境保护部", [("生态环境部", 2018, "merge")]),
    ("农业部", [("农业农村部", 2018, "merge")]),
    ("国家卫生计生委", [("国家卫生健康委员会", 2018, "merge")]),
    ("国家工商总局", [("国家市场监督管理总局", 2018, "merge")]),
    ("国家质检总局", [("国家市场监督管理总局", 2018, "split"), ("海关总署", 2018, "split")]),
    ("文化部", [("文化和旅游部", 2018, "merge")]),
    ("国家旅游局", [("文化和旅游部", 2018, "merge")]),
    ("劳动保障部", [("人力资源和社会保障部", 2008, "merge")]),
    ("交通部", [("交通运输部", 2008, "merge")]),
    ("铁道部", [("中国铁路总公司", 2013, "split"), ("交通运输部", 2013, "split"), ("国家铁路局", 2013, "split")]),
    ("中国铁路总公司", [("中国国家铁路集团有限公司", 2019, "rename")]),
    ("国务院三峡办", [("水利部", 2018, "merge")]),
    ("国务院振兴东北办", [("国家发展和改革委员会", 2008, "merge")]),
    ("国务院西部开发办", [("国家发展和改革委员会", 2008, "merge")]),
    ("中国银监会", [("中国银行保险监督管理委员会", 2018, "merge")]),
    ("中国保监会", [("中国银行保险监督管理委员会", 2018, "merge")]),
    ("中国银保监会", [("国家金融监督管理总局", 2023, "merge")]),
    ("国家计委", [("国家发展和改革委员会", 2003, "rename")]),
    ("国家乡村振兴局", [("农业农村部", 2023, "merge")]),
])
def test_old_national_bodies_and_their_successors(old, successors):
    agency = AGENCIES.resolve(old)
    assert agency is not None and lineage(agency.key) == sorted(successors)


def test_every_succession_links_two_known_bodies():
    unknown = [(s.old, s.new) for s in AGENCIES.successions if s.old not in AGENCIES.agencies or s.new not in AGENCIES.agencies]
    assert unknown == []
    kinds = collections.Counter(s.kind for s in AGENCIES.successions)
    assert set(kinds) <= {"rename", "merge", "split"}


def test_province_and_city_successions_are_generated_for_every_province():
    assert lineage("sc-eitc") == [("四川省工业和信息化厅", 2018, "rename")]
    assert lineage("ln-rural-revitalization") == [("辽宁省农业农村厅", 2024, "merge")]
    assert lineage("sh-env") == [("上海市生态环境局", 2018, "merge")]
    assert lineage("440100-land") == [("广州市自然资源和规划局", 2019, "merge")]
    # Hunan's own rows stay as they were, one succession per pair.
    assert lineage("hn-poverty") == [("湖南省乡村振兴局", 2021, "rename")]


def test_hunan_names_are_unchanged():
    drc = AGENCIES.agencies["hn-drc"]
    assert drc.name == "湖南省发展和改革委员会"
    assert set(drc.aliases) == {"湖南省发改委", "湖南省发展改革委", "湖南省发展和改革委", "省发改委", "省发展改革委", "省发展和改革委"}
    assert AGENCIES.agencies["hn-tr"].name == "湖南省交通运输厅"


def test_sichuan_task_assigns_national_provincial_and_central_bodies():
    text = "推进川西林区生态修复。（省林草局牵头，省发展改革委、国家林草局、中国证监会、国网四川省电力公司等按职责分工负责）"
    tasks = extract_tasks(prepared_text(text), SICHUAN)
    names = {(AGENCIES.agencies[r.key].name if r.key in AGENCIES.agencies else r.key, role)
             for t in tasks for role, refs in (("lead", t.lead), ("support", t.support)) for r in refs}
    assert ("四川省林业和草原局", "lead") in names
    assert {("四川省发展和改革委员会", "support"), ("国家林业和草原局", "support"),
            ("中国证券监督管理委员会", "support")} <= names


def test_a_fictional_province_is_added_by_data_alone():
    extra = (str(FIXTURE),)
    g = AgencyGazetteer.load(extra_dirs=extra, places=PlaceGazetteer.load(extra))
    assert g.province_names["990000"] == "云梦省"
    assert g.resolve("省发展改革委", "990000").name == "云梦省发展和改革委员会"
    assert g.resolve("云梦省发改委").key == "ym-drc"
    assert g.resolve("省交通港航厅", "990000").name == "云梦省交通运输和港航厅"
    assert g.resolve("省委组织部", "990000").name == "中共云梦省委组织部"
    assert g.resolve("省湖区委", "990000").name == "云梦省湖区保护开发委员会"
    assert [(s.new, s.year) for s in g.successors("ym-lakes")] == [("ym-nr", 2019)]
    assert g.resolve("市交通运输局", "990000", city="990100").name == "泽阳市交通运输局"
    assert g.resolve("州财政局", "990000", city="990200").name == "白沙土家族自治州财政局"
    assert g.resolve("泽阳市政府").name == "泽阳市人民政府"
    # The shipped gazetteer is untouched.
    assert AGENCIES.resolve("省发展改革委", "990000") is None
