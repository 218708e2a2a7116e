"""Canned queries: one ``.rq`` (SPARQL) and one ``.cypher`` file per question.

Each file starts with comment lines ``# question: …`` and ``# columns: …``;
further comment lines explain the columns.

>>> "plans" in names()
True
>>> get("plans").columns
['plan', 'title', 'issuer', 'date', 'doc_no', 'kind', 'published']
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from plankg.errors import QueryError

# The query files, installed beside this module.
FOLDER = os.path.dirname(os.path.abspath(__file__))


class UnknownQueryError(QueryError, KeyError):
    """No canned query of that name."""

    def __str__(self) -> str:
        return f"no canned query named {self.args[0]!r}; `plankg query --list` shows them"


@dataclass
class QueryResult:
    """Rows of a query, every cell a string ('' for no value)."""

    columns: list[str]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class CannedQuery:
    """A canned question with its SPARQL and (where written) Cypher forms."""

    name: str
    question: str
    columns: list[str]
    notes: str
    sparql: str
    cypher: str | None
    list_columns: tuple[str, ...] = ()


def _header(text: str, key: str) -> str:
    m = re.search(rf"(?m)^(?://|#)\s*{key}:\s*(.+)$", text)
    return m.group(1).strip() if m else ""


def _notes(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith(("#", "//")):
            break
        body = line.lstrip("#/").strip()
        if not body.startswith(("question:", "columns:", "lists:")):
            lines.append(body)
    return " ".join(lines)


def names() -> list[str]:
    """The names of all canned queries, sorted."""
    return sorted(f[:-3] for f in os.listdir(FOLDER) if f.endswith(".rq"))


def get(name: str) -> CannedQuery:
    """A canned query by name."""
    if f"{name}.rq" not in os.listdir(FOLDER):
        raise UnknownQueryError(name)
    sparql = _read(f"{name}.rq")
    cypher = _read(f"{name}.cypher") if os.path.isfile(os.path.join(FOLDER, f"{name}.cypher")) else None
    columns = [c.strip() for c in _header(sparql, "columns").split(",") if c.strip()]
    lists = tuple(c.strip() for c in _header(sparql, "lists").split(",") if c.strip())
    return CannedQuery(name, _header(sparql, "question"), columns, _notes(sparql), sparql, cypher, lists)


def _read(file_name: str) -> str:
    with open(os.path.join(FOLDER, file_name), encoding="utf-8") as f:
        return f.read()


def run_sparql(store, sparql: str, columns: list[str]) -> QueryResult:
    """Run a SELECT on an Oxigraph store; cells become plain strings."""
    rows = []
    for solution in store.query(sparql):
        row = []
        for col in columns:
            term = solution[col]
            row.append("" if term is None else term.value)
        rows.append(tuple(row))
    return QueryResult(list(columns), rows)


LIST_SEPARATOR = "；"


def sort_list_cells(query: CannedQuery, rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Cells of list columns (``# lists:``) with their items sorted: neither SPARQL's
    GROUP_CONCAT nor Cypher's collect promises an order. Items sort by code point.

    >>> q = CannedQuery("x", "", ["a", "b"], "", "", None, ("b",))
    >>> sort_list_cells(q, [("1", "湘潭；株洲；长沙")])
    [('1', '株洲；湘潭；长沙')]
    """
    idx = [query.columns.index(c) for c in query.list_columns]
    if not idx:
        return rows
    out = []
    for row in rows:
        cells = list(row)
        for i in idx:
            cells[i] = LIST_SEPARATOR.join(sorted(x for x in cells[i].split(LIST_SEPARATOR) if x))
        out.append(tuple(cells))
    return out


def all_queries() -> list[CannedQuery]:
    """Every canned query."""
    return [get(n) for n in names()]
