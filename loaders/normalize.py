"""Normalise a plan document's text for extraction, keeping offsets.

Steps, in order: line ends unified (CR LF, CR, NEL, U+2028/9 become LF), YAML
front matter removed (``page_metadata.front_matter``), HTML to text
(``html_text``), Markdown markup removed, full-width/half-width
unified (digits and Latin letters half-width, Chinese punctuation full-width,
one dash, one bracket style, CJK compatibility ideographs and Kangxi radicals
as their NFKC unified ideograph), traditional to simplified script (OpenCC),
web boilerplate lines removed. Every step maps characters back to the
original file (see ``MappedText``).

>>> normalize_text("長沙市（１２３）", "text/plain").text
'长沙市（123）'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from plankg.loaders.html_text import html_to_text
from plankg.loaders.mapped import MappedText
from plankg.loaders.page_metadata import front_matter_span
from plankg.script import CJK, HAN, to_simplified, to_traditional  # noqa: F401 (re-exported)

_CJK_RE = re.compile(f"[{CJK}]")

# Width and punctuation unification, one character to one character.
_WIDTH = {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
_WIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_WIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_WIDTH.update({
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
    "％": "%", "．": ".", "＋": "+", "＝": "=", "＜": "<", "＞": ">", "／": "/",
    "(": "（", ")": "）", "﹝": "〔", "﹞": "〕", "［": "[", "］": "]",
    "‐": "—", "‑": "—", "‒": "—", "–": "—", "―": "—", "－": "—", "─": "—", "━": "—",
    "﹐": "，", "﹑": "、", "﹔": "；", "﹕": "：", "﹖": "？", "﹗": "！",
    "～": "~", "﹤": "<", "﹥": ">", "•": "·", "・": "·",
})


def _compatibility_ideographs() -> dict[str, str]:
    """CJK compatibility ideographs (U+F900–FAFF, U+2F800–2FA1F), Kangxi and
    supplementary radicals → the unified ideograph NFKC gives (one to one).
    PDF extraction leaves them in text (北 as U+F963), where they match nothing."""
    ranges = (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20), range(0x2F00, 0x2FE0), range(0x2E80, 0x2F00))
    table = {}
    for r in ranges:
        for code in r:
            ch = chr(code)
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch and len(folded) == 1:
                table[ch] = folded
    return table


_WIDTH.update(_compatibility_ideographs())
_LINE_END_RE = re.compile("\r\n?|[\x85\u2028\u2029]")
# ASCII punctuation becomes Chinese punctuation next to Chinese text, but
# not between digits (1,000 and 9.4:52.8 stay as they are).
_ASCII_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_ASCII_PUNCT_RE = re.compile(r"(?<![0-9A-Za-z])[,:;!?]|[,:;!?](?![0-9A-Za-z/])")
_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_HEADING_RE = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+|^[ \t]*>[ \t]?|^[ \t]*[-*_]{3,}[ \t]*$")
_MD_EMPHASIS_RE = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")


def _unify_line_ends(t: MappedText) -> MappedText:
    """Every line end becomes one LF, mapped to the characters it replaces."""
    if not _LINE_END_RE.search(t.text):
        return t
    return t.sub(_LINE_END_RE, lambda m: [("\n", m.start(), m.end())])


def _drop_front_matter(t: MappedText) -> MappedText:
    span = front_matter_span(t.text)
    return t.delete([span]) if span else t


def _markdown_to_text(t: MappedText) -> MappedText:
    t = t.remove(_MD_IMAGE_RE)
    t = _drop_lines(t, _is_navigation_line)
    t = t.keep_group(_MD_LINK_RE, 1)
    t = t.remove(_MD_HEADING_RE)
    return t.remove(_MD_EMPHASIS_RE)


def _is_navigation_line(line: str) -> bool:
    links = _MD_LINK_RE.findall(line)
    if len(links) >= 3:
        rest = _MD_LINK_RE.sub("", line)
        return len(_CJK_RE.findall(rest)) <= 4 * len(links)
    return False


def _unify_width(t: MappedText) -> MappedText:
    t = t.translate(_WIDTH)
    t = t.sub(_ASCII_PUNCT_RE, lambda m: [(_ASCII_PUNCT[m.group(0)], m.start(), m.end())])
    return _pair_straight_quotes(t)


def _pair_straight_quotes(t: MappedText) -> MappedText:
    chars = list(t.text)
    open_quote = True
    for i, ch in enumerate(chars):
        if ch == "\n":
            open_quote = True
        elif ch == '"':
            chars[i] = "“" if open_quote else "”"
            open_quote = not open_quote
    return MappedText("".join(chars), t.starts, t.ends)


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern, ...]:
    """The boilerplate line patterns from ``gazetteers/boilerplate.txt``."""
    source = resources.files("plankg.loaders").joinpath("gazetteers/boilerplate.txt").read_text("utf-8")
    return tuple(
        re.compile(line) for line in source.splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_boilerplate_line(line: str) -> bool:
    """True for web-page furniture: footers, navigation, image placeholders, spam.

    >>> is_boilerplate_line("上一篇 下一篇")
    True
    >>> is_boilerplate_line("长株潭三市协同发展。")
    False
    """
    s = line.strip()
    if not s:
        return False
    if any(p.search(s) for p in boilerplate_patterns()):
        return True
    cjk = len(_CJK_RE.findall(s))
    latin = sum(ch.isascii() and ch.isalpha() for ch in s)
    if cjk == 0 and latin >= 3:  # English banner lines of Chinese sites
        return True
    if s.count(" > ") >= 2 and len(s) < 80:  # breadcrumbs
        return True
    separators = r"[_|｜]" if not s.startswith("|") else r"_"  # a Markdown table row is not spam
    segments = [seg for seg in re.split(separators, s) if seg.strip()]
    if len(segments) >= 3 and not re.search(r"[。，；：、]", s):  # keyword stuffing
        return True
    return False


def _drop_lines(t: MappedText, predicate) -> MappedText:
    ranges = []
    pos = 0
    for line in t.text.splitlines(keepends=True):
        if predicate(line):
            ranges.append((pos, pos + len(line)))
        pos += len(line)
    return t.delete(ranges)


def _tidy_whitespace(t: MappedText) -> MappedText:
    # Leading tabs stay: they mark the cells of tables scraped as text.
    t = t.remove(re.compile(r"[ \t\r\f\v]+(?=\n)|(?<=\n) +|^ +|\r"))
    return t.remove(re.compile(r"(?<=\n\n)\n+|^\n+"))


def normalize_text(text: str, media_type: str = "text/plain") -> MappedText:
    """Normalise an original text; the result maps back into ``text``."""
    t = _drop_front_matter(_unify_line_ends(MappedText.original(text)))
    if media_type == "text/html":
        t = html_to_text(t)
    if media_type in ("text/markdown", "text/html") or re.search(r"(?m)^#{1,6} |\]\(", text[:20000]):
        t = _markdown_to_text(t)
    t = _unify_width(t)
    t = t.map_lines(to_simplified)
    t = _drop_lines(t, is_boilerplate_line)
    return _tidy_whitespace(t)
