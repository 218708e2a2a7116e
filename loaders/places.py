"""The place gazetteer: administrative divisions and named regions, and
finding their mentions in text.

Divisions come from ``gazetteers/divisions.csv`` (GB/T 2260 codes of the
whole country, current and former, GCJ-02 and WGS84 coordinates) updated by
``division_changes.csv`` (which former division each current one replaced,
and when); regions from ``regions.csv``. Short forms are derived: 长沙市 → 长沙, 浏阳市 → 浏阳. Where a
short form is shared, the higher level wins (湘潭 is 湘潭市, never 湘潭县) and
a county's short form is only trusted inside lists of places.

>>> g = PlaceGazetteer.load()
>>> g.lookup("湘潭").name, g.lookup("湘潭县").name
('湘潭市', '湘潭县')
>>> g.lookup("宁乡").name   # the county became a city in 2017
'宁乡市'
>>> g.lookup("莱芜市").name, g.lookup("襄樊").name   # abolished in 2019; renamed in 2010
('莱芜区', '襄阳市')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from plankg.loaders.reference import read_data_csv

LEVEL_RANK = {"province": 0, "region": 1, "prefecture": 2, "county": 3}
# Suffixes after which a place name is part of a longer proper name
# (an airport, a station, a park, a company), not a mention of the place.
FACILITY_SUFFIXES = (
    "机场", "站", "港", "大桥", "大学", "学院", "医院", "银行", "集团", "公司", "海关", "经开区",
    "高新区", "开发区", "新区", "片区", "工业园", "产业园", "园区", "综合保税区", "保税区", "新城", "路", "大道",
    "高铁", "高速", "铁路", "城际", "航道", "港区", "试验区", "示范区",
)
# Division names that are also common words: found only through lists of known places.
GENERIC_NAMES = {"城区", "郊区", "矿区", "新区", "开发区", "市中区", "中区"}
_LIST_SEPARATORS = {"、", "，", "—", "－", "-", "和", "与", "及"}
_TAIL_RE = re.compile(r"[^、，。；：和与及等（）“”\n]{0,6}")
_ETHNIC_RE = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+自治(?:县|州|旗)$")
_STRIP = ("土家族苗族自治州", "自治州", "自治县", "林区", "新区", "地区", "市", "县", "区", "省")


@dataclass(frozen=True)
class Place:
    """A division (``code`` is its GB/T 2260 code) or a named region (``region:<name>``)."""

    code: str
    name: str
    level: str
    parent: str | None = None
    lon: float | None = None
    lat: float | None = None
    replaced_by: str | None = None
    replaced_year: int | None = None
    members: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    within: tuple[str, ...] = ()
    lon_wgs84: float | None = None
    lat_wgs84: float | None = None

    @property
    def is_region(self) -> bool:
        """A named region rather than an administrative division."""
        return self.level == "region"


@dataclass(frozen=True)
class PlaceMention:
    """A place found in text: ``text[start:end]`` names ``place``."""

    place: Place
    start: int
    end: int
    surface: str


def short_form(name: str) -> str | None:
    """长沙市 → 长沙, 湘西土家族苗族自治州 → 湘西; None when too short to stand alone.

    >>> short_form("浏阳市"), short_form("攸县"), short_form("芷江侗族自治县")
    ('浏阳', None, '芷江')
    """
    ethnic = _ETHNIC_RE.match(name)
    if ethnic:
        return ethnic.group(1)
    for suffix in _STRIP:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def known_members(places: dict[str, Place]) -> dict[str, Place]:
    """Regions keep their members only when every member is a known division:
    a region half of whose cities the division table lacks is used as a
    region, not as a wrong list of cities.

    >>> r = Place("region:甲乙", "甲乙", "region", members=("430100", "110000"))
    >>> known_members({"430100": Place("430100", "长沙市", "prefecture"), r.code: r})[r.code].members
    ()
    """
    return {code: replace(p, members=()) if p.is_region and not set(p.members) <= set(places) else p
            for code, p in places.items()}


def _float(value: str) -> float | None:
    return float(value) if value else None


def _apply_change(places: dict[str, Place], row: dict[str, str]) -> None:
    """Mark ``old_code`` as replaced by ``new_code`` in ``row``'s year. A division
    missing from divisions.csv is made from the row (level and parent from its
    code); a change that keeps the code is a rename: the old name becomes an alias."""
    old_code, new_code = row["old_code"], row["new_code"]
    year = int(row["year"]) if row["year"] else None
    new = places.get(new_code)
    if old_code == new_code:
        if new is not None and row["old_name"] not in (new.name, *new.aliases):
            places[new_code] = replace(new, aliases=(*new.aliases, row["old_name"]))
        return
    old = places.get(old_code)
    if old is None:
        model = new or Place(new_code, row["new_name"], _code_level(old_code), _code_parent(old_code, places))
        old = replace(model, code=old_code, name=row["old_name"], level=_code_level(old_code),
                      parent=_code_parent(old_code, places), aliases=())
    places[old_code] = replace(old, replaced_by=new_code, replaced_year=year)
    if new is None:
        places[new_code] = replace(old, code=new_code, name=row["new_name"], replaced_by=None, replaced_year=None)


def _code_level(code: str) -> str:
    """The level a GB/T 2260 code denotes: 430000 province, 430100 prefecture, 430124 county."""
    return "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"


def _code_parent(code: str, places: dict[str, Place]) -> str | None:
    """The parent of a code: its prefecture when known, else its province."""
    if code.endswith("0000"):
        return None
    prefecture = code[:4] + "00"
    return prefecture if not code.endswith("00") and prefecture in places else code[:2] + "0000"


def make_trie(names) -> dict:
    """A prefix tree of ``names``: nested dicts by character, ``""`` marking a name's end."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = True
    return trie


