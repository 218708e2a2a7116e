"""A cache of per-document extraction results, for incremental builds.

An entry holds one document's ``DocumentFacts`` as the extractors returned
them (before cross-document resolution, without the document's text), keyed
by the file's SHA-256, its name (a title may come from the file name) and the
*extractor version*: a hash of the extraction code, of every reference-data
file (the shipped gazetteers and the ``--reference`` folders) and of the
extractor functions registered at run time. Any change to a rule, a gazetteer
or a reference folder therefore changes every key: the whole corpus is
extracted again, never a stale mix. A document may have other entries beside
its facts, named by a *part* (the build keeps its outline there).

Entries are pickles written to a temporary file and renamed into place, so a
killed build leaves no half-written entry; an entry that cannot be read back
(truncated, corrupt, another Python) counts as a miss and is rewritten.

>>> import tempfile
>>> cache = FactCache(tempfile.mkdtemp(), "v1")
>>> cache.get("ab" * 32, "a.txt") is None
True
>>> cache.put("ab" * 32, "a.txt", {"x": 1}, 5)
True
>>> cache.get("ab" * 32, "a.txt")
({'x': 1}, 5)
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Callable, Iterable

PACKAGE = Path(__file__).resolve().parent
# The code whose output the cache holds: the loaders and the pipeline's own modules.
_CODE = ("pipeline.py", "facts.py", "context.py", "paths.py", "errors.py")
_FORMAT = 1  # bump when the entry layout changes


def _loaders_dir() -> Path:
    from plankg import loaders

    return Path(loaders.__file__).resolve().parent


def _files_under(folder: Path) -> list[Path]:
    """Every regular file under ``folder``, sorted by relative path (hidden files included)."""
    return sorted((p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
                  key=lambda p: p.relative_to(folder).as_posix())


def _function_fingerprint(fn: Callable) -> str:
    """Name and byte code of a function, so that an extractor replaced at run
    time (a plug-in, a test's stand-in) gives another version."""
    code = getattr(fn, "__code__", None)
    body = hashlib.sha256(code.co_code + repr(code.co_consts).encode()).hexdigest() if code else ""
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}:{body}"


def extractor_version(extra_dirs: Iterable[str | Path] = (), functions: Iterable[Callable] = ()) -> str:
    """The hash that keys every cache entry: Python's version, the entry
    format, the loader and pipeline code, every reference-data file's content
    (shipped and ``extra_dirs``, in the order given) and ``functions``."""
    h = hashlib.sha256(f"plankg-facts:{_FORMAT}:{sys.version_info[:2]}".encode())
    loaders = _loaders_dir()
    folders = [("loaders", loaders)] + [(f"reference:{n}", Path(d)) for n, d in enumerate(extra_dirs)]
    files = [("code", PACKAGE / name) for name in _CODE]
    for label, folder in folders:
        files += [(f"{label}/{p.relative_to(folder).as_posix()}", p) for p in _files_under(folder)
                  if label != "loaders" or p.suffix in (".py", ".csv", ".txt")]
    for label, path in files:
        h.update(label.encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for fn in functions:
        h.update(_function_fingerprint(fn).encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def default_cache_dir(out: str | Path) -> Path:
    """``$XDG_CACHE_HOME/plankg`` when that is set, else ``.plankg-cache`` beside ``out``."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "plankg"
    return Path(out).resolve().parent / ".plankg-cache"


class FactCache:
    """Extraction results on disk under ``folder``, one file per entry.

    With ``required``, the entries are part of the build in progress (its
    spill folder), not a cache: an entry that cannot be written raises.
    """

    def __init__(self, folder: str | Path, version: str, required: bool = False):
        self.folder = Path(folder)
        self.version = version
        self.required = required

    def _key(self, sha256: str, name: str, part: str = "") -> str:
        label = f"{self.version}\0{sha256}\0{name}" + (f"\0{part}" if part else "")
        return hashlib.sha256(label.encode("utf-8", "surrogateescape")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, sha256: str, name: str, part: str = ""):
        """``(facts, characters)`` of a document, or None when absent or
        unreadable; ``part`` names another entry of the document (its outline)."""
        key = self._key(sha256, name, part)
        try:
            data = self._path(key).read_bytes()
            stored_key, facts, characters = pickle.loads(data)
        except Exception:  # absent, truncated, corrupt, from another version: a miss
            return None
        return (facts, characters) if stored_key == key else None

    def digest(self, sha256: str, name: str, part: str = "") -> str | None:
        """The SHA-256 of an entry's bytes (without unpickling it), or None when absent."""
        try:
            return hashlib.sha256(self._path(self._key(sha256, name, part)).read_bytes()).hexdigest()
        except OSError:
            return None

    def put(self, sha256: str, name: str, facts, characters: int, part: str = "") -> bool:
        """Store a document's facts (or its ``part``) atomically (temporary
        file, then rename); whether it was stored. A cache that cannot be
        written is skipped, the build goes on (unless the entries are
        ``required``: then it raises)."""
        key = self._key(sha256, name, part)
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps((key, facts, characters), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
            return True
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
            if self.required:
                raise
            return False
