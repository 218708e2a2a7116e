"""Six plans written for the tests (tests/provincial_plans.py), from provinces
and regions outside Hunan, Hubei and Jiangxi, end to end: read in their
encodings and formats, extracted, built, asked through the canned queries,
validated under SHACL, every span holding its quote."""
from __future__ import annotations

import pytest

import plankg
from provincial_plans import ALL, GUANGXI_PLAN, HEILONGJIANG_TITLE, SHAANXI_PLAN, SICHUAN_PLAN, TAICHUNG_PLAN, XINJIANG_PLAN
from test_open_world import spans_hold_quotes


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    out = {}
    for key, (name, encoding, text) in ALL.items():
        folder = tmp_path_factory.mktemp(key)
        path = folder / name
        path.write_bytes(text.encode(encoding))
        plankg.build([path], out=folder / "out")
        out[key] = (folder / "out", path, text)
    return out


def rows(builds, key, name):
    return sorted(plankg.query(name, graph_dir=builds[key][0]).rows)


def roles(builds, key):
    return {(no, agency, role) for _, no, _, agency, role in rows(builds, key, "task-agencies")}


@pytest.mark.parametrize("key", sorted(ALL))
def test_every_build_validates_and_every_span_holds_its_quote(builds, key):
    out, path, text = builds[key]
    assert plankg.validate(out).conforms
    from plankg.loaders.reader import read_document

    spans_hold_quotes(out, read_document(path).text)


def test_sichuan_gb18030_notice_axis_scope_parenthetical_and_slots(builds):
    assert rows(builds, "sichuan", "plans") == [
        (SICHUAN_PLAN, f"四川省人民政府关于印发《{SICHUAN_PLAN}》的通知", "四川省人民政府", "2024-05-20",
         "川府发〔2024〕12号", "plan", "")]
    assert {c for _, c in rows(builds, "sichuan", "plan-scope")} == {"成都市", "德阳市", "眉山市", "资阳市"}
    assert {(a, c) for _, a, _, c in rows(builds, "sichuan", "axis-nodes")} == {
        ("成德眉发展轴", c) for c in ("成都市", "德阳市", "眉山市")}
    assert roles(builds, "sichuan") == {
        ("P1", "四川省交通运输厅", "lead"), ("P1", "四川省发展和改革委员会", "support"), ("P1", "德阳市人民政府", "support"),
        ("P2", "四川省经济合作局", "lead"), ("P2", "资阳市人民政府", "support"), ("P2", "成都市人民政府", "support")}
    assert [(n, k) for n, k, _, _ in rows(builds, "sichuan", "unresolved")] == [("四川省经济合作局", "agency")]


def test_shaanxi_html_page_national_corridor_and_joint_leads(builds):
    plans = rows(builds, "shaanxi", "plans")
    assert [(p, i, d, n, k) for p, _, i, d, n, k, _ in plans] == [
        (SHAANXI_PLAN, "陕西省人民政府办公厅", "2023-09-04", "陕政办发〔2023〕21号", "scheme")]
    assert {(a, corridor, c) for _, a, corridor, c in rows(builds, "shaanxi", "axis-nodes")} == {
        ("陆桥发展轴", "陆桥通道", c) for c in ("西安市", "咸阳市", "宝鸡市", "渭南市")}
    assert roles(builds, "shaanxi") == {
        ("P1", "陕西省发展和改革委员会", "lead"), ("P1", "民航西北地区管理局", "lead"), ("P1", "咸阳市人民政府", "support"),
        ("P2", "陕西省交通运输厅", "lead"), ("P2", "西安市人民政府", "support"), ("P2", "咸阳市人民政府", "support")}
    text = " ".join(r[2] for r in rows(builds, "shaanxi", "task-agencies"))
    assert "var nav" not in text and "ICP" not in text  # scripts and footers are not read


def test_guangxi_news_post_wire_title_front_matter_date_and_members(builds):
    assert rows(builds, "guangxi", "plans") == [
        (GUANGXI_PLAN, "", "广西壮族自治区人民政府", "", "", "programme", "2024-03-12")]
    assert {(a, corridor, c) for _, a, corridor, c in rows(builds, "guangxi", "axis-nodes")} == {
        ("西部陆海新通道发展轴", "西部陆海走廊", c) for c in ("南宁市", "钦州市", "北海市")}
    assert roles(builds, "guangxi") == {
        ("P1", "广西壮族自治区交通运输厅", "lead"), ("P1", "广西壮族自治区发展和改革委员会", "support"),
        ("P1", "钦州市人民政府", "support")}


def test_heilongjiang_opinion_without_quotes_slots_and_led_by(builds):
    assert rows(builds, "heilongjiang", "plans") == [
        (HEILONGJIANG_TITLE, "", "黑龙江省人民政府", "2022-03-15", "黑政发〔2022〕5号", "opinion", "")]
    assert roles(builds, "heilongjiang") == {
        ("P1", "黑龙江省工业和信息化厅", "lead"), ("P1", "黑龙江省发展和改革委员会", "lead"),
        ("P1", "哈尔滨市人民政府", "lead"), ("P1", "大庆市人民政府", "lead"), ("P1", "齐齐哈尔市人民政府", "lead"),
        ("P2", "黑龙江省交通运输厅", "lead"), ("P2", "黑龙江省发展和改革委员会", "support"),
        ("P2", "黑龙江省自然资源厅", "support")}
    assert {c for _, _, _, c in rows(builds, "heilongjiang", "axis-nodes")} == {"哈尔滨市", "大庆市", "齐齐哈尔市"}


def test_taiwan_big5_urban_plan_with_its_calendar_and_columns(builds):
    simplified = "台中市丰原区都市计划通盘检讨（主要计划）案"
    assert rows(builds, "taichung", "plans") == [(simplified, "", "台中市政府", "2022-08-03", "", "urban-plan", "")]
    assert roles(builds, "taichung") == {
        ("1", "台中市政府都市发展局", "lead"), ("1", "台中市政府交通局", "support"), ("1", "台中市政府经济发展局", "support"),
        ("2", "台中市政府水利局", "lead"), ("2", "台中市政府建设局", "support")}
    assert TAICHUNG_PLAN != simplified  # the file is traditional; labels are simplified


def test_xinjiang_autonomous_region_and_the_corps(builds):
    plans = rows(builds, "xinjiang", "plans")
    assert [(p, i, d, n) for p, _, i, d, n, _, _ in plans] == [
        (XINJIANG_PLAN, "新疆维吾尔自治区人民政府", "2023-07-10", "新政发〔2023〕30号")]
    assert {c for _, c in rows(builds, "xinjiang", "plan-scope")} == {"乌鲁木齐市", "昌吉回族自治州", "石河子市", "克拉玛依市"}
    assert roles(builds, "xinjiang") >= {
        ("P1", "新疆维吾尔自治区发展和改革委员会", "lead"), ("P1", "新疆维吾尔自治区交通运输厅", "support"),
        ("P1", "乌鲁木齐市人民政府", "support"), ("P2", "新疆维吾尔自治区交通运输厅", "lead"), ("P2", "新疆生产建设兵团", "lead")}
