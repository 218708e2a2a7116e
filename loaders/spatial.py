"""The spatial structure of a plan: its scope, development axes and belts,
city clusters, and statements of region membership.

Rules read the normalised text with the place gazetteer; rule names are
``axis.*``, ``cluster.*``, ``scope.*`` and ``region.*``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from plankg.facts import AxisFacts, Claim, ClusterFacts, RegionMember
from plankg.loaders.lines import CorridorTable, find_lines, leading_words
from plankg.loaders.normalize import HAN
from plankg.loaders.places import Place, PlaceGazetteer, PlaceMention
from plankg.loaders.prepared import PreparedDocument
from plankg.loaders.projects import line_key
from plankg.loaders.reference import RoleWords

AXIS_SUFFIXES = ("城镇发展轴", "发展轴", "城镇发展带", "发展带")
LIST_ONLY_SUFFIXES = ("经济带", "城镇带", "产业走廊", "发展走廊")
_SUFFIX_RE = re.compile(f"(?:{'|'.join(AXIS_SUFFIXES + LIST_ONLY_SUFFIXES)})(?!线)")
# Where a name starts: after a delimiter, 的, 以, or at a line start.
_NAME_START_RE = re.compile(rf"[^、，。；：“”\"的以和及与\n]*$")
_DIRECTION_RE = re.compile(r"[东西南北中]部")
_LIST_FORM_RE = re.compile(rf"以(?P<nodes>[^以。；，]{{2,80}}?)为(?:节点|中心|核心)的(?P<name>[{HAN}（）]{{2,16}}?)$")
_QUALIFIER_RE = re.compile(rf"(?<=[{HAN}]{{2}})(?:生态|绿色|开放)$")  # 汉江生态经济带 follows 汉江
_GENERIC_CORES = {"经济", "联动", "重点", "城镇", "主要", "重要", "产业", "沿线", "综合", "绿色", "新型", "生态"}

_RADIATE_RE = re.compile(r"辐射带动|辐射|带动|联动|对接|融入|加强与|联系")
_NODE_BEFORE_RE = re.compile(r"(?:以|沿线|串联|聚联|提升|增强|发挥|联结|连接|贯通)$")
_NODE_AFTER_RE = re.compile(
    rf"^(?:等[{HAN}]{{0,6}}?(?:城市|城镇|县市|区域|节点)|为(?:节点|中心|龙头|核心|支点)|的?辐射带动|等?重要[{HAN}]{{0,4}}城市|等?[{HAN}]{{0,2}}城市为节点)"
)
_LIST_SEP_RE = re.compile(r"^[、和及与]$|^、$")
_ZONE_SUFFIXES = ("经济技术开发区", "高新技术产业开发区", "经开区", "高新区", "开发区", "工业集中区", "工业园",
                  "产业园", "示范区", "试验区", "新区", "新城", "片区", "园区")
_ZONE_RE = re.compile(rf"[{HAN}—]{{2,20}}?(?:{'|'.join(_ZONE_SUFFIXES)})")
_RIVER_RE = re.compile(rf"依托(?P<river>[{HAN}]{{1,3}}[江河])")
_ALIAS_RE = re.compile(rf"(?P<full>[{HAN}]{{2,20}})（以下(?:简称|统称)“?(?P<short>[{HAN}]{{1,8}})”?）")
_SCOPE_RE = re.compile(r"(?:规划|实施)范围(?:包括|为|是)?")
_SCOPE_END_RE = re.compile(r"面积|人口|生产总值|经济总量|GDP|。")
_CLUSTER_RE = re.compile(r"(?:城镇|城市)?组团")
_CLUSTER_START_RE = re.compile(rf"[^，。；：“”\"的以和及与\n]*$")
_CLUSTER_HEAD_RE = re.compile(rf"^(?P<name>[{HAN}、—]{{4,40}}?)。")


@dataclass
class SpatialContext:
    """What the spatial rules share for one document."""

    doc: PreparedDocument
    places: PlaceGazetteer
    aliases: dict[str, Place]
    roles: RoleWords = field(default_factory=RoleWords.load)

    def scan(self, start: int, end: int, open_world: bool = False) -> list[PlaceMention]:
        """Place mentions, county short forms and the document's abbreviations included.

        With ``open_world`` (a member list, an axis formula, a scope sentence),
        an item of the list that no table knows but that has a division's form
        (甲乙市, 丙县) is kept too, as an unresolved place."""
        found = self.places.scan(self.doc.text, start, end, county_short=True, extra=self.aliases)
        if not open_world:
            return found
        for name, a, b in list_items(self.doc.text, start, end, self.roles):
            if not any(m.start < b and a < m.end for m in found) and place_form(name, self.roles):
                found.append(PlaceMention(unresolved_place(name), a, b, name))
        return sorted(found, key=lambda m: m.start)

    def claims(self, mentions: list[PlaceMention], rule: str) -> list[Claim[str]]:
        """One claim per place; regions with members become their members."""
        out: list[Claim[str]] = []
        for m in mentions:
            if m.place.level == "unresolved":
                out.append(Claim(m.place.code, self.doc.evidence(m.start, m.end, f"{rule}.unresolved")))
                continue
            expanded = self.places.expand(m.place)
            member_rule = rule if len(expanded) == 1 and expanded[0] is m.place else f"{rule}.region-member"
            for p in expanded:
                out.append(Claim(p.code, self.doc.evidence(m.start, m.end, member_rule)))
        return _unique(out)


def unresolved_place(name: str) -> Place:
    """A place found by structure that no table knows: ``unresolved:<name>``."""
    return Place(f"unresolved:{name}", name, "unresolved")


def list_items(text: str, start: int, end: int, roles: RoleWords) -> list[tuple[str, int, int]]:
    """The items of a list of names in ``text[start:end]`` (separated by 、，和及与),
    with trailing words such as 全域 or 等 cut off.

    >>> list_items("甲乙市、丙丁县全域和戊己市等", 0, 14, RoleWords.load())
    [('甲乙市', 0, 3), ('丙丁县', 4, 7), ('戊己市', 10, 13)]
    """
    out = []
    for m in re.finditer(r"[^、，,和及与；。：（）\n]+", text[start:end]):
        name, a = m.group(0).strip(), start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        for lead in roles["place-lead"]:
            if name.startswith(lead) and len(name) > len(lead):
                name, a = name[len(lead):], a + len(lead)
                break
        cut = True
        while cut:
            cut = False
            for tail in roles["place-tail"]:
                if name.endswith(tail) and len(name) > len(tail):
                    name, cut = name[: -len(tail)], True
        if name:
            out.append((name, a, a + len(name)))
    return out


def place_form(name: str, roles: RoleWords) -> bool:
    """Whether a list item has the form of a division's name: 1–6 Han characters and
    a division suffix (``place-suffix``), not a word like 城区 (``place-not-ending``).

    >>> roles = RoleWords.load()
    >>> place_form("甲乙市", roles), place_form("中心城区", roles), place_form("推进建设", roles)
    (True, False, False)
    """
    if not re.fullmatch(rf"[{HAN}]{{2,8}}", name) or any(name.endswith(w) for w in roles["place-not-ending"]):
        return False
    return any(name.endswith(s) and 1 <= len(name) - len(s) <= 6 for s in roles["place-suffix"])


def _unique(claims: list[Claim[str]]) -> list[Claim[str]]:
    seen, out = set(), []
    for c in claims:
        if c.value not in seen:
            seen.add(c.value)
            out.append(c)
    return out


def document_aliases(doc: PreparedDocument, places: PlaceGazetteer) -> dict[str, Place]:
    """Abbreviations a document defines for places: 长株潭三市（以下简称三市）."""
    aliases: dict[str, Place] = {}
    for m in _ALIAS_RE.finditer(doc.text):
        mentions = places.scan(m["full"], county_short=True)
        if mentions and mentions[-1].end >= len(m["full"]) - 2 and not places.lookup(m["short"]):
            aliases[m["short"]] = mentions[-1].place
    return aliases


def extract_spatial(doc: PreparedDocument, places: PlaceGazetteer | None = None, roles: RoleWords | None = None):
    """Scope places, axes, clusters and region memberships of a document."""
    places = places or PlaceGazetteer.load()
    ctx = SpatialContext(doc, places, document_aliases(doc, places), roles or RoleWords.load())
    return plan_scope(ctx), extract_axes(ctx), extract_clusters(ctx), region_memberships(ctx)


# ---------------------------------------------------------------- scope

def plan_scope(ctx: SpatialContext) -> list[Claim[str]]:
    """The places of the plan's 规划范围 / 实施范围 sentence."""
    text = ctx.doc.text
    m = _SCOPE_RE.search(text)
    if not m:
        return []
    end_m = _SCOPE_END_RE.search(text, m.end())
    end = end_m.start() if end_m else min(len(text), m.end() + 400)
    mentions = ctx.scan(m.end(), end, open_world=True)
    # A province right before one of its places only qualifies it (湖北省武汉市).
    kept = [x for i, x in enumerate(mentions)
            if not (x.place.level == "province" and i + 1 < len(mentions) and mentions[i + 1].start == x.end)]
    return ctx.claims(kept, "scope.listed")


