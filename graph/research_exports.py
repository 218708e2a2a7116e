"""Exports for research tools: GEXF (Gephi), GeoJSON (GIS), node and edge CSV
tables with a data dictionary, and an RO-Crate 1.1 metadata file beside each.

Coordinates are WGS84 (``graph/geo_view.py`` converts the graph's GCJ-02
centroids), GeoJSON positions ``[lon, lat]`` as RFC 7946 requires.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef

from plankg.graph.namespaces import PKG, RDF

CRATE = "ro-crate-metadata.json"
CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
CRATE_SPEC = "https://w3id.org/ro/crate/1.1"
MEDIA_TYPES = {".gexf": "application/gexf+xml", ".geojson": "application/geo+json", ".csv": "text/csv",
               ".md": "text/markdown", ".ttl": "text/turtle", ".nt": "application/n-triples",
               ".jsonld": "application/ld+json", ".graphml": "application/graphml+xml"}

NODE_COLUMNS = [
    ("id", "string", "The resource's IRI (https://w3id.org/plankg/id/…)."),
    ("label", "string", "Preferred label (skos:prefLabel) or title (dct:title), simplified Chinese; else the IRI's last part."),
    ("type", "string", "The resource's classes, local names joined by commas (Plan, City, Agency, DevelopmentAxis …)."),
    ("lon", "float", "WGS84 longitude of a place's centroid, degrees east (converted from the graph's GCJ-02 point); empty for non-places."),
    ("lat", "float", "WGS84 latitude of a place's centroid, degrees north; empty for non-places."),
]
EDGE_COLUMNS = [
    ("source", "string", "IRI of the statement's subject (a nodes.csv id)."),
    ("target", "string", "IRI of the statement's object (a nodes.csv id)."),
    ("predicate", "string", "The property, as a prefixed name (pkg:nodeCity, pkg:leadAgency …; see ontology/plankg.ttl)."),
    ("source_label", "string", "label of source, for reading without a join."),
    ("target_label", "string", "label of target."),
    ("evidence", "integer", "How many pieces of evidence (pkg:Evidence) support the statement; 0 for reference data."),
    ("rules", "string", "The extraction rules of that evidence, sorted, joined by ';'."),
    ("documents", "string", "File names of the source documents of that evidence, sorted, joined by ';'."),
]


def _evidence_by_statement(graph: Graph) -> dict[tuple, list[tuple[str, str]]]:
    names = {str(d): str(n) for d, n in graph.subject_objects(PKG.fileName)}
    out: dict[tuple, list[tuple[str, str]]] = {}
    for ev in graph.subjects(RDF.type, PKG.Evidence):
        key = (str(graph.value(ev, RDF.subject)), str(graph.value(ev, RDF.predicate)), str(graph.value(ev, RDF.object)))
        doc = graph.value(ev, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
        out.setdefault(key, []).append((str(graph.value(ev, PKG.rule) or ""), names.get(str(doc), "")))
    return out


def _positions(graph_dir) -> tuple[dict[str, tuple[float, float]], dict]:
    from plankg.graph.geo_view import geo_data
    from plankg.graph.store import load_store

    data = geo_data(load_store(graph_dir), all_places=True)
    pos = {iri: (p["lon"], p["lat"]) for iri, p in data["places"].items()}
    return pos, data


def _prefixed(iri: str) -> str:
    from plankg.graph.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def research_graph(graph: Graph, graph_dir) -> nx.MultiDiGraph:
    """Resources and resource-to-resource statements (``to_networkx``), with
    WGS84 ``lon``/``lat`` on places, an axis placed at the mean of its cities,
    edge ``id``s, prefixed predicates and evidence counts."""
    from plankg.graph.networkx_view import to_networkx

    base = to_networkx(graph)
    pos, data = _positions(graph_dir)
    for axis in data["axes"]:
        if axis["cities"]:
            pts = [pos[c] for c in axis["cities"]]
            pos.setdefault(axis["iri"], (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
    evidence = _evidence_by_statement(graph)
    geometry = {n for n, d in base.nodes(data=True) if d.get("type") == "Geometry"}  # centroids: lon/lat instead
    base.remove_nodes_from(geometry)
    g = nx.MultiDiGraph()
    for node in sorted(base.nodes):
        attrs = dict(base.nodes[node])
        if node in pos:
            attrs["lon"], attrs["lat"] = round(pos[node][0], 6), round(pos[node][1], 6)
        g.add_node(node, **attrs)
    edges = sorted((u, v, d["predicate"]) for u, v, d in base.edges(data=True))
    for n, (u, v, predicate) in enumerate(edges):
        ev = evidence.get((u, predicate, v), [])
        g.add_edge(u, v, key=n, id=str(n), label=_prefixed(predicate), predicate=_prefixed(predicate),
                   evidence=len(ev), rules=";".join(sorted({r for r, _ in ev})),
                   documents=";".join(sorted({d for _, d in ev if d})))
    return g


def write_gexf(graph: Graph, graph_dir, dest: Path) -> None:
    """GEXF for Gephi: node attributes (label, type, lon, lat) and, for places
    and axes, a ``viz:position`` with x = longitude and y = latitude (scaled ×100)."""
    g = research_graph(graph, graph_dir)
    for node, attrs in g.nodes(data=True):
        if "lon" in attrs:
            attrs["viz"] = {"position": {"x": attrs["lon"] * 100, "y": attrs["lat"] * 100, "z": 0.0}}
    nx.write_gexf(g, dest)


def geojson_collection(graph_dir) -> dict:
    """A GeoJSON FeatureCollection: every place with a centroid as a Point,
    every axis with two or more located cities as a LineString through them
    (ordered along the axis' principal direction)."""
    from plankg.graph.geo_view import geo_data
    from plankg.graph.store import load_store

    data = geo_data(load_store(graph_dir), all_places=True)
    features = []
    n_axes: dict[str, int] = {}
    for axis in data["axes"]:
        for c in axis["cities"]:
            n_axes[c] = n_axes.get(c, 0) + 1
    for iri, p in data["places"].items():
        features.append({"type": "Feature", "id": iri,
                         "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                         "properties": {"kind": "place", "label": p["label"], "types": ",".join(p["types"]),
                                        "n_axes": n_axes.get(iri, 0)}})
    for axis in data["axes"]:
        if len(axis["cities"]) < 2:
            continue
        coords = [[data["places"][c]["lon"], data["places"][c]["lat"]] for c in axis["cities"]]
        features.append({"type": "Feature", "id": axis["iri"],
                         "geometry": {"type": "LineString", "coordinates": coords},
                         "properties": {"kind": "axis", "label": axis["label"], "plan": axis["plan"],
                                        "corridor": axis["corridor"], "color": axis["color"],
                                        "cities": "；".join(data["places"][c]["label"] for c in axis["cities"]),
                                        "node_order": "principal direction"}})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(graph_dir, dest: Path) -> None:
    """Write ``geojson_collection`` (UTF-8, Chinese kept as is)."""
    dest.write_text(json.dumps(geojson_collection(graph_dir), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_csv_tables(graph: Graph, graph_dir, folder: Path) -> list[Path]:
    """``nodes.csv``, ``edges.csv``, ``datadictionary.csv`` (every column of both
    described) and a ``README.md`` into ``folder``."""
    g = research_graph(graph, graph_dir)
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(folder / "nodes.csv", [c for c, _, _ in NODE_COLUMNS],
               ([n, d.get("label", ""), d.get("type", ""), d.get("lon", ""), d.get("lat", "")]
                for n, d in g.nodes(data=True)))
    _write_csv(folder / "edges.csv", [c for c, _, _ in EDGE_COLUMNS],
               ([u, v, d["predicate"], g.nodes[u].get("label", ""), g.nodes[v].get("label", ""), d["evidence"],
                 d["rules"], d["documents"]] for u, v, d in g.edges(data=True)))
    _write_csv(folder / "datadictionary.csv", ["table", "column", "type", "description"],
               [("nodes.csv", *c) for c in NODE_COLUMNS] + [("edges.csv", *c) for c in EDGE_COLUMNS])
    lines = ["# plankg node and edge tables", "",
             "`nodes.csv`: one row per resource of the graph (plans, places, axes, corridors, agencies, tasks,",
             "projects, indicators …); `edges.csv`: one row per statement between two resources, with how much",
             "evidence supports it. Evidence records themselves and literal values are in the RDF export",
             "(`plankg export graph.ttl`). UTF-8, comma-separated, a header row.", "", "| table | column | type | description |",
             "|---|---|---|---|"]
    lines += [f"| {t} | {c} | {ty} | {d} |" for t, cols in (("nodes.csv", NODE_COLUMNS), ("edges.csv", EDGE_COLUMNS))
              for c, ty, d in cols]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [folder / n for n in ("nodes.csv", "edges.csv", "datadictionary.csv", "README.md")]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _license_entity(license: str | None) -> dict:
    if not license:
        return {"@id": "#license", "@type": "CreativeWork", "name": "not stated",
                "description": "No licence was stated for this export; give one with `plankg export --license`. "
                               "The input documents keep their own terms."}
    iri = license if "://" in license else f"https://spdx.org/licenses/{license}"
    return {"@id": iri, "@type": "CreativeWork", "name": license, "identifier": license}


def build_time(graph_dir) -> str:
    """When the build was written (``graph.nt``'s modification time), ISO 8601 UTC."""
    stamp = (Path(graph_dir) / "graph.nt").stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).replace(microsecond=0).isoformat()


def write_crate(root: Path, files: list[Path], graph_dir, fmt: str, license: str | None = None) -> Path:
    """Write (or update) ``root/ro-crate-metadata.json``: RO-Crate 1.1 with the
    export ``files`` (size, sha256, format), the plankg version, the build's
    input files with their sha256 (from ``build.json``), the build time and a
    licence. Entities of an earlier export into the same folder are kept."""
    from plankg.version import __version__
    from plankg.graph.store import read_manifest

    root = Path(root)
    manifest = read_manifest(graph_dir)
    path = root / CRATE
    entities: dict[str, dict] = {}
    if path.exists():
        try:
            entities = {e["@id"]: e for e in json.loads(path.read_text("utf-8"))["@graph"]}
        except (ValueError, KeyError, TypeError):
            entities = {}
    inputs = []
    for doc in manifest.get("documents", []):
        iri = f"#input-{doc['sha256'][:16]}"
        inputs.append({"@id": iri})
        entities[iri] = {"@id": iri, "@type": "File", "name": doc.get("file", ""), "sha256": doc["sha256"],
                         "encodingFormat": doc.get("format", "text/plain"), "description": doc.get("plan") or ""}
    results = []
    for f in files:
        rel = f.relative_to(root).as_posix() if f != root else "./"
        results.append({"@id": rel})
        entities[rel] = {"@id": rel, "@type": "File", "name": f.name, "contentSize": str(f.stat().st_size),
                         "sha256": _sha256(f), "encodingFormat": MEDIA_TYPES.get(f.suffix.lower(), "text/plain"),
                         "description": f"plankg export ({fmt})"}
    earlier = entities.get("./", {}).get("license", {}).get("@id")
    if license is None and earlier and earlier in entities and earlier != "#license":
        lic = entities[earlier]  # an earlier export into this folder stated one: keep it
    else:
        lic = _license_entity(license)
    entities.pop("#license", None)
    entities[lic["@id"]] = lic
    entities["#plankg"] = {"@id": "#plankg", "@type": "SoftwareApplication", "name": "plankg", "version": __version__,
                           "license": {"@id": "https://spdx.org/licenses/Apache-2.0"}}
    action = f"#export-{fmt}"
    entities[action] = {"@id": action, "@type": "CreateAction", "name": f"plankg export --format {fmt}",
                        "instrument": {"@id": "#plankg"}, "object": inputs, "result": results,
                        "endTime": build_time(graph_dir)}
    parts = sorted({p["@id"] for e in entities.values() if e.get("@type") == "CreateAction" for p in e["result"]})
    entities["./"] = {"@id": "./", "@type": "Dataset", "name": "plankg knowledge-graph export",
                      "description": "A knowledge graph of regional development plans built by plankg, with the "
                                     "evidence of every statement; see the CreateAction entities for inputs.",
                      "datePublished": build_time(graph_dir), "license": {"@id": lic["@id"]},
                      "hasPart": [{"@id": p} for p in parts], "mentions": [{"@id": a} for a in sorted(
                          k for k, e in entities.items() if e.get("@type") == "CreateAction")]}
    entities[CRATE] = {"@id": CRATE, "@type": "CreativeWork", "conformsTo": {"@id": CRATE_SPEC}, "about": {"@id": "./"}}
    order = [CRATE, "./"] + sorted(k for k in entities if k not in (CRATE, "./"))
    tmp = path.with_name(f".{CRATE}.tmp")
    tmp.write_text(json.dumps({"@context": CRATE_CONTEXT, "@graph": [entities[k] for k in order]},
                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
