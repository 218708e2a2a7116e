"""Plan metadata: title, issuers, issue date, document number, period, scope,
and the documents a plan cites.

Every value comes with evidence naming the rule that found it. Rule names
are ``plan.<field>.<how>``.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import replace
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from plankg.facts import Claim, CitedDocument, Evidence, PlanFacts, ScopeFigure
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.reference import DocumentKind, read_document_kinds
from plankg.loaders.normalize import CJK
from plankg.loaders.page_metadata import front_matter, label_fields, metadata_fields
from plankg.loaders.places import make_trie
from plankg.loaders.prepared import PreparedDocument

_WS = r"[ \t\n]*"
# Titles may be split over lines; nested titles use 〈〉 (or 《》 when quoted).
# Headings often drop the 《》: 关于印发甲乙发展规划的通知 (``bare``).
_NOTICE_RE = re.compile(
    rf"(?P<issuer>[{CJK} 、]{{0,60}}?)[ \t]*关于印发{_WS}"
    rf"(?:《(?P<title>[^《》]{{2,160}}?)》|(?P<bare>[{CJK}（）—\d]{{2,80}}?))"
    rf"{_WS}的通知"
)
_DOCNO_RE = re.compile(
    rf"(?P<prefix>[{CJK}]{{1,10}})[ \t]*[〔\[［【（(](?P<year>(?:19|20)\d\d)[〕\]］】）)][ \t]*(?P<num>\d{{1,4}})[ \t]*号"
)
_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d\d)[ \t]*年[ \t]*(?P<m>\d{1,2})[ \t]*月[ \t]*(?P<d>\d{1,2})[ \t]*日")
_ROC_DATE_RE = re.compile(r"中华民国[ \t]*(?P<y>\d{1,3})[ \t]*年[ \t]*(?P<m>\d{1,2})[ \t]*月[ \t]*(?P<d>\d{1,2})[ \t]*日")
ROC_EPOCH = 1911  # 中华民国 year 1 is 1912 (Taiwan's official calendar)
_CN_DATE_RE = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
_ORG_RE = re.compile(
    rf"中共[{CJK}]{{2,10}}?委|中国共产党[{CJK}]{{2,10}}?委员会|[{CJK}]{{2,20}}?(?:人民政府(?:办公厅)?|委员会|办公厅|省委|市委)|[{CJK}]{{1,8}}?[市县]政府|国务院(?:办公厅)?"
)
_PLAN_WORD_RE = re.compile(r"(规划|纲要|方案|意见|计划|清单|要点)(（[^）]{0,20}）)?$")
# Headings of documents that are not plans themselves (approvals, letters, notices, decisions …) and
# Taiwan's plan titles that end with 案: 甲都市计划通盘检讨（主要计划）案.
_DOCUMENT_HEADING_RE = re.compile(
    r"(?:关于[^，。；：]{2,80}?的(?:批复|复函|函|通知|决定|意见|报告|公告))$|(?:计划|规划)[^，。；：]{0,12}?(?:（[^）]{0,12}）)?案$")
_WIRE_RE = re.compile(rf"(?P<issuers>[{CJK}、 ]{{2,40}}?)(?:近日|日前|今天|今日)?[ \t]*印发了?[ \t]*《(?P<t>[^《》\n]{{2,120}})》")
_ORIGINAL_TITLE_RE = re.compile(r"原标题[：:][ \t]*(?:（[^）]{0,10}）)?")
_PERIOD_RE = re.compile(r"规划期(?:限)?(?:为|是)?[ \t]*(?P<a>(?:19|20)\d\d)[ \t]*年?[ \t]*[—~至到\-][ \t]*(?P<b>(?:19|20)\d\d)[ \t]*年")
_PERIOD_TO_RE = re.compile(r"规划期(?:限)?(?:为|是)?至(?P<b>(?:19|20)\d\d)年")
_STAGE_RE = re.compile(r"阶段[ \t]*（(?P<a>(?:19|20)\d\d)[ \t]*[—~\-][ \t]*(?P<b>(?:19|20)\d\d)年?）")
_TARGET_YEAR_RE = re.compile(r"(?:到|至|展望到|远期展望到|远景展望到)(?P<y>(?:20|21)\d\d)年")
_SCOPE_WORD_RE = re.compile(r"规划范围|实施范围|范围包括|范围为")
_AREA_RE = re.compile(r"面积约?(?P<v>\d+(?:\.\d+)?)(?P<mag>万)?平方公里")
_POP_RE = re.compile(r"(?:常住人口|总人口|人口)约?(?P<v>\d+(?:\.\d+)?)(?P<mag>万|亿)?人?")
_GDP_RE = re.compile(r"(?:地区生产总值|经济总量|生产总值|GDP)(?:达到|为|达)?约?(?P<v>\d+(?:\.\d+)?)(?P<mag>万亿|亿|万)?元")
_YEAR_RE = re.compile(r"(?P<y>(?:19|20)\d\d)年")
_CITATION_RE = re.compile(
    r"《(?P<title>[^《》\n]{2,120})》(?:[ \t]*（(?P<docno>[^（）\n]{2,30}?)）)?"
)
_MAGNITUDE = {None: 1, "万": 1e4, "亿": 1e8, "万亿": 1e12}
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

HEAD_CHARS = 4000  # where notices, document numbers and signatures are looked for
TAIL_CHARS = 1500  # where a signature at the end is looked for


def normalize_doc_no(prefix: str, year: str, num: str) -> str:
    """One form for every bracket variant: ``湘政发〔2022〕6号``.

    >>> normalize_doc_no("国函", "2015", "62")
    '国函〔2015〕62号'
    """
    return f"{prefix}〔{year}〕{int(num)}号"


def _squash(s: str) -> str:
    return re.sub(r"[ \t\n]+", "", s)


def standalone_title(raw: str) -> str:
    """A title as it stands on its own: nested 〈〉 become 《》, line breaks go.

    >>> standalone_title("湖南省落实〈某某规划〉实施方案")
    '湖南省落实《某某规划》实施方案'
    """
    return _squash(raw).replace("〈", "《").replace("〉", "》")


PLAUSIBLE_YEARS = range(1949, 2101)  # the years a plan of the People's Republic can be dated
_CN_TENS_RE = re.compile(r"(?P<tens>[一二三四五六七八九])?十(?P<units>[一二三四五六七八九])?|(?P<unit>[一二三四五六七八九])")


def _cn_number(s: str, positional: bool = False) -> int | None:
    """A Chinese numeral, or None when it is not a well-formed one.

    Years are written digit by digit (``positional``: 二〇一五); months and days
    with 十 (十二, 二十三, 三十) or as one digit (五).

    >>> _cn_number("二〇一五", positional=True), _cn_number("十二"), _cn_number("三十一"), _cn_number("五")
    (2015, 12, 31, 5)
    >>> _cn_number("十四三") is None, _cn_number("十十") is None, _cn_number("二三") is None
    (True, True, True)
    """
    if positional:
        if not s or any(ch not in _CN_DIGITS for ch in s):
            return None
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    m = _CN_TENS_RE.fullmatch(s)
    if m is None:
        return None
    if m["unit"]:
        return _CN_DIGITS[m["unit"]]
    return (_CN_DIGITS[m["tens"]] if m["tens"] else 1) * 10 + (_CN_DIGITS[m["units"]] if m["units"] else 0)


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """``YYYY-MM-DD`` for a date that exists in a plausible year, else None.

    >>> iso_date(2016, 2, 29), iso_date(2015, 2, 30), iso_date(2015, 13, 1), iso_date(7003, 1, 1)
    ('2016-02-29', None, None, None)
    """
    if year is None or month is None or day is None or year not in PLAUSIBLE_YEARS:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _dates(text: str, start: int = 0, end: int | None = None):
    """``(match, ISO date)`` for every date written in Arabic or Chinese
    numerals, or in Taiwan's 中华民国 years (中华民国103年6月12日 is 2014-06-12);
    strings that are not real dates (2015年2月30日, 二〇二五年十三月四十日) are skipped."""
    stop = end if end is not None else len(text)
    for m in _DATE_RE.finditer(text, start, stop):
        iso = iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            yield m, iso
    for m in _CN_DATE_RE.finditer(text, start, stop):
        iso = iso_date(_cn_number(m["y"], positional=True), _cn_number(m["m"]), _cn_number(m["d"]))
        if iso:
            yield m, iso
    for m in _ROC_DATE_RE.finditer(text, start, stop):
        iso = iso_date(ROC_EPOCH + int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            yield m, iso


@lru_cache(maxsize=4)
def _issuer_names(gazetteer: AgencyGazetteer) -> dict:
    """A prefix tree of every agency name and alias (one regex of some 35,000
    alternatives took seconds to compile in every build and worker)."""
    return make_trie(gazetteer.names())


def _longest_name_at(trie: dict, text: str, i: int) -> int | None:
    """The end of the longest name of ``trie`` that starts at ``text[i]``."""
    node, best = trie, None
    for j in range(i, len(text)):
        node = node.get(text[j])
        if node is None:
            break
        if "" in node:
            best = j + 1
    return best


def split_issuers(text: str, gazetteer: AgencyGazetteer) -> list[tuple[str, int, int]]:
    """Organisation names in an issuer phrase, with their offsets.

    Left to right; at each position the longest gazetteer name, else a generic
    form (…人民政府, 中共…委).

    >>> g = AgencyGazetteer.load()
    >>> [n for n, _, _ in split_issuers("中共湖南省委 湖南省人民政府", g)]
    ['中共湖南省委', '湖南省人民政府']
    >>> [n for n, _, _ in split_issuers("国家发展改革委", g)]
    ['国家发展改革委']
    """
    trie = _issuer_names(gazetteer)
    out, i = [], 0
    while i < len(text):
        end = _longest_name_at(trie, text, i)
        if end is None:
            m = _ORG_RE.match(text, i)
            end = m.end() if m else None
        if end is None:
            i += 1
            continue
        out.append((text[i:end], i, end))
        i = end
    return out


def _province_of(names: list[str], gazetteer: AgencyGazetteer) -> str | None:
    for name in names:
        agency = gazetteer.resolve(name)
        if agency and agency.province:
            return agency.province
        for code, pname in gazetteer.province_names.items():
            if name.startswith(pname) or name.startswith(pname.rstrip("省市")):
                return code
    return None


def extract_plan_facts(doc: PreparedDocument, gazetteer: AgencyGazetteer | None = None,
                       kinds: list[DocumentKind] | None = None) -> PlanFacts:
    """Extract the metadata of the plan a document holds: every document yields
    one, titled by the first source that gives a title (issuing notice, heading,
    front matter, page metadata table, wire lead, file name).

    Builds pass the reference data they loaded; called alone, the shipped data is used.
    """
    if gazetteer is None or kinds is None:
        gazetteer, kinds = gazetteer or AgencyGazetteer.load(), kinds or read_document_kinds()
    text = doc.text
    facts = PlanFacts(document=doc.source.id)
    head_end = min(len(text), HEAD_CHARS)

    notice = _NOTICE_RE.search(text, 0, head_end + 200)
    # (name, start, end, rule[, in_file]): offsets into the normalised text, or with
    # in_file=True into the file itself (front matter, a title quoted as is).
    issuer_names: list[tuple] = []
    if notice:
        title_group = "title" if notice["title"] is not None else "bare"
        raw_title = notice[title_group]
        facts.title = Claim(standalone_title(raw_title), doc.evidence(*notice.span(title_group), "plan.title.notice"))
        issuer_text = notice["issuer"]
        i_start = notice.start("issuer")
        if not split_issuers(issuer_text, gazetteer):
            # The issuer stands on the line(s) above the notice title.
            before = text[max(0, notice.start() - 80):notice.start()]
            issuer_text = before.rstrip().rsplit("\n\n", 1)[-1]
            i_start = notice.start() - len(before) + before.rfind(issuer_text)
        for name, a, b in split_issuers(issuer_text, gazetteer):
            issuer_names.append((name, i_start + a, i_start + b, "plan.issuer.notice"))
        issuers_joined = " ".join(n for n, *_ in issuer_names)
        facts.notice_title = Claim(
            f"{issuers_joined}关于印发《{_squash(raw_title)}》的通知",
            doc.evidence(notice.start() if notice["issuer"].strip() else notice.start() + notice.group(0).find("关于印发"),
                         notice.end(), "plan.notice_title.notice"),
        )
    page = page_metadata(doc)
    front = front_matter(doc.source.text)
    if not notice:
        _title_without_notice(doc, facts, page)
    if facts.title is None:
        _title_from_front_matter(doc, facts, front, issuer_names, gazetteer)
    if facts.title is None and "title" in page:
        value, a, b = page["title"]
        facts.title = Claim(standalone_title(value), doc.evidence(a, b, "plan.title.page-metadata"))
    if facts.title is None:
        _title_from_wire(doc, facts, issuer_names, gazetteer)
    if facts.title is None:
        stem = Path(doc.source.name).stem
        facts.title = Claim(stem, Evidence(doc.source.id, ((0, 0),), "", "plan.title.file-name"))

    _doc_no(doc, facts, notice.end() if notice else 0, head_end)
    _signature(doc, facts, issuer_names, head_end, gazetteer)
    _from_page_metadata(doc, facts, page, issuer_names)
    if not issuer_names:
        _issuers_from_title(facts, issuer_names, gazetteer)
    if not issuer_names:
        wire = _wire(text, 0, min(len(text), 1500), gazetteer)
        if wire and standalone_title(wire[1]) == facts.title.value:
            issuer_names.extend((n, a, b, "plan.issuer.wire") for n, a, b in wire[0])
    _published(doc, facts, front)
    facts.kind = Claim(document_kind(facts.title.value, kinds),
                       replace(facts.title.evidence, rule="plan.kind.title-word"))

    province = _province_of([n for n, *_ in issuer_names], gazetteer)
    seen = set()
    for name, a, b, rule, *in_file in issuer_names:
        agency = gazetteer.resolve(name, province)
        key = agency.key if agency else f"unlisted:{_squash(name)}"
        if key not in seen:
            seen.add(key)
            evidence = _source_evidence(doc, a, b, rule) if in_file else doc.evidence(a, b, rule)
            facts.issuers.append(Claim(key, evidence))

    _period(doc, facts)
    _scope(doc, facts)
    _citations(doc, facts, gazetteer)
    return facts


def _title_without_notice(doc: PreparedDocument, facts: PlanFacts, page: dict) -> None:
    text = doc.text
    m = re.search(r"《(?P<t>[^《》\n]{2,120})》[ \t]*全文", text[:HEAD_CHARS])
    if m:
        facts.title = Claim(standalone_title(m["t"]), doc.evidence(*m.span("t"), "plan.title.full-text-heading"))
        return
    table = page["table"][1:] if page else (0, 0)
    pos = 0
    previous: tuple[str, int] | None = None  # the last non-blank line and its offset
    for line in text[:HEAD_CHARS].split("\n"):
        stripped = line.strip()
        a = pos + line.find(stripped)
        pos += len(line) + 1
        if not stripped or table[0] <= a < table[1]:
            continue
        plan_heading = len(stripped) <= 60 and _PLAN_WORD_RE.search(stripped) and "，" not in stripped
        document_heading = len(stripped) <= 100 and _DOCUMENT_HEADING_RE.search(stripped) and not re.search("[，。；]", stripped)
        if plan_heading or document_heading:
            start, rule = a, "plan.title.heading"
            if previous and "关于" not in stripped and _heading_start(previous[0]):
                start, rule = previous[1], "plan.title.heading-lines"  # 甲关于乙 / 丙的意见 on two lines
            facts.title = Claim(standalone_title(text[start:a + len(stripped)]), doc.evidence(start, a + len(stripped), rule))
            return
        previous = (stripped, a)


def _heading_start(line: str) -> bool:
    """The first line of a heading broken over two: 甲关于落实《乙》 (no sentence punctuation)."""
    return "关于" in line and len(line) <= 50 and not re.search("[，。；：]", line) \
        and not _PLAN_WORD_RE.search(line) and not _DOCUMENT_HEADING_RE.search(line)


def page_metadata(doc: PreparedDocument) -> dict[str, tuple[str, int, int]]:
    """The fields of a saved page's metadata table (``plankg.loaders.page_metadata``)
    by what plankg reads from them (title, issuer, date, published, doc_no; the
    ``field`` column of ``page_metadata_labels.csv``), spans in the normalised
    text, and ``table``: the span of the whole table; empty unless at least two
    labels of such a table are found."""
    found = metadata_fields(doc.deduped.text)
    if len(found) < 2:
        return {}
    starts, ends = [a for _, a, _ in found.values()], [b for _, _, b in found.values()]
    fields: dict[str, tuple[str, int, int]] = {"table": ("", min(starts), max(ends))}
    for label, value in found.items():
        field = label_fields().get(label)
        if field and field not in fields:
            fields[field] = value
    return fields


def _source_evidence(doc: PreparedDocument, start: int, end: int, rule: str) -> Evidence:
    """Evidence for a span of the file itself (front matter is not in the normalised text)."""
    return Evidence(doc.source.id, ((start, end),), doc.source.text[start:end], rule)


def _wire(text: str, start: int, end: int, gazetteer: AgencyGazetteer):
    """``(issuers, title, title start)`` of …甲、乙印发了《丙》 in ``text[start:end]``;
    issuers are ``(name, start, end)`` with offsets into ``text``."""
    for m in re.finditer(r"印发了?[ \t]*《(?P<t>[^《》\n]{2,120})》", text[start:end]):
        at = start + m.start()
        clause = max(start, max(text.rfind(ch, start, at) for ch in "，。：:；\n（）") + 1)
        names = [(n, clause + a, clause + b) for n, a, b in split_issuers(text[clause:at], gazetteer)]
        if names:
            return names, m["t"], start + m.start("t")
    return None


def _title_from_front_matter(doc: PreparedDocument, facts: PlanFacts, front: dict, issuer_names: list,
                             gazetteer: AgencyGazetteer) -> None:
    if "title" not in front:
        return
    value, a, b = front["title"]
    wire = _wire(doc.source.text, a, b, gazetteer)
    if wire:
        names, title, t_start = wire
        facts.title = Claim(standalone_title(title), _source_evidence(doc, t_start, t_start + len(title), "plan.title.front-matter"))
        issuer_names.extend((n, na, nb, "plan.issuer.front-matter", True) for n, na, nb in names)
    else:
        facts.title = Claim(standalone_title(value), _source_evidence(doc, a, b, "plan.title.front-matter"))


def _issuers_from_title(facts: PlanFacts, issuer_names: list, gazetteer: AgencyGazetteer) -> None:
    """甲关于乙的意见: 甲 issued it, when the title is the document's own and no other source names its issuer."""
    m = re.match(r"^(?P<i>[^《》]{2,40}?)关于", facts.title.value)
    ev = facts.title.evidence
    if not m or facts.title.evidence.rule == "plan.title.file-name":
        return
    if ev.text != facts.title.value:
        return  # the title was joined or converted: its characters do not map one to one
    offset = ev.spans[0][0]
    for name, a, b in split_issuers(m["i"], gazetteer):
        issuer_names.append((name, offset + a, offset + b, "plan.issuer.title", True))


