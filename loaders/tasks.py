"""Tasks and the agencies responsible for them.

Four forms are read:

* annex tables 主要任务 / 建设重点 / 牵头部门 / 配合部门, however scraped: one
  cell a line (blank cells missing), tab-separated rows, or Markdown rows;
* parentheticals after a passage: （甲牵头负责，乙、丙等参与）, （甲、乙等按职责
  分工负责）, （甲牵头，乙等按职责分工负责）;
* enumerations pairing agencies with domains in order: 甲、乙等部门牵头负责
  A、B等…工作;
* responsibility statements: 甲是…的责任主体, 甲要加强…综合协调.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankg.facts import AgencyRef, Claim, TaskFacts
from plankg.loaders.agencies import Agency, AgencyGazetteer, Resolution
from plankg.loaders.normalize import HAN
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.reference import RoleWords
from plankg.loaders.prepared import PreparedDocument
from plankg.loaders.tables import cells

_ITEM_RE = re.compile(r"[^、，,；;]+")
_ITEM_TAIL_RE = re.compile(r"(?:等(?:省直|相关|有关|其他)?(?:部门|单位|机构)?|牵头|负责)+$")
_LOWER_GOV_RE = re.compile(r"^[县区镇乡市](?:级)?(?:人民)?政府$")
_NUMBER_CELL_RE = re.compile(r"^(\d{1,3})(?:[、.．]\s*(.*))?$")
_CATEGORY_RE = re.compile(r"^[一二三四五六七八九十]+、")
_MAIN_RE = re.compile(r"^（[一二三四五六七八九十]+）")
_PAREN_RE = re.compile(r"（(?P<body>[^（）]{0,300}?(?:牵头|负责|参与|配合)[^（）]{0,300}?)）")
_HEADING_RE = re.compile(r"（[一二三四五六七八九十]+）|(?<![\d.])\d{1,2}、|[一二三四五六七八九十]+、")
_ENUM_RE = re.compile(r"(?P<agencies>[^，。；：\n]{4,200}?)等(?:部门|单位)(?:分别|各自)?(?:牵头)?负责"
                      r"(?P<domains>[^。；]{2,200}?)等(?P<tail>[^。；，、]{0,20}?工作)")
_RESPONSIBLE_RE = re.compile(r"(?P<subject>[^，。；：\n]{2,60}?)(?:是|作为)(?P<what>[^，。；]{0,60}?)的?责任主体")
_LED_BY_RE = re.compile(r"由(?P<lead>[^，。；：由]{2,60}?)牵头(?:负责)?(?:[，,](?P<support>[^，。；]{2,120}?)等?(?:部门|单位)?"
                        r"(?:配合|参与|协助))?")
_JOINTLY_RE = re.compile(r"(?P<lead>[^，。；：“”《》\n]{2,30}?)会同(?P<support>[^，。；：\n]{2,80}?)(?:等有关部门|等部门|等)?"
                         r"(?=研究|提出|制定|开展|负责|组织|共同|进行|编制|审查|做好|抓紧|加快)")
_COORDINATE_RE = re.compile(r"(?P<subject>[^，。；：“”《》\n]{2,30}?)要(?:加强|负责)(?P<what>[^。；]{0,60}?)综合协调")


@dataclass
class TaskContext:
    """What the task rules share for one document."""

    doc: PreparedDocument
    agencies: AgencyGazetteer
    places: PlaceGazetteer
    province: str | None
    roles: RoleWords = field(default_factory=RoleWords.load)
    province_name: str | None = None  # the issuer's province as written, when no table knows it

    def open_world(self, name: str, in_slot: bool) -> Resolution | None:
        """A body no table knows, kept by its form: an agency head at its end
        (…部, …局, …委员会; in a role slot also …公司, …中心), no task verb at its
        start and no deadline inside."""
        if not agency_form(name, self.roles, in_slot):
            return None
        return Resolution(self._unlisted(name), "form")

    def _unlisted(self, name: str) -> Agency:
        """An unlisted body; a relative name (省…, 自治区…) takes the issuing province's name,
        so that two provinces' 省交通运输厅 stay two bodies."""
        province = self.agencies.provinces.get(self.province).name if self.province in self.agencies.provinces \
            else self.province_name
        full = name
        if province and name.startswith(("省", "自治区")):
            full = province + name.removeprefix("自治区").removeprefix("省")
        return Agency(f"unlisted:{full}", full, self.province, "unlisted", listed=False)

    def resolve(self, name: str, in_slot: bool) -> Resolution | None:
        """Resolve a name by the tables, else keep it by its form (see ``open_world``);
        bodies no table lists have ``unlisted:`` keys (how: ``pattern`` or ``form``)."""
        found = self.agencies.resolve_tolerant(name, self.province)
        if found is not None and found.how == "pattern" and found.agency.name.startswith(("省", "自治区")):
            return Resolution(self._unlisted(found.agency.name), "pattern")
        return found or self.open_world(name, in_slot)

    def agency_list(self, start: int, end: int, rule: str, places_are_governments: bool = False,
                    strict: bool = True) -> list[AgencyRef] | None:
        """Parse ``text[start:end]`` as a list of agencies.

        Returns None when ``strict`` and an item is not an agency (the span is
        then not an agency cell). 长沙市、株洲市、湘潭市政府 is three governments.
        """
        text = self.doc.text
        items = []
        for m in _ITEM_RE.finditer(text, start, end):
            raw = m.group(0)
            lead_ws = len(raw) - len(raw.lstrip())
            name = raw.strip()
            tail = _ITEM_TAIL_RE.search(name)
            if tail and tail.start() > 0:
                name = name[: tail.start()]
            if name:
                items.append([name, m.start() + lead_ws, m.start() + lead_ws + len(name)])
        # 相关市、县级政府 is one collective phrase.
        merged: list[list] = []
        for item in items:
            if merged and _LOWER_GOV_RE.match(item[0]) and re.match(r"^(?:相关|有关|各)", merged[-1][0]):
                merged[-1] = [text[merged[-1][1]:item[2]], merged[-1][1], item[2]]
            else:
                merged.append(item)
        # Distributive 政府: 长沙市、株洲市、湘潭市政府.
        suffix = None
        if merged:
            gm = re.search(r"(人民政府|政府)$", merged[-1][0])
            if gm and _is_place_name(self.places, merged[-1][0][: gm.start()]):
                suffix = gm.group(1)
        refs: list[AgencyRef] = []
        for name, a, b in merged:
            lookup = name
            if (suffix or places_are_governments) and _is_place_name(self.places, name):
                lookup = name + (suffix or "人民政府")
            if any(w in name for w in self.roles["not-inside"]):
                if strict:
                    return None
                continue  # a deadline sharing the slot: 年内持续推进
            found = self.resolve(lookup, in_slot=not strict)
            listed = found is not None and found.how in ("exact", "relative", "fuzzy")
            parts = [] if listed else _conjoined(name, a)
            if parts and all(self.resolve(n, in_slot=not strict) for n, _, _ in parts):
                for n, pa, pb in parts:
                    f = self.resolve(n, in_slot=not strict)
                    refs.append(AgencyRef(f.agency.key, n, f.how, self.doc.evidence(pa, pb, rule)))
                continue
            if found is None:
                if strict:
                    return None
                continue
            refs.append(AgencyRef(found.agency.key, name, found.how, self.doc.evidence(a, b, rule)))
        unique, seen = [], set()
        for r in refs:
            if r.key not in seen:
                seen.add(r.key)
                unique.append(r)
        return unique


