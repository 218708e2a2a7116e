"""Build outputs on disk: written atomically, read back into a query store.

A build directory holds ``graph.ttl`` (readable Turtle), ``graph.nt`` (sorted
N-Triples: byte-identical for identical input) and ``build.json`` (what was
read, what failed). A large build also holds ``store/``, an Oxigraph
(RocksDB) store of the same triples, which queries open read-only in
milliseconds; without it (a small build, or one from an older plankg) queries
parse ``graph.nt`` into an in-memory Oxigraph store, which still answers SPARQL
one to two orders of magnitude faster than rdflib's memory store.
"""
from __future__ import annotations

import errno
import glob
import hashlib
import heapq
import json
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph

from plankg import errors
from plankg.graph.patch import RowsDiff, patch_store

GRAPH_NT = "graph.nt"
GRAPH_TTL = "graph.ttl"
MANIFEST = "build.json"
STORE_DIR = "store"
# Below this many triples graph.nt parses in well under a second, and a store
# would only add a folder of binary files; ``--store`` writes one anyway.
STORE_AUTO_TRIPLES = 100_000
# An older or small build whose graph.nt is larger than this gets a note that a
# store would open faster.
STORE_NOTE_BYTES = 16_000_000


class GraphDirError(errors.GraphDirError):
    """A build directory that is missing or incomplete."""


def graph_file(graph_dir: str | Path) -> Path:
    """A build's ``graph.nt``; ``GraphDirError`` when the folder is no build."""
    path = Path(graph_dir) / GRAPH_NT
    if not path.exists():
        raise GraphDirError(f"{graph_dir}: not a plankg build (no {GRAPH_NT}); run `plankg build --out {graph_dir}` first")
    return path


# Below this size graph.nt is written as Turtle in one piece: starting worker
# processes would cost more than they save.
TURTLE_PIECE_BYTES = 64_000_000


def turtle_from_ntriples(ntriples: Path, turtle: Path, workers: int = 1) -> None:
    """Write the sorted N-Triples file ``ntriples`` as Turtle with the
    project's prefixes to ``turtle``, streamed through Oxigraph (rdflib's
    Turtle writer takes over half of a large build's time and holds the whole
    graph). With ``workers`` > 1 a large file is written in that many pieces
    side by side (``subject_ranges``), one process each, and joined: the same
    bytes, since Oxigraph's writer groups only the rows of one subject, which
    stay in one piece."""
    from plankg.graph.namespaces import PREFIXES

    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    ranges = subject_ranges(ntriples, workers) if ntriples.stat().st_size >= TURTLE_PIECE_BYTES else []
    if len(ranges) <= 1:
        turtle_piece(ntriples, 0, None, turtle, prefixes)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pieces = [turtle.with_name(f".{turtle.name}.piece-{k}") for k in range(len(ranges))]
    try:
        with ProcessPoolExecutor(len(ranges), mp_context=multiprocessing.get_context("spawn")) as pool:
            for done in [pool.submit(turtle_piece, ntriples, start, end, piece, prefixes)
                         for (start, end), piece in zip(ranges, pieces)]:
                done.result()
        with open(turtle, "wb") as out:
            for k, piece in enumerate(pieces):
                with open(piece, "rb") as rows:
                    if k:
                        rows.seek(_prefix_header_bytes(piece))
                    shutil.copyfileobj(rows, out, 1 << 20)
    finally:
        for piece in pieces:
            piece.unlink(missing_ok=True)