def _title_from_wire(doc: PreparedDocument, facts: PlanFacts, issuer_names: list, gazetteer: AgencyGazetteer) -> None:
    text = doc.text
    wire = _wire(text, 0, min(len(text), 1500), gazetteer)
    if wire:
        names, title, t_start = wire
        facts.title = Claim(standalone_title(title), doc.evidence(t_start, t_start + len(title), "plan.title.wire"))
        issuer_names.extend((n, a, b, "plan.issuer.wire") for n, a, b in names)


def document_kind(title: str, kinds: list[DocumentKind]) -> str:
    """The kind of a document by its title's closing word (批复, 函, 规划纲要 …),
    else the longest kind word it contains (甲都市计划通盘检讨（主要计划）案); ``document``
    when none.

    >>> from plankg.loaders.reference import read_document_kinds
    >>> kinds = read_document_kinds()
    >>> document_kind("甲乙城市群发展规划纲要", kinds), document_kind("国务院关于甲乙的批复", kinds)
    ('outline', 'approval')
    >>> document_kind("甲市乙区都市计划通盘检讨（主要计划）案", kinds), document_kind("会议纪要", kinds)
    ('urban-plan', 'document')
    """
    bare = re.sub(r"(?:（[^（）]*）|\([^()]*\))+$", "", title.rstrip("案》 ")) or title
    words = sorted((k for k in kinds if k.term), key=lambda k: len(k.term), reverse=True)
    for k in words:
        if bare.endswith(k.term):
            return k.kind
    for k in words:
        if k.term in title:
            return k.kind
    return "document"


