"""Plans written for the tests, in plankg's maintainers' own words, for six
provinces and regions outside Hunan, Hubei and Jiangxi, in the forms and
encodings users bring: GB18030 text, an HTML page, a news post with front
matter, an opinion without 《》, traditional characters in Big5, an
autonomous region with the Production and Construction Corps.
Each entry: file name, encoding, text.
"""
from __future__ import annotations

SICHUAN_PLAN = "成德眉资同城化发展规划（2024—2030年）"
SICHUAN = ("chengde.txt", "gb18030", f"""四川省人民政府关于印发《{SICHUAN_PLAN}》的通知
川府发〔2024〕12号
各市（州）人民政府，省政府各部门：
现将《{SICHUAN_PLAN}》印发给你们，请认真组织实施。
四川省人民政府
2024年5月20日
一、规划范围
规划范围包括成都市、德阳市、眉山市和资阳市，面积约3.3万平方公里。
二、空间格局
构建以成都市、德阳市、眉山市为节点的成德眉发展轴。
三、重点任务
（一）推进成德市域铁路建设。（省交通运输厅牵头，省发展改革委、德阳市人民政府等按职责分工负责）
（二）共建成资临空经济产业带。
牵头单位：省经济合作局
配合单位：资阳市人民政府、成都市人民政府
""")

SHAANXI_PLAN = "关中平原城市群西安—咸阳一体化实施方案"
SHAANXI = ("xixian.html", "utf-8", f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{SHAANXI_PLAN}</title>
<script>var nav = "首页 政务公开 陕西省人民政府";</script></head><body>
<div class="nav">首页 &gt; 政务公开 &gt; 规划计划</div>
<h1>陕西省人民政府办公厅关于印发{SHAANXI_PLAN}的通知</h1>
<p>陕政办发〔2023〕21号</p>
<p>各设区市人民政府，省人民政府各工作部门、各直属机构：</p>
<p>经省人民政府同意，现将《{SHAANXI_PLAN}》印发给你们，请结合实际认真贯彻落实。</p>
<p>陕西省人民政府办公厅</p><p>2023年9月4日</p>
<h2>一、发展布局</h2>
<p>以西安市、咸阳市、宝鸡市、渭南市为节点的陆桥发展轴，依托陇海铁路和连霍高速，加强与兰州市、郑州市联系。</p>
<h2>二、主要任务</h2>
<p>（一）建设西安咸阳国际机场三期工程。（省发展改革委、民航西北地区管理局牵头，咸阳市人民政府配合）</p>
<p>（二）推进西咸同城交通网络。（省交通运输厅牵头，西安市人民政府、咸阳市人民政府等按职责分工负责，2025年底前完成）</p>
<div class="footer">网站标识码 6100000001 陕ICP备05001614号</div>
</body></html>""")

GUANGXI_PLAN = "北部湾城市群协同发展行动计划（2024—2026年）"
GUANGXI = ("beibuwan.md", "utf-8", f"""---
title: '广西壮族自治区人民政府印发《{GUANGXI_PLAN}》'
date: Tue, 12 Mar 2024 08:30:00 GMT
---

新华社南宁3月11日电 日前，广西壮族自治区人民政府印发了《{GUANGXI_PLAN}》，要求各地各部门抓好落实。

行动计划提出，北部湾城市群（南宁市、北海市、钦州市、防城港市、玉林市、崇左市）要建设面向东盟的开放门户。

构建以南宁市、钦州市、北海市为节点的西部陆海新通道发展轴，依托南宁至钦州铁路和兰海高速。

（一）建设平陆运河配套港区。（自治区交通运输厅牵头，自治区发展改革委、钦州市人民政府等按职责分工负责）
""")

HEILONGJIANG_TITLE = "黑龙江省人民政府关于加快哈大齐工业走廊建设的实施意见"
HEILONGJIANG = ("hadaqi.txt", "utf-8", f"""{HEILONGJIANG_TITLE}
黑政发〔2022〕5号
各市（地）、县（市）人民政府（行政公署），省政府各直属单位：
为加快哈大齐工业走廊建设，提出如下意见。
一、总体要求
构建以哈尔滨市、大庆市、齐齐哈尔市为节点的哈大齐发展轴。
二、重点任务
（一）建设哈大齐装备制造产业集群。
责任单位：省工业和信息化厅、省发展改革委，哈尔滨市、大庆市、齐齐哈尔市人民政府
（二）完善走廊交通基础设施，推进哈尔滨至大庆城际铁路前期工作。由省交通运输厅牵头，省发展改革委、省自然资源厅配合。
黑龙江省人民政府
2022年3月15日
""")

TAICHUNG_PLAN = "臺中市豐原區都市計畫通盤檢討（主要計畫）案"
TAICHUNG = ("fengyuan.md", "big5", f"""# {TAICHUNG_PLAN}

## 臺中市政府

中華民國 111 年 8 月 3 日府授都計字第 1110200001 號公告公開展覽

一、實施進度

| 序號 | 計畫項目 | 主辦單位 | 協辦單位 |
|---|---|---|---|
| 1 | 豐原火車站周邊再發展 | 臺中市政府都市發展局 | 臺中市政府交通局、臺中市政府經濟發展局 |
| 2 | 葫蘆墩圳水岸綠廊 | 臺中市政府水利局 | 臺中市政府建設局 |
""")

XINJIANG_PLAN = "天山北坡城市群交通一体化实施方案"
XINJIANG = ("tianshan.txt", "utf-8", f"""新疆维吾尔自治区人民政府关于印发《{XINJIANG_PLAN}》的通知
新政发〔2023〕30号
伊犁哈萨克自治州，各州、市人民政府，各行政公署，自治区人民政府各部门：
现将《{XINJIANG_PLAN}》印发给你们，请认真贯彻执行。
新疆维吾尔自治区人民政府
2023年7月10日
一、规划范围
规划范围包括乌鲁木齐市、昌吉回族自治州、石河子市和克拉玛依市。
二、重点任务
（一）建设乌鲁木齐国际陆港区。（自治区发展改革委牵头，自治区交通运输厅、兵团发展改革委、乌鲁木齐市人民政府等按职责分工负责）
（二）推进乌昌石城际铁路前期工作。（自治区交通运输厅、新疆生产建设兵团牵头）
""")

ALL = {"sichuan": SICHUAN, "shaanxi": SHAANXI, "guangxi": GUANGXI, "heilongjiang": HEILONGJIANG,
       "taichung": TAICHUNG, "xinjiang": XINJIANG}