def turtle_piece(ntriples: Path, start: int, end: int | None, turtle: Path, prefixes: dict[str, str]) -> None:
    """Bytes ``start`` to ``end`` (None: the end) of an N-Triples file, which
    must be whole rows, written as Turtle to ``turtle`` with ``prefixes``."""
    with open(ntriples, "rb") as rows:
        rows.seek(start)
        source = rows if end is None else _Slice(rows, end - start)
        triples = pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.N_TRIPLES)
        pyoxigraph.serialize(triples, output=str(turtle), format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


class _Slice:
    """The next ``size`` bytes of a binary file, as a file to read."""

    def __init__(self, file, size: int):
        self.file, self.left = file, size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.file.read(n)
        self.left -= len(data)
        return data


def _prefix_header_bytes(turtle: Path) -> int:
    """The length of the ``@prefix`` lines a Turtle file starts with."""
    size = 0
    with open(turtle, "rb") as rows:
        for row in rows:
            if not row.startswith(b"@prefix "):
                break
            size += len(row)
    return size


def subject_ranges(ntriples: Path, pieces: int) -> list[tuple[int, int | None]]:
    """Byte ranges cutting a sorted N-Triples file into at most ``pieces``
    parts of about equal size, each cut before the first row of a subject,
    so that no subject's rows are split; the last range ends at None (the end).

    >>> import tempfile, pathlib
    >>> nt = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = nt.write_bytes(b"<a> <p> 1 .\\n<a> <q> 2 .\\n<b> <p> 3 .\\n<c> <p> 4 .\\n")
    >>> subject_ranges(nt, 2)
    [(0, 36), (36, None)]
    """
    size = ntriples.stat().st_size
    starts = [0]
    with open(ntriples, "rb") as rows:
        for k in range(1, pieces):
            rows.seek(max(size * k // pieces - 1, starts[-1]))
            rows.readline()  # to the start of the next row
            cut, row = rows.tell(), rows.readline()
            subject = row[:row.find(b" ") + 1]
            while row and row.startswith(subject):
                cut, row = rows.tell(), rows.readline()
            if not row:
                break
            if cut > starts[-1]:
                starts.append(cut)
    return list(zip(starts, [*starts[1:], None]))


# Subjects of the evidence layer (``plankg.graph.ids.child_iri(…, "evidence", …)``
# and the selectors below them), as they appear in an N-Triples row.
_EVIDENCE_SEGMENT = b"/evidence-"


def in_evidence_layer(row: bytes) -> bool:
    """Whether an N-Triples row belongs to the evidence layer: its subject is
    an evidence node or one of its selectors.

    >>> in_evidence_layer(b'<https://w3id.org/plankg/id/plan/x/evidence-1a/quote> <p> "q" .')
    True
    >>> in_evidence_layer(b'<https://w3id.org/plankg/id/plan/x> <p> <https://w3id.org/plankg/id/plan/x/evidence-1a> .')
    False
    """
    return row.find(_EVIDENCE_SEGMENT, 0, row.find(b" ")) >= 0


def facts_run(run: Path) -> Path:
    """Where ``write_run`` puts the facts layer of the run ``run``."""
    return run.with_name(f"{run.stem}.facts{run.suffix}")


def write_run(rows: list[bytes], run: Path) -> None:
    """Write sorted N-Triples ``rows`` as the run ``run``, and the ones outside
    the evidence layer as its facts run (``facts_run``)."""
    run.write_bytes(b"".join(rows))
    facts_run(run).write_bytes(b"".join(r for r in rows if not in_evidence_layer(r)))


def merge_runs(runs: list[Path], dest: Path, buffer: int = 1 << 20, digest=None) -> int:
    """Merge sorted runs of N-Triples rows into one sorted file without
    duplicates (what sorting all rows in memory gives); the number of rows.
    ``digest`` (a ``hashlib`` object) is updated with every byte written."""
    files = [open(run, "rb") for run in runs]
    try:
        count, last, pending, size = 0, None, [], 0
        with open(dest, "wb") as out:
            for row in heapq.merge(*files):
                if row == last:
                    continue
                last = row
                count += 1
                pending.append(row)
                size += len(row)
                if size >= buffer:
                    _write(out, b"".join(pending), digest)
                    pending, size = [], 0
            _write(out, b"".join(pending), digest)
        return count
    finally:
        for f in files:
            f.close()


def _write(out, data: bytes, digest) -> None:
    out.write(data)
    if digest is not None:
        digest.update(data)


def facts_layer(ntriples: Path, dest: Path) -> int:
    """Write the rows of an N-Triples file outside the evidence layer to
    ``dest``; the number written."""
    count = 0
    with open(ntriples, "rb") as rows, open(dest, "wb") as out:
        for row in rows:
            if not in_evidence_layer(row):
                out.write(row)
                count += 1
    return count


@dataclass
class GraphFiles:
    """What ``write_graph_files`` wrote: the number of triples, the SHA-256
    of ``graph.nt``, and, when ``store/`` was patched from the previous
    build's, the rows it removed and added (``plankg.graph.patch``)."""

    triples: int
    sha256: str
    store_patch: tuple[int, int] | None = None


# A store is patched when at most this share of the triples changed; beyond, it is bulk-loaded.
PATCH_MAX_SHARE = 0.1


def write_graph_files(runs: list[Path], folder: Path, store: bool | None = None, workers: int = 1,
                      facts: Path | None = None, previous: Path | None = None,
                      after_store: Callable[[], object] | None = None) -> GraphFiles:
    """``graph.nt`` (merged from ``runs``) and ``graph.ttl`` into ``folder``,
    and ``store/`` when ``store`` says so (``None``: for ``STORE_AUTO_TRIPLES``
    triples or more); with more than one of ``workers``, Turtle and the store
    are written side by side (Oxigraph releases the GIL while it loads), and
    Turtle in ``workers`` pieces (``turtle_from_ntriples``). With ``facts``, the
    graph's facts layer (``facts_layer``) is merged there from the runs'
    ``facts_run`` files.

    The store is bulk-loaded from ``graph.nt`` in one go: loading the runs one
    by one while they are written overlaps more work, but every run spans the
    whole key space, and RocksDB slows down under so many overlapping files
    (1.5 times the time, a store 1.6 times the size at 16 M triples). When
    ``previous`` (the build this one replaces) has a store loaded from its
    ``graph.nt`` and the two graphs differ in at most ``PATCH_MAX_SHARE`` of
    the rows, its store is copied and patched instead (``plankg.graph.patch``).
    ``after_store`` is called once the store is written (the build's answers,
    which read it): beside the Turtle pieces when they are written side by
    side, so that a patched store's build answers while Turtle is written.
    """
    nt = folder / GRAPH_NT
    digest = hashlib.sha256()
    triples = merge_runs(runs, nt, digest=digest)
    if facts is not None:
        merge_runs([facts_run(run) for run in runs], facts)
    wanted = store or (store is None and triples >= STORE_AUTO_TRIPLES)
    patched: list[RowsDiff | None] = [None]

    def store_step() -> None:
        recorded = recorded_digest(previous) if previous is not None and has_store(previous) else None
        if recorded:
            patched[0] = patch_store(previous / GRAPH_NT, previous / STORE_DIR, recorded, nt, folder / STORE_DIR,
                                     limit=int(triples * PATCH_MAX_SHARE))
        if patched[0] is None:
            write_store(nt, folder / STORE_DIR)

    def store_then_after() -> None:
        if wanted:
            store_step()
        if after_store is not None:
            after_store()

    if workers <= 1 or not wanted:
        turtle_from_ntriples(nt, folder / GRAPH_TTL, workers)
        store_then_after()
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as threads:
            loaded = threads.submit(store_then_after)
            try:
                turtle_from_ntriples(nt, folder / GRAPH_TTL, workers)
            finally:
                loaded.result()
    diff = patched[0]
    return GraphFiles(triples, digest.hexdigest(), None if diff is None else (len(diff.removed), len(diff.added)))


class BuildFolder:
    """The folder a new build is written into, beside ``out``, and put in its
    place by ``commit`` only when complete.

    It is a fresh sibling (``.OUT.tmp-PID-RANDOM``, created with the user's
    umask, not 0700) holding ``work/`` for the build's intermediate files,
    which ``commit`` removes. Leaving the ``with`` block without ``commit``
    (an error while serialising, a full disk, Ctrl-C) removes it and leaves
    the previous build as it was; folders left by builds that were killed are
    removed by the next build. Write failures raise ``OutputError``.
    """

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir).resolve()
        if self.out.exists() and not self.out.is_dir():
            raise GraphDirError(f"{self.out}: exists and is not a folder")
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(self.out)
            self.path = _fresh_sibling(self.out, "tmp")
            self.work = self.path / "work"
            self.work.mkdir()
        except OSError as exc:
            raise errors.OutputError(self.out, exc) from None

    def __enter__(self) -> "BuildFolder":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)
        if isinstance(exc, OSError):
            raise errors.OutputError(self.out, exc) from None
        return False

    def commit(self) -> Path:
        """Put the finished build in place of ``out``."""
        shutil.rmtree(self.work)
        _replace_dir(self.path, self.out)
        return self.out


def write_manifest(folder: Path, manifest: dict) -> None:
    """``build.json``."""
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                   encoding="utf-8")


