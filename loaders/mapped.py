"""Text that remembers where each of its characters came from.

Every normalisation step returns a new ``MappedText`` whose characters map
back to spans of the original file, so extracted facts can cite offsets in
the file as the user has it.

>>> t = MappedText.original("Ａ长沙")
>>> t2 = t.translate({"Ａ": "A"})
>>> t2.text, t2.span(1, 3)
('A长沙', (1, 3))
>>> t3 = t2.delete([(0, 1)])
>>> t3.text, t3.span(0, 2)
('长沙', (1, 3))
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class MappedText:
    """A string plus, per character, the original span it stands for."""

    text: str
    starts: array
    ends: array

    @classmethod
    def original(cls, text: str) -> "MappedText":
        """The identity mapping of an original text."""
        n = len(text)
        return cls(text, array("l", range(n)), array("l", range(1, n + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covered by characters ``start:end`` of this text."""
        if end <= start:
            pos = self.starts[start] if start < len(self.text) else (self.ends[-1] if self.text else 0)
            return pos, pos
        return self.starts[start], max(self.ends[start:end])

    def translate(self, table: dict[str, str]) -> "MappedText":
        """Replace single characters by single characters (mapping kept 1:1)."""
        text = "".join(table.get(ch, ch) for ch in self.text)
        return MappedText(text, self.starts, self.ends)

    def map_lines(self, convert: Callable[[str], str]) -> "MappedText":
        """Apply a per-line string function that mostly keeps lengths.

        Where a line keeps its length, characters map 1:1; where it does not,
        the line is converted character by character instead.
        """
        out = []
        pos = 0
        for line in self.text.splitlines(keepends=True):
            converted = convert(line)
            if len(converted) != len(line):
                converted = "".join(
                    c if len(c := convert(ch)) == 1 else ch for ch in line
                )
            out.append(converted)
            pos += len(line)
        return MappedText("".join(out), self.starts, self.ends)

    def delete(self, ranges: Iterable[tuple[int, int]]) -> "MappedText":
        """Drop the characters in the given ``(start, end)`` ranges."""
        merged: list[list[int]] = []
        for a, b in sorted(r for r in ranges if r[1] > r[0]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        if not merged:
            return self
        chars: list[str] = []
        starts = array("l")
        ends = array("l")
        pos = 0
        for a, b in merged + [[len(self.text), len(self.text)]]:
            chars.append(self.text[pos:a])
            starts.extend(self.starts[pos:a])
            ends.extend(self.ends[pos:a])
            pos = b
        return MappedText("".join(chars), starts, ends)

    def sub(self, pattern: re.Pattern | str, repl: Callable[[re.Match], list[tuple[str, int, int] | int]]) -> "MappedText":
        """Rewrite every match of ``pattern``.

        ``repl(match)`` returns the pieces that replace the match: an ``int``
        keeps that character of this text (with its mapping), a tuple
        ``(string, start, end)`` inserts new characters mapped to this text's
        characters ``start:end``.
        """
        if isinstance(pattern, str):
            pattern = re.compile(pattern)
        chars: list[str] = []
        starts = array("l")
        ends = array("l")
        pos = 0

        def copy(a: int, b: int) -> None:
            chars.append(self.text[a:b])
            starts.extend(self.starts[a:b])
            ends.extend(self.ends[a:b])

        for m in pattern.finditer(self.text):
            copy(pos, m.start())
            for piece in repl(m):
                if isinstance(piece, int):
                    copy(piece, piece + 1)
                else:
                    s, a, b = piece
                    o_start, o_end = self.span(a, b)
                    chars.append(s)
                    starts.extend([o_start] * len(s))
                    ends.extend([o_end] * len(s))
            pos = m.end()
        copy(pos, len(self.text))
        return MappedText("".join(chars), starts, ends)

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> "MappedText":
        """Replace the ranges ``(start, end, replacement)``, sorted and not
        overlapping, in one pass; a replacement maps to the range it replaces."""
        chars: list[str] = []
        starts = array("l")
        ends = array("l")
        pos = 0
        for a, b, s in edits:
            chars.append(self.text[pos:a])
            starts.extend(self.starts[pos:a])
            ends.extend(self.ends[pos:a])
            if s:
                o_start, o_end = self.span(a, b)
                chars.append(s)
                starts.extend([o_start] * len(s))
                ends.extend([o_end] * len(s))
            pos = max(pos, b)
        chars.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return MappedText("".join(chars), starts, ends)

    def keep_group(self, pattern: re.Pattern | str, group: int | str = 1) -> "MappedText":
        """Replace each match by one of its groups (e.g. a link by its text)."""
        return self.sub(pattern, lambda m: list(range(*m.span(group))) if m.group(group) else [])

    def remove(self, pattern: re.Pattern | str) -> "MappedText":
        """Delete every match of ``pattern``."""
        if isinstance(pattern, str):
            pattern = re.compile(pattern)
        return self.delete(m.span() for m in pattern.finditer(self.text))
