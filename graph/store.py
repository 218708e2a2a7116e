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
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from plankg import errors
from plankg.graph.triples import TripleSet

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


def turtle_from_ntriples(nt: bytes) -> bytes:
    """Turtle with the project's prefixes, serialised by Oxigraph (rdflib's
    Turtle writer takes over half of a large build's time)."""
    from plankg.graph.namespaces import PREFIXES

    triples = pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE,
                                prefixes={k: str(v) for k, v in PREFIXES.items()})


def write_outputs(graph: TripleSet, manifest: dict, out_dir: str | Path, store: bool | None = None) -> Path:
    """Write a build directory atomically.

    ``store`` says whether to write ``store/`` (an Oxigraph store of the graph)
    too; ``None`` writes it for graphs of ``STORE_AUTO_TRIPLES`` triples or more.

    Everything is written into a fresh sibling folder (``.OUT.tmp-PID-RANDOM``,
    created with the user's umask, not 0700) first; only when all files are
    complete does it replace ``out_dir``. A failure of any kind (an error while
    serialising, a full disk, Ctrl-C) leaves the previous build as it was and
    removes the temporary folder; folders left by builds that were killed are
    removed by the next build. Write failures raise ``OutputError``.
    """
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise GraphDirError(f"{out}: exists and is not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out)
        tmp = _fresh_sibling(out, "tmp")
    except OSError as exc:
        raise errors.OutputError(out, exc) from None
    try:
        nt = graph.ntriples()  # sorted: identical input, identical bytes
        (tmp / GRAPH_NT).write_bytes(nt)
        (tmp / GRAPH_TTL).write_bytes(turtle_from_ntriples(nt))
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if store or (store is None and len(graph) >= STORE_AUTO_TRIPLES):
            write_store(tmp / GRAPH_NT, tmp / STORE_DIR)
        _replace_dir(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise errors.OutputError(out, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


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


def write_store(ntriples: Path, dest: Path) -> Path:
    """Bulk-load sorted N-Triples into a new on-disk Oxigraph store at ``dest``
    (missing or an empty folder); the store is closed when this returns."""
    store = pyoxigraph.Store(str(dest))
    try:
        store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
    finally:
        del store  # closes RocksDB before the folder is renamed
    return dest


def add_store(graph_dir: str | Path) -> Path:
    """Give an existing build (an older one, or a small one) its ``store/``,
    written beside it first and renamed in one step; an existing store is
    replaced the same way."""
    graph_dir = Path(graph_dir)
    nt = graph_dir / GRAPH_NT
    if not nt.exists():
        raise GraphDirError(f"{graph_dir}: not a plankg build (no {GRAPH_NT}); run `plankg build --out {graph_dir}` first")
    target = graph_dir / STORE_DIR
    try:
        remove_stale_temporaries(target)
        tmp = _fresh_sibling(target, "tmp")
        write_store(nt, tmp)
        _replace_dir(tmp, target)
    except OSError as exc:
        raise errors.OutputError(target, exc) from None
    return target


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
    path = Path(graph_dir) / GRAPH_NT
    if not path.exists():
        raise GraphDirError(f"{graph_dir}: not a plankg build (no {GRAPH_NT}); run `plankg build --out {graph_dir}` first")
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def load_graph(graph_dir: str | Path) -> Graph:
    """A build's graph as an rdflib ``Graph`` (for validation and export)."""
    path = Path(graph_dir) / GRAPH_NT
    if not path.exists():
        raise GraphDirError(f"{graph_dir}: not a plankg build (no {GRAPH_NT}); run `plankg build --out {graph_dir}` first")
    graph = Graph()
    graph.parse(str(path), format="nt")
    from plankg.graph.namespaces import bind_prefixes

    bind_prefixes(graph)
    return graph
