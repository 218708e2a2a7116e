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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from plankg.errors import ReferenceDataError


def _rows(text: str, origin: str) -> list[dict[str, str]]:
    """Rows of a CSV text whose leading ``#`` lines are source notes; a row whose
    number of fields differs from the header's raises, naming the file's line."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in numbered)))
    header = next(reader, [])
    rows = []
    for fields in reader:
        line = numbered[reader.line_num - 1][0]
        if not fields:
            continue
        if len(fields) != len(header):
            raise ReferenceDataError(origin, line, f"{len(fields)} fields where the header has {len(header)}")
        rows.append(dict(zip(header, fields)))
    return rows


def read_data_csv(filename: str, extra_dirs: Iterable[str | Path] = ()) -> list[dict[str, str]]:
    """Rows of a gazetteer CSV shipped in ``plankg.loaders/gazetteers``, then
    the rows of a file of the same name in each of ``extra_dirs`` (if any).

    Lines starting with ``#`` are the file's source notes. An added file may
    leave out columns (they read as empty) but not bring columns the shipped
    file lacks, nor rows longer than its header: those raise
    ``ReferenceDataError`` naming the file and line.
    """
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
            unknown = set(added[0]) - set(rows[0]) if rows and added else set()
            if unknown:
                raise ReferenceDataError(str(path), 1, f"has columns gazetteers/{filename} does not: "
                                                       f"{', '.join(sorted(unknown))}")
            columns = list(rows[0]) if rows else []
            rows.extend({c: r.get(c, "") for c in columns} if columns else r for r in added)
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


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document and the title word that says it (``document_kinds.csv``)."""

    term: str
    kind: str
    label_en: str


def read_document_kinds(extra_dirs: Iterable[str | Path] = ()) -> list[DocumentKind]:
    """The document kinds of ``document_kinds.csv``, in file order."""
    return [DocumentKind(r["term"], r["kind"], r["label_en"]) for r in read_data_csv("document_kinds.csv", extra_dirs)]


@dataclass(frozen=True)
class RoleWords:
    """Words that shape role slots and open-world names (``role_words.csv``), by role."""

    by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __getitem__(self, role: str) -> tuple[str, ...]:
        return self.by_role.get(role, ())

    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = ()) -> "RoleWords":
        """The words of ``role_words.csv`` (plus ``extra_dirs``), longest first within a role."""
        by_role: dict[str, list[str]] = {}
        for r in read_data_csv("role_words.csv", extra_dirs):
            by_role.setdefault(r["role"], []).append(r["term"])
        return cls({k: tuple(sorted(set(v), key=lambda w: (-len(w), w))) for k, v in by_role.items()})