def agency_form(name: str, roles: RoleWords, in_slot: bool = True) -> bool:
    """Whether a name has the form of an agency: Han characters, a head word at
    its end (role ``head-strong``; ``head-weak`` too inside a role slot), no task
    verb at its start and no deadline inside.

    >>> roles = RoleWords.load()
    >>> agency_form("国家林草局", roles), agency_form("甲乙控股集团", roles), agency_form("甲乙控股集团", roles, in_slot=False)
    (True, True, False)
    >>> agency_form("年内持续推进", roles), agency_form("加快建设物流中心", roles)
    (False, False)
    """
    if not 2 <= len(name) <= 40 or not re.fullmatch(rf"[{HAN}（）·]+", name):
        return False
    if name.startswith(roles["not-opening"]) or any(w in name for w in roles["not-inside"]):
        return False
    heads = roles["head-strong"] + (roles["head-weak"] if in_slot else ())
    return any(name.endswith(h) and len(name) > len(h) for h in heads)


def _conjoined(name: str, start: int) -> list[tuple[str, int, int]]:
    """甲与乙 / 甲及乙 / 甲会同乙 / 甲和乙 as two names with their offsets; the caller
    splits only names no table lists (和 is inside names such as 住房和城乡建设部)."""
    parts, pos = [], 0
    for m in re.finditer(r"以及|与|及|会同|和", name):
        parts.append((name[pos:m.start()], start + pos, start + m.start()))
        pos = m.end()
    if not parts:
        return []
    parts.append((name[pos:], start + pos, start + len(name)))
    return [p for p in parts if p[0]]


