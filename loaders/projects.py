"""Named infrastructure and major projects: railways, expressways, bridges,
airports, ports, waterways, pipelines, power lines and plants, logistics hubs.

A project is recognised by a kind word (``project_kinds.csv``) after a
specific name; its *key* makes different names of one project meet:
endpoints become their initials in any order (蒙西—华中煤运铁路 = 蒙华铁路,
长益常城际铁路 = 常益长高铁), railway words are one family (高铁, 快速铁路,
城际铁路), 国际机场 is 机场, sections (…段) are parts of the whole line, and
the kind stays in the key, so 沪昆高速铁路 (railway) is not 沪昆高速
(expressway) and 湘潭—娄底 the intercity line is not 湘潭—娄底 the pipeline.

>>> [(m.name, m.key) for m in find_projects_in("加快沪昆高速铁路和沪昆高速建设")]
[('沪昆高速铁路', 'railway:昆沪'), ('沪昆高速', 'expressway:昆沪')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from plankg.loaders.reference import read_data_csv
from plankg.loaders.lines import GENERIC_PREFIXES, leading_words
from plankg.loaders.normalize import HAN
from plankg.loaders.places import PlaceGazetteer

_SECTION_RE = re.compile(rf"(?:复线)?(?:[{HAN}]{{1,8}}(?:—|至)[{HAN}]{{1,8}}|[{HAN}]{{1,4}})(?<!路)段")
_ENDPOINT_SPLIT_RE = re.compile(r"—|至")


@dataclass(frozen=True)
class NameWords:
    """The word lists of ``gazetteers/project_words.csv``, compiled."""

    owners: tuple[str, ...]
    generic: re.Pattern  # words that do not make a name specific
    not_name: re.Pattern  # punctuation, verbs, function words: never inside a name
    kind_tail: re.Pattern  # after a kind word: it begins a longer name (高铁新城)
    port_false_friend: re.Pattern  # core endings where 港 is not a port (航空港, 香港)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def name_words() -> NameWords:
    """Load and compile ``gazetteers/project_words.csv``."""
    by_role: dict[str, list[str]] = {}
    for row in read_data_csv("project_words.csv"):
        by_role.setdefault(row["role"], []).append(row["word"])
    return NameWords(
        owners=tuple(by_role["owner"]),
        generic=re.compile(_alternation(set(GENERIC_PREFIXES) | set(by_role["generic"]))),
        not_name=re.compile(rf"[，。；、：（）“”《》\s的和与及在]|{_alternation(by_role['not-name'])}"),
        kind_tail=re.compile(rf"[^\s的和与及等、，。；：]{{0,4}}(?:{_alternation(by_role['kind-tail'])})"),
        port_false_friend=re.compile(rf"(?:{_alternation(by_role['port-false-friend'])})$"),
    )


@dataclass(frozen=True)
class Kind:
    """A kind word and what it makes: ``family`` joins kinds that name one thing."""

    word: str
    kind: str
    family: str


@lru_cache(maxsize=1)
def kinds() -> tuple[Kind, ...]:
    """The kind words of ``gazetteers/project_kinds.csv``, longest first."""
    rows = [Kind(r["word"], r["kind"], r["family"]) for r in read_data_csv("project_kinds.csv")]
    return tuple(sorted(rows, key=lambda k: len(k.word), reverse=True))


@lru_cache(maxsize=1)
def _kind_regex() -> re.Pattern:
    words = "|".join(re.escape(k.word) for k in kinds())
    return re.compile(rf"(?P<kind>{words})(?P<double>复线)?")


_NAME_BEFORE_RE = re.compile(rf"[{HAN}—]{{1,20}}$")


@dataclass(frozen=True)
class ProjectMention:
    """A project named in a document."""

    name: str
    key: str
    kind: str
    family: str
    section: str | None
    start: int
    end: int
    core: str
    rule: str = "project.named"


def project_key(core: str, kind: Kind, double: bool = False, places: PlaceGazetteer | None = None) -> str:
    """The key that makes different names of one project meet.

    >>> k = next(k for k in kinds() if k.word == "煤运铁路")
    >>> project_key("蒙西至华中", k) == project_key("蒙华", next(k for k in kinds() if k.word == "铁路"))
    True
    """
    for owner in name_words().owners:
        core = core.removeprefix(owner)
    family = kind.family
    if family == "waterway":
        core = re.sub(r"(?:主干|干线|高等级)$", "", core) or core
    if family in ("railway", "expressway", "pipeline", "power-line", "waterway"):
        endpoints = [e for e in _ENDPOINT_SPLIT_RE.split(core) if e]
        if len(endpoints) >= 2:
            ident = "".join(sorted({e[0] for e in endpoints}))
        elif family != "waterway" and 2 <= len(core) <= 4 and not (places and places.lookup(core)):
            ident = "".join(sorted(set(core)))  # an abbreviation of endpoints: 沪昆, 长益常
        else:
            ident = core
    elif family == "airport":
        ident = _airport_ident(core, kind, places)
    else:
        ident = core
    key = f"{kind.kind.split('.')[0] if family != 'pipeline' else kind.kind}:{ident}"
    return key + ("+复线" if double else "")


def _airport_ident(core: str, kind: Kind, places: PlaceGazetteer | None) -> str:
    if core.startswith("空军"):
        return "military:" + core.removeprefix("空军")
    if places:
        for n in range(min(len(core), 5), 1, -1):
            p = places.lookup(core[:n])
            if p and len(core) - n >= 2:
                return core[n:]  # 长沙黄花 → 黄花: the airport's own name
    return "city:" + core if places and places.lookup(core) else core


def _valid_core(core: str, kind: Kind, places: PlaceGazetteer) -> bool:
    """A specific name: not generic words, not a sentence fragment; a line
    (railway, expressway, pipeline) is not named by one place alone (株洲铁路
    is a hub, not a line); an airport's name has no endpoints."""
    if len(core) < 2 or name_words().not_name.search(core) or core.startswith("—") or core.endswith("—"):
        return False
    place = places.lookup(core) or places.lookup(re.sub(r"[东南西北]$", "", core))
    if place and place.is_region:
        place = None  # 长株潭城际 is a line named after a region
    if len(name_words().generic.sub("", core)) < 2 and not place:
        return False
    if kind.family in ("railway", "expressway", "pipeline", "power-line") and place and "—" not in core:
        return False
    if kind.family == "airport" and ("—" in core or "至" in core):
        return False
    return True


