"""Canned-query latency on a build: stored answers, the on-disk store, parsing graph.nt.

Usage: python bench/query_latency.py BUILD_DIR [BUILD_DIR ...] [--repeat 10] [--copies N]

For each build it measures

* opening: the store read-only (``store/``) and parsing ``graph.nt`` into memory;
* every canned query's median (p50) time, warm, on each (in memory only up
  to ``MAX_IN_MEMORY_TRIPLES``), and its number of rows;
* cold start, for every canned query: a new process importing plankg and
  answering once (``cold_first_query_ms``: from the build's stored answer,
  ``answers/``, where it has one, ``answered``), and the whole
  ``plankg query NAME --format csv`` command, interpreter start included
  (``cold_process_ms``); ``plankg query plans`` without the store too;
* over HTTP: the median of every canned query through ``plankg serve``, on
  the store and ``--in-memory``.

A build without ``store/`` gets one first (``plankg store``). ``--copies N``
also measures a graph N times the first build's: its graph.nt copied N times,
each copy's instance IRIs (``…/id/…``) moved under ``…/id/copyK/…``, so N
disjoint copies of the graph, as N provinces' plans sharing no city or agency
would be (copying the plan files instead no longer grows the graph: files of one
title are versions of one plan). Results go to
``bench/results/query_latency-NAME.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import plankg
from plankg import queries as canned
from plankg.graph import store as gstore
from plankg.queries import answers

RESULTS = Path(__file__).resolve().parent / "results"
# Larger graphs are measured on the store only: in memory they need about 1 GB per million triples.
MAX_IN_MEMORY_TRIPLES = 4_000_000


def timed(fn, repeat: int) -> tuple[float, object]:
    """The median wall time of ``repeat`` calls in seconds, and the last value."""
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def without_store(build: Path, dest: Path) -> Path:
    """A view of ``build`` without its store (links to its files), as an older build looks."""
    dest.mkdir()
    for name in ("graph.nt", "graph.ttl", "build.json"):
        if (build / name).exists():
            os.symlink(build / name, dest / name)
    return dest


def replicate(build: Path, copies: int, dest: Path) -> Path:
    """A build folder holding ``copies`` disjoint copies of ``build``'s graph, with its store."""
    instance = b"<https://w3id.org/plankg/id/"
    lines = (build / "graph.nt").read_bytes().splitlines(keepends=True)
    out = []
    for k in range(copies):
        moved = instance + f"copy{k}/".encode()
        out.extend(line.replace(instance, moved) for line in lines)
    out = sorted(set(out))
    dest.mkdir(parents=True)
    (dest / "graph.nt").write_bytes(b"".join(out))
    (dest / "build.json").write_text(json.dumps({"replicated_from": str(build), "copies": copies}) + "\n")
    gstore.add_store(dest)
    return dest


def answered(build: Path, query) -> bool:
    """Whether the build holds a stored answer to ``query`` (``answers/``)."""
    return answers.answer_file(build, query) is not None


def cold_query(graph_dir: Path, repeat: int, name: str = "plans") -> float:
    """Median wall time of ``plankg query NAME`` in a fresh process (interpreter start included):
    the installed command beside this interpreter, else ``python -m plankg``."""
    script = Path(sys.executable).parent / "plankg"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "plankg"]
    cmd = [*command, "query", name, "--graph", str(graph_dir), "--format", "csv"]
    return timed(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat)[0]


_FIRST_QUERY = ("import sys, time; t = time.perf_counter(); import plankg; "
                "rows = plankg.query(sys.argv[1], graph_dir=sys.argv[2]).rows; "
                "print(time.perf_counter() - t, len(rows))")


def cold_in_process(graph_dir: Path, name: str, repeat: int) -> tuple[float, int]:
    """Median seconds of importing plankg, opening the store and answering
    ``name`` once, in a fresh process (interpreter start excluded), and the rows."""
    times, rows = [], 0
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _FIRST_QUERY, name, str(graph_dir)], check=True,
                             capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        rows = int(out[1])
    return statistics.median(times), rows