def _is_place_name(places: PlaceGazetteer, name: str) -> bool:
    """A known place, or a name of a city or county's form (甲乙市)."""
    return bool(places.lookup(name)) or bool(re.fullmatch(rf"[{HAN}]{{1,6}}[市县区州]", name)) and not \
        re.match(r"^(?:相关|有关|各)", name)


def extract_tasks(doc: PreparedDocument, province: str | None, agencies: AgencyGazetteer | None = None,
                  places: PlaceGazetteer | None = None, roles: RoleWords | None = None,
                  province_name: str | None = None) -> list[TaskFacts]:
    """All tasks of a document: annex tables first, then prose forms in order.

    Builds pass the reference data they loaded; called alone, the shipped data is used."""
    ctx = TaskContext(doc, agencies or AgencyGazetteer.load(), places or PlaceGazetteer.load(), province,
                      roles or RoleWords.load(), province_name)
    annex = annex_tasks(ctx)
    prose = sorted(parenthetical_tasks(ctx) + slot_tasks(ctx) + enumeration_tasks(ctx) + led_tasks(ctx)
                   + responsibility_tasks(ctx),
                   key=lambda t: t.evidence.start)
    for n, task in enumerate(prose, 1):
        task.number = f"P{n}"
    seen: dict[str, int] = {}
    for task in annex:  # a table that repeats a number (two tables, a typo) still gives distinct tasks
        seen[task.number] = seen.get(task.number, 0) + 1
        if seen[task.number] > 1:
            task.number = f"{task.number}-{seen[task.number]}"
    return annex + prose


# ---------------------------------------------------------------- annex tables

def _find_header(text: str, roles: RoleWords) -> tuple[int, list[str]] | None:
    """End offset of a responsibility table's header and its column names (the
    ``column-*`` words of ``role_words.csv``: a task column, a lead column and a
    support column close together)."""
    lead_words, support_words = roles["column-lead"], roles["column-support"]
    task_words = roles["column-task"]
    found = list(cells(text, 0, len(text)))
    for i, (cell, _, _, _) in enumerate(found):
        if cell in lead_words:
            window = found[max(0, i - 4):i + 3]
            names = [c for c, *_ in window]
            if any(n in support_words for n in names) and any(n in task_words for n in names):
                last = max(j for j, (c, *_) in enumerate(window) if c in support_words + lead_words)
                first = min(j for j, (c, *_) in enumerate(window) if c in task_words + roles["column-number"])
                return window[last][2], names[first:last + 1]
    return None


