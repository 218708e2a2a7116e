"""End to end on plans written for these tests: a Jiangxi plan as a GB18030
HTML scrape with navigation and footer, and a Guangdong plan in traditional
characters encoded as Big5 with a tab-separated annex. Place short forms,
agency abbreviations of another province, projects and prose targets: nothing
of it is in the sample corpus or in code; only gazetteers and rules can get it right."""
from __future__ import annotations

import pytest

import plankg

PAGE = """<html><head><meta charset="gb18030"><title>江西省人民政府门户网站</title></head><body>
<div class="nav">首页 | 政务公开 | 政策文件 | 互动交流</div>
<h1>江西省人民政府关于印发《赣中城镇协同发展规划（2024—2030年）》的通知</h1>
<p>赣府发〔2024〕9号</p>
<p>各设区市人民政府，省政府各部门：</p>
<p>现将《赣中城镇协同发展规划（2024—2030年）》印发给你们，请认真贯彻执行。</p>
<p>江西省人民政府</p>
<p>2024年3月5日</p>
<h2>赣中城镇协同发展规划（2024—2030年）</h2>
<p>一、空间布局</p>
<p>沪昆城镇发展轴。以南昌、抚州、鹰潭、上饶为节点，依托沪昆高铁和沪昆高速，建设东西向城镇密集带。</p>
<p>京九城镇发展轴。以南昌、吉安、赣州为节点，依托京九铁路和昌吉赣高铁，串联赣中南城镇。</p>
<p>二、重点任务</p>
<p>加快沪昆高铁沿线综合交通枢纽建设，推进昌景黄高铁建成通车。（省发展改革委牵头负责，省交通运输厅、省自然资源厅等参与）</p>
<p>到2030年，常住人口城镇化率达到70%以上。</p>
<div class="footer">版权所有：江西省人民政府办公厅 分享到：微信 微博</div>
</body></html>
"""
PLAN = "赣中城镇协同发展规划（2024—2030年）"


def build_one(tmp_path_factory, filename: str, data: bytes):
    """Build a folder holding one plan file; it must read cleanly and hold one plan."""
    folder = tmp_path_factory.mktemp("unseen")
    (folder / filename).write_bytes(data)
    result = plankg.build([folder], out=folder / "out")
    assert result.errors == [] and result.plans == 1
    return result.out


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    return build_one(tmp_path_factory, "ganzhong.html", PAGE.encode("gb18030"))


def rows(name, out):
    return sorted(plankg.query(name, graph_dir=out).rows)


def test_plan_metadata(unseen):
    assert rows("plans", unseen) == [
        (PLAN, f"江西省人民政府关于印发《{PLAN}》的通知", "江西省人民政府", "2024-03-05", "赣府发〔2024〕9号", "plan", "")]


def test_axes_nodes_and_corridors(unseen):
    nodes = {(axis, corridor, city) for _, axis, corridor, city in rows("axis-nodes", unseen)}
    assert nodes == {
        ("沪昆城镇发展轴", "沪昆通道", c) for c in ("南昌市", "抚州市", "鹰潭市", "上饶市")
    } | {("京九城镇发展轴", "京九通道", c) for c in ("南昌市", "吉安市", "赣州市")}
    infrastructure = {(axis, line) for _, axis, line in rows("axis-infrastructure", unseen)}
    assert infrastructure == {("沪昆城镇发展轴", "沪昆高铁"), ("沪昆城镇发展轴", "沪昆高速"),
                              ("京九城镇发展轴", "京九铁路"), ("京九城镇发展轴", "昌吉赣高铁")}


def test_abbreviated_agencies_resolve_to_the_issuing_province(unseen):
    roles = {(agency, role) for *_, agency, role in rows("task-agencies", unseen)}
    assert roles == {("江西省发展和改革委员会", "lead"), ("江西省交通运输厅", "support"),
                     ("江西省自然资源厅", "support")}
    owners = {(corridor, agency, role) for corridor, agency, role, _ in rows("corridor-agencies", unseen)}
    assert ("沪昆通道", "江西省发展和改革委员会", "lead") in owners


def test_projects_and_target(unseen):
    projects = {(p, kind) for p, kind, _ in rows("project-plans", unseen)}
    assert {("昌景黄高铁", "railway.high-speed"), ("沪昆高速", "expressway"), ("沪昆高铁", "railway.high-speed")} <= projects
    assert [r[1:5] for r in rows("indicators", unseen)] == [("常住人口城镇化率", "2030", "≥70", "%")]


def test_web_noise_is_not_in_the_graph(unseen):
    text = (unseen / "graph.nt").read_text("utf-8")
    assert "互动交流" not in text and "分享到" not in text


TRADITIONAL = """廣東省人民政府關於印發《粵北生態發展區協調發展實施方案》的通知
粵府〔2021〕33號
各地級以上市人民政府，省政府各部門：
現將《粵北生態發展區協調發展實施方案》印發給你們，請認真組織實施。
廣東省人民政府
2021年9月8日

粵北生態發展區協調發展實施方案

為貫徹落實《廣東省國土空間規劃（2021—2035年）》，制定本方案。
到2025年，森林覆蓋率穩定在58%以上。
京廣發展軸。以韶關、清遠為節點，依託京廣高鐵和京港澳高速，推動沿線城鎮集聚發展。
（一）完善交通網絡。加快韶關丹霞機場改擴建，推進贛深高鐵建設（省發展改革委牽頭，省交通運輸廳、韶關市人民政府等按職責分工負責）。

附件：重點任務分工表
序號	主要任務	牽頭單位	配合單位
1	推進韶關丹霞機場改擴建	省交通運輸廳	省發展改革委、韶關市人民政府
2	建設南嶺國家公園	省林業局	省生態環境廳、省自然資源廳
"""
GD_PLAN = "粤北生态发展区协调发展实施方案"


@pytest.fixture(scope="module")
def traditional(tmp_path_factory):
    return build_one(tmp_path_factory, "yuebei.txt", TRADITIONAL.encode("big5"))


def test_traditional_big5_plan_end_to_end(traditional):
    assert rows("plans", traditional) == [
        (GD_PLAN, f"广东省人民政府关于印发《{GD_PLAN}》的通知", "广东省人民政府", "2021-09-08", "粤府〔2021〕33号", "scheme", "")]
    assert rows("plan-references", traditional) == [(GD_PLAN, "implements", "广东省国土空间规划（2021—2035年）")]
    assert {r[3] for r in rows("axis-nodes", traditional)} == {"韶关市", "清远市"}
    assert [r[1:5] for r in rows("indicators", traditional)] == [("森林覆盖率", "2025", "≥58", "%")]
    assert {p for p, _, _ in rows("project-plans", traditional)} >= {"韶关丹霞机场", "赣深高铁", "京广高铁"}


def test_traditional_annex_and_parenthetical(traditional):
    assigned = {(no, agency, role) for _, no, _, agency, role in rows("task-agencies", traditional)}
    assert assigned == {
        ("P1", "广东省发展和改革委员会", "lead"), ("P1", "广东省交通运输厅", "support"), ("P1", "韶关市人民政府", "support"),
        ("1", "广东省交通运输厅", "lead"), ("1", "广东省发展和改革委员会", "support"), ("1", "韶关市人民政府", "support"),
        ("2", "广东省林业局", "lead"), ("2", "广东省生态环境厅", "support"), ("2", "广东省自然资源厅", "support"),
    }
