"""Reading the reference data: the CSV files shipped in ``gazetteers/`` and,
optionally, same-named files in user directories that add rows to them.

Every gazetteer reads its files through :func:`read_data_csv`, so a
province, an agency or a corridor is added by a data file alone:
``plankg build --reference DIR`` appends the rows of ``DIR/agencies.csv`` to
the shipped ``agencies.csv``, and so on.

>>> [p.name for p in read_provinces().values()][:2]
['北京市', '天津市']
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from plankg.errors import ReferenceDataError


def _rows(text: str, origin: str) -> list[dict[str, str]]:
    """Rows of a CSV text whose leading ``#`` lines are source notes."""
    lines = text.splitlines()
    body = "\n".join(line for line in lines if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body)))
    for n, row in enumerate(rows, 1):
        if None in row or any(v is None for v in row.values()):
            raise ReferenceDataError(origin, n, "the row has a different number of fields than the header")
    return rows


def read_data_csv(filename: str, extra_dirs: Iterable[str | Path] = (),
                  optional: Iterable[str] = ()) -> list[dict[str, str]]:
    """Rows of a gazetteer CSV shipped in ``plankg.loaders/gazetteers``, then
    the rows of a file of the same name in each of ``extra_dirs`` (if any).

    Lines starting with ``#`` are the file's source notes. A file in
    ``extra_dirs`` may leave out the ``optional`` columns; its rows then hold
    them empty.
    """
    optional = set(optional)
    text = resources.files("plankg.loaders").joinpath(f"gazetteers/{filename}").read_text("utf-8")
    rows = _rows(text, f"gazetteers/{filename}")
    for directory in extra_dirs:
        path = Path(directory) / filename
        if path.is_file():
            try:
                extra = path.read_text("utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise ReferenceDataError(str(path), 0, f"cannot be read as UTF-8 text ({exc})") from exc
            added = _rows(extra, str(path))
            missing = set(rows[0]) - set(added[0]) if rows and added else set()
            if missing - optional:
                raise ReferenceDataError(str(path), 1, f"lacks the columns {', '.join(sorted(missing - optional))}")
            rows.extend({**dict.fromkeys(missing, ""), **row} for row in added)
    return rows


@dataclass(frozen=True)
class Province:
    """A province-level division as agency names use it.

    ``relative`` is the word a province's own documents open relative names
    with (省发展改革委, 市交通局, 自治区党委); ``key`` prefixes agency keys.
    """

    code: str
    name: str
    short: str
    key: str
    relative: str
    departments: bool = True


def read_provinces(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Province]:
    """The province-level units of ``provinces.csv``, by GB/T 2260 code."""
    return {r["code"]: Province(r["code"], r["name"], r["short"], r["key"], r["relative"], r["departments"] == "1")
            for r in read_data_csv("provinces.csv", extra_dirs)}