# ---------------------------------------------------------------- region membership

def region_memberships(ctx: SpatialContext) -> list[RegionMember]:
    """Members a document states for named regions: 区（甲、乙）, 区，即以甲、乙…."""
    text = ctx.doc.text
    out = []
    for mention in ctx.places.scan(text):
        if not mention.place.is_region:
            continue
        after = text[mention.end:mention.end + 2]
        if after.startswith("（"):
            close = text.find("）", mention.end)
            span = (mention.end + 1, close) if 0 < close - mention.end < 60 else None
            rule = "region.member.parenthesis"
        elif after.startswith("，即"):
            stop = _SCOPE_END_RE.search(text, mention.end)
            span = (mention.end + 2, stop.start() if stop else mention.end + 120)
            rule = "region.member.namely"
        else:
            continue
        if span is None:
            continue
        members = [m for m in ctx.scan(*span) if not m.place.is_region and m.place.level != "province"]
        if not members or text[span[0]:span[1]].count("、") + 1 < len(members) - 4:
            continue
        for m in members:
            out.append(RegionMember(mention.place.code, m.place.code,
                                    ctx.doc.evidence(mention.start, span[1] + 1, rule)))
    return out


# ---------------------------------------------------------------- clusters

_MEMBER_LIST_RE = re.compile(
    rf"(?P<name>[{HAN}]{{2,16}}?(?:都市圈|城市群|城市圈|经济圈|经济区|示范区|一体化发展区|协作区))（(?P<members>[^（）]{{4,200}})）")


