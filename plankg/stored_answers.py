"""Where a build keeps its stored answers, and finding one.

``DIR/answers/NAME.csv`` holds what ``plankg query NAME --format csv`` prints;
``DIR/answers/index.json`` records, for each, the SHA-256 of the query text it
answers. The lookup imports nothing of the query machinery, so that the
``plankg`` command prints a stored answer without loading it
(``plankg.launcher``); ``plankg.queries.answers`` writes the folder.

>>> text_digest("SELECT * {}")[:12]
'b7fcbdf8d539'
>>> find_answer("no-such-build", "plans", "0" * 64) is None
True
"""
from __future__ import annotations

import hashlib
import json
import os

ANSWERS_DIR = "answers"
INDEX = "index.json"
FORMAT = 1


def text_digest(sparql: str) -> str:
    """The SHA-256 of a query's text, as the index records it."""
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()


def find_answer(graph_dir: str | os.PathLike, name: str, sha256: str) -> str | None:
    """The path of the build's stored answer to the canned query ``name``
    whose text has digest ``sha256``, or None when the build has none (an
    older build) or its answer is to another text of the query."""
    folder = os.path.join(graph_dir, ANSWERS_DIR)
    try:
        with open(os.path.join(folder, INDEX), encoding="utf-8") as f:
            index = json.load(f)
    except (OSError, ValueError):
        return None
    entry = index.get("answers", {}).get(name) if isinstance(index, dict) and index.get("format") == FORMAT else None
    path = os.path.join(folder, f"{name}.csv")
    if not isinstance(entry, dict) or entry.get("sha256") != sha256 or not os.path.isfile(path):
        return None
    return path