def served(graph_dir: Path, repeat: int, *flags: str) -> dict:
    """p50 of every canned query through ``plankg serve FLAGS`` (one client)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "plankg.cli", "serve", "--graph", str(graph_dir), "--port", str(port),
                             "--max-results", "1000000", "--timeout", "120", *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql?query="
    try:
        for _ in range(3000):
            try:
                urllib.request.urlopen(url + urllib.parse.quote("ASK {}"), timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)

        def ask(sparql: str):
            with urllib.request.urlopen(url + urllib.parse.quote(sparql), timeout=300) as r:
                return r.read()

        return {q.name: round(timed(lambda: ask(q.sparql), repeat)[0] * 1000, 2) for q in canned.all_queries()}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def measure(build: Path, repeat: int) -> dict:
    """All figures for one build directory."""
    if not gstore.has_store(build):
        gstore.add_store(build)
    with tempfile.TemporaryDirectory() as tmp:
        old = without_store(build, Path(tmp) / "old")
        open_store, disk = timed(lambda: gstore.open_store(build), max(3, repeat // 2))
        in_memory_too = len(disk) <= MAX_IN_MEMORY_TRIPLES
        parse, memory = timed(lambda: gstore.load_store(old), 3 if len(disk) > 200_000 else repeat) \
            if in_memory_too else (None, None)
        per_query = {}
        for q in canned.all_queries():
            on_disk = timed(lambda: plankg.api.run_sparql(disk, q.sparql, q.columns), repeat)[0]
            in_memory = timed(lambda: plankg.api.run_sparql(memory, q.sparql, q.columns), repeat)[0] if memory else None
            first, rows = cold_in_process(build, q.name, 3)
            per_query[q.name] = {"rows": rows, "answered": answered(build, q), "store_ms": round(on_disk * 1000, 2),
                                 "memory_ms": None if in_memory is None else round(in_memory * 1000, 2),
                                 "cold_first_query_ms": round(first * 1000, 1),
                                 "cold_process_ms": round(cold_query(build, 3, q.name) * 1000, 1)}
        cold_store = cold_query(build, 3)
        cold_parse = cold_query(old, 3) if in_memory_too else None
    store_bytes = sum(p.stat().st_size for p in (build / "store").rglob("*") if p.is_file())
    return {
        "build": str(build), "triples": len(disk),
        "graph_nt_mb": round((build / "graph.nt").stat().st_size / 1e6, 1), "store_mb": round(store_bytes / 1e6, 1),
        "open_store_ms": round(open_store * 1000, 2),
        "parse_graph_nt_ms": None if parse is None else round(parse * 1000, 1),
        "cold_query_plans_store_s": round(cold_store, 2), "cold_query_plans_graph_nt_s": cold_parse and round(cold_parse, 2),
        "queries_p50_ms": per_query, "served_p50_ms": served(build, repeat),
        "served_in_memory_p50_ms": served(build, repeat, "--in-memory") if in_memory_too else None,
        "repeat": repeat,
    }


_COLD_AND_WARM = ("import sys, time; t = time.perf_counter(); import plankg; "
                  "rows = plankg.query(sys.argv[1], graph_dir=sys.argv[2]).rows; c = time.perf_counter() - t; "
                  "t = time.perf_counter(); plankg.query(sys.argv[1], graph_dir=sys.argv[2]); "
                  "print(c, time.perf_counter() - t, len(rows))")


def measure_quick(build: Path) -> dict:
    """For graphs where every query takes seconds: each canned query once in
    a new process (import, open, answer: the cold start) and once more in that
    process (warm), with its rows."""
    per_query = {}
    for q in canned.all_queries():
        cold, warm, rows = subprocess.run([sys.executable, "-c", _COLD_AND_WARM, q.name, str(build)], check=True,
                                          capture_output=True, text=True).stdout.split()
        per_query[q.name] = {"rows": int(rows), "answered": answered(build, q),
                             "cold_first_query_ms": round(float(cold) * 1000, 1),
                             "warm_ms": round(float(warm) * 1000, 1),
                             "cold_process_ms": round(cold_query(build, 3, q.name) * 1000, 1)}
        print(q.name, per_query[q.name], flush=True)
    return {"build": str(build), "triples": len(gstore.open_store(build)), "quick": True, "queries": per_query}


def main() -> None:
    """Measure the builds given (and a generated one) and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--copies", type=int, default=0, help="Also measure N disjoint copies of the first build's graph.")
    parser.add_argument("--quick", action="store_true",
                        help="Each query once cold and once warm, on the store only (for the largest builds).")
    args = parser.parse_args()
    builds = [(b.resolve().name, b.resolve()) for b in args.builds]
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies:
            started = time.perf_counter()
            big = replicate(builds[0][1], args.copies, Path(tmp) / f"copies-{args.copies}x")
            print(f"wrote {args.copies}x with its store in {time.perf_counter() - started:.1f} s", flush=True)
            builds.append((f"{builds[0][0]}-{args.copies}x", big))
        RESULTS.mkdir(exist_ok=True)
        for name, build in builds:
            figures = measure_quick(build) if args.quick else measure(build, args.repeat)
            figures["build"] = name
            (RESULTS / f"query_latency-{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
            print(json.dumps(figures, indent=2), flush=True)


if __name__ == "__main__":
    main()
