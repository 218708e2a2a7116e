"""Metadata a saved page carries besides the document: YAML front matter of
Markdown posts, and the label/value table of government pages
(索引号, 发文机关, 成文日期, 发文字号 …, labels in
``gazetteers/page_metadata_labels.csv``).

Front matter is taken out of the text extraction reads (``front_matter_span``)
and stays available here; the page table stays in the normalised text, and
``metadata_fields`` finds its label/value pairs with their offsets.

>>> metadata_fields("发文机关：国务院\\n成文日期：\\n\\n2018年11月07日\\n")["成文日期"]
('2018年11月07日', 16, 27)
>>> front_matter("---\\ntitle: 'A'\\n---\\nbody")["title"]
('A', 12, 13)
"""
from __future__ import annotations

import re
from functools import lru_cache

from plankg.loaders.mapped import MappedText
from plankg.loaders.reference import read_data_csv

_EOL = r"(?:\r\n|\r|\n)"
_FRONT_MATTER_RE = re.compile(
    rf"\A(?:[ \t]*{_EOL})*---[ \t]*{_EOL}(?P<body>(?:[^\r\n]*{_EOL}){{0,200}}?)(?:---|\.\.\.)[ \t]*(?:{_EOL}|\Z)"
)
_YAML_KEY_RE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>[^\r\n]*?))?[ \t]*$")
_YAML_LINE_RE = re.compile(r"[ \t]*(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t].*)?|-(?:[ \t].*)?|#.*)?$|[ \t]+\S.*$")
_YAML_ITEM_RE = re.compile(r"[ \t]+-[ \t]+(?P<value>.*?)[ \t]*$|-[ \t]+(?P<top>.*?)[ \t]*$")

NEXT_LINE_GAP = 200  # at most this many characters of the file between a label and a value on the next line
_VALUE_SHAPES = {
    "date": re.compile(r"(?:19|20)\d\d(?:[年.\-/]\d{1,2}(?:[月.\-/]\d{1,2}日?)?)?"),
    "docno": re.compile(r".{1,12}[〔\[【（(]?(?:19|20)\d\d[〕\]】）)]?.{0,3}\d{1,4}号|.{1,12}\d{1,4}号"),
    "id": re.compile(r"[0-9A-Za-z][0-9A-Za-z/\-_.]{2,60}"),
    "text": re.compile(r".{1,80}"),
}


def _front_matter_match(text: str) -> re.Match | None:
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return None
    lines = m["body"].splitlines()
    if not any(_YAML_KEY_RE.match(line) for line in lines):
        return None
    if not all(_YAML_LINE_RE.match(line) for line in lines):
        return None
    return m


def front_matter_span(text: str) -> tuple[int, int] | None:
    """``(start, end)`` of a YAML front matter block opening ``text``, if any.

    A block is ``---`` on a line, YAML lines (``key: value``, ``- item``,
    indented continuations, comments) with at least one key, and ``---`` or
    ``...`` on a line.
    """
    m = _front_matter_match(text)
    return m.span() if m else None


def front_matter(text: str) -> dict[str, tuple[str, int, int]]:
    """The top-level keys of the front matter opening ``text``: key → (value, start, end),
    offsets into ``text``. Quotes around a value go; a list becomes its items joined by 、."""
    match = _front_matter_match(text)
    if not match:
        return {}
    fields: dict[str, tuple[str, int, int]] = {}
    pos = match.start("body")
    key = None
    items: list[tuple[str, int, int]] = []

    def flush():
        if key and items:
            fields[key] = ("、".join(v for v, _, _ in items), items[0][1], items[-1][2])

    for line in match["body"].splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        m = _YAML_KEY_RE.match(bare)
        item = _YAML_ITEM_RE.match(bare)
        if m:
            flush()
            key, items = m["key"], []
            if m["value"]:
                value, a = _unquote(m["value"], pos + m.start("value"))
                fields[key] = (value, a, a + len(value))
        elif item and key:
            group = "value" if item["value"] is not None else "top"
            value, a = _unquote(item[group], pos + item.start(group))
            items.append((value, a, a + len(value)))
        pos += len(line)
    flush()
    return fields


def _unquote(value: str, start: int) -> tuple[str, int]:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1], start + 1
    return value, start


@lru_cache(maxsize=1)
def page_labels() -> dict[str, str]:
    """Label → value kind, from ``gazetteers/page_metadata_labels.csv``."""
    return {row["label"]: row["kind"] for row in read_data_csv("page_metadata_labels.csv")}


@lru_cache(maxsize=1)
def label_fields() -> dict[str, str]:
    """Label → the plan field it gives (title, issuer, date, published, doc_no), where it gives one."""
    return {row["label"]: row["field"] for row in read_data_csv("page_metadata_labels.csv") if row["field"]}


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    # Pages space labels out to align them (索 引 号, 标  题); longest labels first.
    alternatives = (r"[ \t]*".join(map(re.escape, label)) for label in sorted(page_labels(), key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s|｜]))(?P<label>{'|'.join(alternatives)})[ \t]*[：:]", re.MULTILINE)


def metadata_fields(mapped_text: MappedText | str) -> dict[str, tuple[str, int, int]]:
    """Label/value pairs of a page's metadata table: canonical label → (value, start, end),
    offsets into the normalised text. The value follows the label on its line, or
    stands on the next non-empty line (a table cell) when it has the shape the
    label's kind expects and, for a ``MappedText``, lies near the label in the file.
    The first occurrence of a label wins."""
    text = mapped_text.text if isinstance(mapped_text, MappedText) else mapped_text
    labels = list(_label_re().finditer(text))
    starts = {m.start() for m in labels}
    fields: dict[str, tuple[str, int, int]] = {}
    for n, m in enumerate(labels):
        label = re.sub(r"[ \t]+", "", m["label"])
        if label in fields:
            continue
        kind = page_labels()[label]
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        next_label = labels[n + 1].start() if n + 1 < len(labels) else len(text)
        a, b = _strip(text, m.end(), min(line_end, next_label))
        if a < b:
            fields[label] = (text[a:b], a, b)
            continue
        a, b = _next_line(text, line_end)
        if a >= b or a in starts or _label_re().match(text, a):
            continue
        if not _VALUE_SHAPES[kind].fullmatch(text[a:b]):
            continue
        if isinstance(mapped_text, MappedText) and mapped_text.span(a, a + 1)[0] - mapped_text.span(m.end() - 1, m.end())[1] > NEXT_LINE_GAP:
            continue
        fields[label] = (text[a:b], a, b)
    return fields


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _next_line(text: str, line_end: int) -> tuple[int, int]:
    """The next non-empty line after ``line_end``, stripped."""
    pos = line_end
    while pos < len(text):
        end = text.find("\n", pos + 1)
        end = len(text) if end == -1 else end
        a, b = _strip(text, pos + 1, end)
        if a < b:
            return a, b
        pos = end
    return len(text), len(text)
