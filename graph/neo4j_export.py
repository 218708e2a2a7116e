"""Offline export of a property graph: CSV files for ``neo4j-admin database
import full``, ``import.sh`` with the exact command, and ``load.cypher`` for
``cypher-shell -f``, which runs the very statements of an online load
(``graph/cypher.py``) with their parameters written as escaped literals."""
from __future__ import annotations

import csv
import shlex
from collections import defaultdict
from pathlib import Path

from plankg.graph import cypher
from plankg.graph.cypher import RESOURCE_LABEL
from plankg.graph.neo4j_mapping import PropertyGraph

SCRIPT_BATCH = 500


def _csv_type(values) -> str:
    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, list):
        inner = next((x for x in sample), "")
        return "int[]" if isinstance(inner, int) and not isinstance(inner, bool) else "string[]"
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "long"
    if isinstance(sample, float):
        return "double"
    return "string"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _node_groups(pg: PropertyGraph) -> dict[tuple[str, ...], list[dict]]:
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for node in pg.nodes.values():
        groups[tuple(node["labels"])].append(node["props"])
    return dict(sorted(groups.items()))


def _relationship_groups(pg: PropertyGraph) -> dict[str, list[tuple[str, str, dict]]]:
    by_type: dict[str, list] = defaultdict(list)
    for s, t, o, props in pg.relationships:
        by_type[t].append((s, o, props))
    return dict(sorted(by_type.items()))


def write_csv(pg: PropertyGraph, out: Path) -> tuple[list[Path], list[Path]]:
    """One node file per label set, one relationship file per type."""
    node_files, rel_files = [], []
    for n, (labels, rows) in enumerate(_node_groups(pg).items()):
        keys = sorted({k for r in rows for k in r if k != "iri"})
        path = out / f"nodes_{n:02d}_{'_'.join(l for l in labels if l != RESOURCE_LABEL) or 'Resource'}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["iri:ID", ":LABEL"] + [f"{k}:{_csv_type([r.get(k) for r in rows])}" for k in keys])
            for r in rows:
                w.writerow([r["iri"], ";".join(labels)] + [_csv_cell(r.get(k)) for k in keys])
        node_files.append(path)
    for t, rows in _relationship_groups(pg).items():
        path = out / f"rels_{t}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow([":START_ID", ":END_ID", ":TYPE", "evidence:string[]"])
            for s, o, props in rows:
                w.writerow([s, o, t, _csv_cell(props.get("evidence"))])
        rel_files.append(path)
    return node_files, rel_files


def write_import_script(out: Path, node_files: list[Path], rel_files: list[Path]) -> Path:
    """``import.sh``: the neo4j-admin command for the CSV files (file names shell-quoted)."""
    command = ["neo4j-admin", "database", "import", "full", "--overwrite-destination", "--array-delimiter=';'",
               *[f"--nodes={shlex.quote(p.name)}" for p in node_files],
               *[f"--relationships={shlex.quote(p.name)}" for p in rel_files], "neo4j"]
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Offline import into a stopped Neo4j 5 (database 'neo4j' is replaced). Run from this folder.\n"
        + " ".join(command[:5]) + " \\\n  " + " \\\n  ".join(command[5:]) + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def cypher_script(pg: PropertyGraph) -> str:
    """``load.cypher``: the constraint and the MERGE statements of a load, one per
    line, their rows inlined as literals (no value can break a line or a statement)."""
    lines = [f"// plankg graph for cypher-shell -f load.cypher (build {pg.build_id})", cypher.constraint() + ";"]
    for labels, rows in _node_groups(pg).items():
        statement = cypher.merge_nodes(labels)
        for i in range(0, len(rows), SCRIPT_BATCH):
            lines.append(cypher.inline(statement, rows=rows[i:i + SCRIPT_BATCH]) + ";")
    for t, rows in _relationship_groups(pg).items():
        statement = cypher.merge_relationships(t)
        for i in range(0, len(rows), SCRIPT_BATCH):
            data = [{"s": s, "o": o, "props": props} for s, o, props in rows[i:i + SCRIPT_BATCH]]
            lines.append(cypher.inline(statement, rows=data) + ";")
    return "\n".join(lines) + "\n"


def export_offline(pg: PropertyGraph, out_dir: str | Path) -> list[Path]:
    """Write CSV files for ``neo4j-admin database import``, the command that
    imports them (``import.sh``), and a Cypher script (``load.cypher``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    node_files, rel_files = write_csv(pg, out)
    script = write_import_script(out, node_files, rel_files)
    loader = out / "load.cypher"
    loader.write_text(cypher_script(pg), encoding="utf-8")
    return node_files + rel_files + [script, loader]