def annex_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """Numbered tasks of a responsibility table, with lead and supporting agencies."""
    text = ctx.doc.text
    header = _find_header(text, ctx.roles)
    if not header:
        return []
    header_end, columns = header
    tasks: list[TaskFacts] = []
    category = main = None
    task = None
    agency_cells = task_start = 0
    for cell, a, b, row in cells(text, header_end, len(text)):
        number = _NUMBER_CELL_RE.match(cell)
        if _CATEGORY_RE.match(cell) and not number:
            category, task = cell, None
            continue
        if _MAIN_RE.match(cell) and not number:
            main, task = cell, None
            continue
        if number:
            task = TaskFacts(number.group(1), number.group(2) or "", ctx.doc.evidence(a, b, "task.annex.row"),
                             "annex", category, main)
            tasks.append(task)
            agency_cells, task_start = 0, a
            continue
        if task is None:
            continue
        role = "lead" if agency_cells == 0 else "support"
        refs = ctx.agency_list(a, b, f"task.annex.{role}") if task.text else None
        if refs is not None and agency_cells < 2:
            (task.lead if role == "lead" else task.support).extend(refs)
            agency_cells += 1
        elif agency_cells == 0:
            task.text = (task.text + cell) if task.text else cell
            task.evidence = ctx.doc.evidence(task_start, b, "task.annex.row")
    for t in tasks:
        t.text = t.text.strip()
        t.restates = _restated_paragraph(ctx, t, header_end)
    return tasks


RESTATE_KEY = 8  # leading characters an annex row shares with the body paragraph it restates


def _restated_paragraph(ctx: TaskContext, task: TaskFacts, before: int) -> Claim[str] | None:
    """The body passage (before the table) that opens with the row's opening words:
    an annex row and the passage it restates are one task."""
    text = ctx.doc.text
    key = re.sub(r"\s", "", task.text)[:RESTATE_KEY]
    if len(key) < RESTATE_KEY:
        return None
    at = text.find(key, 0, before)
    if at < 0 or text.find(key, at + 1, before) >= 0:
        return None  # absent or ambiguous
    line_end = text.find("\n", at)
    line_end = before if line_end < 0 or line_end > before else line_end
    # The passage the row restates: from its opening words to the end of the sentence
    # its length reaches (the body says the same at more length, not the next topic).
    stop = text.find("。", min(at + len(task.text), line_end) - 1, line_end)
    end = stop + 1 if stop >= 0 else line_end
    return Claim(text[at:end], ctx.doc.evidence(at, end, "task.annex.restates-body"))


# ---------------------------------------------------------------- parentheticals

_SUPPORT_TAIL_RE = re.compile(r"等?(?:参与|配合|协助|协办|按职责分工负责|按职责分工|按分工负责|分工负责|共同负责)")