def _from_page_metadata(doc: PreparedDocument, facts: PlanFacts, page: dict, issuer_names: list) -> None:
    """Issuer, issue date and document number from a page's metadata table, where the text gave none."""
    if "issuer" in page and not issuer_names:
        value, a, _ = page["issuer"]
        for name in re.split(r"[ 、，,]+", value):
            if name:
                start = a + value.find(name)
                issuer_names.append((name, start, start + len(name), "plan.issuer.page-metadata"))
    if "date" in page and facts.date is None:
        value, a, _ = page["date"]
        for m, iso in _dates(value):
            facts.date = Claim(iso, doc.evidence(a + m.start(), a + m.end(), "plan.date.page-metadata"))
            break
    if "doc_no" in page and facts.doc_no is None:
        value, a, _ = page["doc_no"]
        m = _DOCNO_RE.search(value)
        if m:
            facts.doc_no = Claim(normalize_doc_no(m["prefix"], m["year"], m["num"]),
                                 doc.evidence(a + m.start(), a + m.end(), "plan.doc_no.page-metadata"))
    if "published" in page:
        value, a, _ = page["published"]
        for m, iso in _dates(value):
            facts.published = Claim(iso, doc.evidence(a + m.start(), a + m.end(), "plan.published.page-metadata"))
            break


