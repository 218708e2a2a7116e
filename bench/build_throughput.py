"""Build throughput on the sample corpus and on a generated corpus 100x larger.

Usage: python bench/build_throughput.py [--copies 100] [--corpus DIR]

The large corpus is the sample corpus copied N times, each copy made distinct
by a trailing line (identical files would be recognised and read once).
Reports documents/s and characters/s for reading + extraction + graph +
writing, and the ratio of the two runs' per-document cost (near 1.0 means
the build scales linearly).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import resource
from pathlib import Path

import plankg


def generate(corpus: Path, copies: int, dest: Path) -> Path:
    """Write ``copies`` distinct copies of every corpus file into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for f in sorted(corpus.glob("*.txt")):
            data = f.read_bytes() + f"\n（副本{n}）\n".encode("utf-8")
            (dest / f"{n:04d}_{f.name}").write_bytes(data)
    return dest


def measure(paths: list[Path], out: Path) -> dict:
    """Build once; return timing, size and the process's peak resident memory so far."""
    started = time.perf_counter()
    result = plankg.build(paths, out=out)
    seconds = time.perf_counter() - started
    return {
        "documents": result.documents,
        "characters": result.characters,
        "triples": result.triples,
        "seconds": round(seconds, 3),
        "documents_per_s": round(result.documents / seconds, 1),
        "characters_per_s": round(result.characters / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def corpus_arguments(description: str, argv: list[str] | None) -> tuple[Path, int]:
    """``--corpus DIR`` (default: the sample corpus) and ``--copies N`` of a benchmark."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args(argv)
    return args.corpus or plankg.default_corpus(), args.copies


def main(argv: list[str] | None = None) -> int:
    corpus, copies = corpus_arguments(__doc__.splitlines()[0], argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plankg.build([corpus], out=tmp / "warmup")  # imports, OpenCC dictionaries
        small = measure([corpus], tmp / "small")
        big_corpus = generate(corpus, copies, tmp / "big-in")
        big = measure([big_corpus], tmp / "big")
        shutil.rmtree(big_corpus)
    report = {
        "sample": small,
        f"generated_x{copies}": big,
        "per_document_cost_ratio_big_vs_sample": round(
            (big["seconds"] / big["documents"]) / (small["seconds"] / small["documents"]), 2),
    }
    write_report("build_throughput", report)
    return 0


def write_report(name: str, report: dict) -> None:
    """Save a benchmark report as bench/results/NAME.json and print it."""
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    sys.exit(main())