def _slots(ctx: TaskContext, text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Role slots in ``text[start:end]``: ``(role, list start, list end)`` for 牵头单位：甲、乙 …;
    a slot's list ends at the next slot, a ；, a line end or ``end``."""
    labels = "|".join(map(re.escape, ctx.roles["slot-lead"] + ctx.roles["slot-support"]))
    if not labels:
        return []
    found = list(re.finditer(rf"(?P<label>{labels})[ \t]*[：:][ \t]*", text[start:end]))
    out = []
    for i, m in enumerate(found):
        a = start + m.end()
        b = start + found[i + 1].start() if i + 1 < len(found) else end
        stop = re.search(r"[；;\n。]", text[a:b])
        b = a + stop.start() if stop else b
        role = "lead" if m["label"] in ctx.roles["slot-lead"] else "support"
        out.append((role, a, b))
    return out


def _assignment(ctx: TaskContext, body: str, b_start: int):
    """(lead refs, support refs, joint) of an assignment parenthetical; clauses
    after the assignment that set a deadline (，年内持续推进) are not part of it."""
    slots = _slots(ctx, ctx.doc.text, b_start, b_start + len(body))
    while not slots and "，" in body:
        head, _, last = body.rpartition("，")
        if not any(w in last for w in ctx.roles["not-inside"]):
            break
        body = head
    if slots:
        lead: list[AgencyRef] = []
        support: list[AgencyRef] = []
        for role, a, b in slots:
            refs = ctx.agency_list(a, b, f"task.slot.{role}", strict=False) or []
            (lead if role == "lead" else support).extend(refs)
        return lead, support, len(lead) > 1 and not support
    m = re.match(r"^(?P<lead>.+?)牵头(?:负责)?(?:[，,](?P<rest>.+))?$", body)
    if m:
        lead = ctx.agency_list(b_start + m.start("lead"), b_start + m.end("lead"), "task.parenthetical.lead", strict=False)
        support = []
        if m["rest"]:
            tail = _SUPPORT_TAIL_RE.search(m["rest"])
            rest = m["rest"][:tail.start()] if tail else m["rest"]
            support = ctx.agency_list(b_start + m.start("rest"), b_start + m.start("rest") + len(rest),
                                      "task.parenthetical.support", strict=False)
        return lead, support, False
    m = re.match(r"^(?P<joint>.+?)等?(?:按职责分工负责|按分工负责|共同负责|分别负责|负责)$", body)
    if m:
        joint = ctx.agency_list(b_start + m.start("joint"), b_start + m.end("joint"), "task.parenthetical.joint", strict=False)
        return joint, [], True
    return None


def parenthetical_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """Passages followed by an assignment in parentheses."""
    text = ctx.doc.text
    tasks = []
    boundary = 0
    for m in _PAREN_RE.finditer(text):
        parsed = _assignment(ctx, m["body"], m.start("body"))
        if not parsed or not parsed[0]:
            continue
        lead, support, joint = parsed
        start = _passage_start(text, boundary, m.start())
        rule = "task.parenthetical"
        if not text[start:m.start()].strip():
            # An assignment opening a line closes the passage that ends the line before.
            start = _passage_start(text, max(0, boundary), max(0, m.start() - 1))
            rule = "task.parenthetical.previous-line"
        raw = text[start:m.start()]
        passage = raw.strip().lstrip("。，；、")
        boundary = m.end()
        if not passage:
            continue
        a = start + raw.find(passage)
        task = TaskFacts("", passage, ctx.doc.evidence(a, m.end(), rule), "parenthetical",
                         lead=lead, support=[s for s in support if s.key not in {x.key for x in lead}], joint=joint)
        tasks.append(task)
    return tasks


def _passage_start(text: str, boundary: int, end: int) -> int:
    """Where the passage before ``end`` starts: the last heading, or the end of the
    previous assignment, or the start of the line."""
    line_start = text.rfind("\n", 0, end) + 1 if text[max(0, end - 1):end] != "\n" else text.rfind("\n", 0, end - 1) + 1
    start = max(boundary, line_start)
    headings = [h.start() for h in _HEADING_RE.finditer(text, start, end)]
    return headings[-1] if headings else start


# ---------------------------------------------------------------- role slots on their own

def slot_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """Role slots outside parentheses: 牵头单位：甲 / 配合单位：乙、丙 on the lines after
    a task or after its sentence on the same line."""
    text = ctx.doc.text
    labels = "|".join(map(re.escape, ctx.roles["slot-lead"] + ctx.roles["slot-support"]))
    if not labels:
        return []
    tasks: list[TaskFacts] = []
    block_re = re.compile(rf"(?:(?<=\n)|(?<=^)|(?<=[。；;]))[ \t]*(?:{labels})[ \t]*[：:]", re.M)
    boundary = 0
    pos = 0
    while True:
        m = block_re.search(text, pos)
        if not m:
            break
        if text.rfind("（", 0, m.start()) > text.rfind("）", 0, m.start()):
            pos = m.end()
            continue  # inside a parenthetical: read there
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        end = start
        lead: list[AgencyRef] = []
        support: list[AgencyRef] = []
        nxt = start
        while True:  # consecutive slots, on one line or on the following lines
            slot = re.compile(rf"[ \t]*(?P<label>{labels})[ \t]*[：:][ \t]*(?P<list>[^\n；;。]*)[；;。]?[ \t]*\n?").match(text, nxt)
            if not slot:
                break
            role = "lead" if slot["label"] in ctx.roles["slot-lead"] else "support"
            refs = ctx.agency_list(*slot.span("list"), f"task.slot.{role}", strict=False) or []
            (lead if role == "lead" else support).extend(refs)
            end = slot.end("list")
            nxt = slot.end()
        pos = max(nxt, m.end())
        if not lead:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip():
            p_start, rule = _passage_start(text, boundary, start), "task.slot"
        else:
            p_start, rule = _passage_start(text, boundary, max(0, line_start - 1)), "task.slot.previous-line"
        raw = text[p_start:start]
        passage = raw.strip().lstrip("。，；、")
        boundary = end
        if not passage:
            continue
        a = p_start + raw.find(passage)
        tasks.append(TaskFacts("", passage, ctx.doc.evidence(a, end, rule), "slot", lead=lead,
                               support=[s for s in support if s.key not in {x.key for x in lead}],
                               joint=len(lead) > 1 and not support))
    return tasks


# ---------------------------------------------------------------- enumerations and statements

def enumeration_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """甲、乙等部门牵头负责A、B等…工作: the n-th agency leads the n-th domain."""
    text = ctx.doc.text
    tasks = []
    for m in _ENUM_RE.finditer(text):
        refs = ctx.agency_list(*m.span("agencies"), "task.enumeration.lead", strict=False)
        domains = [(d.group(0), m.start("domains") + d.start(), m.start("domains") + d.end())
                   for d in re.finditer(r"[^、]+", m["domains"])]
        if not refs:
            continue
        tail = m["tail"]
        if len(refs) == len(domains):
            for ref, (domain, a, b) in zip(refs, domains):
                tasks.append(TaskFacts("", f"{domain}{tail}", ctx.doc.evidence(a, b, "task.enumeration.paired"),
                                       "enumeration", lead=[ref]))
        else:
            tasks.append(TaskFacts("", f"{m['domains']}等{tail}", ctx.doc.evidence(*m.span(), "task.enumeration.shared"),
                                   "enumeration", lead=refs, joint=True))
    return tasks


def led_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """由甲牵头，乙、丙配合 and 甲会同乙…研究: the sentence is the task, 甲 leads, 乙 supports.
    For 会同 the lead must be an agency by a table or by its form (the words
    before 会同 are often a clause)."""
    text = ctx.doc.text
    tasks = []
    forms = ((_LED_BY_RE, "led-by", "task.statement.led-by.lead", "task.statement.led-by.support"),
             (_JOINTLY_RE, "jointly", "task.statement.jointly.lead", "task.statement.jointly.support"))
    for regex, kind, lead_rule, support_rule in forms:
        for m in regex.finditer(text):
            lead = ctx.agency_list(*m.span("lead"), lead_rule, strict=kind == "jointly")
            if not lead:
                continue
            support = ctx.agency_list(*m.span("support"), support_rule, strict=False) if m["support"] else []
            start = max(text.rfind(ch, 0, m.start()) for ch in "。\n；") + 1
            headings = [h.start() for h in _HEADING_RE.finditer(text, start, m.start())]
            start = headings[-1] if headings else start
            stop = text.find("。", m.end())
            end = stop + 1 if stop >= 0 else m.end()
            passage = text[start:end].strip()
            a = start + text[start:end].find(passage)
            tasks.append(TaskFacts("", passage, ctx.doc.evidence(a, a + len(passage), f"task.statement.{kind}"),
                                   f"statement.{kind}", lead=lead,
                                   support=[s for s in support or [] if s.key not in {x.key for x in lead}]))
    return tasks


def responsibility_tasks(ctx: TaskContext) -> list[TaskFacts]:
    """甲是…的责任主体 and 甲要加强…综合协调."""
    text = ctx.doc.text
    tasks = []
    for regex, kind in ((_RESPONSIBLE_RE, "responsible"), (_COORDINATE_RE, "coordination")):
        for m in regex.finditer(text):
            refs = ctx.agency_list(*m.span("subject"), f"task.statement.{kind}", places_are_governments=True)
            if not refs:
                continue
            sentence_end = text.find("。", m.end())
            end = sentence_end + 1 if sentence_end >= 0 else m.end()
            tasks.append(TaskFacts("", text[m.start():end].strip(), ctx.doc.evidence(m.start(), end, f"task.statement.{kind}"),
                                   f"statement.{kind}", lead=refs))
    return tasks
