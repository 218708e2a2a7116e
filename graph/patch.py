"""A build's store updated from the previous build's instead of loaded anew.

Adding a plan to a built corpus changes a few thousand of its millions of
triples, but bulk-loading ``store/`` takes a minute at 16 M triples. When the
folder being replaced holds a store loaded from its ``graph.nt`` (whose
SHA-256 its ``build.json`` records), the new store is that store copied (a
RocksDB checkpoint: hard links to its immutable files) with the difference of
the two sorted ``graph.nt`` files applied (``patch_store``): the rows only the old one has
removed, the rows only the new one has added. The old ``graph.nt`` is checked
against its recorded digest as it is read, so a store is only ever patched
from the graph it was loaded from; anything else (no previous build, an older
plankg's build, blank nodes, a difference too large to gain) is reported as
not patched and the caller bulk-loads.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "old.nt").write_bytes(b"<a> <p> <b> .\\n<a> <p> <c> .\\n<d> <p> <e> .\\n")
42
>>> (folder / "new.nt").write_bytes(b"<a> <p> <b> .\\n<a> <p> <bb> .\\n<d> <p> <e> .\\n")
43
>>> diff = sorted_rows_diff(folder / "old.nt", folder / "new.nt", limit=10)
>>> diff.removed, diff.added
([b'<a> <p> <c> .\\n'], [b'<a> <p> <bb> .\\n'])
>>> diff.old_sha256 == file_sha256(folder / "old.nt")
True
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

CHUNK = 1 << 22  # bytes read at a time from each file
# Bytes compared at a time: doubling while the files agree, up to BLOCK, and
# halving down to MIN_BLOCK where they differ, before rows are compared.
BLOCK = 1 << 20
MIN_BLOCK = 512


@dataclass
class RowsDiff:
    """The rows only the old file has, the rows only the new one has (both
    sorted), and the SHA-256 of the old file."""

    removed: list[bytes]
    added: list[bytes]
    old_sha256: str


class _Rows:
    """A sorted N-Triples file read in chunks, from one row start to the next."""

    def __init__(self, f, digest=None):
        self.f, self.digest = f, digest
        self.buf, self.pos, self.eof = b"", 0, False

    def fill(self, n: int) -> None:
        """At least ``n`` unread bytes buffered, unless the file ends first."""
        if len(self.buf) - self.pos >= n or self.eof:
            return
        parts = [self.buf[self.pos:]]
        have = len(parts[0])
        while have < n and not self.eof:
            chunk = self.f.read(max(CHUNK, n - have))
            if not chunk:
                self.eof = True
                break
            if self.digest is not None:
                self.digest.update(chunk)
            parts.append(chunk)
            have += len(chunk)
        self.buf, self.pos = b"".join(parts), 0

    def peek(self, n: int) -> bytes:
        self.fill(n)
        return self.buf[self.pos:self.pos + n]

    def row(self) -> bytes:
        """The next row with its line end (b"" at the end of the file)."""
        while True:
            end = self.buf.find(b"\n", self.pos)
            if end >= 0 or self.eof:
                end = len(self.buf) if end < 0 else end + 1
                row, self.pos = self.buf[self.pos:end], end
                return row
            self.fill(len(self.buf) - self.pos + CHUNK)

    def rest(self) -> None:
        """Read to the end (so that the digest covers the whole file)."""
        while not self.eof:
            self.pos = len(self.buf)
            self.fill(CHUNK)


def sorted_rows_diff(old: Path, new: Path, limit: int) -> RowsDiff | None:
    """The difference of two sorted, de-duplicated N-Triples files, or None
    when more than ``limit`` rows differ. Stretches the files share are
    compared a block at a time, so the cost is about that of reading both."""
    digest = hashlib.sha256()
    removed: list[bytes] = []
    added: list[bytes] = []
    with open(old, "rb") as fa, open(new, "rb") as fb:
        a, b = _Rows(fa, digest), _Rows(fb)
        size = BLOCK
        while True:
            block_a, block_b = a.peek(size), b.peek(size)
            same = block_a == block_b
            cut = block_a.rfind(b"\n") + 1 if same else 0
            if cut:  # the same rows: skip to the last row end in the block
                a.pos += cut
                b.pos += cut
                size = min(2 * size, BLOCK)
                continue
            if not block_a or not block_b:
                break
            if not same and size > MIN_BLOCK:
                size //= 2
                continue
            size = MIN_BLOCK
            row_a, row_b = a.row(), b.row()
            while row_a != row_b and row_a and row_b:
                if row_a < row_b:
                    removed.append(row_a)
                    row_a = a.row()
                else:
                    added.append(row_b)
                    row_b = b.row()
                if len(removed) + len(added) > limit:
                    return None
            if row_a != row_b:  # one file ended inside the difference
                (removed if row_a else added).append(row_a or row_b)
                break
        while row := a.row():
            removed.append(row)
        while row := b.row():
            added.append(row)
        if len(removed) + len(added) > limit:
            return None
        a.rest()
    return RowsDiff(removed, added, digest.hexdigest())


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def patch_store(old_ntriples: Path, old_store: Path, old_sha256: str, ntriples: Path, dest: Path,
                limit: int) -> RowsDiff | None:
    """Write at ``dest`` (which must not exist) the store of ``ntriples``, made
    from ``old_store`` (loaded from ``old_ntriples``, whose recorded SHA-256 is
    ``old_sha256``) and the difference of the two graphs; the difference
    applied, or None (``dest`` left absent) when the old store cannot be
    patched: ``old_ntriples`` missing or not the recorded one, blank nodes,
    or more than ``limit`` rows differ."""
    try:
        diff = sorted_rows_diff(old_ntriples, ntriples, limit)
    except OSError:
        return None
    if diff is None or diff.old_sha256 != old_sha256 or any(map(_has_blank_node, (*diff.removed, *diff.added))):
        return None
    try:
        source = pyoxigraph.Store.read_only(str(old_store))
        try:
            source.backup(str(dest))
        finally:
            del source
        store = pyoxigraph.Store(str(dest))
        try:
            for quad in _quads(diff.removed):
                store.remove(quad)
            store.extend(_quads(diff.added))
            store.flush()
        finally:
            del store  # closes RocksDB before the folder is renamed
    except (OSError, SyntaxError, ValueError):
        shutil.rmtree(dest, ignore_errors=True)
        return None
    return diff


def _quads(rows: list[bytes]) -> list[pyoxigraph.Quad]:
    if not rows:
        return []
    return [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.DefaultGraph())
            for t in pyoxigraph.parse(b"".join(rows), format=pyoxigraph.RdfFormat.N_TRIPLES)]


def _has_blank_node(row: bytes) -> bool:
    return row.startswith(b"_:") or b" _:" in row
