"""The agency gazetteer: official names, abbreviations, issuing-province scope,
successions, and tolerant matching.

The data files: ``department_types.csv`` (the standard departments every
province has, before and after the 2018 and 2023 reforms, with the
municipalities' own names) and ``department_names.csv`` (one unit's own
name), ``city_department_types.csv`` (every prefecture-level city's
departments), ``party_bodies.csv`` (each province's party committee and its
working bodies), ``agencies.csv`` (State Council bodies, central party bodies,
state organs, central enterprises, vertically managed bureaus),
``agency_changes.csv`` and ``department_type_changes.csv`` (renames, mergers
and splits). City and county governments and the cities themselves come from
the place gazetteer.

>>> g = AgencyGazetteer.load()
>>> g.resolve("省发改委", province="430000").name
'湖南省发展和改革委员会'
>>> g.resolve("省发展改革委", province="360000").name
'江西省发展和改革委员会'
>>> g.resolve("国家发展改革委").key
'cn-ndrc'
>>> g.resolve("市交通运输局", province="440000", city="440100").name
'广州市交通运输局'
>>> g.resolve_tolerant("省环保护厅", province="430000").agency.name   # one stray character
'湖南省环境保护厅'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from plankg.script import HAN, to_simplified
from plankg.loaders.places import PlaceGazetteer, short_form
from plankg.loaders.reference import Province, read_data_csv, read_provinces

_COLLECTIVE_RE = re.compile(r"^(?:省直|相关|有关|各|其他|其它|省政府各|市直|县直)|(?:有关|相关)(?:部门|单位)$|各(?:部门|单位)$")
_AGENCY_PATTERN_RE = re.compile(
    rf"^(?:省|市|县|[{HAN}]{{2,9}}?(?:省|市|县|自治区))[{HAN}]{{1,16}}?"
    r"(?:厅|局|委员会|委|办公室|办|室|管委会|集团|公司|中心|海关|支行|分行|分局|银行|研究院|协会|人民政府|政府)$"
    rf"|^[{HAN}]{{2,6}}海关$|^[{HAN}]{{1,8}}[市县区州](?:人民)?政府$"
    rf"|^(?:中国|国家|国网|中)[{HAN}]{{2,20}}?(?:集团有限公司|有限责任公司|股份有限公司|有限公司|集团公司|集团)$"
)
# The words a document opens a name relative to its own province or city with (省发展改革委, 州财政局).
RELATIVE_WORDS = ("省", "市", "自治区", "自治州", "州", "地区", "盟")
FUZZY_MIN_LENGTH = 4  # names shorter than this must match exactly


@dataclass(frozen=True)
class Agency:
    """One body of the gazetteer. ``listed`` is False for bodies found by pattern only.

    ``city`` is the prefecture-level city (GB/T 2260 code) of a city's own
    bodies, against which their relative forms (市发展改革委) resolve;
    ``national_aliases`` are short forms that name a national body only in a
    national document (统计局)."""

    key: str
    name: str
    province: str | None
    kind: str
    aliases: tuple[str, ...] = ()
    listed: bool = True
    city: str | None = None
    national_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Succession:
    """``old`` was renamed into or merged into ``new`` in ``year``."""

    old: str
    new: str
    year: int
    kind: str


@dataclass(frozen=True)
class Resolution:
    """An agency name as resolved, and how: exact, relative, fuzzy, government, pattern, collective."""

    agency: Agency
    how: str


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when one insertion, deletion or substitution (or none) turns a into b.

    >>> edit_distance_at_most_one("省环保护厅", "省环保厅"), edit_distance_at_most_one("省财政厅", "省商务厅")
    (True, False)
    """
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            edits += 1
            if edits > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return edits + (len(b) - j) <= 1


def _split(cell: str) -> tuple[str, ...]:
    """The items of a "|"-separated cell."""
    return tuple(x for x in cell.split("|") if x)


def _with_departments(provinces: dict[str, Province]):
    for p in provinces.values():
        if p.departments:
            yield p.code, (p.name, p.short, p.key, p.relative)


MUNICIPALITY = "市"  # the relative word of the municipalities (北京市, 上海市): their departments have own names


def _department_name(t: dict[str, str], relative: str, own: dict[str, str] | None) -> tuple[str, list[str]] | None:
    """A department type's name and abbreviations in one province-level unit:
    its own (``department_names.csv``), the municipalities' or the provinces'.
    None where the body does not exist there."""
    if own:
        return own["name"], list(_split(own["abbreviations"]))
    if relative == MUNICIPALITY and t["name_municipality"]:
        if t["name_municipality"] == "-":
            return None
        return t["name_municipality"], list(_split(t["abbreviations_municipality"]))
    return t["name"], list(_split(t["abbreviations"]))