def _sibling_prefix(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-"


def _fresh_sibling(target: Path, kind: str) -> Path:
    """A new empty folder beside ``target`` named after it, this process and a random part.

    ``os.mkdir`` applies the umask (``tempfile.mkdtemp`` would force 0700) and
    fails rather than reuse an existing path.
    """
    path = target.with_name(f"{_sibling_prefix(target, kind)}{os.getpid()}-{secrets.token_hex(4)}")
    os.mkdir(path)
    return path


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process, or cannot tell: leave it alone
    return True


def remove_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove the temporary folders that killed builds left beside ``target``.

    Only folders of this naming (``.OUT.tmp-PID-…``, ``.OUT.old-PID-…``) whose
    process is gone are touched, so a build running at the same time keeps its
    own. A previous build set aside (``old``) while ``target`` itself is missing
    is put back first. Returns the folders removed.
    """
    target = Path(target)
    removed = []
    for kind in ("old", "tmp"):
        prefix = _sibling_prefix(target, kind)
        for path in sorted(target.parent.glob(glob.escape(prefix) + "*")):
            pid = path.name[len(prefix):].split("-", 1)[0]
            if not path.is_dir() or path.is_symlink() or not pid.isdigit() or _pid_alive(int(pid)):
                continue
            if kind == "old" and not target.exists():
                os.rename(path, target)
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False
    where the system or the filesystem does not offer it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: swapped in one step where the system
    can, so ``target`` is never missing; else by two renames, undone on failure."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous build
        return
    old = target.with_name(f"{_sibling_prefix(target, 'old')}{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(graph_dir: str | Path) -> dict:
    """The ``build.json`` of a build directory."""
    path = Path(graph_dir) / MANIFEST
    if not path.exists():
        raise GraphDirError(f"{graph_dir}: not a plankg build (no {MANIFEST}); run `plankg build --out {graph_dir}` first")
    return json.loads(path.read_text("utf-8"))


def recorded_digest(graph_dir: Path) -> str | None:
    """The SHA-256 of its ``graph.nt`` that a build's ``build.json`` records
    (None for a build by an older plankg, or none at all)."""
    try:
        digest = read_manifest(graph_dir).get("graph_sha256")
    except (GraphDirError, OSError, ValueError, AttributeError):
        return None
    return digest if isinstance(digest, str) else None


def write_store(ntriples: Path, dest: Path) -> Path:
    """Bulk-load a sorted N-Triples file into a new on-disk Oxigraph store at
    ``dest`` (missing or an empty folder); the store is closed when this returns."""
    store = pyoxigraph.Store(str(dest))
    try:
        store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
        store.flush()
    finally:
        del store  # closes RocksDB before the folder is renamed
    return dest


def replace_folder(target: Path, write: Callable[[Path], object]) -> Path:
    """Write a folder of a build with ``write(folder)`` into a fresh sibling of
    ``target`` and put it in place of ``target`` in one step; a failure leaves
    ``target`` as it was and raises ``OutputError``."""
    try:
        remove_stale_temporaries(target)
        tmp = _fresh_sibling(target, "tmp")
        try:
            write(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _replace_dir(tmp, target)
    except OSError as exc:
        raise errors.OutputError(target, exc) from None
    return target


def add_store(graph_dir: str | Path) -> Path:
    """Give an existing build (an older one, or a small one) its ``store/``,
    written beside it first and renamed in one step; an existing store is
    replaced the same way."""
    graph_dir = Path(graph_dir)
    nt = graph_file(graph_dir)
    return replace_folder(graph_dir / STORE_DIR, lambda tmp: write_store(nt, tmp))


def has_store(graph_dir: str | Path) -> bool:
    """Whether a build directory holds an on-disk Oxigraph store."""
    return (Path(graph_dir) / STORE_DIR / "CURRENT").is_file()


def open_store(graph_dir: str | Path, note=None) -> pyoxigraph.Store:
    """The build's Oxigraph store opened read-only, or, for a build without
    ``store/``, an in-memory store parsed from ``graph.nt``.

    Several processes may hold one store read-only at the same time. A large
    graph.nt without a store earns a one-line note (``note``, default stderr).
    """
    if has_store(graph_dir):
        return pyoxigraph.Store.read_only(str(Path(graph_dir) / STORE_DIR))
    nt = Path(graph_dir) / GRAPH_NT
    if nt.exists() and nt.stat().st_size > STORE_NOTE_BYTES:
        message = (f"note: {graph_dir} has no {STORE_DIR}/ (built by an older plankg?); parsing {GRAPH_NT}, "
                   f"`plankg store --graph {graph_dir}` makes later queries open it at once")
        (note or (lambda m: print(m, file=sys.stderr)))(message)
    return load_store(graph_dir)


def load_store(graph_dir: str | Path) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding a build's graph, parsed from ``graph.nt``."""
    return memory_store(graph_file(graph_dir))


def memory_store(ntriples: Path) -> pyoxigraph.Store:
    """An in-memory Oxigraph store of an N-Triples file."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def load_graph(graph_dir: str | Path) -> "Graph":
    """A build's graph as an rdflib ``Graph`` (for validation and export)."""
    from rdflib import Graph  # not imported for queries: it is most of a query process's start

    path = graph_file(graph_dir)
    graph = Graph()
    graph.parse(str(path), format="nt")
    from plankg.graph.namespaces import bind_prefixes

    bind_prefixes(graph)
    return graph