def find_longest(trie: dict, text: str, pos: int, end: int) -> tuple[int, int] | None:
    """The leftmost name of ``trie`` in ``text[pos:end]``, the longest at that
    position, as ``(start, end)``; None when there is none. Matching costs the
    length of a name, not the number of names, so a nationwide gazetteer scans
    as fast as a provincial one.

    >>> t = make_trie(["湘潭", "湘潭县", "长沙"])
    >>> find_longest(t, "支持湘潭县与长沙", 0, 8), find_longest(t, "支持湘潭县与长沙", 5, 8)
    ((2, 5), (6, 8))
    """
    for i in range(pos, end):
        node = trie.get(text[i])
        if node is None:
            continue
        best, j = None, i
        while node is not None:
            j += 1
            if "" in node:
                best = j
            if j >= end:
                break
            node = node.get(text[j])
        if best is not None:
            return i, best
    return None


def _find(text: str, pos: int, end: int, first: dict | None, trie: dict) -> tuple[int, int] | None:
    """The leftmost name of ``first`` or ``trie``; at one position ``first`` wins."""
    if first is None:
        return find_longest(trie, text, pos, end)
    a = find_longest(first, text, pos, end)
    b = find_longest(trie, text, pos, end)
    return a if b is None or (a is not None and a[0] <= b[0]) else b