def _province_agencies(provinces: dict[str, Province], extra_dirs) -> list[Agency]:
    """Each province's standard departments (``department_types.csv``, ``department_names.csv``)."""
    own = {(r["province"], r["type"]): r for r in read_data_csv("department_names.csv", extra_dirs)}
    out = []
    for t in read_data_csv("department_types.csv", extra_dirs):
        for code, (pname, pshort, prefix, relative) in _with_departments(provinces):
            named = _department_name(t, relative, own.get((code, t["type"])))
            if named is None:
                continue
            suffix, abbreviations = named
            aliases = {f"{relative}{a}" for a in abbreviations} | {f"{pname}{a}" for a in abbreviations}
            aliases |= {f"{pshort}{relative}{a}" for a in abbreviations} if relative in ("省", "自治区") else set()
            name = f"{pname}{suffix}"
            out.append(Agency(f"{prefix}-{t['type']}", name, code, t["kind"], tuple(sorted(aliases - {name}))))
    return out


def _city_relative(name: str) -> str | None:
    """The word a prefecture-level division's own documents open relative names with."""
    for suffix, relative in (("自治州", "州"), ("地区", "地区"), ("盟", "盟"), ("市", "市")):
        if name.endswith(suffix):
            return relative
    return None


def _city_agencies(places: PlaceGazetteer, extra_dirs) -> list[Agency]:
    """Each prefecture-level city's standard departments (``city_department_types.csv``),
    keyed ``<city code>-<type>``; relative forms (市发展改革委) belong to the city."""
    cities = [p for p in places.places.values() if p.level == "prefecture" and not p.replaced_by]
    out = []
    for t in read_data_csv("city_department_types.csv", extra_dirs):
        abbreviations = _split(t["abbreviations"])
        for city in cities:
            relative = _city_relative(city.name)
            if relative is None:
                continue
            short = short_form(city.name)
            province = city.code[:2] + "0000"
            aliases = {f"{relative}{a}" for a in abbreviations} | {f"{city.name}{a}" for a in abbreviations}
            aliases |= {f"{short}{relative}{a}" for a in abbreviations} if short else set()
            name = f"{city.name}{t['name']}"
            out.append(Agency(f"{city.code}-{t['type']}", name, province, t["kind"], tuple(sorted(aliases - {name})),
                              city=city.code))
    return out


def _generated_successions(provinces: dict[str, Province], places: PlaceGazetteer, keys: set[str],
                           extra_dirs) -> list[Succession]:
    """The successions of ``department_type_changes.csv`` for every province and
    city where both bodies exist."""
    prefixes = {"province": [p.key for p in provinces.values() if p.departments],
                "city": sorted(p.code for p in places.places.values() if p.level == "prefecture")}
    out = []
    for r in read_data_csv("department_type_changes.csv", extra_dirs):
        for prefix in prefixes[r["level"]]:
            old, new = f"{prefix}-{r['old']}", f"{prefix}-{r['new']}"
            if old in keys and new in keys:
                out.append(Succession(old, new, int(r["year"]), r["kind"]))
    return out


def _party_agencies(provinces: dict[str, Province], extra_dirs) -> list[Agency]:
    """Each province's party committee and its working bodies (``party_bodies.csv``)."""
    out = []
    for t in read_data_csv("party_bodies.csv", extra_dirs):
        abbreviations = [a for a in t["abbreviations"].split("|") if a] or [""]
        for code, (pname, pshort, prefix, relative) in _with_departments(provinces):
            committee = "自治区党委" if relative == "自治区" else f"{relative}委"
            name = f"中共{pname}委{t['suffix']}" if t["suffix"] else f"中国共产党{pname}委员会"
            aliases = {f"{committee}{a}" for a in abbreviations} | {f"中共{pname}委{a}" for a in abbreviations}
            aliases |= {f"{pname}委{a}" for a in abbreviations}
            if relative == "省":
                aliases |= {f"中共{pshort}省委{a}" for a in abbreviations}
            if t["suffix"]:
                aliases.add(f"中国共产党{pname}委员会{t['suffix']}")
            out.append(Agency(f"{prefix}-{t['type']}", name, code, t["kind"], tuple(sorted(aliases - {name}))))
    return out


def _government_agencies(places: PlaceGazetteer) -> list[Agency]:
    out = []
    for p in places.places.values():
        if p.is_region or p.level == "province" or p.replaced_by:
            continue
        short = short_form(p.name)
        aliases = {f"{p.name}政府"} | ({f"{short}市政府", f"{short}市人民政府"} if short and p.name.endswith("市") else set())
        out.append(Agency(f"gov-{p.code}", f"{p.name}人民政府", p.code[:2] + "0000", "government",
                          tuple(sorted(aliases)), city=p.code if p.level == "prefecture" else None))
    return out


