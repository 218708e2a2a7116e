"""Neo4j load throughput on the sample corpus and on a generated corpus 100x larger.

Usage: python bench/neo4j_load.py [--copies 100] [--corpus DIR]

Starts the test suite's real Neo4j 5.26 server (tests/neo4j_server), builds
both corpora, loads each into an empty database and reports nodes/s and
relationships/s, and the per-item cost ratio of the large load to the sample
load (near 1.0 means the load scales linearly).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import plankg
from plankg.graph.neo4j_store import load, to_property_graph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "neo4j_server"))
sys.path.insert(0, str(HERE))

from build_throughput import corpus_arguments, generate, write_report  # noqa: E402
from server import Neo4jServer  # noqa: E402


def measure(server: Neo4jServer, graph_dir: Path) -> dict:
    """Load a build into the (wiped) server; return counts and rates."""
    pg = to_property_graph(graph_dir)  # graph.nt read subject by subject: no rdflib store
    report = load(pg, server.uri, server.user, server.password, wipe=True)
    return {
        "nodes": report.nodes,
        "relationships": report.relationships,
        "seconds": round(report.seconds, 2),
        "nodes_per_s": round(report.nodes / report.seconds),
        "relationships_per_s": round(report.relationships / report.seconds),
    }


def main(argv: list[str] | None = None) -> int:
    corpus, copies = corpus_arguments(__doc__.splitlines()[0], argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plankg.build([corpus], out=tmp / "small")
        plankg.build([generate(corpus, copies, tmp / "big-in")], out=tmp / "big")
        server = Neo4jServer(tmp / "db").start()
        try:
            measure(server, tmp / "small")  # warm-up: constraint creation, query planning, JIT
            small = measure(server, tmp / "small")
            big = measure(server, tmp / "big")
        finally:
            server.stop()
    items = lambda r: r["nodes"] + r["relationships"]  # noqa: E731
    report = {
        "sample": small,
        f"generated_x{copies}": big,
        "per_item_cost_ratio_big_vs_sample": round((big["seconds"] / items(big)) / (small["seconds"] / items(small)), 2),
    }
    write_report("neo4j_load", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
