"""Spatial structure formulae: a plan's “一核两带多点” or “一淀、三带、九片、多廊”,
quoted and followed by what it structures (格局, 结构, 布局 …), with its parts.

The elements a part may count (核, 轴, 带, 廊, 区 …) and the words that say a
formula structures space are data (``role_words.csv``: ``structure-element``,
``structure-context``), so national slogans in quotes (四个全面, 一国两制) are
not structures.
"""
from __future__ import annotations

import re

from plankg.facts import StructureFormula
from plankg.loaders.prepared import PreparedDocument
from plankg.loaders.reference import RoleWords

_COUNT = "一二三四五六七八九十两多"
_QUOTED_RE = re.compile(r"“(?P<f>[^“”]{3,30})”")


def formula_parts(formula: str, roles: RoleWords) -> tuple[tuple[str, str], ...] | None:
    """``(count, element)`` of every part, or None when the formula is not made of
    counted structure elements only.

    >>> roles = RoleWords.load()
    >>> formula_parts("一核两带多点", roles)
    (('一', '核'), ('两', '带'), ('多', '点'))
    >>> formula_parts("一淀、三带、九片、多廊", roles)
    (('一', '淀'), ('三', '带'), ('九', '片'), ('多', '廊'))
    >>> formula_parts("一国两制", roles) is None
    True
    """
    elements = "|".join(map(re.escape, roles["structure-element"]))
    if not elements:
        return None
    part_re = re.compile(rf"(?P<n>[{_COUNT}]{{1,3}})(?P<e>{elements})[、，,]?")
    parts, pos = [], 0
    for m in part_re.finditer(formula):
        if m.start() != pos:
            return None
        parts.append((m["n"], m["e"]))
        pos = m.end()
    return tuple(parts) if len(parts) >= 2 and pos == len(formula) else None


def extract_structures(doc: PreparedDocument, roles: RoleWords) -> list[StructureFormula]:
    """The structure formulae of a document: quoted, made of counted elements, and
    followed (within a few characters) by a word saying what they structure."""
    text = doc.text
    context = "|".join(map(re.escape, roles["structure-context"]))
    out, seen = [], set()
    for m in _QUOTED_RE.finditer(text):
        formula = m["f"]
        if formula in seen or not context or not re.match(rf"[^，。；“”]{{0,8}}?(?:{context})", text[m.end():m.end() + 14]):
            continue
        parts = formula_parts(formula, roles)
        if parts:
            seen.add(formula)
            out.append(StructureFormula(formula, parts, doc.evidence(*m.span("f"), "plan.structure.formula")))
    return out
