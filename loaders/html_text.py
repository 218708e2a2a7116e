"""HTML to the text a reader of the page sees, in one linear pass, keeping offsets.

Tags are found as a browser's tokenizer finds them: ``<`` followed by a
letter, ``/``, ``!`` or ``?`` opens a tag, which ends at the first ``>``
outside a quoted attribute value, however long it is. What a browser does
not show is not text: the content of ``script``, ``style`` and the other
raw-text elements runs to their end tag (``</script type="x">`` included),
comments run to ``-->``, and an unclosed one hides the rest of the page, as
it does in a browser. ``head``, ``nav`` and ``footer`` elements are dropped
with their content (page furniture). Block tags become line breaks, except
the line breaks inside a data table cell (``省交通运输厅、<br/>永州市人民政府``),
which do not end the cell; a cell that holds running text (a nested table,
or paragraphs of more than ``LAYOUT_CELL_CHARS`` characters) is a page
layout cell and keeps its paragraphs. Nothing recurses, so nesting depth and
tag count are limited only by the document size.

>>> from plankg.loaders.mapped import MappedText
>>> html_to_text(MappedText.original("<p>长<a href='x'>江</a>经济带</p><script>x</script >后")).text
'\\n长江经济带\\n后'
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from plankg.loaders.mapped import MappedText

# Elements whose content a browser never shows as text (raw text elements).
RAW_TEXT = frozenset({"script", "style", "noscript", "xmp", "iframe", "noembed", "noframes", "template"})
# Elements dropped with their content when closed: page furniture.
FURNITURE = frozenset({"head", "nav", "footer"})
BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "td", "th", "hr", "blockquote", "pre", "dl", "dt", "dd",
    "caption", "center", "main", "aside", "figure", "figcaption", "address", "form", "fieldset",
})
# Breaks that do not end a data table cell.
CELL_BREAKS = frozenset({"br", "p", "div"})
LAYOUT_CELL_CHARS = 300
LAYOUT_CELL_PARAGRAPHS = 3

_NAME_RE = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_TAG_STOP_RE = re.compile(r"[>\"']")
_COMMENT_END_RE = re.compile(r"--!?>")
_ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


class _Finder:
    """``str.find``/``re.search`` from increasing positions in amortised linear
    time: a search result is reused while the position has not passed it, and
    a failed search is never repeated further on."""

    def __init__(self, text: str):
        self.text = text
        self.cache: dict[object, tuple[int, int, int]] = {}

    def find(self, key, pattern: re.Pattern | str, pos: int) -> tuple[int, int]:
        """(start, end) of the first match of ``pattern`` at or after ``pos``; (-1, -1) if none."""
        hit = self.cache.get(key)
        if hit is not None:
            searched_from, start, end = hit
            if start == -1 and pos >= searched_from:
                return -1, -1
            if searched_from <= pos <= start:
                return start, end
        if isinstance(pattern, str):
            start = self.text.find(pattern, pos)
            end = start + len(pattern) if start >= 0 else -1
        else:
            m = pattern.search(self.text, pos)
            start, end = (m.start(), m.end()) if m else (-1, -1)
        self.cache[key] = (pos, start, end)
        return start, end


@dataclass
class _Cell:
    breaks: list[int] = field(default_factory=list)  # indexes into the edit list
    chars: int = 0
    paragraphs: int = 0
    nested_table: bool = False

    def is_layout(self) -> bool:
        return self.nested_table or (self.chars > LAYOUT_CELL_CHARS and self.paragraphs >= LAYOUT_CELL_PARAGRAPHS)


def _tag_end(text: str, start: int, finder: _Finder) -> int:
    """Index after the ``>`` ending the tag opened at ``start``; ``len(text)`` if
    the document ends inside it. Quoted attribute values may hold ``>``."""
    pos = start + 1
    while True:
        stop, _ = finder.find("stop", _TAG_STOP_RE, pos)
        if stop == -1:
            return len(text)
        ch = text[stop]
        if ch == ">":
            return stop + 1
        j = stop - 1
        while j > start and text[j] in " \t\n\r\f":
            j -= 1
        if text[j] == "=":  # a quoted attribute value: it ends at the same quote
            close, _ = finder.find(ch, ch, stop + 1)
            if close == -1:
                return len(text)
            pos = close + 1
        else:
            pos = stop + 1


def _close_tag(name: str) -> re.Pattern:
    return re.compile(rf"</{re.escape(name)}[\t\n\f\r />]", re.IGNORECASE)


def tag_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits ``(start, end, replacement)`` that turn HTML markup into text:
    tags and hidden content deleted, block tags replaced by a line break."""
    finder = _Finder(text)
    n = len(text)
    edits: list[tuple[int, int, str]] = []
    tables: list[_Cell | None] = []  # per open table, its open cell (None between cells)
    pos = 0
    text_from = 0

    def count_text(upto: int) -> None:
        if tables and tables[-1] is not None and upto > text_from:
            tables[-1].chars += upto - text_from

    def close_cell() -> None:
        if tables and tables[-1] is not None:
            cell = tables[-1]
            if not cell.is_layout():
                for i in cell.breaks:
                    a, b, _ = edits[i]
                    edits[i] = (a, _break_end(text, b), "")
            tables[-1] = None

    while pos < n:
        i = text.find("<", pos)
        if i == -1:
            break
        nxt = text[i + 1:i + 2]
        if text.startswith("<!--", i):
            count_text(i)
            if text.startswith(("<!-->", "<!--->"), i):
                end = text.index(">", i) + 1
            else:
                _, end = finder.find("comment", _COMMENT_END_RE, i + 4)
            if end == -1:
                edits.append((i, n, ""))
                break
            edits.append((i, end, ""))
            pos = text_from = end
            continue
        closing = nxt == "/"
        m = None if nxt in ("!", "?") or text[i + 1:i + 3] == "/>" else _NAME_RE.match(text, i + 2 if closing else i + 1)
        if nxt in ("!", "?") or text[i + 1:i + 3] == "/>" or (not m and closing and i + 2 < n):
            # <!…>, <?…>, </>, and </ 3> (a bogus comment, as in a browser): hidden up to the next >
            count_text(i)
            end, _ = finder.find(">", ">", i + 1)
            end = n if end == -1 else end + 1
            edits.append((i, end, ""))
            pos = text_from = end
            continue
        if not m:
            pos = i + 1  # a literal "<"
            continue
        count_text(i)
        name = m.group(0).lower()
        end = _tag_end(text, i, finder)
        pos = text_from = end
        if not closing and name in RAW_TEXT:
            close, _ = finder.find(("raw", name), _close_tag(name), end)
            if close == -1:
                edits.append((i, n, ""))
                break
            end = _tag_end(text, close, finder)
            edits.append((i, end, ""))
            pos = text_from = end
            continue
        if not closing and name in FURNITURE:
            close, _ = finder.find(("furniture", name), _close_tag(name), end)
            if close != -1:
                end = _tag_end(text, close, finder)
                edits.append((i, end, ""))
                pos = text_from = end
                continue
        if name == "table":
            if closing:
                close_cell()
                if tables:
                    tables.pop()
            else:
                if tables and tables[-1] is not None:
                    tables[-1].nested_table = True
                tables.append(None)
        elif name in ("td", "th", "tr"):
            close_cell()
            if name != "tr" and not closing and tables:
                tables[-1] = _Cell()
        if name in BLOCKS:
            if name in CELL_BREAKS and tables and tables[-1] is not None:
                cell = tables[-1]
                cell.breaks.append(len(edits))
                cell.paragraphs += name != "br" and not closing
            edits.append((i, end, "\n"))
        else:
            edits.append((i, end, ""))
    while tables:
        close_cell()
        tables.pop()
    return _merge_adjacent(edits)


def _break_end(text: str, end: int) -> int:
    """A break joined inside a cell takes the whitespace after it along."""
    while end < len(text) and text[end] in " \t\r\n\f":
        end += 1
    return end


def _merge_adjacent(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Make edits non-overlapping (a joined break may have taken whitespace up to the next tag)."""
    out: list[tuple[int, int, str]] = []
    for a, b, s in edits:
        if out and a < out[-1][1]:
            pa, pb, ps = out[-1]
            out[-1] = (pa, max(pb, b), ps + s)
        else:
            out.append((a, b, s))
    return out


def _entity(m: re.Match):
    value = html.unescape(m.group(0))
    return [(value, m.start(), m.end())] if value != m.group(0) else list(range(*m.span()))


def html_to_text(t: MappedText) -> MappedText:
    """The text of an HTML page as a browser shows it, mapped back to the page."""
    return t.edit(tag_edits(t.text)).sub(_ENTITY_RE, _entity)
