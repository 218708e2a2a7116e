"""File names as text that can always be written out.

On Linux a file name is bytes; one that is not valid UTF-8 (a name written
by a GBK system) reaches Python with surrogate escapes (``os.fsdecode``), which
no UTF-8 file, JSON or N-Triples can hold. Such names are shown decoded as
GB18030 when their bytes are valid GB18030, else with ``\\xNN`` escapes for
the undecodable bytes; ``name_bytes`` keeps the exact bytes.

>>> import os
>>> readable(os.fsdecode("长沙.txt".encode("gbk")))
'长沙.txt'
>>> readable(os.fsdecode(b"caf\\xe9.txt"))
'caf\\\\xe9.txt'
>>> readable("长沙.txt")
'长沙.txt'
"""
from __future__ import annotations

import os


def _is_text(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _readable_part(part: str) -> str:
    if _is_text(part):
        return part
    raw = os.fsencode(part)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def readable(path: str | os.PathLike) -> str:
    """A path as valid Unicode text: each part that is not UTF-8 decoded as
    GB18030 when it can be, else with its undecodable bytes escaped."""
    s = os.fspath(path)
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    if _is_text(s):
        return s
    return os.sep.join(_readable_part(part) for part in s.split(os.sep))


def name_bytes(path: str | os.PathLike) -> str | None:
    """The hex bytes of a file name that is not valid UTF-8, else None."""
    s = os.fspath(path)
    name = os.path.basename(os.fsdecode(s) if isinstance(s, bytes) else s)
    return None if _is_text(name) else os.fsencode(name).hex()