def _published(doc: PreparedDocument, facts: PlanFacts, front: dict) -> None:
    """The publication date of a news post from its front matter (RFC 2822 or ISO dates)."""
    if facts.published is not None or "date" not in front:
        return
    value, a, b = front["date"]
    iso = None
    m = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        iso = _valid_iso(int(m[1]), int(m[2]), int(m[3]))
    else:
        try:
            iso = parsedate_to_datetime(value).date().isoformat()
        except (TypeError, ValueError, IndexError):
            iso = None
    if iso:
        facts.published = Claim(iso, _source_evidence(doc, a, b, "plan.published.front-matter"))


def _valid_iso(y: int, m: int, d: int) -> str | None:
    """``YYYY-MM-DD`` when the date exists, else None."""
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def _doc_no(doc: PreparedDocument, facts: PlanFacts, after: int, head_end: int) -> None:
    text = doc.text
    for m in _DOCNO_RE.finditer(text, after, head_end):
        if after and m.start() - after > 300:
            break
        # The prefix regex may have swallowed the text before the number
        # (…的通知湘政发〔2016〕21号): keep what follows the last word break.
        prefix = re.split(r"通知|通告|决定|意见|的|号", m["prefix"])[-1][-6:]
        p_start = m.end("prefix") - len(prefix)
        if len(prefix) < 2 or "》" in text[max(0, p_start - 2):p_start]:
            continue  # a cited document's number, not this one's
        facts.doc_no = Claim(
            normalize_doc_no(prefix, m["year"], m["num"]),
            doc.evidence(p_start, m.end(), "plan.doc_no.header"),
        )
        return


