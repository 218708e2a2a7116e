"""The geographic city–axis view: cities at their WGS84 points, each axis a
polyline through its node cities, coloured by corridor.

The graph holds GCJ-02 centroids (``geo:asWKT`` with plankg's GCJ-02 CRS IRI);
they are converted with ``loaders/geo.py``'s inverse transform, the same one
that fills the ``lon_wgs84``/``lat_wgs84`` columns of the division table.

Node order: plans list an axis' cities as a set (甲、乙、丙为节点), not as a
route, so the text order is not a reliable order along the axis. The cities
are ordered by their position along the axis' principal direction instead
(the first principal component of their points, in a local metric frame).

>>> order_along_axis([(113.0, 28.2), (112.9, 27.9), (113.1, 27.8)])
[0, 1, 2]
>>> parse_wkt_point("<https://w3id.org/plankg/crs/GCJ-02> POINT(112.9 28.2)")
('https://w3id.org/plankg/crs/GCJ-02', 112.9, 28.2)
"""
from __future__ import annotations

import html as html_escape
import json
import math
import re

from plankg.graph.view import NO_CORRIDOR_COLOR, corridor_colors
from plankg.loaders.geo import gcj02_to_wgs84

GCJ02_CRS = "https://w3id.org/plankg/crs/GCJ-02"
_WKT_POINT = re.compile(r"^\s*(?:<([^>]*)>\s*)?POINT\s*\(\s*([-0-9.eE+]+)\s+([-0-9.eE+]+)\s*\)\s*$")