def line_key(name: str, places: PlaceGazetteer) -> str | None:
    """The key of the project a whole line name denotes (沪昆高铁), or None (a river, a bare name)."""
    mentions = [m for m in find_projects_in(name, places=places) if m.end == len(name)]
    return mentions[-1].key if mentions else None


def find_projects_in(text: str, start: int = 0, end: int | None = None,
                     places: PlaceGazetteer | None = None) -> list[ProjectMention]:
    """Project mentions in ``text[start:end]``."""
    places = places or PlaceGazetteer.load()
    end = len(text) if end is None else end
    by_word = {k.word: k for k in kinds()}
    words = name_words()
    found: list[ProjectMention] = []
    for m in _kind_regex().finditer(text, start, end):
        before = _NAME_BEFORE_RE.search(text, max(start, m.start() - 20), m.start())
        if not before:
            continue
        raw = before.group(0)
        core = raw[leading_words(raw):]
        while core and words.not_name.search(core):  # cut at the last non-name word
            cut = max(x.end() for x in words.not_name.finditer(core))
            core = core[cut:]
        core_end = m.start() - (1 if core.endswith("等") else 0)
        core = core.removesuffix("等")
        quantity = re.search(r"[一二三四五六七八九十两]+大$", core)  # 武广三大高铁
        if quantity:
            core_end -= len(quantity.group(0))
            core = core[: quantity.start()]
        kind = by_word[m["kind"]]
        if kind.kind == "port-area":
            core = re.sub(rf"^[{HAN}]{{2,4}}港(?=[{HAN}]{{2}})", "", core)  # 长沙港霞凝港区 → 霞凝港区
        if not _valid_core(core, kind, places) or _port_false_friend(text, m, core, kind):
            continue
        if m["kind"] == "高速" and re.match(r"发展|增长|运转|铁路|公路", text[m.end():m.end() + 2]):
            continue
        if kind.family != "port" and words.kind_tail.match(text, m.end()):
            continue
        n_start = core_end - len(core)
        section = _SECTION_RE.match(text, m.end(), end)
        lead_section = _region_tail(core, places) if kind.family == "railway" else None
        if lead_section:
            core = core[len(lead_section):]
            n_start += len(lead_section)
        section_text = lead_section or (section.group(0) if section else None)
        mention = ProjectMention(
            core + m["kind"] + (m["double"] or ""), project_key(core, kind, bool(m["double"]), places), kind.kind, kind.family,
            section_text, n_start, section.end() if section else m.end(), core,
        )
        found.append(mention)
        found.extend(_distributed(text, mention, kind, places, start))
    return sorted(found, key=lambda x: x.start)


