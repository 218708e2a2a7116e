"""Named transport lines (railways, expressways, waterways) and the national
corridors they make up.

>>> [m[0] for m in find_lines("依托京广高铁、京港澳高速，推进城际铁路建设")]
['京广高铁', '京港澳高速']
>>> CorridorTable.load().for_token("长渝").key
'xiayu'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from plankg.loaders.reference import read_data_csv
from plankg.script import HAN

_LINE_SUFFIX = r"(?:高速铁路|客运专线|城际铁路|快速铁路|高速公路|黄金水道|铁路|高铁|高速|水道|航道|通道|运河)"
# A line name, unless it names a place on the line (上饶高铁经济试验区, 高铁新城).
_LINE_RE = re.compile(rf"[{HAN}]{{2,10}}?{_LINE_SUFFIX}(?![{HAN}]{{0,4}}(?:区|城|站|园))")
# Words that end a name's prefix on the left: the name starts after them.
_LEADING_WORDS_RE = re.compile(
    r".*(?:依托|加快|推进|建设|发挥|提高|完善|加强|以|和|及|与|或|为|等|在|的|是|将|把|沿线|全线|打通|构建|形成|推动|"
    r"实施|启动|争取|积极|重点|主要|支持|规划|研究|联动|聚联|利用|现有|各类|承接|共建|共同|打造|融入|参与)"
)
# Prefixes that make a generic phrase, not a named line.
GENERIC_PREFIXES = {
    "城际", "高速", "普通", "干线", "重要", "综合", "出省", "区域", "快速", "城市", "国际", "对外", "立体",
    "省际", "国家", "铁路", "公路", "货运", "客运", "市域", "轨道", "交通", "能源", "运输", "断头", "高等级",
    "内河", "骨干", "主要", "绿色", "大", "通用", "支线", "国省", "县乡",
}

_GENERIC_RE = re.compile("|".join(sorted(GENERIC_PREFIXES, key=len, reverse=True)))


def leading_words(name: str) -> int:
    """How many characters of verbs and connectives lead a captured name.

    >>> leading_words("推动长沙高新区")
    2
    """
    cut = _LEADING_WORDS_RE.match(name)
    return cut.end() if cut and cut.end() < len(name) else 0


def find_lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Named lines in ``text[start:end]`` with their offsets."""
    end = len(text) if end is None else end
    found = []
    for m in _LINE_RE.finditer(text, start, end):
        name = m.group(0)
        offset = leading_words(name)
        name = name[offset:]
        prefix = re.sub(f"{_LINE_SUFFIX}$", "", name)
        specific = _GENERIC_RE.sub("", prefix)
        if len(prefix) < 2 or len(specific) < 1 or not re.search(rf"[{HAN}]{{2}}", prefix):
            continue
        found.append((name, m.start() + offset, m.end()))
    return found


@dataclass(frozen=True)
class Corridor:
    """A national transport corridor."""

    key: str
    name: str
    terminals: frozenset[str]
    aliases: tuple[str, ...]
    lines: tuple[str, ...]
    kind: str | None = None


def _split(field: str) -> list[str]:
    return [x for x in field.split("|") if x]


def _add_expressway(corridors: dict[str, Corridor], code: str, name: str, corridor: str) -> dict[str, Corridor]:
    """A national expressway as a line of the corridor it belongs to, or as a
    corridor of its own named by it (key ``g56``, alias 杭瑞).

    >>> c = _add_expressway({}, "G56", "杭瑞高速", "")["g56"]
    >>> c.name, c.aliases, c.lines
    ('杭瑞高速', ('杭瑞',), ('杭瑞高速', '杭瑞高速公路'))
    """
    names = (name, f"{name}公路")
    if corridor:
        c = corridors[corridor]
        lines = c.lines + tuple(n for n in names if n not in c.lines)
        return {**corridors, corridor: replace(c, lines=lines)}
    key = code.lower()
    return {**corridors, key: Corridor(key, name, frozenset(), (name.removesuffix("高速"),), names, "expressway")}


class CorridorTable:
    """The curated corridors of ``gazetteers/corridors.csv``."""

    def __init__(self, corridors: list[Corridor]):
        self.corridors = corridors

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, extra_dirs: tuple[str, ...] = ()) -> "CorridorTable":
        """The table shipped with plankg (``corridors.csv``, with the national
        expressways of ``expressways.csv``), plus the rows of ``extra_dirs``
        (see ``plankg.loaders.reference``)."""
        corridors = {
            r["key"]: Corridor(r["key"], r["name"], frozenset(_split(r["terminals"])), tuple(_split(r["aliases"])),
                               tuple(_split(r["lines"])), r["kind"] or None)
            for r in read_data_csv("corridors.csv", extra_dirs)
        }
        for r in read_data_csv("expressways.csv", extra_dirs):
            corridors = _add_expressway(corridors, r["code"], r["name"], r["corridor"])
        return cls(list(corridors.values()))

    def for_token(self, token: str) -> Corridor | None:
        """The corridor an axis-name token names: an alias, or abbreviations all
        among one corridor's terminals (长渝 ⊂ 渝长厦)."""
        for c in self.corridors:
            if token == c.name or token in c.aliases:
                return c
        if 2 <= len(token) <= 3:
            matches = [c for c in self.corridors if c.terminals and set(token) <= c.terminals]
            if len(matches) == 1:
                return matches[0]
        return None

    def for_line(self, line: str) -> Corridor | None:
        """The corridor a named line belongs to."""
        for c in self.corridors:
            if line in c.lines:
                return c
        return None