@dataclass(eq=False)
class PlaceGazetteer:
    """Lookup tables over divisions and regions."""

    places: dict[str, Place]
    full: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)
    county_short: dict[str, str] = field(default_factory=dict)
    district_short: dict[str, str] = field(default_factory=dict)
    word_short: dict[str, str] = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, extra_dirs: tuple[str, ...] = ()) -> "PlaceGazetteer":
        """The gazetteer shipped with plankg, plus the rows of ``extra_dirs``
        (see ``plankg.loaders.reference``)."""
        places: dict[str, Place] = {}
        for r in read_data_csv("divisions.csv", extra_dirs):
            places[r["code"]] = Place(
                r["code"], r["name"], r["level"], r["parent"] or None,
                _float(r["lon_gcj02"]), _float(r["lat_gcj02"]),
                lon_wgs84=_float(r["lon_wgs84"]), lat_wgs84=_float(r["lat_wgs84"]),
            )
        for r in read_data_csv("division_changes.csv", extra_dirs):
            _apply_change(places, r)
        for r in read_data_csv("regions.csv", extra_dirs):
            code = f"region:{r['name']}"
            places[code] = Place(code, r["name"], "region",
                                 members=tuple(m for m in r["members"].split("|") if m),
                                 aliases=tuple(a for a in r["aliases"].split("|") if a),
                                 kind=r["kind"] or None, within=tuple(w for w in r["within"].split("|") if w))
        words = {r["short"]: r["note"] for r in read_data_csv("place_words.csv", extra_dirs)}
        return cls.from_places(known_members(places), words)

    @classmethod
    def from_places(cls, places: dict[str, Place], words: dict[str, str] | None = None) -> "PlaceGazetteer":
        """Build the lookup tables; current divisions win over replaced ones for
        full names. A short form goes to the highest level that has it (a former
        prefecture's, 莱芜, before a current district's) and is refused when it
        names different current divisions at that level (ambiguous between
        provinces). Short forms listed in ``words`` (common words, see
        ``place_words.csv``) only count inside lists of places."""
        g = cls(places)
        ordered = sorted(places.values(), key=lambda p: (p.replaced_by is not None, LEVEL_RANK[p.level], p.code))
        for p in ordered:
            for label in (p.name, *p.aliases):
                g.full.setdefault(label, p.code)
        shared: dict[str, list[Place]] = {}
        for p in sorted(ordered, key=lambda p: (LEVEL_RANK[p.level], p.replaced_by is not None, p.code)):
            for label in () if p.is_region else (p.name, *p.aliases):
                s = short_form(label)
                if s and s not in g.full and p not in shared.get(s, ()):
                    shared.setdefault(s, []).append(p)
        for s, candidates in shared.items():
            best = candidates[0]
            same_rank = {g.current(c).code for c in candidates if LEVEL_RANK[c.level] == LEVEL_RANK[best.level]}
            if len(same_rank) > 1:
                continue  # ambiguous between provinces: only the full name will do
            if words and s in words:
                g.word_short[s] = best.code
            elif best.level in ("province", "prefecture"):
                g.short[s] = best.code
            elif best.name.endswith("区"):
                g.district_short[s] = best.code
            else:
                g.county_short[s] = best.code
        return g

    def get(self, code: str) -> Place:
        """A place by code."""
        return self.places[code]

    def current(self, place: Place) -> Place:
        """The division that replaced this one, if any (宁乡县 → 宁乡市)."""
        while place.replaced_by:
            place = self.places[place.replaced_by]
        return place

    def lookup(self, name: str, county_short: bool = True, district_short: bool = False,
               words: bool = False) -> Place | None:
        """The current place a name denotes, or None. ``words``: also the short
        forms that are common words (朝阳, 合作), for names inside lists of places."""
        code = self.full.get(name) or self.short.get(name)
        if code is None and county_short:
            code = self.county_short.get(name)
        if code is None and district_short:
            code = self.district_short.get(name)
        if code is None and words:
            code = self.word_short.get(name)
        return self.current(self.places[code]) if code else None

    def expand(self, place: Place) -> list[Place]:
        """A region's member divisions; a division itself."""
        if place.is_region and place.members:
            return [self.current(self.places[m]) for m in place.members]
        return [place]

    @lru_cache(maxsize=4)
    def _trie(self, county_short: bool) -> dict:
        names = set(self.full) | set(self.short)
        if county_short:
            names |= set(self.county_short) | set(self.word_short)
        return make_trie(names - GENERIC_NAMES)

    def scan(self, text: str, start: int = 0, end: int | None = None, county_short: bool = False,
             extra: dict[str, Place] | None = None) -> list[PlaceMention]:
        """Place mentions in ``text[start:end]``, longest first, left to right.

        A name followed by a facility suffix (长沙黄花机场, 株洲高新区) is part of
        a longer proper name and is skipped. ``extra`` adds document-level
        abbreviations (三市 → 长株潭), which win over gazetteer names at the same
        position. With ``county_short``, short forms that are common words
        (朝阳, 合作) count only next to another place of a list (朝阳、锦州),
        never alone (朝阳产业, 加强合作).
        """
        end = len(text) if end is None else end
        found: list[PlaceMention] = []
        trie = self._trie(county_short)
        extra_trie = make_trie(extra) if extra else None
        pos = start
        while True:
            m = _find(text, pos, end, extra_trie, trie)
            if not m:
                break
            name = text[m[0]:m[1]]
            tail = _TAIL_RE.match(text, m[1]).group(0)
            if any(s in tail for s in FACILITY_SUFFIXES):
                pos = m[1]
                continue
            place = (extra or {}).get(name) or self.lookup(name, county_short=county_short, words=county_short)
            if place is not None:
                found.append(PlaceMention(place, m[0], m[1], name))
            pos = m[1]
        return self._listed_words(text, found, extra or {}) if self.word_short and county_short else found

    def _listed_words(self, text: str, found: list[PlaceMention], extra: dict[str, Place]) -> list[PlaceMention]:
        """Drop the mentions by a common-word short form that no list ties to another place."""
        is_word = [m.surface in self.word_short and m.surface not in extra and m.surface not in self.full
                   and m.surface not in self.short and m.surface not in self.county_short for m in found]
        kept = [not w for w in is_word]
        changed = True
        while changed:
            changed = False
            for i, m in enumerate(found):
                if kept[i]:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(found) and kept[j]:
                        a, b = (found[j], m) if j < i else (m, found[j])
                        if text[a.end:b.start] in _LIST_SEPARATORS:
                            kept[i] = changed = True
                            break
        return [m for m, k in zip(found, kept) if k]
