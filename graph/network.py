"""networkx views of the city–axis network and rankings over them.

>>> rows = [("规划甲", "甲轴", "", "A市"), ("规划甲", "甲轴", "", "B市"), ("规划乙", "乙轴", "", "B市")]
>>> g = city_axis_graph(rows)
>>> sorted(n for n, d in g.nodes(data=True) if d["kind"] == "city")
['A市', 'B市']
>>> rank_cities(rows)[0]["city"]
'B市'
"""
from __future__ import annotations

import networkx as nx


def _axis_node(plan: str, axis: str) -> str:
    return f"{axis}｜{plan}"


def city_axis_graph(rows) -> nx.Graph:
    """Bipartite graph: cities and axes (an axis is one plan's axis), from
    ``axis-nodes`` rows ``(plan, axis, corridor, city)``."""
    g = nx.Graph()
    for plan, axis, corridor, city in rows:
        a = _axis_node(plan, axis)
        g.add_node(a, kind="axis", label=axis, plan=plan, corridor=corridor or "")
        g.add_node(city, kind="city", label=city)
        g.add_edge(city, a)
    return g


def city_comembership_graph(rows) -> nx.Graph:
    """Cities linked when they sit on a common axis; ``weight`` counts the axes."""
    bipartite = city_axis_graph(rows)
    cities = [n for n, d in bipartite.nodes(data=True) if d["kind"] == "city"]
    g = nx.Graph()
    g.add_nodes_from(cities)
    for a, d in bipartite.nodes(data=True):
        if d["kind"] != "axis":
            continue
        members = sorted(bipartite.neighbors(a))
        for i, u in enumerate(members):
            for v in members[i + 1:]:
                w = g.get_edge_data(u, v, {"weight": 0})["weight"]
                g.add_edge(u, v, weight=w + 1)
    return g


def rank_cities(rows) -> list[dict]:
    """Cities by number of axes, plans, co-membership degree and betweenness."""
    bipartite = city_axis_graph(rows)
    co = city_comembership_graph(rows)
    betweenness = nx.betweenness_centrality(co, normalized=True)
    out = []
    for city in co.nodes:
        axes = list(bipartite.neighbors(city))
        plans = {bipartite.nodes[a]["plan"] for a in axes}
        out.append({"city": city, "n_axes": len(axes), "n_plans": len(plans),
                    "degree": co.degree(city), "betweenness": round(betweenness[city], 4)})
    out.sort(key=lambda r: (-r["n_axes"], -r["n_plans"], -r["betweenness"], r["city"]))
    return out