PREFIXES = """PREFIX pkg: <https://w3id.org/plankg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
PLACES_SPARQL = PREFIXES + """SELECT ?place ?label ?wkt ?type WHERE {
  ?place geo:hasCentroid/geo:asWKT ?wkt ; skos:prefLabel ?label .
  OPTIONAL { ?place a ?type . FILTER(STRSTARTS(STR(?type), "https://w3id.org/plankg/ontology#")) }
} ORDER BY ?place ?type"""
AXES_SPARQL = PREFIXES + """SELECT ?axis ?label ?plan ?title ?corridor ?corridorLabel ?city WHERE {
  ?axis a pkg:DevelopmentAxis ; skos:prefLabel ?label ; pkg:inPlan ?plan ; pkg:nodeCity ?city .
  ?plan dct:title ?title .
  OPTIONAL { ?axis pkg:onCorridor ?corridor . ?corridor skos:prefLabel ?corridorLabel }
} ORDER BY ?axis ?city"""


def parse_wkt_point(wkt: str) -> tuple[str, float, float] | None:
    """``(crs IRI or '', lon, lat)`` of a WKT ``POINT``, or None."""
    m = _WKT_POINT.match(wkt)
    if not m:
        return None
    return m.group(1) or "", float(m.group(2)), float(m.group(3))


def wgs84_point(wkt: str) -> tuple[float, float] | None:
    """The WGS84 ``(lon, lat)`` of a graph centroid (GCJ-02 points converted)."""
    parsed = parse_wkt_point(wkt)
    if parsed is None:
        return None
    crs, lon, lat = parsed
    return gcj02_to_wgs84(lon, lat) if crs == GCJ02_CRS else (lon, lat)


def order_along_axis(points: list[tuple[float, float]]) -> list[int]:
    """Indices of ``points`` (lon, lat) sorted by position along their first
    principal direction (longitude scaled by cos(latitude)); ties by index.
    The direction is oriented west to east (south to north if vertical)."""
    n = len(points)
    if n < 3:
        return sorted(range(n), key=lambda i: (points[i][0], points[i][1]))
    lat0 = math.radians(sum(p[1] for p in points) / n)
    xs = [p[0] * math.cos(lat0) for p in points]
    ys = [p[1] for p in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    dx, dy = math.cos(angle), math.sin(angle)
    if dx < -1e-9 or (abs(dx) <= 1e-9 and dy < 0):
        dx, dy = -dx, -dy
    proj = [(x - mx) * dx + (y - my) * dy for x, y in zip(xs, ys)]
    return sorted(range(n), key=lambda i: (round(proj[i], 9), i))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def geo_data(store, all_places: bool = False) -> dict:
    """Cities, axes, plans and corridor colours of a build's Oxigraph store.

    ``places``: the places on axes (every place with a centroid with
    ``all_places``), iri → label, lon, lat, types;
    ``axes``: one entry per axis with its plan, corridor, colour and the IRIs
    of its node cities that have coordinates, in order along the axis.
    """
    places: dict[str, dict] = {}
    for row in store.query(PLACES_SPARQL):
        iri = row["place"].value
        entry = places.get(iri)
        if entry is None:
            point = wgs84_point(row["wkt"].value)
            if point is None:
                continue
            entry = places[iri] = {"iri": iri, "label": row["label"].value, "lon": point[0], "lat": point[1],
                                   "types": []}
        if row["type"] is not None and _local(row["type"].value) not in entry["types"]:
            entry["types"].append(_local(row["type"].value))
    axes: dict[str, dict] = {}
    for row in store.query(AXES_SPARQL):
        iri = row["axis"].value
        axis = axes.setdefault(iri, {
            "iri": iri, "label": row["label"].value, "plan": row["title"].value, "plan_iri": row["plan"].value,
            "corridor": row["corridorLabel"].value if row["corridorLabel"] else "",
            "corridor_iri": row["corridor"].value if row["corridor"] else "", "cities": []})
        city = row["city"].value
        if city in places and city not in axis["cities"]:
            axis["cities"].append(city)
    colors = corridor_colors(a["corridor"] for a in axes.values())
    for axis in axes.values():
        pts = [(places[c]["lon"], places[c]["lat"]) for c in axis["cities"]]
        axis["cities"] = [axis["cities"][i] for i in order_along_axis(pts)]
        axis["color"] = colors.get(axis["corridor"], NO_CORRIDOR_COLOR)
    on_axes = {c for a in axes.values() for c in a["cities"]}
    plans = sorted({(a["plan"], a["plan_iri"]) for a in axes.values()})
    keep = sorted(places) if all_places else sorted(on_axes)
    return {"places": {k: places[k] for k in keep},
            "axes": sorted(axes.values(), key=lambda a: (a["plan"], a["label"], a["iri"])),
            "plans": [{"title": t, "iri": i} for t, i in plans],
            "corridors": colors}


_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>__TITLE__</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;font:13px sans-serif;color:#222;background:#fff;display:flex;height:100vh}
#side{width:300px;overflow:auto;padding:10px;border-right:1px solid #ddd;box-sizing:border-box}
#side h1{font-size:16px;margin:0 0 6px}
#side .note{color:#666;font-size:12px}
#side label{display:block;margin:3px 0}
.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
#map{flex:1;position:relative;overflow:hidden;cursor:grab;background:#f7f9fb}
svg{width:100%;height:100%;display:block}
svg text{font:12px sans-serif;paint-order:stroke;stroke:#fff;stroke-width:3px;fill:#222}
svg text.axis{font-size:11px;fill:#555}
svg a:hover text{fill:#c00}
</style></head><body>
<div id="side"><h1>__HEADING__</h1>
<p class="note">示意图 (schematic): 城市位于 WGS84 坐标 (等距圆柱投影)，发展轴按主方向排列节点城市；
无底图、无行政边界。滚轮缩放，拖动平移。</p>
__BACK__
<h2 style="font-size:14px">规划 (plans)</h2><div id="plans"></div>
<h2 style="font-size:14px">走廊 (corridors)</h2><div id="legend"></div>
</div>
<div id="map"><svg id="svg" xmlns="http://www.w3.org/2000/svg"><g id="lines"></g><g id="dots"></g><g id="labels"></g></svg></div>
<script id="geo-data" type="application/json">__DATA__</script>
<script>
(function(){
const D = JSON.parse(document.getElementById('geo-data').textContent);
const LINK = D.link;  // base URL of the explorer's resource pages, or null
const NS = 'http://www.w3.org/2000/svg';
const svg = document.getElementById('svg');
const places = D.places, axes = D.axes;
const ids = Object.keys(places);
let lat0 = 0; ids.forEach(k => lat0 += places[k].lat); lat0 = ids.length ? lat0 / ids.length : 0;
const kx = Math.cos(lat0 * Math.PI / 180);
function world(p){ return [p.lon * kx, -p.lat]; }
let view = {s: 1, tx: 0, ty: 0};
function el(tag, attrs, parent){ const e = document.createElementNS(NS, tag); for (const a in attrs) e.setAttribute(a, attrs[a]); parent.appendChild(e); return e; }
function wrap(parent, iri){ if (!LINK) return parent; const a = el('a', {href: LINK + encodeURIComponent(iri)}, parent); return a; }
function esc(s){ return String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c])); }
const shown = {}; D.plans.forEach(p => shown[p.iri] = true);
const lineEls = [], dotEls = {}, labelEls = {}, axisLabels = [];
axes.forEach(ax => {
  const g = wrap(document.getElementById('lines'), ax.iri);
  const pl = el('polyline', {fill: 'none', stroke: ax.color, 'stroke-width': 3, 'stroke-opacity': 0.85,
                             'stroke-linejoin': 'round', 'data-plan': ax.plan_iri}, g);
  const t = el('title', {}, pl); t.textContent = ax.label + '\\n' + ax.plan + (ax.corridor ? '\\n' + ax.corridor : '');
  lineEls.push([pl, ax]);
  const lg = wrap(document.getElementById('labels'), ax.iri);
  const lt = el('text', {class: 'axis', 'data-plan': ax.plan_iri}, lg); lt.textContent = ax.label;
  axisLabels.push([lt, ax]);
});
ids.forEach(k => {
  const p = places[k];
  const g = wrap(document.getElementById('dots'), k);
  const c = el('circle', {r: 4, fill: '#4c78a8', stroke: '#fff', 'stroke-width': 1, class: 'city'}, g);
  const t = el('title', {}, c); t.textContent = p.label;
  dotEls[k] = c;
  const lg = wrap(document.getElementById('labels'), k);
  const lt = el('text', {class: 'city'}, lg); lt.textContent = p.label;
  labelEls[k] = lt;
});
document.getElementById('plans').innerHTML = D.plans.map((p, i) =>
  '<label><input type="checkbox" checked data-plan="' + esc(p.iri) + '"> ' + esc(p.title) + '</label>').join('');
document.getElementById('legend').innerHTML = Object.keys(D.corridors).map(c =>
  '<div><span class="sw" style="background:' + esc(D.corridors[c]) + '"></span>' + esc(c) + '</div>').join('') +
  '<div><span class="sw" style="background:__NOCOLOR__"></span>(无走廊 / none)</div>';
document.querySelectorAll('#plans input').forEach(box => box.addEventListener('change', () => {
  shown[box.dataset.plan] = box.checked; draw(); }));
function screen(p){ const w = world(p); return [w[0] * view.s + view.tx, w[1] * view.s + view.ty]; }
function fit(){
  const r = svg.getBoundingClientRect();
  if (!ids.length) return;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  ids.forEach(k => { const w = world(places[k]); x0 = Math.min(x0, w[0]); x1 = Math.max(x1, w[0]); y0 = Math.min(y0, w[1]); y1 = Math.max(y1, w[1]); });
  const pad = 60, s = Math.min((r.width - 2 * pad) / Math.max(x1 - x0, 0.01), (r.height - 2 * pad) / Math.max(y1 - y0, 0.01));
  view.s = s; view.tx = r.width / 2 - s * (x0 + x1) / 2; view.ty = r.height / 2 - s * (y0 + y1) / 2;
}
function draw(){
  const visible = new Set();
  lineEls.forEach(([pl, ax]) => {
    const on = shown[ax.plan_iri];
    pl.style.display = on ? '' : 'none';
    if (on) ax.cities.forEach(c => visible.add(c));
    pl.setAttribute('points', ax.cities.map(c => screen(places[c]).map(v => v.toFixed(1)).join(',')).join(' '));
  });
  axisLabels.forEach(([t, ax]) => {
    const on = shown[ax.plan_iri] && ax.cities.length > 0;
    t.style.display = on ? '' : 'none';
    if (!on) return;
    const a = screen(places[ax.cities[0]]), b = screen(places[ax.cities[ax.cities.length - 1]]);
    t.setAttribute('x', ((a[0] + b[0]) / 2 + 6).toFixed(1)); t.setAttribute('y', ((a[1] + b[1]) / 2 + 14).toFixed(1));
  });
  ids.forEach(k => {
    const [x, y] = screen(places[k]), on = visible.has(k);
    dotEls[k].setAttribute('cx', x.toFixed(1)); dotEls[k].setAttribute('cy', y.toFixed(1));
    dotEls[k].style.display = on ? '' : 'none';
    labelEls[k].setAttribute('x', (x + 6).toFixed(1)); labelEls[k].setAttribute('y', (y - 6).toFixed(1));
    labelEls[k].style.display = on ? '' : 'none';
  });
}
svg.addEventListener('wheel', ev => {
  ev.preventDefault();
  const r = svg.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
  const f = Math.exp(-ev.deltaY * 0.0015);
  view.tx = mx - (mx - view.tx) * f; view.ty = my - (my - view.ty) * f; view.s *= f; draw();
}, {passive: false});
let drag = null;
svg.addEventListener('mousedown', ev => { drag = [ev.clientX, ev.clientY, view.tx, view.ty]; });
window.addEventListener('mousemove', ev => { if (!drag) return; view.tx = drag[2] + ev.clientX - drag[0]; view.ty = drag[3] + ev.clientY - drag[1]; draw(); });
window.addEventListener('mouseup', () => { drag = null; });
window.addEventListener('resize', () => { fit(); draw(); });
window.plankgMap = {view, draw, fit, count: () => [ids.length, axes.length]};
fit(); draw();
})();
</script></body></html>
"""


def _json_for_script(data) -> str:
    """JSON safe inside a ``<script>`` element (no ``</``, no ``<!--``)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")


def geo_html(data: dict, heading: str = "城市—发展轴示意图 (city–axis map)", link: str | None = None,
             back: str | None = None) -> str:
    """A self-contained SVG page of ``geo_data``: pan and zoom redraw the
    coordinates, so lines and labels keep their pixel size; one checkbox per
    plan. ``link`` (a URL ending in ``iri=``) makes cities and axes links;
    ``back`` adds a link to that URL (the explorer's start page)."""
    payload = dict(data, link=link)
    back_html = f'<p><a href="{html_escape.escape(back)}">← explorer</a></p>' if back else ""
    return (_PAGE.replace("__TITLE__", html_escape.escape(heading))
            .replace("__HEADING__", html_escape.escape(heading))
            .replace("__BACK__", back_html)
            .replace("__NOCOLOR__", NO_CORRIDOR_COLOR)
            .replace("__DATA__", _json_for_script(payload)))
