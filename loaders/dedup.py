"""Keep repeated sentences once, remembering every place they stood.

Scraped pages repeat and shuffle paragraphs. Extraction must see each
sentence once, yet provenance must list every span of the original file
where the sentence occurs.

>>> from plankg.loaders.mapped import MappedText
>>> d = deduplicate(MappedText.original("推进长株潭一体化发展建设。其他内容在此。\\n推进长株潭一体化发展建设。"))
>>> d.text.text
'推进长株潭一体化发展建设。其他内容在此。\\n'
>>> d.copies
[(0, 13, [(21, 34)])]
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from plankg.loaders.mapped import MappedText

# A sentence runs to its end mark and takes any parenthetical right after it
# (an agency assignment belongs to the sentence before it).
_SEGMENT_RE = re.compile(r"（[^（）\n]{0,200}）|[^。！？\n]+(?:[。！？]+(?:（[^（）\n]{0,200}）)*)?|[。！？]+")
_PAREN_ONLY_RE = re.compile(r"^（[^（）]*）$")
_TRAILING_PARENS_RE = re.compile(r"(?:（[^（）]*）)+$")
_ASSIGNMENT_RE = re.compile(r"牵头|负责|参与|配合|分工")
_LEADING_PAREN_RE = re.compile(r"（[^（）\n]{0,200}）")


_NONSPACE_RE = re.compile(r"\S")


@dataclass
class _Copies:
    """The removed copies of one kept sentence, aligned on the characters that
    sentences are compared by (all but whitespace): ``kept`` holds the positions
    of those characters in the deduplicated text, ``copies`` their original spans
    in each copy."""

    kept: array
    copies: list[tuple[array, array]]


@dataclass
class DedupedText:
    """Text with repeats removed; ``copies`` lists, for each kept sentence
    ``(start, end)`` of ``text``, the original spans of its removed copies."""

    text: MappedText
    copies: list[tuple[int, int, list[tuple[int, int]]]] = field(default_factory=list)
    removed_chars: int = 0
    aligned: list[_Copies] = field(default_factory=list, repr=False)

    def source_spans(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """Original spans of ``text[start:end]``: the kept one first, then, for each
        repeated sentence it overlaps, the same part of every removed copy.

        Copies may differ from the kept sentence in whitespace, and in markup and
        character forms that normalisation removes or unifies (``**``, ``&nbsp;``,
        full-width digits): the part of a copy is found by its position among the
        compared characters, so each span holds the same text once normalised."""
        spans = [self.text.span(start, end)]
        if not self.copies:
            return tuple(spans)
        if len(self.aligned) != len(self.copies):
            return tuple(spans + self._spans_by_offset(start, end))
        n = bisect_right([k_end for _, k_end, _ in self.copies], start)
        for (k_start, k_end, _), aligned in zip(self.copies[n:], self.aligned[n:]):
            if k_start >= end:
                break
            i = bisect_left(aligned.kept, max(start, k_start))
            j = bisect_left(aligned.kept, min(end, k_end))
            for starts, ends in aligned.copies:
                jj = min(j, len(starts))
                if i < jj:
                    spans.append((starts[i], max(ends[i:jj])))
        return tuple(spans)

    def _spans_by_offset(self, start: int, end: int) -> list[tuple[int, int]]:
        """Copies' spans by offset arithmetic, for a ``DedupedText`` built by hand
        without alignment (verbatim copies only)."""
        spans = []
        for k_start, k_end, copy_spans in self.copies:
            a, b = max(start, k_start), min(end, k_end)
            if a >= b:
                continue
            first = self.text.span(k_start, k_end)[0]
            part = self.text.span(a, b)
            for c_start, c_end in copy_spans:
                copy_start = c_start + part[0] - first
                if copy_start < c_end:
                    spans.append((copy_start, min(c_end, c_start + part[1] - first)))
        return spans


def _key(segment: str) -> str:
    return re.sub(r"\s+", "", segment)


def deduplicate(t: MappedText, min_chars: int = 12) -> DedupedText:
    """Remove sentences (of at least ``min_chars``) already seen elsewhere.

    A sentence is compared without the assignment parenthetical that follows
    it (on its line, or opening the next line); of its copies, the first one
    carrying the longest assignment is kept, and a copy whose assignment says
    something else is kept too, so no assignment is lost or moved. A sentence
    made only of a parenthetical is never removed on its own. Table cells
    (lines starting with a tab) are never removed either: an annex table
    restates the body's sentences on purpose.
    """
    groups: dict[str, list[_Segment]] = {}
    for seg in _segments(t.text, min_chars):
        groups.setdefault(seg.body_key, []).append(seg)
    copies: dict[tuple[int, int], list[tuple[int, int]]] = {}
    copy_ranges: dict[tuple[int, int], list[tuple[int, int]]] = {}  # the same copies, in ``t``
    delete: list[tuple[int, int]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        longest = max(len(m.paren_key) for m in members)
        keeper = next(m for m in members if len(m.paren_key) == longest)
        for m in members:
            if m is keeper or (m.paren_key and m.paren_key != keeper.paren_key):
                continue
            delete.append(m.body)
            copies.setdefault(keeper.body, []).append(t.span(*m.body))
            copy_ranges.setdefault(keeper.body, []).append(m.body)
            if m.paren:
                delete.append(m.paren)
                if keeper.paren:
                    copies.setdefault(keeper.paren, []).append(t.span(*m.paren))
                    copy_ranges.setdefault(keeper.paren, []).append(m.paren)
    delete.extend(_emptied_line_ends(t.text, delete))

    new = t.delete(delete)
    removed_before = _prefix_counter(delete)
    kept = []
    aligned = []
    for (a, b), spans in sorted(copies.items()):
        shift = removed_before(a)
        kept.append((a - shift, b - shift, spans))
        aligned.append(_Copies(
            array("l", (m.start() - shift for m in _NONSPACE_RE.finditer(t.text, a, b))),
            [_nonspace_spans(t, ca, cb) for ca, cb in copy_ranges[(a, b)]],
        ))
    return DedupedText(new, kept, sum(b - a for a, b in _merge(delete)), aligned)


def _nonspace_spans(t: MappedText, a: int, b: int) -> tuple[array, array]:
    """Original (starts, ends) of the non-whitespace characters of ``t.text[a:b]``."""
    starts, ends = array("l"), array("l")
    for m in _NONSPACE_RE.finditer(t.text, a, b):
        starts.append(t.starts[m.start()])
        ends.append(t.ends[m.start()])
    return starts, ends


@dataclass
class _Segment:
    body: tuple[int, int]
    paren: tuple[int, int] | None
    body_key: str
    paren_key: str


def _segments(text: str, min_chars: int):
    """Each sentence worth comparing, with the assignment that follows it. A
    sentence ending a line takes an assignment that opens the next line
    (scrapes break lines between the two)."""
    pos = 0
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        body = line.rstrip("\n")
        if not body.startswith("\t"):
            found = [m for m in _SEGMENT_RE.finditer(body) if _key(m.group(0))]
            for i, m in enumerate(found):
                raw = m.group(0)
                if _PAREN_ONLY_RE.match(_key(raw)):
                    continue
                a, b = pos + m.start(), pos + m.end()
                trailing = _TRAILING_PARENS_RE.search(raw)
                body_span, paren_span, paren_key = (a, b), None, ""
                if trailing:
                    body_span = (a, a + trailing.start())
                    # Only an assignment counts as what a copy says; (二) is a heading number.
                    if _ASSIGNMENT_RE.search(trailing.group(0)):
                        paren_span, paren_key = (a + trailing.start(), b), _key(trailing.group(0))
                elif i == len(found) - 1 and n + 1 < len(lines):
                    opening = _LEADING_PAREN_RE.match(lines[n + 1])
                    if opening and _ASSIGNMENT_RE.search(opening.group(0)):
                        next_start = pos + len(line)
                        paren_span, paren_key = (next_start, next_start + opening.end()), _key(opening.group(0))
                body_key = _key(text[body_span[0]:body_span[1]])
                if len(body_key) >= min_chars:
                    yield _Segment(body_span, paren_span, body_key, paren_key)
        pos += len(line)


def _merge(ranges):
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _emptied_line_ends(text: str, deleted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Newlines of lines whose whole content was deleted."""
    removed = bytearray(len(text))
    for a, b in deleted:
        removed[a:b] = b"\x01" * (b - a)
    ends = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body_end = pos + len(line.rstrip("\n"))
        content = [i for i in range(pos, body_end) if not text[i].isspace()]
        if content and all(removed[i] for i in content) and body_end < pos + len(line):
            ends.append((body_end, pos + len(line)))
        pos += len(line)
    return ends


def _prefix_counter(ranges: list[tuple[int, int]]):
    """A function giving how many characters of ``ranges`` lie before a position
    (binary search over the merged ranges: linear time overall)."""
    ordered = _merge(ranges)
    starts = [a for a, _ in ordered]
    before = [0]
    for a, b in ordered:
        before.append(before[-1] + b - a)

    def removed_before(pos: int) -> int:
        k = bisect_left(starts, pos)  # ranges starting before pos
        if k == 0:
            return 0
        a, b = ordered[k - 1]
        return before[k - 1] + min(b, pos) - a

    return removed_before