def _region_tail(core: str, places: PlaceGazetteer) -> str | None:
    """甲—乙丙长株潭 (before 城际): the line is 长株潭城际, 甲—乙丙 its section."""
    if "—" not in core:
        return None
    for n in range(2, min(6, len(core) - 2) + 1):
        place = places.lookup(core[-n:])
        if place and place.is_region:
            return core[:-n]
    return None


def _port_false_friend(text: str, m: re.Match, core: str, kind: Kind) -> bool:
    """香港, 粤港澳, 港澳: 港 that is not a port."""
    if kind.family != "port":
        return False
    after = text[m.end():m.end() + 1]
    return after in ("澳", "台") or bool(name_words().port_false_friend.search(core))


def _distributed(text: str, mention: ProjectMention, kind: Kind, places: PlaceGazetteer, floor: int):
    """A、B、C高铁 / 岳阳、娄底机场 / 甲—乙等管道: the kind word serves every item."""
    out = []
    pos = mention.start
    items = []
    while True:
        sep = text[pos - 1:pos] if pos - 1 >= floor else ""
        if sep != "、":
            break
        m = re.search(rf"([{HAN}—]{{2,10}})$", text[max(floor, pos - 11):pos - 1])
        if not m:
            break
        token = m.group(1)
        token = token[leading_words(token):]
        # Items are short names or place pairs, never names of their own kind (杭长高速、长张高速).
        if (not _valid_core(token, kind, places) or (len(token) > 4 and "—" not in token and "至" not in token)
                or _kind_regex().search(token) or re.search(r"(?:大道|路|街|桥)$", token)
                or token.endswith(kind.word[:2])):
            break
        if kind.family in ("airport", "port") and not places.lookup(token):
            break
        a = pos - 1 - len(token)
        items.append((token, a))
        pos = a
    # 甲—乙等成品油管道: the item before 等 is the project.
    for token, a in items:
        out.append(ProjectMention(token + kind.word, project_key(token, kind, False, places), kind.kind, kind.family,
                                  None, a, a + len(token), token))
    return out


def pair_list_projects(text: str, places: PlaceGazetteer | None = None) -> list[ProjectMention]:
    """Lines listed as place pairs after a network name:
    城际轨道交通网络（…：甲—乙、丙—丁） are intercity lines."""
    places = places or PlaceGazetteer.load()
    by_word = {k.word: k for k in kinds()}
    out = []
    for m in re.finditer(rf"(?P<kind>{'|'.join(re.escape(w) for w in by_word)})[{HAN}]{{0,4}}网络?（(?P<body>[^（）]{{4,200}})）", text):
        kind = by_word[m["kind"]]
        for pair in re.finditer(rf"[{HAN}]{{2,4}}(?:—[{HAN}]{{2,4}})+", m["body"]):
            ends = pair.group(0).split("—")
            if all(places.lookup(e) for e in ends):
                a = m.start("body") + pair.start()
                out.append(ProjectMention(pair.group(0) + kind.word, project_key(pair.group(0), kind, False, places),
                                          kind.kind, kind.family, None, a, a + len(pair.group(0)), pair.group(0)))
    return out


