"""Memory of the RDF → property graph mapping, rdflib's store against graph.nt streamed, by build size.

Usage: python bench/neo4j_mapping_memory.py BUILD [BUILD ...] [--extrapolate 16000000]

For each build, two child processes (so each peak is its own): ``to_property_graph(load_graph(BUILD))``,
what `plankg neo4j load` and `neo4j export` do today, and ``to_property_graph(BUILD)``, which reads
graph.nt subject by subject without a triple store. Reports seconds, peak RSS and bytes per triple,
a straight line through the smallest and largest build, and the peak it gives at ``--extrapolate``
triples (the 5,000-plan build has about 16 M). Writes bench/results/neo4j_mapping_memory.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_throughput import write_report  # noqa: E402

CHILD = """
import json, resource, sys, time
from plankg.graph.neo4j_mapping import to_property_graph
started = time.perf_counter()
if sys.argv[2] == "rdflib":
    from plankg.graph.store import load_graph
    pg = to_property_graph(load_graph(sys.argv[1]))
else:
    pg = to_property_graph(sys.argv[1])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 1024),
                  "nodes": len(pg.nodes), "relationships": len(pg.relationships), "build_id": pg.build_id}))
"""


def measure(build: Path, mapping: str) -> dict:
    """Map one build in a fresh interpreter; its time, peak RSS and counts."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(build), mapping], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def triples(build: Path) -> int:
    """The build's triple count (build.json, else graph.nt's lines)."""
    try:
        return int(json.loads((build / "build.json").read_text())["triples"])
    except (OSError, KeyError, ValueError):
        with (build / "graph.nt").open("rb") as f:
            return sum(1 for _ in f)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+", type=Path)
    parser.add_argument("--extrapolate", type=int, default=16_000_000, help="triples to extrapolate to")
    args = parser.parse_args(argv)
    rows = []
    for build in args.builds:
        row = {"build": str(build), "triples": triples(build)}
        for mapping in ("rdflib", "streamed"):
            row[mapping] = measure(build, mapping)
            row[mapping]["bytes_per_triple"] = round(row[mapping]["peak_rss_mb"] * 2**20 / row["triples"])
            print(f"{build}: {mapping} {row[mapping]}", file=sys.stderr)
        row["same_graph"] = all(row["rdflib"][k] == row["streamed"][k] for k in ("nodes", "relationships", "build_id"))
        rows.append(row)
    report = {"builds": rows}
    small, large = min(rows, key=lambda r: r["triples"]), max(rows, key=lambda r: r["triples"])
    if large["triples"] > small["triples"]:
        for mapping in ("rdflib", "streamed"):
            slope = (large[mapping]["peak_rss_mb"] - small[mapping]["peak_rss_mb"]) / (large["triples"] - small["triples"])
            report[f"{mapping}_line"] = {
                "bytes_per_extra_triple": round(slope * 2**20),
                f"peak_rss_gb_at_{args.extrapolate}_triples": round(
                    (large[mapping]["peak_rss_mb"] + slope * (args.extrapolate - large["triples"])) / 1024, 1),
                f"seconds_at_{args.extrapolate}_triples": round(
                    large[mapping]["seconds"] * args.extrapolate / large["triples"]),
            }
    write_report("neo4j_mapping_memory", report)
    return 0 if all(r["same_graph"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
