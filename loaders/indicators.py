"""Indicators and targets, from indicator tables and from prose.

Tables: a header with an 指标 column, an optional 单位 column, year columns
(基期年, 目标年) and optional 属性/备注 columns; rows of category / indicator
(unit in brackets or in its column) / values / 预期性 or 约束性, notes below (…为2013年数据
moves a baseline year; [ ] marks cumulative values). Prose: in a paragraph
that sets a year (到2025年，…), clauses such as 城镇化率达到80%, 人均GDP达到
16.5万元, 单位GDP能耗较2019年下降10%以上.

Values keep the comparator (≥ ≤ > < ≈) and cumulative brackets as written;
Chinese magnitudes (万, 亿, 万亿) are normalised into ``base_value`` with the
unit kept.

>>> canonical_indicator("全社会研发经费占GDP比重（%）")
'研发经费投入强度'
>>> parse_value("≥99")[:3], parse_value("[21]")[3]
(('≥', 99.0, '≥99'), True)
"""
from __future__ import annotations

import re
from functools import lru_cache

from plankg.facts import TargetFact
from plankg.loaders.reference import read_data_csv
from plankg.loaders.lines import leading_words
from plankg.loaders.prepared import PreparedDocument
from plankg.loaders.tables import cells

MAGNITUDES = {"万": 1e4, "亿": 1e8, "万亿": 1e12}
_VALUE_RE = re.compile(
    r"^(?P<cmp>[≥≤><]|约)?\s*(?P<open>\[)?\s*(?P<num>-?\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)*)\s*(?P<close>\])?\s*(?P<qual>以上|以下|左右|以内)?$"
)
_NONE_RE = re.compile(r"^[—\-–/]+$")
_YEAR_CELL_RE = re.compile(r"^(\d{4})年?(?:[（(]?(?:基期|基数|现状|目标|规划|预期)(?:值|年)?[）)]?)?$")
_UNIT_IN_NAME_RE = re.compile(r"（([^（）]{1,10})）$")
_VERBS = ("达到", "达", "超过", "突破", "提高到", "提升到", "增加到", "增长到", "保持在", "控制在", "稳定在",
          "提高至", "提升至", "增加至", "下降到", "降低到", "减少到", "降到", "降至", "下降至",
          "不低于", "低于", "高于", "不超过", "下降", "降低", "减少", "增长", "提高")
_VERB_CMP = {"超过": ">", "突破": ">", "高于": ">", "低于": "<", "不低于": "≥", "不超过": "≤"}
_QUAL_CMP = {"以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈"}
_UNITS = ("公里/平方公里", "ug/m3", "μg/m3", "微克/立方米", "立方米", "平方米", "平方公里", "公里", "千米", "公顷", "亩",
          "千瓦时", "千瓦", "标箱", "美元", "%", "元", "人", "户", "个", "条", "项", "年", "岁", "小时", "分钟", "吨",
          "家", "所", "座", "次", "辆", "张")
# Where a target is stated for: not part of the indicator's name (全省研发经费投入强度).
_SCOPE_PREFIX_RE = re.compile(r"^(?:全省|全市|全区|全州|全国|全域|区域|城市群|都市圈)(?=..)")
_PROSE_RE = re.compile(
    rf"^(?P<ind>.*?)(?:较(?P<by>\d{{4}})年)?(?P<verb>{'|'.join(sorted(_VERBS, key=len, reverse=True))})?(?P<approx>约)?"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<mag>万亿|亿|万)?(?P<unit>{'|'.join(re.escape(u) for u in _UNITS)})?(?P<qual>以上|以下|左右|以内)?$"
)
_UNIT_HEADERS = ("单位", "计量单位")
_TRAILING_HEADERS = ("属性", "指标属性", "备注")
_ATTRIBUTE_RE = re.compile(r"预期性|约束性|[—\-–/]+")
_TARGET_YEAR_RE = re.compile(r"到(\d{4})年")
_NOTE_YEAR_RE = re.compile(r"(?P<name>[^，。；、\d]{2,30}?)为(?P<year>\d{4})年数据")


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    out = {}
    for r in read_data_csv("indicators.csv"):
        for v in r["variants"].split("|"):
            out[v] = r["canonical"]
    return out


def canonical_indicator(name: str) -> str:
    """The name plankg reports for an indicator, whatever the plan wrote."""
    n = _UNIT_IN_NAME_RE.sub("", name.strip())
    n = n.replace("GDP", "地区生产总值").replace("R&D", "研发").replace("全社会", "")
    n = re.sub(r"\s+", "", n)
    return _synonyms().get(n, _synonyms().get(re.sub(r"比重$", "", n), n))


def parse_value(cell: str):
    """(comparator, number, value text, cumulative) of a table value; None when not a value."""
    cell = cell.strip().replace(" ", "")
    if _NONE_RE.match(cell):
        return (None, None, "", False)
    m = _VALUE_RE.match(cell)
    if not m:
        return None
    cmp = m["cmp"] or _QUAL_CMP.get(m["qual"] or "")
    cmp = "≈" if cmp == "约" else cmp
    number = None if ":" in m["num"] else float(m["num"])
    cumulative = bool(m["open"])
    text = f"{cmp or ''}{'[' if cumulative else ''}{m['num']}{']' if cumulative else ''}"
    return (cmp, number, text, cumulative)


def _base(value: float | None, unit: str | None) -> float | None:
    if value is None or not unit:
        return value
    for mag in ("万亿", "亿", "万"):
        if unit.startswith(mag):
            return round(value * MAGNITUDES[mag], 6)
    return value


def extract_indicators(doc: PreparedDocument) -> list[TargetFact]:
    """Targets from the document's indicator tables and its prose."""
    return table_targets(doc) + prose_targets(doc)