def _signature(doc: PreparedDocument, facts: PlanFacts, issuer_names: list, head_end: int,
               gazetteer: AgencyGazetteer) -> None:
    """Signature blocks: organisation names directly followed by a date, in the
    head of the document, else at its end (opinions and letters sign last)."""
    text = doc.text
    if _signature_in(doc, facts, issuer_names, gazetteer, 0, head_end + 400, "plan.date.signature"):
        return
    if facts.date is None and len(text) > head_end + 400:
        _signature_in(doc, facts, issuer_names, gazetteer, len(text) - TAIL_CHARS, len(text), "plan.date.signature-end")


def _signature_in(doc: PreparedDocument, facts: PlanFacts, issuer_names: list, gazetteer: AgencyGazetteer,
                  start: int, end: int, rule: str) -> bool:
    text = doc.text
    for m, iso in sorted(_dates(text, max(0, start), end), key=lambda x: x[0].start()):
        before = text[max(0, m.start() - 120):m.start()]
        # Only names on the lines right above the date (or right before it on one line).
        block = re.search(rf"((?:(?:{_ORG_RE.pattern})[ \t]*\n?[ \t\n]*){{1,4}})$", before)
        if not block:
            continue
        offset = m.start() - len(before) + block.start(1)
        names = split_issuers(block.group(1), gazetteer)
        if facts.date is None:
            facts.date = Claim(iso, doc.evidence(*m.span(), rule))
        known = {n for n, *_ in issuer_names}
        for name, a, b in names:
            if name not in known:
                issuer_names.append((name, offset + a, offset + b, "plan.issuer.signature"))
        return True
    return False


