"""Research exports: GEXF for Gephi, GeoJSON, CSV tables with a data dictionary,
the RO-Crate metadata beside each, and the geographic layout of ``plankg view``."""
from __future__ import annotations

import csv
import hashlib
import json
import math
import random
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

import plankg
from plankg.cli import main
from plankg.graph.geo_view import geo_data, order_along_axis, wgs84_point
from plankg.graph.research_exports import research_graph
from plankg.graph.store import load_graph, load_store, read_manifest
from plankg.loaders.geo import wgs84_to_gcj02

CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)


@pytest.fixture(scope="module")
def exported(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    runner = CliRunner()
    for name, fmt in [("graph.gexf", None), ("graph.geojson", None), ("tables", "csv-tables")]:
        args = ["export", str(out / name), "--graph", str(built), "--license", "CC-BY-4.0"]
        result = runner.invoke(main, args + (["--format", fmt] if fmt else []))
        assert result.exit_code == 0, result.output
    return out


def test_gexf_opens_in_networkx_with_positions_and_attributes(exported, built):
    g = nx.read_gexf(exported / "graph.gexf")
    expected = research_graph(load_graph(built), built)
    assert g.number_of_nodes() == expected.number_of_nodes()
    assert g.number_of_edges() == len({(u, v) for u, v in expected.edges()})  # read back without parallel edges
    places = [d for _, d in g.nodes(data=True) if "lon" in d]
    assert len(places) > 50
    for d in places:
        assert CHINA_LON[0] < d["lon"] < CHINA_LON[1] and CHINA_LAT[0] < d["lat"] < CHINA_LAT[1]
        assert d["viz"]["position"]["x"] == pytest.approx(d["lon"] * 100)
    assert all("label" in d and "type" in d for _, d in g.nodes(data=True))


def test_gexf_structure(exported):
    """A structural check in place of the GEXF XSD, which no package here ships:
    the GEXF namespace, unique node and edge ids, edges between declared nodes,
    declared attributes, numeric viz positions."""
    root = ET.parse(exported / "graph.gexf").getroot()
    ns = re.match(r"\{(.*)\}gexf$", root.tag).group(1)
    assert ns.startswith("http://www.gexf.net/1.")
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    graph = root.find(q("graph"))
    declared = {a.get("id") for attrs in graph.findall(q("attributes")) for a in attrs.findall(q("attribute"))}
    nodes = graph.find(q("nodes")).findall(q("node"))
    edges = graph.find(q("edges")).findall(q("edge"))
    node_ids = [n.get("id") for n in nodes]
    assert len(node_ids) == len(set(node_ids)) and all(n.get("label") is not None for n in nodes)
    edge_ids = [e.get("id") for e in edges]
    assert len(edge_ids) == len(set(edge_ids))
    known = set(node_ids)
    assert all(e.get("source") in known and e.get("target") in known for e in edges)
    used = {v.get("for") for el in nodes + edges for v in el.iter(q("attvalue"))}
    assert used <= declared
    viz = [p for p in root.iter() if p.tag.endswith("}position")]
    assert viz and all(math.isfinite(float(p.get("x"))) and math.isfinite(float(p.get("y"))) for p in viz)


def test_geojson_is_valid_with_lon_lat_points_and_axis_lines(exported, built):
    geojson = pytest.importorskip("geojson")
    text = (exported / "graph.geojson").read_text("utf-8")
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()
    data = json.loads(text)
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Point", "LineString"}
    for f in data["features"]:
        coords = f["geometry"]["coordinates"]
        points = [coords] if f["geometry"]["type"] == "Point" else coords
        if f["geometry"]["type"] == "LineString":
            assert len(points) >= 2
        for lon, lat in points:  # [lon, lat]: China's longitudes exceed every latitude
            assert CHINA_LON[0] < lon < CHINA_LON[1] and CHINA_LAT[0] < lat < CHINA_LAT[1]
    changsha = next(f for f in data["features"] if f["properties"].get("label") == "长沙市")
    lon, lat = changsha["geometry"]["coordinates"]
    assert 112.5 < lon < 113.5 and 27.8 < lat < 28.6
    axes = {r[1] for r in plankg.query("axis-nodes", graph_dir=built).rows}
    lines = {f["properties"]["label"] for f in data["features"] if f["geometry"]["type"] == "LineString"}
    assert lines and lines <= axes


def test_csv_tables_and_their_data_dictionary(exported, built):
    folder = exported / "tables"
    dictionary = list(csv.DictReader((folder / "datadictionary.csv").open(encoding="utf-8")))
    described = {(r["table"], r["column"]) for r in dictionary}
    for table in ("nodes.csv", "edges.csv"):
        with (folder / table).open(encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        assert rows and all(len(r) == len(header) for r in rows)
        assert {(table, c) for c in header} == {d for d in described if d[0] == table}
    assert all(r["description"] and r["type"] for r in dictionary)
    readme = (folder / "README.md").read_text("utf-8")
    assert "nodes.csv" in readme and "edges.csv" in readme
    edges = list(csv.DictReader((folder / "edges.csv").open(encoding="utf-8")))
    supported = [e for e in edges if e["predicate"] == "pkg:nodeCity"]
    assert supported and all(int(e["evidence"]) > 0 and e["rules"] for e in supported)


CRATE_SCHEMA = {
    "type": "object", "required": ["@context", "@graph"],
    "properties": {"@context": {"const": "https://w3id.org/ro/crate/1.1/context"},
                   "@graph": {"type": "array", "items": {"type": "object", "required": ["@id", "@type"]}}},
}


def crate_entities(folder) -> dict:
    data = json.loads((folder / "ro-crate-metadata.json").read_text("utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, CRATE_SCHEMA)
    return {e["@id"]: e for e in data["@graph"]}


@pytest.mark.parametrize("where", ["files", "tables"])
def test_ro_crate_metadata_beside_every_export(exported, built, where):
    folder = exported if where == "files" else exported / "tables"
    entities = crate_entities(folder)
    descriptor = entities["ro-crate-metadata.json"]
    assert descriptor["conformsTo"]["@id"] == "https://w3id.org/ro/crate/1.1" and descriptor["about"]["@id"] == "./"
    root = entities["./"]
    assert root["@type"] == "Dataset" and root["license"]["@id"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert root["datePublished"] and root["name"]
    parts = {p["@id"] for p in root["hasPart"]}
    expected = {"graph.gexf", "graph.geojson"} if where == "files" else {"nodes.csv", "edges.csv", "datadictionary.csv", "README.md"}
    assert parts == expected
    for part in parts:
        entity = entities[part]
        assert entity["sha256"] == hashlib.sha256((folder / part).read_bytes()).hexdigest()
    assert entities["#plankg"]["version"] == plankg.__version__
    manifest = read_manifest(built)
    inputs = {e["sha256"] for e in entities.values() if e["@id"].startswith("#input-")}
    assert inputs == {d["sha256"] for d in manifest["documents"]}
    actions = [e for e in entities.values() if e["@type"] == "CreateAction"]
    assert actions and all(a["endTime"] for a in actions)
    rocrate = pytest.importorskip("rocrate.rocrate")
    crate = rocrate.ROCrate(str(folder))
    assert {e.id for e in crate.data_entities} == parts


def test_existing_formats_get_a_crate_too(built, tmp_path):
    plankg.export(built, "turtle", tmp_path / "g.ttl")
    entities = crate_entities(tmp_path)
    assert {p["@id"] for p in entities["./"]["hasPart"]} == {"g.ttl"}
    assert entities["./"]["license"]["@id"] == "#license"  # not stated, and said so


def test_unknown_export_format_is_refused(built, tmp_path):
    result = CliRunner().invoke(main, ["export", str(tmp_path / "x.foo"), "--graph", str(built), "--format", "foo"])
    assert result.exit_code != 0


# --- geographic layout ------------------------------------------------------------------------

def test_order_along_axis_follows_the_line_whatever_the_text_order():
    line = [(110.0 + i * 0.5, 25.0 + i * 0.3) for i in range(7)]
    rng = random.Random(4)
    for _ in range(20):
        order = list(range(7))
        rng.shuffle(order)
        shuffled = [line[i] for i in order]
        ranked = [order[i] for i in order_along_axis(shuffled)]
        assert ranked == sorted(ranked)


def test_wgs84_point_inverts_the_gcj02_shift():
    gcj = wgs84_to_gcj02(112.938814, 28.228209)
    lon, lat = wgs84_point(f"<https://w3id.org/plankg/crs/GCJ-02> POINT({gcj[0]} {gcj[1]})")
    assert lon == pytest.approx(112.938814, abs=1e-5) and lat == pytest.approx(28.228209, abs=1e-5)


def test_geo_view_page_draws_every_axis_offline(built, tmp_path):
    dest = tmp_path / "geo.html"
    result = CliRunner().invoke(main, ["view", str(dest), "--graph", str(built), "--layout", "geo"])
    assert result.exit_code == 0, result.output
    html = dest.read_text("utf-8")
    assert not re.search(r'(src|href)\s*=\s*"https?://', html)
    payload = json.loads(html.split('<script id="geo-data" type="application/json">')[1].split("</script>")[0])
    rows = plankg.query("axis-nodes", graph_dir=built).rows
    assert {a["label"] for a in payload["axes"]} == {r[1] for r in rows}
    assert {p["title"] for p in payload["plans"]} == {r[0] for r in rows}
    cities = {payload["places"][c]["label"] for a in payload["axes"] for c in a["cities"]}
    assert cities == {r[3] for r in rows}  # every node city has a point
    assert "示意图" in html  # labelled a schematic


def test_geo_view_of_one_plan(built, tmp_path):
    plan = plankg.query("axis-nodes", graph_dir=built).rows[0][0]
    html = plankg.view(built, tmp_path / "one.html", plan=plan, layout="geo").read_text("utf-8")
    payload = json.loads(html.split('type="application/json">')[1].split("</script>")[0])
    assert {a["plan"] for a in payload["axes"]} == {plan}


def test_geo_data_axes_are_coloured_by_corridor(built):
    data = geo_data(load_store(built))
    by_corridor: dict[str, set] = {}
    for axis in data["axes"]:
        by_corridor.setdefault(axis["corridor"], set()).add(axis["color"])
    assert all(len(colors) == 1 for colors in by_corridor.values())
