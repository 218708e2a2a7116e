"""Offline export of a property graph: CSV files for ``neo4j-admin database
import full``, ``import.sh`` with the exact command, and ``load.cypher`` for
``cypher-shell -f``, which runs the very statements of an online load
(``graph/cypher.py``) with their parameters written as escaped literals."""
from __future__ import annotations

import shlex
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from plankg.graph import cypher
from plankg.graph.cypher import RESOURCE_LABEL
from plankg.graph.neo4j_mapping import PropertyGraph

SCRIPT_BATCH = 500
# The first of these that no array element and no label holds separates array elements
# (and labels in ``:LABEL``); U+001F, the ASCII unit separator, is the last resort.
ARRAY_DELIMITERS = (";", "|", "\x1f")


def _value_type(value) -> str:
    """The CSV header type of one property value, as the driver would store it."""
    if isinstance(value, list):
        inner = {_value_type(v) for v in value}
        return (inner.pop() if len(inner) == 1 else "string") + "[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _csv_field(text: str | None) -> str:
    """One CSV field: ``None`` (no property) is empty, the empty string is ``""``."""
    if text is None:
        return ""
    if text == "" or any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_cell(value, delimiter: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return delimiter.join(_csv_cell(v, delimiter) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shapes(rows: list[dict]) -> list[tuple[dict[str, str], list[dict]]]:
    """Rows split so that every property has one header type per file: a label set whose
    ``altLabel`` is a list on some nodes and a single value on others gets one file for
    each, as the driver would store a list on the first and a value on the second."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for key, value in row.items():
            types[key].add(_value_type(value))
    mixed = sorted(k for k, t in types.items() if len(t) > 1)
    parts: list[tuple[dict[str, str], list[dict]]] = []  # the mixed keys' types so far, the rows
    for row in rows:
        shape = {k: _value_type(row[k]) for k in mixed if k in row}
        for fixed, part in parts:  # the first file whose types agree (a missing property agrees with any)
            if all(fixed.get(k, t) == t for k, t in shape.items()):
                fixed.update(shape)
                part.append(row)
                break
        else:
            parts.append((shape, [row]))
    shapes = []
    for fixed, part in parts:
        present = {k for r in part for k in r}
        header = {k: fixed.get(k) or next(iter(t)) for k, t in sorted(types.items()) if k in present}
        shapes.append((header, part))
    return shapes


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


def array_delimiter(pg: PropertyGraph) -> str:
    """The first of ``ARRAY_DELIMITERS`` that occurs in no label and no element of a list property."""
    used = set()
    for node in pg.nodes.values():
        used.update(c for label in node["labels"] for c in label if c in ARRAY_DELIMITERS)
        for value in node["props"].values():
            if isinstance(value, list):
                used.update(c for v in value for c in str(v) if c in ARRAY_DELIMITERS)
    for _, _, _, props in pg.relationships:
        used.update(c for v in props.get("evidence", ()) for c in v if c in ARRAY_DELIMITERS)
    free = [d for d in ARRAY_DELIMITERS if d not in used]
    if not free:
        raise ValueError("every array delimiter occurs in a label or a list value; no CSV import is possible")
    return free[0]


@dataclass
class CsvFiles:
    """The CSV files of an export and what ``neo4j-admin database import`` needs to read them."""

    nodes: list[Path]
    relationships: list[Path]
    array_delimiter: str = ";"
    multiline: bool = False  # a field holds a line break: --multiline-fields=true


def _write_rows(path: Path, header: list[str], rows) -> bool:
    """Write a CSV file; whether any field holds a line break."""
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(_csv_field(h) for h in header) + "\n")
        for row in rows:
            line = ",".join(_csv_field(c) for c in row)
            multiline = multiline or "\n" in line or "\r" in line
            f.write(line + "\n")
    return multiline


def write_csv(pg: PropertyGraph, out: Path) -> CsvFiles:
    """One node file per label set (and per property shape, see ``_shapes``), one
    relationship file per type; every row carries the build id, as a load stamps it."""
    delimiter = array_delimiter(pg)
    files = CsvFiles([], [], delimiter)
    for n, (labels, rows) in enumerate(_node_groups(pg).items()):
        name = "_".join(l for l in labels if l != RESOURCE_LABEL) or "Resource"
        for k, (header, part) in enumerate(_shapes(rows)):
            keys = [key for key in header if key != "iri"]
            path = out / f"nodes_{n:02d}_{name}{f'.{k + 1}' if k else ''}.csv"
            columns = ["iri:ID", ":LABEL", "plankg_build:string"] + [f"{key}:{header[key]}" for key in keys]
            files.multiline |= _write_rows(path, columns, (
                [r["iri"], delimiter.join(labels), pg.build_id] + [_csv_cell(r.get(key), delimiter) for key in keys]
                for r in part))
            files.nodes.append(path)
    for t, rows in _relationship_groups(pg).items():
        path = out / f"rels_{t}.csv"
        files.multiline |= _write_rows(path, [":START_ID", ":END_ID", ":TYPE", "plankg_build:string", "evidence:string[]"], (
            [s, o, t, pg.build_id, _csv_cell(props.get("evidence"), delimiter)] for s, o, props in rows))
        files.relationships.append(path)
    return files


def import_command(files: CsvFiles, database: str = "neo4j") -> list[str]:
    """The ``neo4j-admin database import full`` arguments for the files (names relative to their folder).
    The database comes first: after ``--relationships=`` it would be read as one more file."""
    delimiter = "U+001F" if files.array_delimiter == "\x1f" else files.array_delimiter
    return ["neo4j-admin", "database", "import", "full", database, "--overwrite-destination",
            f"--array-delimiter={delimiter}", *(["--multiline-fields=true"] if files.multiline else []),
            *[f"--nodes={p.name}" for p in files.nodes], *[f"--relationships={p.name}" for p in files.relationships]]


def write_import_script(out: Path, files: CsvFiles) -> Path:
    """``import.sh``: the neo4j-admin command for the CSV files (every argument shell-quoted)."""
    command = [shlex.quote(a) for a in import_command(files)]
    first_file = next(i for i, a in enumerate(command) if a.startswith(("--nodes=", "'--nodes=")))
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Offline import into a stopped Neo4j 5 (database 'neo4j' is replaced). Run from this folder.\n"
        "# The import cannot create constraints (Community record format): once the server runs, `plankg neo4j\n"
        f"# load` creates the one it needs, or run: {cypher.constraint()}\n"
        + " ".join(command[:first_file]) + " \\\n  " + " \\\n  ".join(command[first_file:]) + "\n",
        encoding="utf-8")
    script.chmod(0o755)
    return script


def _script_lines(pg: PropertyGraph):
    yield f"// plankg graph for cypher-shell -f load.cypher (build {pg.build_id})\n"
    yield cypher.constraint() + ";\n"
    stamp = pg.build_id
    for labels, rows in _node_groups(pg).items():
        statement = cypher.merge_nodes(labels)
        for i in range(0, len(rows), SCRIPT_BATCH):  # rows stamped a batch at a time, as node_batches() does
            batch = [dict(r, plankg_build=stamp) for r in rows[i:i + SCRIPT_BATCH]]
            yield cypher.inline(statement, rows=batch) + ";\n"
    for t, rows in _relationship_groups(pg).items():
        statement = cypher.merge_relationships(t)
        for i in range(0, len(rows), SCRIPT_BATCH):
            batch = [{"s": s, "o": o, "props": dict(props, plankg_build=stamp)} for s, o, props in rows[i:i + SCRIPT_BATCH]]
            yield cypher.inline(statement, rows=batch) + ";\n"


def cypher_script(pg: PropertyGraph) -> str:
    """``load.cypher``: the constraint and the MERGE statements of a load, one per
    line, their rows (stamped with the build id, as a load stamps them) inlined as
    literals (no value can break a line or a statement)."""
    return "".join(_script_lines(pg))


def write_cypher_script(pg: PropertyGraph, path: Path) -> Path:
    """Write ``cypher_script(pg)`` a statement at a time (the whole script is never in memory)."""
    with path.open("w", encoding="utf-8") as f:
        f.writelines(_script_lines(pg))
    return path


def export_offline(pg: PropertyGraph, out_dir: str | Path) -> list[Path]:
    """Write CSV files for ``neo4j-admin database import``, the command that
    imports them (``import.sh``), and a Cypher script (``load.cypher``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = write_csv(pg, out)
    script = write_import_script(out, files)
    loader = write_cypher_script(pg, out / "load.cypher")
    return files.nodes + files.relationships + [script, loader]
