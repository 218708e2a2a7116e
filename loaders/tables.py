"""Cells of tables scraped as text: one cell a line (tab-indented), tab-separated
rows, or Markdown rows."""
from __future__ import annotations

import re


def cells(text: str, start: int, end: int):
    """(cell text, start, end, row number) of every non-empty cell in ``text[start:end]``."""
    pos = start
    row = 0
    for line in text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        row += 1
        body = line.strip()
        if not body or re.fullmatch(r"[|:\-\s]+", body):
            continue
        if "|" in body or "\t" in body.strip("\t"):
            sep = "|" if "|" in body else "\t"
            offset = line_start
            for part in line.split(sep):
                stripped = part.strip()
                if stripped:
                    a = offset + part.find(stripped)
                    yield stripped, a, a + len(stripped), row
                offset += len(part) + 1
        else:
            a = line_start + line.find(body)
            yield body, a, a + len(body), row