def member_list_clusters(ctx: SpatialContext) -> list[ClusterFacts]:
    """甲都市圈（乙市、丙市、丁县）: a group no table knows and its members as the plan
    lists them, known places or not (three or more of the list's items must be
    places); a known region's list is a region statement instead."""
    text = ctx.doc.text
    out = []
    for m in _MEMBER_LIST_RE.finditer(text):
        name = m["name"][leading_words(m["name"]):]
        if ctx.places.lookup(name) or ctx.places.lookup(m["name"]):
            continue  # a region the tables know: its members are region statements (region_memberships)
        mentions = [x for x in ctx.scan(*m.span("members"), open_world=True) if x.place.level != "province"]
        items = list_items(text, *m.span("members"), ctx.roles)
        if len(mentions) < 3 or len(mentions) < len(items) - 1:
            continue  # not a member list (a note, a clause)
        a = m.start("name") + len(m["name"]) - len(name)
        out.append(ClusterFacts(name, ctx.doc.evidence(a, m.end(), "cluster.member-list"),
                                ctx.claims(mentions, "cluster.member")))
    return out


def extract_clusters(ctx: SpatialContext) -> list[ClusterFacts]:
    """Named groups: 甲—乙、丙城市组团, 甲城镇组团, headings 甲—乙—丙。, and member
    lists 甲都市圈（乙、丙、丁）."""
    text = ctx.doc.text
    clusters: dict[str, ClusterFacts] = {c.name: c for c in member_list_clusters(ctx)}
    for m in _CLUSTER_RE.finditer(text):
        head = _CLUSTER_START_RE.search(text, max(0, m.start() - 40), m.start())
        start = head.start() if head else m.start()
        _add_cluster(ctx, clusters, start, m.end(), m.start(), "cluster.named")
    pos = 0
    for line in text.split("\n"):
        hm = _CLUSTER_HEAD_RE.match(line)
        if hm and "—" in hm["name"]:
            _add_cluster(ctx, clusters, pos, pos + hm.end("name"), pos + hm.end("name"), "cluster.heading")
        pos += len(line) + 1
    return list(clusters.values())


def _add_cluster(ctx, clusters, start, end, names_end, rule) -> None:
    text = ctx.doc.text
    mentions = ctx.scan(start, names_end)
    if not mentions:
        return
    # The name must be places and separators only (not 滨湖型城市组团 or 功能组团).
    start = mentions[0].start
    rest = text[start:names_end]
    for mention in mentions:
        rest = rest.replace(mention.surface, "", 1)
    if re.sub(r"[—、]", "", rest):
        return
    name = text[start:end]
    if name in clusters:
        return
    clusters[name] = ClusterFacts(name, ctx.doc.evidence(start, end, rule), ctx.claims(mentions, "cluster.member"))


# ---------------------------------------------------------------- axes

@dataclass
class _Definition:
    name: str
    kind: str
    start: int  # of the name
    end: int
    body: tuple[int, int]
    form: str  # "list", "sentence", "paragraph"


