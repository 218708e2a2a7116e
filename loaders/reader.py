"""Read plan files from disk: find them, detect their encoding, decode them.

>>> decode(("长株潭" * 10).encode("gb18030"), "x.txt")[1]
'gb18030'
"""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from plankg.errors import InputError
from plankg.facts import SourceDocument
from plankg.paths import readable

SUFFIX_MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}

# Frequent characters of plan text in both scripts. A wrong legacy decoding
# (Big5 bytes read as GB18030 or the reverse) yields rare characters instead.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机"
    "当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心"
    "反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展"
    "五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论"
    "运农指几九区强放决西被干做必战先回则任取据处府连近候住步今争省市县城镇群规划纲要施方案通知湖南"
    "株潭沙洲衡岳阳常德益娄底江西武汉铁路速航港交能源环保态务服域协推设施综合创科技"
    "這個們來對說發經進後國時會開區關於規劃與為產業務鐵鄉縣廳環態設綜創與動門長級實現點間問題體類"
    "，。、；：（）《》“”"
)


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # larger files are refused: no plan is that long
SNIFF_CHARS = 65536  # how much of a file decides its format
HTML_MIN_TAGS = 5  # well-known tags in the sniffed part that make a file HTML
# Well-known HTML tags, start or end; ``<p`` must be followed by a tag-ending character.
_HTML_TAG_SNIFF_RE = re.compile(
    r"<(?:!doctype\b|!--|/?(?:html|head|body|meta|link|title|script|style|p|div|span|br|hr|a|img|table|tbody|tr|td|th|ul|ol|li|"
    r"h[1-6]|b|strong|em|font|center|section|article|iframe)(?=[\s/>]))",
    re.IGNORECASE,
)


class DocumentError(InputError):
    """An input file that cannot be read as a plan document.

    The message always starts with the file's path.
    """


FOLDER_DOCUMENTATION = {"README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "NOTICE", "AUTHORS"}


def find_documents(paths: list[str | Path]) -> list[Path]:
    """Expand files and folders into the sorted list of plan files they hold.

    Folders are searched recursively for ``.txt``, ``.md``, ``.html`` and
    ``.htm`` files, leaving out hidden files and a folder's own documentation
    (README, LICENSE, CHANGELOG …); a path given explicitly is kept whatever its
    suffix, so that reading it can say what is wrong with it.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIX_MEDIA_TYPES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.stem.upper() not in FOLDER_DOCUMENTATION
            )
        else:
            found.append(path)
    unique = list(dict.fromkeys(found))
    return unique


def _score(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return sum(ch in _COMMON for ch in sample) / len(sample)


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding)``.

    Handles UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK and Big5.
    Raises ``DocumentError`` for empty, binary or undecodable content.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(path, f"is {len(data) / 2**20:.1f} MB; plan documents larger than "
                                  f"{MAX_DOCUMENT_BYTES // 2**20} MB are not read")
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data[:8192]:
        raise DocumentError(path, "looks binary (NUL bytes, no UTF-16 byte-order mark); expected a text, Markdown or HTML plan document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), encoding, text))
    if not candidates:
        raise DocumentError(path, "cannot be decoded as UTF-8, UTF-16, GB18030 or Big5")
    score, encoding, text = max(candidates)
    if score < 0.05:
        raise DocumentError(path, f"decodes as {encoding} only into unlikely characters; is it a text document?")
    return text, encoding


def _strict(data: bytes, encoding: str, path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"invalid {encoding} at byte {exc.start}") from None


def read_document(path: str | Path, name: str | None = None) -> SourceDocument:
    """Read and decode one plan file.

    The document id is derived from the file's bytes, so the same file gives
    the same id wherever it lies. A file name that is not valid UTF-8 is
    recorded as ``plankg.paths.readable`` shows it.
    """
    path = Path(path)
    if not path.exists():
        raise DocumentError(path, "no such file or folder")
    if path.is_dir():
        raise DocumentError(path, "is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror})") from None
    text, encoding = decode(data, path)
    digest = hashlib.sha256(data).hexdigest()
    media_type = sniff_media_type(text, SUFFIX_MEDIA_TYPES.get(path.suffix.lower(), "text/plain"))
    return SourceDocument(
        id=digest[:16],
        path=str(path),
        name=name or readable(path.name),
        encoding=encoding,
        sha256=digest,
        text=text,
        media_type=media_type,
    )


def sniff_media_type(text: str, declared: str = "text/plain") -> str:
    """The format a file's content shows, whatever its suffix says: ``text/html``
    when its first ``SNIFF_CHARS`` characters hold ``HTML_MIN_TAGS`` well-known
    HTML tags (a page saved as .txt or .md, front matter or not), or when it opens
    with a tag and closes one early; else the declared type.

    >>> sniff_media_type("前言<p>第一段</p><p>第二段</p><br>", "text/markdown")
    'text/html'
    >>> sniff_media_type("比较 a<b 与 c>d 的大小", "text/plain")
    'text/plain'
    """
    if declared == "text/html":
        return declared
    head = text[:SNIFF_CHARS]
    if head.lstrip()[:1] == "<" and "</" in head[:5000]:
        return "text/html"
    tags = 0
    for _ in _HTML_TAG_SNIFF_RE.finditer(head):
        tags += 1
        if tags >= HTML_MIN_TAGS:
            return "text/html"
    return declared
