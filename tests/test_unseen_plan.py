"""End to end on a plan written for this test: another province (Jiangxi), a
GB18030 HTML scrape with navigation and footer, place short forms, an agency
parenthetical with abbreviations, projects and a prose target. Nothing of it is
in the sample corpus or in code; only gazetteers and rules can get it right."""
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


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unseen")
    (folder / "ganzhong.html").write_bytes(PAGE.encode("gb18030"))
    out = folder / "out"
    result = plankg.build([folder], out=out)
    assert result.errors == [] and result.plans == 1
    return out


def rows(name, out):
    return sorted(plankg.query(name, graph_dir=out).rows)


def test_plan_metadata(unseen):
    assert rows("plans", unseen) == [
        (PLAN, f"江西省人民政府关于印发《{PLAN}》的通知", "江西省人民政府", "2024-03-05", "赣府发〔2024〕9号")]


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
