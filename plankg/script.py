"""Chinese script helpers shared by the text pipeline, the reference data and
the graph writers: character classes and OpenCC conversion.

Neutral ground: nothing here reads documents or gazetteers, so any layer may
import it.

>>> to_simplified("長沙市"), to_traditional("长沙市")
('长沙市', '長沙市')
"""
from __future__ import annotations

from functools import lru_cache

# Character-class ranges for the loaders' patterns, declared once.
HAN = r"\u4e00-\u9fff"  # CJK Unified Ideographs
CJK = rf"\u3400-\u4dbf{HAN}"  # with Extension A


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _opencc_s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified to traditional Chinese with OpenCC (for labels, not matching)."""
    return _opencc_s2t().convert(text)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified with OpenCC (phrase-aware)."""
    return _opencc().convert(text)