def _period(doc: PreparedDocument, facts: PlanFacts) -> None:
    text = doc.text
    m = _PERIOD_RE.search(text)
    if m:
        facts.period = Claim((int(m["a"]), int(m["b"])), doc.evidence(*m.span(), "plan.period.stated"))
    else:
        m = _PERIOD_TO_RE.search(text)
        if m and facts.date:
            start = int(facts.date.value[:4])
            facts.period = Claim((start, int(m["b"])), doc.evidence(*m.span(), "plan.period.until"))
        else:
            stages = list(_STAGE_RE.finditer(text))
            if stages:
                a = min(int(s["a"]) for s in stages)
                b = max(int(s["b"]) for s in stages)
                facts.period = Claim((a, b), doc.evidence(stages[0].start(), stages[-1].end(), "plan.period.stages"))
    years: dict[int, Claim[int]] = {}
    if facts.period:
        end = facts.period.value[1]
        years[end] = Claim(end, replace(facts.period.evidence, rule="plan.target_year.period-end"))
    for m in _STAGE_RE.finditer(text):
        years.setdefault(int(m["b"]), Claim(int(m["b"]), doc.evidence(*m.span(), "plan.target_year.stage")))
    for m in _TARGET_YEAR_RE.finditer(text):
        y = int(m["y"])
        if y not in years:
            years[y] = Claim(y, doc.evidence(*m.span(), "plan.target_year.by-year"))
    issued = int(facts.date.value[:4]) if facts.date else 0
    facts.target_years = [years[y] for y in sorted(years) if y > issued]


