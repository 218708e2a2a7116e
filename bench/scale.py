"""Build cost against corpus size on generated plans: time, memory, workers, cache.

Usage: python bench/scale.py [--sizes 5,500,5000] [--budget 1200] [--jobs 2]

For each size N, ``bench/generate_corpus.py`` writes N distinct plans and
``plankg build`` runs on them in a child process (so its peak resident memory
is its own, read with ``resource.getrusage(RUSAGE_CHILDREN)`` in a fresh
wrapper process): once with ``--jobs 1``, once with ``--jobs J``, both
without the cache; then, with a cache and ``--jobs J``, a full build of N-1
plans followed by the build of all N into the same folder (the incremental
add-one-document build). Sizes are also given as multiples of the sample corpus's five
documents (500 plans: 100×). Reports
characters/s, peak RSS, the per-document cost relative to the smallest size,
the speed-up of J workers and the incremental build's time against the full
build's. Sizes whose full single-worker build would exceed ``--budget`` seconds
(extrapolated from the last size, linearly) are skipped and listed. Results go
to ``bench/results/scale.json``.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from build_throughput import write_report  # noqa: E402
from generate_corpus import generate  # noqa: E402

from plankg.loaders.reader import read_document  # noqa: E402

_WRAPPER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)")


def timed_build(corpus: Path, out: Path, *options: str) -> dict:
    """Run ``plankg build`` in a child process; its seconds and peak RSS (MB)."""
    cmd = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "plankg.cli", "build", str(corpus),
           "--out", str(out), "-q", *options]
    seconds, rss_kb, rc = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
    if rc != "0":
        raise RuntimeError(f"build of {corpus} failed with exit code {rc}")
    manifest = json.loads((out / "build.json").read_text("utf-8"))
    return {"seconds": round(float(seconds), 2), "peak_rss_mb": round(int(rss_kb) / 1024, 1),
            "triples": manifest["triples"], "extraction": manifest.get("extraction")}


def measure_size(n: int, jobs: int, tmp: Path, keep: Path | None = None) -> dict:
    """Every figure of one corpus size; the ``--jobs J`` build is kept in ``keep/plans-N`` when given."""
    corpus = tmp / f"in-{n}"
    paths = generate(n, corpus, seed=1)
    characters = sum(len(read_document(p).text) for p in paths)
    one = timed_build(corpus, tmp / "out-1", "--jobs", "1", "--no-cache")
    many = timed_build(corpus, tmp / "out-j", "--jobs", str(jobs), "--no-cache")
    same = filecmp.cmp(tmp / "out-1" / "graph.nt", tmp / "out-j" / "graph.nt", shallow=False)
    shutil.rmtree(tmp / "out-1/store", ignore_errors=True)
    held_out = tmp / "held-out"
    held_out.mkdir(exist_ok=True)
    last = paths[-1]
    shutil.move(str(last), held_out / last.name)
    cache = tmp / f"cache-{n}"
    warm = timed_build(corpus, tmp / "out-warm", "--jobs", str(jobs), "--cache", str(cache))
    shutil.move(str(held_out / last.name), last)
    # into the same folder, as a user adds a plan and builds again (the store is patched from it)
    incremental = timed_build(corpus, tmp / "out-warm", "--jobs", str(jobs), "--cache", str(cache))
    cached_same = filecmp.cmp(tmp / "out-1" / "graph.nt", tmp / "out-warm" / "graph.nt", shallow=False)
    shutil.rmtree(corpus)
    shutil.rmtree(cache)
    for name in ("out-1", "out-warm"):
        shutil.rmtree(tmp / name)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(keep / f"plans-{n}", ignore_errors=True)
        shutil.move(str(tmp / "out-j"), keep / f"plans-{n}")
    return {
        "documents": n, "sample_multiple": n / 5, "characters": characters, "triples": one["triples"],
        "jobs_1": one, f"jobs_{jobs}": many,
        "characters_per_s_jobs_1": round(characters / one["seconds"]),
        "speed_up": round(one["seconds"] / many["seconds"], 2),
        "same_bytes_any_jobs": same,
        "full_build_n_minus_1_with_cache": warm,
        "incremental_add_one": incremental,
        "incremental_vs_full": round(incremental["seconds"] / many["seconds"], 3),
        "characters_per_s_jobs_j": round(characters / many["seconds"]),
        "same_bytes_from_cache": cached_same,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the sizes within the budget and write ``bench/results/scale.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,500,5000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--budget", type=float, default=1200.0)
    parser.add_argument("--name", default="scale")
    parser.add_argument("--keep", type=Path, default=None,
                        help="Keep each size's --jobs J build in KEEP/plans-N (for bench/query_latency.py).")
    args = parser.parse_args(argv)
    results, skipped = {}, []
    per_doc = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            if per_doc is not None and per_doc * n > args.budget:
                skipped.append({"documents": n, "extrapolated_jobs_1_seconds": round(per_doc * n, 1)})
                continue
            started = time.perf_counter()
            results[str(n)] = r = measure_size(n, args.jobs, Path(tmp), args.keep)
            per_doc = r["jobs_1"]["seconds"] / n
            print(f"N={n}: {r['jobs_1']['seconds']} s, {r['jobs_1']['peak_rss_mb']} MB, speed-up {r['speed_up']}, "
                  f"incremental {r['incremental_add_one']['seconds']} s ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    base = next(iter(results.values()), None)
    for r in results.values():
        r["per_document_cost_ratio"] = round((r["jobs_1"]["seconds"] / r["documents"])
                                             / (base["jobs_1"]["seconds"] / base["documents"]), 2)
    write_report(args.name, {"sizes": results, "skipped": skipped, "jobs": args.jobs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
