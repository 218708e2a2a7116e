"""An interactive HTML view of the city–axis network (pyvis / vis-network).

The page is self-contained: vis-network is inlined and pyvis's Bootstrap tags,
which point at a CDN, are removed, so it opens offline and from a file.

>>> rows = [("规划甲", "甲轴", "甲走廊", "A市"), ("规划甲", "甲轴", "甲走廊", "B市")]
>>> html = city_axis_html(rows, "示例")
>>> bool(re.search(r'(src|href)="https?://', html)), html.count('"kind": "city"'), html.count("<h1>示例</h1>")
(False, 2, 1)
"""
from __future__ import annotations

import html as html_escape
import re

from pyvis.network import Network

from plankg.graph.network import city_axis_graph

CITY_COLOR = "#4c78a8"
NO_CORRIDOR_COLOR = "#bab0ac"
CORRIDOR_PALETTE = ("#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d",
                    "#d62728", "#17becf", "#bcbd22", "#8c564b")
_REMOTE_TAG = re.compile(r"<(link|script)\b[^>]*\bhttps?://[^>]*>(\s*</script>)?", re.S)


def corridor_colors(corridors) -> dict[str, str]:
    """A colour per corridor, given in sorted order so the same corridors get the same colours.

    >>> corridor_colors(["乙", "甲", ""])
    {'乙': '#f58518', '甲': '#54a24b'}
    """
    named = sorted({c for c in corridors if c})
    return {c: CORRIDOR_PALETTE[i % len(CORRIDOR_PALETTE)] for i, c in enumerate(named)}


def city_axis_network(rows, heading: str = "") -> Network:
    """A pyvis ``Network`` of ``axis-nodes`` rows ``(plan, axis, corridor, city)``.

    Cities are blue dots sized by the number of axes they sit on; each plan's
    axis is a box coloured by the corridor it follows, so axes of different
    plans along one corridor share a colour.
    """
    g = city_axis_graph(rows)
    colors = corridor_colors(d.get("corridor", "") for _, d in g.nodes(data=True))
    net = Network(height="760px", width="100%", heading=heading, cdn_resources="in_line")
    for node in sorted(g.nodes):
        data = g.nodes[node]
        if data["kind"] == "city":
            degree = g.degree(node)
            net.add_node(node, label=data["label"], shape="dot", color=CITY_COLOR, size=8 + 3 * degree,
                         title=f"{data['label']}\n{degree} axes", kind="city")
        else:
            corridor = data["corridor"]
            title = "\n".join(x for x in (data["label"], data["plan"], corridor) if x)
            net.add_node(node, label=data["label"], shape="box", color=colors.get(corridor, NO_CORRIDOR_COLOR),
                         title=title, kind="axis")
    for u, v in sorted(tuple(sorted(e)) for e in g.edges):
        net.add_edge(u, v, color="#9aa5b1")
    return net


def _legend(colors: dict[str, str]) -> str:
    items = "".join(
        f'<span style="display:inline-block;margin:2px 10px"><span style="display:inline-block;width:12px;'
        f'height:12px;background:{color};margin-right:4px"></span>{html_escape.escape(name)}</span>'
        for name, color in colors.items())
    return f'<div id="legend" style="font:13px sans-serif;text-align:center">走廊 (corridors): {items}</div>'


def offline_html(net: Network, legend: str = "") -> str:
    """The page of a pyvis network with every tag that loads from the web removed,
    a ``<title>``, one heading (pyvis's template prints it twice) and an optional legend."""
    page = _REMOTE_TAG.sub("", net.generate_html())
    heading = f"<h1>{net.heading}</h1>"
    if net.heading and page.count(heading) > 1:
        page = page.replace(heading, "", 1)
    title = f"<title>{html_escape.escape(net.heading or 'plankg')}</title>"
    page = page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n        {title}', 1)
    if legend:
        page = page.replace('<div id="mynetwork"', f'{legend}\n<div id="mynetwork"', 1)
    return page


def city_axis_html(rows, heading: str = "") -> str:
    """A self-contained HTML page of the city–axis network, with a corridor legend."""
    net = city_axis_network(rows, heading)
    colors = corridor_colors(r[2] for r in rows)
    return offline_html(net, _legend(colors) if colors else "")