def _axis_names(text: str, start: int, end: int):
    """(name, kind, start, end) of every axis-like name in text[start:end]."""
    for m in _SUFFIX_RE.finditer(text, start, end):
        head = _NAME_START_RE.search(text, max(start, m.start() - 16), m.start())
        n_start = head.start() if head else m.start()
        name = text[n_start:m.end()]
        direction = _DIRECTION_RE.search(name)
        if direction and direction.start() > 0:  # 长株潭中部（京广）发展带 → 中部（京广）发展带
            n_start += direction.start()
            name = name[direction.start():]
        yield name, m.group(0), n_start, m.end()


def _core(name: str, kind: str) -> str:
    """What names the axis: 京广 of 京广城镇发展轴, 沪昆 of 南部（沪昆）发展带, 汉江 of 汉江生态经济带."""
    core = name[: -len(kind)]
    paren = re.search(r"（([^（）]+)）", core)
    if paren:
        return paren.group(1)
    return _QUALIFIER_RE.sub("", _DIRECTION_RE.sub("", core))


def _is_axis_name(name: str, kind: str, places: PlaceGazetteer, corridors: CorridorTable) -> bool:
    core = _core(name, kind)
    if not core or len(core) > 10 or core in _GENERIC_CORES:
        return False
    return bool(
        corridors.for_token(core) or places.lookup(core) or re.search(r"[江河湖]$", core)
        or re.search(r"（[^（）]+）", name) or re.fullmatch(rf"[{HAN}]{{2,3}}", core)
        and not re.search(r"经济|联动|发展|建设|产业|城镇", core)
    )


