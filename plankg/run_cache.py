"""A cache of assembled runs, so that an incremental build writes again only
the batches its change touches.

A batch's run (``plankg.assemble``) is a function of its documents' facts,
of what cross-document resolution changed in their outlines, of the entries
of the ``CorpusIndex`` its writers read and of the corridor lexicon its tasks
were linked with. An entry is keyed by the first two (each document's SHA-256,
name, the digest of its facts entry and of its resolved outline, under the
*assembly version*: the extractor version and the code that writes
triples) and records the other two as they were read: the index entries
looked up (``RecordingMapping``) and the lexicon with the task texts it was
matched against. It is used again only when every recorded index entry still
has its value and no lexicon term that changed since occurs in those texts;
the run is then hard-linked into the new build instead of written.

Batches are cut where a document's SHA-256 says so (``plankg.assemble.batches``),
not by counting, so a document added to the corpus changes the batch it
falls into, not the ones after it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

RUNS_DIR = "runs"
_FORMAT = 1
_MISSING = "\0missing"
# Entries of the current version not used by a build for this long are removed.
KEEP_UNUSED_SECONDS = 7 * 24 * 3600


class RecordingMapping(Mapping):
    """A read-only mapping that records every key looked up in it. Iterating
    over it would read entries no record names, so it is refused.

    >>> m = RecordingMapping({"a": 1})
    >>> m.get("a"), "b" in m, sorted(m.read)
    (1, False, ['a', 'b'])
    """

    def __init__(self, data: Mapping):
        self.data = data
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return self.data[key]

    def get(self, key, default=None):
        self.read.add(key)
        return self.data.get(key, default)

    def __contains__(self, key) -> bool:
        self.read.add(key)
        return key in self.data

    def __iter__(self):
        raise TypeError("a recorded index is read by key only")

    def __len__(self) -> int:
        return len(self.data)


def digest_of(value) -> str:
    """The SHA-256 of a value's pickle (plain data pickles the same in every process)."""
    return hashlib.sha256(pickle.dumps(value, protocol=4)).hexdigest()


def lookups_digest(tables: Mapping[str, Mapping], lookups: list[tuple[str, object]]) -> str:
    """The digest of the values ``tables[field][key]`` of ``lookups`` (absent keys included)."""
    return digest_of([(field, key, tables[field].get(key, _MISSING)) for field, key in lookups])


def changed_terms(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """The lexicon terms added, removed or given another value from ``old`` to ``new``.

    >>> changed_terms({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    ['b', 'c']
    """
    return sorted(t for t in old.keys() | new.keys() if old.get(t, _MISSING) != new.get(t, _MISSING))


@dataclass
class RunEntry:
    """What a cached run records beside its two files."""

    findings: list
    lookups: list[tuple[str, object]]
    lookups_digest: str
    lexicon_digest: str
    texts: str
    sizes: tuple[int, int] = (-1, -1)  # of the run and its facts run, checked before they are used


class RunCache:
    """Assembled runs under ``folder/runs/VERSION/``: per entry ``KEY.nt``, its
    facts run ``KEY.facts.nt`` and ``KEY.pickle`` (a ``RunEntry``, written
    last), and the lexicons the runs were linked with."""

    def __init__(self, folder: str | Path, version: str):
        self.root = Path(folder) / RUNS_DIR
        self.version = version
        self.folder = self.root / version[:40]
        self._lexicons: dict[str, dict] = {}
        self._changed: dict[tuple[str, str], list[str]] = {}

    def batch_key(self, documents: list[tuple[str, ...]]) -> str:
        """The key of a batch of documents, each given as strings (SHA-256,
        name, facts digest, outline digest)."""
        return digest_of((_FORMAT, self.version, documents))

    def put_lexicon(self, terms: dict, digest: str) -> None:
        """Keep the lexicon a build links its tasks with (once per distinct lexicon)."""
        self._lexicons[digest] = terms
        path = self.folder / f"lexicon-{digest}.pickle"
        if not path.exists():
            self._write(path, pickle.dumps(terms, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, key: str, tables: Mapping[str, Mapping], terms: dict, lexicon_digest: str) -> RunEntry | None:
        """The entry of ``key`` when its run holds for the current index
        (``tables``: its mappings by field name) and lexicon, else None."""
        try:
            entry = pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except Exception:  # absent, truncated, from another Python: a miss
            return None
        if not isinstance(entry, RunEntry) or lookups_digest(tables, entry.lookups) != entry.lookups_digest:
            return None
        if entry.lexicon_digest != lexicon_digest:
            changed = self._changed_since(entry.lexicon_digest, terms, lexicon_digest)
            if changed is None or any(t in entry.texts for t in changed):
                return None
        return entry

    def link(self, key: str, entry: RunEntry, run: Path, facts_run: Path) -> bool:
        """Put the cached run of ``key`` (and its facts run) at ``run`` and
        ``facts_run``; whether both are there, of the sizes ``entry`` records."""
        try:
            files = ((self.folder / f"{key}.nt", run), (self.folder / f"{key}.facts.nt", facts_run))
            if tuple(source.stat().st_size for source, _ in files) != entry.sizes:
                return False
            for source, dest in files:
                try:
                    os.link(source, dest)
                except OSError:
                    shutil.copyfile(source, dest)
                os.utime(source)  # used: kept by ``prune``
            os.utime(self.folder / f"{key}.pickle")
            return True
        except OSError:
            for path in (run, facts_run):
                path.unlink(missing_ok=True)
            return False

    def put(self, key: str, run: Path, facts_run: Path, entry: RunEntry) -> None:
        """Keep a freshly written run; a cache that cannot be written is skipped."""
        try:
            entry.sizes = (run.stat().st_size, facts_run.stat().st_size)
            for source, name in ((run, f"{key}.nt"), (facts_run, f"{key}.facts.nt")):
                dest = self.folder / name
                tmp = dest.with_name(f".{name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
                self.folder.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, tmp)
                except OSError:
                    shutil.copyfile(source, tmp)
                os.replace(tmp, dest)
            self._write(self.folder / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass

    def prune(self, used: set[str]) -> None:
        """Remove the runs of other assembly versions, and this version's
        entries (and lexicons, ``lexicon-DIGEST``) not in ``used`` that no
        build has used for ``KEEP_UNUSED_SECONDS``."""
        try:
            for other in self.root.iterdir():
                if other != self.folder and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
            cutoff = time.time() - KEEP_UNUSED_SECONDS
            for path in self.folder.iterdir():
                key = path.name.split(".")[0]
                if key not in used and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
        except OSError:
            pass

    def _changed_since(self, old_digest: str, terms: dict, digest: str) -> list[str] | None:
        if (old_digest, digest) not in self._changed:
            old = self._lexicons.get(old_digest)
            if old is None:
                try:
                    old = pickle.loads((self.folder / f"lexicon-{old_digest}.pickle").read_bytes())
                except Exception:
                    old = None
                self._lexicons[old_digest] = old
            self._changed[(old_digest, digest)] = None if old is None else changed_terms(old, terms)
        return self._changed[(old_digest, digest)]

    def _write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)


def assembly_version(extractor_version: str, folders: list[Path]) -> str:
    """The version runs are cached under: the extractor version and every
    Python file of ``folders`` (the code that resolves and writes triples)."""
    h = hashlib.sha256(f"plankg-runs:{_FORMAT}:{extractor_version}".encode())
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