def scope_sentence(text: str) -> tuple[int, int] | None:
    """Span of the first sentence (to 。 or a line end, 。 included) naming the
    plan's scope (规划范围, 实施范围 …). Found from the word outwards, so a long
    line without 。 is searched once, not once per position.

    >>> scope_sentence("前言。本规划范围包括甲市，面积约10平方公里。其他")
    (3, 23)
    """
    word = _SCOPE_WORD_RE.search(text)
    if not word:
        return None
    start = max(text.rfind("。", 0, word.start()), text.rfind("\n", 0, word.start())) + 1
    stops = [i for i in (text.find("。", word.end()), text.find("\n", word.end())) if i != -1]
    end = min(stops) if stops else len(text)
    return start, end + (text.startswith("。", end))


def _scope(doc: PreparedDocument, facts: PlanFacts) -> None:
    text = doc.text
    span = scope_sentence(text)
    if not span:
        return
    a0 = span[0]
    s = text[span[0]:span[1]]
    for measure, regex, unit, base in (
        ("area", _AREA_RE, "km2", lambda mag: 1e4 if mag else 1),
        ("population", _POP_RE, "persons", lambda mag: _MAGNITUDE[mag]),
        ("gdp", _GDP_RE, "CNY", lambda mag: _MAGNITUDE[mag]),
    ):
        m = regex.search(s)
        if not m:
            continue
        years = [y for y in _YEAR_RE.finditer(s, 0, m.start())]
        year = int(years[-1]["y"]) if years else None
        value = round(float(m["v"]) * base(m["mag"]), 2)
        facts.scope.append(ScopeFigure(measure, value, unit, year,
                                       doc.evidence(a0 + m.start(), a0 + m.end(), f"plan.scope.{measure}")))