class AgencyGazetteer:
    """Look agencies up by official name or alias, relative to a province."""

    def __init__(self, agencies: list[Agency], successions: list[Succession] = (),
                 provinces: dict[str, Province] | None = None):
        self.agencies = {a.key: a for a in agencies}
        self.provinces = dict(provinces or {})
        self.successions = list(successions)
        self._successors: dict[str, list[Succession]] = {}
        for change in self.successions:
            self._successors.setdefault(change.old, []).append(change)
        self._absolute: dict[str, str] = {}
        self._relative: dict[tuple[str | None, str], str] = {}
        for a in agencies:
            scope = a.city or a.province
            for label in (a.name, *a.aliases):
                for form in {label, to_simplified(label)}:
                    if form.startswith(RELATIVE_WORDS) or (a.province is None and form in ("发展改革委", "发改委")):
                        self._relative.setdefault((scope, form), a.key)
                    else:
                        self._absolute.setdefault(form, a.key)
            for label in a.national_aliases:
                self._relative.setdefault((None, label), a.key)

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, extra_dirs: tuple[str, ...] = (), places: PlaceGazetteer | None = None) -> "AgencyGazetteer":
        """The gazetteer shipped with plankg, plus the rows of ``extra_dirs``
        (see ``plankg.loaders.reference``); city and county governments come
        from ``places`` (default: the place gazetteer of the same ``extra_dirs``)."""
        places = places if places is not None else PlaceGazetteer.load(extra_dirs)
        provinces = read_provinces(extra_dirs)
        listed = [
            Agency(r["key"], r["name"], r["province"] or None, r["kind"], _split(r["aliases"]),
                   national_aliases=_split(r["national_aliases"]))
            for r in read_data_csv("agencies.csv", extra_dirs)
        ]
        changes = [Succession(r["old"], r["new"], int(r["year"]), r["kind"])
                   for r in read_data_csv("agency_changes.csv", extra_dirs)]
        agencies = (listed + _province_agencies(provinces, extra_dirs) + _party_agencies(provinces, extra_dirs)
                    + _government_agencies(places) + _city_agencies(places, extra_dirs))
        explicit = {(c.old, c.new) for c in changes}
        generated = _generated_successions(provinces, places, {a.key for a in agencies}, extra_dirs)
        changes += [c for c in generated if (c.old, c.new) not in explicit]
        return cls(agencies, changes, provinces)

    @property
    def province_names(self) -> dict[str, str]:
        """Official names of the province-level units, by code."""
        return {code: p.name for code, p in self.provinces.items()}

    def resolve(self, name: str, province: str | None = None, *, city: str | None = None) -> Agency | None:
        """The listed agency a name denotes in a document of ``province`` (None: national)
        and, if given, of the prefecture-level ``city`` (its GB/T 2260 code)."""
        found = self.resolve_tolerant(name, province, fuzzy=False, patterns=False, city=city)
        return found.agency if found else None

    def resolve_tolerant(self, name: str, province: str | None = None, fuzzy: bool = True,
                         patterns: bool = True, *, city: str | None = None) -> Resolution | None:
        """Resolve a name: exactly, relative to the city or the province, as a government, with
        one wrong character, as an unlisted body by its form, or as a collective."""
        name = to_simplified(name.strip())
        if not name:
            return None
        key = self._absolute.get(name)
        if key:
            return Resolution(self.agencies[key], "exact")
        key = (self._relative.get((city, name)) if city else None) or self._relative.get((province, name))
        if key:
            return Resolution(self.agencies[key], "relative")
        if patterns and _COLLECTIVE_RE.search(name):
            return Resolution(Agency(f"collective:{province or ''}:{name}", name, province, "collective", listed=False), "collective")
        if fuzzy and len(name) >= FUZZY_MIN_LENGTH:
            # The first character says the level (省…, 市…, 国家…): a typo never changes it.
            candidates = {k for form, k in self._absolute.items()
                          if form[0] == name[0] and edit_distance_at_most_one(name, form)}
            candidates |= {k for (prov, form), k in self._relative.items()
                           if prov in (province, city or province) and form[0] == name[0]
                           and edit_distance_at_most_one(name, form)}
            if len(candidates) == 1:
                return Resolution(self.agencies[candidates.pop()], "fuzzy")
        if patterns and _AGENCY_PATTERN_RE.search(name):
            full = re.sub(r"(?<!人民)政府$", "人民政府", name) if re.search(r"[市县区州]政府$", name) else name
            if province and name.startswith(("省", "自治区")):
                full = self.province_names.get(province, "") + name.removeprefix("省")
            return Resolution(Agency(f"unlisted:{full}", full, province, "unlisted", listed=False), "pattern")
        return None

    def successors(self, key: str) -> list[Succession]:
        """The changes that replaced an agency."""
        return list(self._successors.get(key, ()))

    def names(self) -> list[str]:
        """Every absolute name and alias, longest first (for scanning text)."""
        return sorted(self._absolute, key=len, reverse=True)

    def with_agency(self, agency: Agency) -> Agency:
        """An agency as the gazetteer knows it (labels from the gazetteer when listed)."""
        return self.agencies.get(agency.key, replace(agency))
