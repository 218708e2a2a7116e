"""The place gazetteer: administrative divisions and named regions, and
finding their mentions in text.

Divisions come from ``gazetteers/divisions.csv`` (GB/T 2260 codes, GCJ-02
coordinates) updated by ``division_changes.csv``; regions from
``regions.csv``. Short forms are derived: 长沙市 → 长沙, 浏阳市 → 浏阳. Where a
short form is shared, the higher level wins (湘潭 is 湘潭市, never 湘潭县) and
a county's short form is only trusted inside lists of places.

>>> g = PlaceGazetteer.load()
>>> g.lookup("湘潭").name, g.lookup("湘潭县").name
('湘潭市', '湘潭县')
>>> g.lookup("宁乡").name   # the county became a city in 2017
'宁乡市'
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


@dataclass(eq=False)
class PlaceGazetteer:
    """Lookup tables over divisions and regions."""

    places: dict[str, Place]
    full: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)
    county_short: dict[str, str] = field(default_factory=dict)
    district_short: dict[str, str] = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, extra_dirs: tuple[str, ...] = ()) -> "PlaceGazetteer":
        """The gazetteer shipped with plankg, plus the rows of ``extra_dirs``
        (see ``plankg.loaders.reference``)."""
        places: dict[str, Place] = {}
        for r in read_data_csv("divisions.csv", extra_dirs):
            places[r["code"]] = Place(
                r["code"], r["name"], r["level"], r["parent"] or None,
                float(r["lon_gcj02"]) if r["lon_gcj02"] else None,
                float(r["lat_gcj02"]) if r["lat_gcj02"] else None,
            )
        for r in read_data_csv("division_changes.csv", extra_dirs):
            old = places[r["old_code"]]
            places[r["old_code"]] = Place(old.code, old.name, old.level, old.parent, old.lon, old.lat,
                                          replaced_by=r["new_code"], replaced_year=int(r["year"]))
            level = "county"
            places[r["new_code"]] = Place(r["new_code"], r["new_name"], level, old.parent, old.lon, old.lat)
        for r in read_data_csv("regions.csv", extra_dirs):
            code = f"region:{r['name']}"
            places[code] = Place(code, r["name"], "region",
                                 members=tuple(m for m in r["members"].split("|") if m),
                                 aliases=tuple(a for a in r["aliases"].split("|") if a),
                                 kind=r["kind"] or None, within=tuple(w for w in r["within"].split("|") if w))
        return cls.from_places(known_members(places))

    @classmethod
    def from_places(cls, places: dict[str, Place]) -> "PlaceGazetteer":
        """Build the lookup tables; current divisions win over replaced ones."""
        g = cls(places)
        ordered = sorted(places.values(), key=lambda p: (p.replaced_by is not None, LEVEL_RANK[p.level], p.code))
        for p in ordered:
            for label in (p.name, *p.aliases):
                g.full.setdefault(label, p.code)
        shared: dict[str, list[Place]] = {}
        for p in ordered:
            s = short_form(p.name) if not p.is_region else None
            if s and s not in g.full:
                shared.setdefault(s, []).append(p)
        for s, candidates in shared.items():
            best = candidates[0]
            same_rank = [c for c in candidates if LEVEL_RANK[c.level] == LEVEL_RANK[best.level] and c.replaced_by is None]
            if len(same_rank) > 1:
                continue  # ambiguous between provinces: only the full name will do
            if best.level in ("province", "prefecture"):
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

    def lookup(self, name: str, county_short: bool = True, district_short: bool = False) -> Place | None:
        """The current place a name denotes, or None."""
        code = self.full.get(name) or self.short.get(name)
        if code is None and county_short:
            code = self.county_short.get(name)
        if code is None and district_short:
            code = self.district_short.get(name)
        return self.current(self.places[code]) if code else None

    def expand(self, place: Place) -> list[Place]:
        """A region's member divisions; a division itself."""
        if place.is_region and place.members:
            return [self.current(self.places[m]) for m in place.members]
        return [place]

    @lru_cache(maxsize=4)
    def _regex(self, county_short: bool) -> re.Pattern:
        names = set(self.full) | set(self.short) | (set(self.county_short) if county_short else set())
        names -= GENERIC_NAMES
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(f"(?:{alternation})")

    def scan(self, text: str, start: int = 0, end: int | None = None, county_short: bool = False,
             extra: dict[str, Place] | None = None) -> list[PlaceMention]:
        """Place mentions in ``text[start:end]``, longest first, left to right.

        A name followed by a facility suffix (长沙黄花机场, 株洲高新区) is part of
        a longer proper name and is skipped. ``extra`` adds document-level
        abbreviations (三市 → 长株潭).
        """
        end = len(text) if end is None else end
        found: list[PlaceMention] = []
        regex = self._regex(county_short)
        if extra:
            alternation = "|".join(re.escape(n) for n in sorted(extra, key=len, reverse=True))
            regex = re.compile(f"{alternation}|{regex.pattern}")
        pos = start
        while True:
            m = regex.search(text, pos, end)
            if not m:
                break
            name = m.group(0)
            tail = _TAIL_RE.match(text, m.end()).group(0)
            if any(s in tail for s in FACILITY_SUFFIXES):
                pos = m.end()
                continue
            place = (extra or {}).get(name) or self.lookup(name, county_short=county_short)
            if place is not None:
                found.append(PlaceMention(place, m.start(), m.end(), name))
            pos = m.end()
        return found