_GENERIC_TITLE_RE = re.compile(r"^本?(?:规划|纲要|规划纲要|方案|实施方案|意见|实施意见|通知|决定|办法|计划)$")
_IMPLEMENTS_RE = re.compile(r"贯彻落实|落实|按照|根据|依据|实施|执行|遵照")


def _relation(text: str, start: int, title: str, own: str | None) -> str:
    """implements when the plan says it carries the document out (贯彻落实…, 按照…,
    根据…要求 earlier in the sentence, or its own title names it), else cites."""
    if own and f"《{title}》" in own:
        return "implements"
    sentence_start = max(text.rfind(ch, 0, start) for ch in "。\n") + 1
    return "implements" if _IMPLEMENTS_RE.search(text, sentence_start, start) else "cites"


_ACTS = (
    ("notice", re.compile(r"^(?P<issuer>.+?)关于印发[《〈]?(?P<subject>.+?)[》〉]?的通知$")),
    ("approval", re.compile(r"^(?P<issuer>.+?)关于[《〈]?(?P<subject>.+?)[》〉]?的批复$")),
)


def cited_act(title: str, gazetteer: AgencyGazetteer) -> tuple[str, str, tuple[str, ...]] | None:
    """``(act, subject, issuers)`` when a cited title is a notice issuing a plan or an approval of one.

    >>> g = AgencyGazetteer.load()
    >>> cited_act("中共湖南省委 湖南省人民政府关于印发〈甲乙规划〉的通知", g)
    ('notice', '甲乙规划', ('中共湖南省委', '湖南省人民政府'))
    >>> cited_act("甲乙规划", g) is None
    True
    """
    for act, regex in _ACTS:
        m = regex.match(title)
        if m:
            return act, m["subject"], tuple(name for name, _, _ in split_issuers(m["issuer"], gazetteer))
    return None


def _citations(doc: PreparedDocument, facts: PlanFacts, gazetteer: AgencyGazetteer) -> None:
    own = facts.title.value if facts.title else None
    seen = set()
    for m in _CITATION_RE.finditer(doc.text):
        title = standalone_title(m["title"])
        if _GENERIC_TITLE_RE.match(title) or title == own:  # 《规划》: the plan itself
            continue
        doc_no = None
        if m["docno"]:
            d = _DOCNO_RE.search(m["docno"])
            if d:
                doc_no = normalize_doc_no(d["prefix"], d["year"], d["num"])
        issuer = None
        im = re.match(rf"(?P<i>[{CJK}]{{2,30}}?)关于", title)
        if im and split_issuers(im["i"], gazetteer):
            issuer = im["i"]
        key = (title, doc_no)
        if key in seen:
            continue
        seen.add(key)
        if any(c.title == title and c.doc_no is None for c in facts.citations) and doc_no:
            facts.citations = [c for c in facts.citations if c.title != title]
        relation = _relation(doc.text, m.start(), title, own)
        act, subject, act_issuers = cited_act(title, gazetteer) or (None, None, ())
        facts.citations.append(CitedDocument(title, doc_no, issuer, doc.evidence(*m.span(), f"plan.citation.{relation}"),
                                             relation, act, subject, act_issuers))
