"""Query rows as text: an aligned table, CSV with a header row, or JSON records.

Plain functions of columns and rows that import nothing heavy, so that a
stored answer is printed without click or the query machinery.

>>> print(render(["a", "b"], [("1", "x, y")], "csv"), end="")
a,b
1,"x, y"
>>> from_csv('a,b\\n1,"x, y"\\n')
(['a', 'b'], [('1', 'x, y')])
>>> print(render(["城市", "n"], [("长沙", "3")], "table"), end="")
城市  n
----  -
长沙  3
(1 rows)
"""
from __future__ import annotations

import csv
import io
import json
from unicodedata import east_asian_width

FORMATS = ("table", "csv", "json")


def render(columns: list[str], rows: list[tuple[str, ...]], fmt: str) -> str:
    """Rows in one of ``FORMATS``, as ``plankg query --format FMT`` prints them."""
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return table(columns, rows)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def to_csv(columns: list[str], rows: list[tuple[str, ...]]) -> str:
    """Rows as CSV with a header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def from_csv(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """The columns and rows of ``to_csv``'s text."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [tuple(r) for r in rows[1:]]


def width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters take two."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def table(columns: list[str], rows: list[tuple[str, ...]], max_cell: int = 48) -> str:
    """Rows aligned under their column names, cells cut at ``max_cell`` columns,
    and a last line counting the rows."""
    def cut(s: str) -> str:
        out, w = "", 0
        for ch in s:
            cw = width(ch)
            if w + cw > max_cell:
                return out + "…"
            out, w = out + ch, w + cw
        return out

    cells = [[cut(c) for c in columns]] + [[cut(c) for c in r] for r in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(columns))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"