# ---------------------------------------------------------------- tables

def table_targets(doc: PreparedDocument) -> list[TargetFact]:
    """Rows of indicator tables: baseline and target values with years."""
    text = doc.text
    found = list(cells(text, 0, len(text)))
    out: list[TargetFact] = []
    i = 0
    while i < len(found):
        if not re.match(r"^指\s*标(?:名称)?$", found[i][0]):
            i += 1
            continue
        years = []
        j = i + 1
        unit_column = j < len(found) and found[j][0] in _UNIT_HEADERS
        j += unit_column
        while j < len(found) and _YEAR_CELL_RE.match(found[j][0]):
            years.append(int(_YEAR_CELL_RE.match(found[j][0]).group(1)))
            j += 1
        if not years:
            i += 1
            continue
        trailing = 0
        while j < len(found) and found[j][0] in _TRAILING_HEADERS:
            trailing, j = trailing + 1, j + 1
        i = _read_table(doc, found, j, years, out, unit_column, trailing)
    return out


def _read_table(doc, found, j, years, out, unit_column: bool = False, trailing: int = 0) -> int:
    """Rows from ``found[j]`` on: name, [unit], one value per year, [trailing cells such as 属性]."""
    text = doc.text
    category_parts: list[str] = []
    category = None
    rows: list[TargetFact] = []
    while j < len(found):
        cell, a, b, _ = found[j]
        if cell.startswith(("注", "附件", "说明")):
            break
        unit = None
        k = j + 1
        if unit_column and k < len(found) and parse_value(found[k][0]) is None and len(found[k][0]) <= 8:
            unit = found[k][0]
            k += 1
        values = []
        while k < len(found) and len(values) < len(years) and parse_value(found[k][0]) is not None:
            values.append(found[k])
            k += 1
        if len(values) == len(years) and parse_value(cell) is None:
            if category_parts:
                category, category_parts = "".join(category_parts), []
            rows.append(_row(doc, cell, a, values, years, category, unit))
            for _ in range(trailing):  # 预期性 / 约束性 / — under 属性
                if k < len(found) and (found[k][3] == values[-1][3] or _ATTRIBUTE_RE.fullmatch(found[k][0])):
                    k += 1
            j = k
        elif parse_value(cell) is None and len(cell) <= 8:
            category_parts.append(cell)
            j += 1
        else:
            break
    _apply_notes(text, found, j, rows)
    out.extend(rows)
    return j


def _row(doc, name, start, values, years, category, unit: str | None = None) -> TargetFact:
    unit_m = _UNIT_IN_NAME_RE.search(name)
    unit = unit_m.group(1) if unit_m else (unit if unit and not _NONE_RE.match(unit) else None)
    base_cmp, base_num, base_text, _ = parse_value(values[0][0])
    cmp, num, value_text, cumulative = parse_value(values[-1][0])
    end = values[-1][2]
    return TargetFact(
        canonical_indicator(name), name, unit, value_text, num, _base(num, unit), cmp, cumulative,
        years[-1], years[0] if len(years) > 1 and base_text else None, base_text or None, category,
        doc.evidence(start, end, "indicator.table"),
    )


def _apply_notes(text: str, found, j: int, rows: list[TargetFact]) -> None:
    """Notes under the table: …为2013年数据 gives that indicator's baseline year."""
    from dataclasses import replace

    notes = " ".join(c for c, *_ in found[j:j + 12] if not c.startswith("附件"))
    for m in _NOTE_YEAR_RE.finditer(notes):
        name = re.sub(r"^(?:注[:：]?)?[\d、.．\s]*", "", m["name"])
        for i, row in enumerate(rows):
            if row.written.startswith(name) and row.baseline_text:
                rows[i] = replace(row, baseline_year=int(m["year"]))


# ---------------------------------------------------------------- prose

def prose_targets(doc: PreparedDocument) -> list[TargetFact]:
    """Clauses with a number in a paragraph that sets a target year (到2025年)."""
    text = doc.text
    out: list[TargetFact] = []
    pos = 0
    for para in text.split("\n"):
        p_start = pos
        pos += len(para) + 1
        if para.startswith("\t") or not _TARGET_YEAR_RE.search(para):
            continue
        year = None
        subject = ""
        for cm in re.finditer(r"[^，。；]+", para):
            clause = cm.group(0).strip()
            ym = _TARGET_YEAR_RE.search(clause)
            if ym:
                year = int(ym.group(1))
                clause = clause[ym.end():].strip()
                if not clause:
                    continue
            if year is None:
                continue
            m = _PROSE_RE.match(clause)
            if not m or not (m["verb"] or m["unit"] or m["qual"]):
                continue
            ind = _SCOPE_PREFIX_RE.sub("", m["ind"][leading_words(m["ind"]):]) if m["ind"] else ""
            verb = m["verb"] or ""
            if not ind or ind.startswith(("年均", "占")):
                ind = subject + ind
            if verb in ("增长", "下降", "降低", "减少", "提高") and (ind.endswith("年均") or m["by"]):
                ind += verb
            if len(ind) < 2 or re.search(r"\d{4}", ind):
                continue
            subject = re.sub(r"占.*$", "", ind)
            unit = f"{m['mag'] or ''}{m['unit'] or ''}" or None
            cmp = _VERB_CMP.get(verb) or _QUAL_CMP.get(m["qual"] or "") or ("≈" if m["approx"] else None)
            num = float(m["num"])
            a = p_start + cm.start() + cm.group(0).find(clause)
            out.append(TargetFact(
                canonical_indicator(ind), ind, unit, f"{cmp or ''}{m['num']}", num, _base(num, unit), cmp, False,
                year, int(m["by"]) if m["by"] else None, None, None,
                doc.evidence(a, a + len(clause), "indicator.prose"),
            ))
    return out