_NETWORK_RE = re.compile(rf"(?P<word>高速铁路|铁路|高速公路|天然气管道|管道|航道)[{HAN}]{{0,4}}网(?:络)?（(?P<body>[^（）]{{4,800}})）")
_NETWORK_PART_RE = re.compile(r"(?P<label>[一二三四五六七八九十两]{1,3}[纵横射环联])[：:](?P<items>[^：:；;。]+)")
_PIPELINE_KEY_RE = re.compile(r"(?:天然气|输气|油气|成品油|原油)(?:输送)?(?:管网|管道|网络)")
_SENTENCE_END_RE = re.compile(r"[。；\n]")
_WORKS_RE = re.compile(rf"(?P<core>[{HAN}—]{{2,12}}?)(?:联络线|支线|干线)?工程")


def network_list_projects(text: str, places: PlaceGazetteer) -> list[ProjectMention]:
    """A list under a heading that names its kind gives each bare item that kind:
    …铁路运输网（七纵：甲乙、丙至丁…；七横：…） lists railways, …高速公路网（…） expressways."""
    by_word = {k.word: k for k in kinds()}
    out = []
    for m in _NETWORK_RE.finditer(text):
        kind = by_word[m["word"]]
        for part in _NETWORK_PART_RE.finditer(m["body"]):
            base = m.start("body") + part.start("items")
            for item in re.finditer(r"[^、，,]+", part["items"]):
                token = item.group(0).strip()
                a = base + item.start() + item.group(0).find(token)
                if not token or _kind_regex().search(token) or not _valid_core(token, kind, places) \
                        or not re.fullmatch(rf"[{HAN}—]{{2,16}}", token):
                    continue  # an item with its own kind word is found as a name anyway
                out.append(ProjectMention(token + kind.word, project_key(token, kind, False, places), kind.kind,
                                          kind.family, None, a, a + len(token), token, "project.network-list"))
    return out


def pipeline_works_projects(text: str, places: PlaceGazetteer) -> list[ProjectMention]:
    """…工程 in a sentence about a gas or oil network is a pipeline: 西气东输三线工程."""
    kind = next(k for k in kinds() if k.word == "管道")
    out = []
    done = 0  # the end of the last sentence read
    for key in _PIPELINE_KEY_RE.finditer(text):
        if key.start() < done:
            continue  # in the sentence just read
        # The sentence around the keyword, found from the keyword outwards and never
        # before the last one read, so a long line is read once (a leading [^。]*
        # pattern rescans it from every position).
        start = max([text.rfind(ch, done, key.start()) for ch in "。；\n"] + [done - 1]) + 1
        stop = _SENTENCE_END_RE.search(text, key.end())
        end = done = stop.start() if stop else len(text)
        for m in _WORKS_RE.finditer(text, start, end):
            core = m["core"][leading_words(m["core"]):]
            a = m.end() - len(m.group(0)) + (len(m["core"]) - len(core))
            if len(core) < 2 or name_words().not_name.search(core) or _kind_regex().search(core):
                continue
            name = text[a:m.end()]
            out.append(ProjectMention(name, project_key(core, kind, False, places), kind.kind, kind.family,
                                      None, a, m.end(), core, "project.pipeline-works"))
    return out


def extract_projects(doc, places: PlaceGazetteer | None = None) -> list:
    """Project facts of a prepared document, with the places their names mention."""
    from plankg.facts import ProjectFact

    places = places or PlaceGazetteer.load()
    text = doc.text
    seen = set()
    out = []
    found = (find_projects_in(text, places=places) + pair_list_projects(text, places)
             + network_list_projects(text, places) + pipeline_works_projects(text, places))
    for m in sorted(found, key=lambda x: x.start):
        if (m.key, m.start) in seen:
            continue
        seen.add((m.key, m.start))
        codes = tuple(dict.fromkeys(p.place.code for p in places.scan(m.core, county_short=True) if not p.place.is_region))
        out.append(ProjectFact(m.key, m.name, m.kind, m.family, m.section, codes,
                               doc.evidence(m.start, m.end, m.rule)))
    return out