def _definitions(ctx: SpatialContext, corridors: CorridorTable) -> list[_Definition]:
    text = ctx.doc.text
    defs: list[_Definition] = []
    pos = 0
    for para in text.split("\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 1
        first_sentence_end = p_start + (para.find("。") + 1 if "。" in para else len(para))
        for name, kind, a, b in _axis_names(text, p_start, p_end):
            lm = _LIST_FORM_RE.search(text, max(p_start, a - 90), b)
            if lm and lm.end() == b and lm.start("name") <= a:
                defs.append(_Definition(name, kind, a, b, lm.span("nodes"), "list"))
                continue
            if not _is_axis_name(name, kind, ctx.places, corridors):
                continue
            before = text[a - 1] if a > p_start else "\n"
            after = text[b:b + 1]
            heads_paragraph = a == p_start + len(para) - len(para.lstrip()) and after != "" and after in "。："
            if kind in LIST_ONLY_SUFFIXES and not (heads_paragraph and leading_words(name) == 0):
                # 长江经济带 is mostly a national strategy (共建长江经济带。…); a belt of
                # the plan's own structure heads its paragraph, named without a verb.
                continue
            if before in "。；\n" and after in "。，：":
                defs.append(_Definition(name, kind, a, b, (a, p_end), "sentence"))
            elif b <= first_sentence_end:
                defs.append(_Definition(name, kind, a, b, (p_start, p_end), "paragraph"))
    # A sentence definition's body ends where the next one in its paragraph starts.
    starts = sorted(d.start for d in defs if d.form == "sentence")
    for d in defs:
        if d.form in ("sentence", "paragraph"):
            later = [s for s in starts if d.body[0] < s < d.body[1] and s != d.start]
            if later:
                d.body = (d.body[0], later[0])
    best: dict[str, _Definition] = {}
    rank = {"list": 0, "sentence": 1, "paragraph": 2}
    for d in defs:
        key = d.name
        if key not in best or rank[d.form] < rank[best[key].form]:
            best[key] = d
    return sorted(best.values(), key=lambda d: d.start)


def extract_axes(ctx: SpatialContext, corridors: CorridorTable | None = None) -> list[AxisFacts]:
    """Development axes and belts with node places, radiation targets,
    supporting zones, the lines they follow and their corridor."""
    corridors = corridors or CorridorTable.load()
    text = ctx.doc.text
    axes = []
    for d in _definitions(ctx, corridors):
        axis = AxisFacts(d.name, d.kind, ctx.doc.evidence(d.start, d.end, f"axis.definition.{d.form}"))
        if d.form == "list":
            axis.nodes = ctx.claims(ctx.scan(*d.body, open_world=True), "axis.node.listed")
        else:
            _read_body(ctx, axis, d)
        _assign_corridor(ctx, axis, d, corridors)
        axes.append(axis)
    return axes


def _mention_lists(text: str, mentions: list[PlaceMention]) -> list[list[PlaceMention]]:
    """Runs of mentions separated only by 、 和 及 与 (one list of places)."""
    lists: list[list[PlaceMention]] = []
    for m in mentions:
        if lists and _LIST_SEP_RE.match(text[lists[-1][-1].end:m.start] or "x"):
            lists[-1].append(m)
        else:
            lists.append([m])
    return lists


def _read_body(ctx: SpatialContext, axis: AxisFacts, d: _Definition) -> None:
    text = ctx.doc.text
    b_start, b_end = d.body
    nodes, radiates, zones = [], [], []
    # Clauses: runs between ， 。 ；
    for cm in re.finditer(r"[^，。；]+", text[b_start:b_end]):
        c_start, c_end = b_start + cm.start(), b_start + cm.end()
        clause = text[c_start:c_end]
        heading_link = re.search(rf"以{re.escape(d.name)}(?:联动|串联|连接|贯通)", clause)
        zone_spans = []
        for z in _ZONE_RE.finditer(clause):
            a = c_start + z.start() + leading_words(z.group(0))
            if a < c_start + z.end() and _is_named_zone(text[a:c_start + z.end()]):
                zone_spans.append((a, c_start + z.end()))
        zones.extend(zone_spans)
        mentions = [m for m in ctx.scan(c_start, c_end, open_world=True)
                    if not any(a <= m.start < b for a, b in zone_spans)]
        for group in _mention_lists(text, mentions):
            before = text[c_start:group[0].start]
            after = text[group[-1].end:c_end]
            if heading_link and heading_link.end() + c_start <= group[0].start:
                nodes += ctx.claims(group, "axis.node.linked-by-axis")
            elif _RADIATE_RE.search(before):
                # Plans join national strategies (融入长江经济带, 对接粤港澳大湾区); they do not radiate to them.
                radiates += ctx.claims([m for m in group if m.place.kind != "strategy-region"], "axis.radiates")
            elif _NODE_BEFORE_RE.search(before.rstrip("沿线")) or before.endswith("沿线") or _NODE_AFTER_RE.match(after):
                nodes += ctx.claims(group, "axis.node.context")
    for a, b in zones:
        axis.zones.append(Claim(text[a:b], ctx.doc.evidence(a, b, "axis.zone")))
        place = _zone_place(ctx, text[a:b])
        if place is not None:
            nodes.append(Claim(place.code, ctx.doc.evidence(a, b, "axis.node.zone-location")))
    axis.nodes = _unique(nodes)
    axis.radiates = _unique([r for r in radiates if r.value not in {n.value for n in axis.nodes}])
    lines = find_lines(text, b_start, b_end)
    for name, a, b in lines:
        axis.infrastructure.append(Claim(name, ctx.doc.evidence(a, b, "axis.infrastructure.line")))
    for rm in _RIVER_RE.finditer(text, b_start, b_end):
        if not any(a <= rm.start("river") < b for _, a, b in lines):
            axis.infrastructure.append(Claim(rm["river"], ctx.doc.evidence(*rm.span("river"), "axis.infrastructure.river")))
    axis.infrastructure = _unique(axis.infrastructure)
    axis.line_keys = {c.value: key for c in axis.infrastructure if (key := line_key(c.value, ctx.places))}


def _is_named_zone(zone: str) -> bool:
    """高新区 alone is a kind of zone, 长沙高新区 a named one."""
    return any(zone.endswith(s) and len(zone) - len(s) >= 2 for s in _ZONE_SUFFIXES)


def _zone_place(ctx: SpatialContext, zone: str) -> Place | None:
    """The division a zone is named after: 宁乡经开区 → 宁乡市, 雨花经开区 → 雨花区."""
    for length in range(min(len(zone) - 2, 8), 1, -1):
        place = ctx.aliases.get(zone[:length]) or ctx.places.lookup(zone[:length], district_short=True)
        if place is not None and not place.is_region and place.level != "province":
            return place
    return None


def _assign_corridor(ctx: SpatialContext, axis: AxisFacts, d: _Definition, corridors: CorridorTable) -> None:
    core = _core(axis.name, axis.kind)
    corridor = corridors.for_token(core)
    if corridor:
        axis.corridor = Claim(corridor.key, ctx.doc.evidence(d.start, d.end, "axis.corridor.name"))
        return
    for line in axis.infrastructure:
        corridor = corridors.for_line(line.value)
        if corridor:
            axis.corridor = Claim(corridor.key, replace(line.evidence, rule="axis.corridor.line"))
            return
    # A corridor no table knows: named by the axis itself, shared by axes of the same name.
    axis.corridor = Claim(f"local:{core}", ctx.doc.evidence(d.start, d.end, "axis.corridor.own-name"))
