"""Neo4j's offline bulk import of a build (export + neo4j-admin) beside `plankg neo4j load`.

Usage: python bench/neo4j_import.py BUILD [--name NAME] [--heap 1g] [--work DIR] [--mapping rdflib|streamed]

1. `plankg neo4j export` writes the CSV files and import.sh (timed, peak RSS); with
   ``--mapping streamed`` the export (and the load of step 4) map graph.nt subject by subject
   (``to_property_graph(BUILD)``) instead of parsing it into rdflib's memory store first, as
   the command line does today;
2. the export's own import.sh runs Neo4j 5.26.0's import tool, resolved with Maven from
   its Maven Central artifacts (bench/neo4j_import/pom.xml: org.neo4j:neo4j-import-tool and
   org.neo4j:neo4j-command-line; `neo4j-admin` is org.neo4j.cli.AdminTool), into a fresh
   NEO4J_HOME (timed, peak RSS);
3. the test suite's embedded server (tests/neo4j_server) opens the imported database; its node
   and relationship counts must equal the export's CSV rows and the import tool's report, and
   it gets the constraint a load creates (timed);
4. `plankg neo4j load` of the same build into a fresh test server (timed, peak RSS of the
   client, and of the server);
5. the two databases are compared: counts, every node's labels and properties, every
   relationship's type, ends and properties, and every canned query's rows.

Writes nodes/s and relationships/s for both paths to bench/results/neo4j_import-NAME.json.
If a step fails, the report holds its error (the tool's own message) and the exit code is 1.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLANKG = [str(ROOT / ".venv" / "bin" / "plankg")] if (ROOT / ".venv" / "bin" / "plankg").exists() else [
    sys.executable, "-m", "plankg.cli"]
sys.path.insert(0, str(ROOT / "tests" / "neo4j_server"))
sys.path.insert(0, str(HERE))

from build_throughput import write_report  # noqa: E402
from server import Neo4jServer, admin_home  # noqa: E402

IMPORT_PROJECT = HERE / "neo4j_import"
# The streamed mapping, run as the command line runs the rdflib one (same arguments, same output line).
STREAMED = {
    "export": "import sys; from plankg.graph.neo4j_store import export_offline, to_property_graph; "
              "files = export_offline(to_property_graph(sys.argv[2]), sys.argv[1]); print(f'wrote {len(files)} files')",
    "load": "import sys; from plankg.graph.neo4j_store import load, to_property_graph; "
            "r = load(to_property_graph(sys.argv[1]), sys.argv[2]); "
            "print(f'loaded: {r.nodes} nodes, {r.relationships} relationships in {r.seconds:.1f} s (build {r.build_id})')",
}
IMPORTED = re.compile(r"IMPORT DONE in (.*?)\.\s*\n\s*Imported:\s*\n\s*(\d+) nodes\s*\n\s*(\d+) relationships"
                      r"\s*\n\s*(\d+) properties(?:\s*\n\s*Peak memory usage: (\S+))?")


class StepFailed(Exception):
    """A step of the benchmark failed; the message is the tool's own error."""


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None) -> dict:
    """Run a command under /usr/bin/time; its wall seconds, peak RSS and output."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, *command], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        measured = t.read().split()
    if log:
        log.write_text(done.stdout)
    if done.returncode != 0:
        raise StepFailed(f"{' '.join(command[:4])} … exited with {done.returncode}:\n{_error_lines(done.stdout)}")
    return {"seconds": float(measured[-2]), "peak_rss_mb": round(int(measured[-1]) / 1024), "output": done.stdout}


def _error_lines(output: str) -> str:
    """The lines of a tool's output that say what went wrong (its exceptions' messages), else its tail."""
    lines = [line for line in output.splitlines() if not line.startswith(("\t", ".", "-."))]
    errors = [line for line in lines if re.search(r"Exception|Error|error|failed|Caused by", line)]
    return "\n".join(errors[:12] or lines[-20:])


def _verbose_error(export_dir: Path, env: dict) -> str:
    """The import tool's error when import.sh's command is run again with ``--verbose``."""
    script = (export_dir / "import.sh").read_text().replace("\\\n", " ")
    command = shlex.split(next(line for line in script.splitlines() if line.startswith("neo4j-admin")))
    command.insert(command.index("full") + 1, "--verbose")
    done = subprocess.run(command, cwd=export_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return _error_lines(done.stdout)


def csv_rows(folder: Path) -> tuple[int, int]:
    """Node and relationship rows of an export (fields may span lines)."""
    def rows(paths):
        return sum(sum(1 for _ in csv.reader(p.open(encoding="utf-8", newline=""))) - 1 for p in paths)
    return rows(sorted(folder.glob("nodes_*.csv"))), rows(sorted(folder.glob("rels_*.csv")))


def rates(nodes: int, relationships: int, seconds: float) -> dict:
    """Seconds, nodes/s and relationships/s."""
    return {"seconds": round(seconds, 2), "nodes_per_s": round(nodes / seconds),
            "relationships_per_s": round(relationships / seconds)}


def peak_rss_mb(pid: int) -> int:
    """A running process's peak resident memory (VmHWM), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def _session(server: Neo4jServer):
    from neo4j import GraphDatabase

    return GraphDatabase.driver(server.uri, auth=(server.user, server.password), notifications_min_severity="OFF")


def counts(server: Neo4jServer) -> dict:
    """All nodes and relationships of the server's default database, and plankg's."""
    from plankg.graph import cypher

    with _session(server) as d:
        one = lambda q: d.execute_query(q).records[0][0]  # noqa: E731
        return {"nodes": one("MATCH (n) RETURN count(n)"), "relationships": one("MATCH ()-[r]->() RETURN count(r)"),
                "plankg_nodes": one(cypher.count_nodes()), "plankg_relationships": one(cypher.count_relationships())}


NODES = "MATCH (n) RETURN n.iri AS k, labels(n) AS labels, properties(n) AS props ORDER BY k"
RELATIONSHIPS = ("MATCH (a)-[r]->(b) RETURN [a.iri, type(r), b.iri] AS k, properties(r) AS props "
                 "ORDER BY a.iri, type(r), b.iri")


def _canonical(record) -> str:
    labels = sorted(record["labels"]) if "labels" in record.keys() else None
    return json.dumps([record["k"], labels, record["props"]], sort_keys=True, ensure_ascii=False)


def compare(a: Neo4jServer, b: Neo4jServer, examples: int = 3) -> dict:
    """Every node and relationship of two databases side by side (streamed in key order):
    how many differ, and the first few differences."""
    report = {}
    with _session(a) as da, _session(b) as db, da.session() as sa, db.session() as sb:
        for what, query in (("nodes", NODES), ("relationships", RELATIONSHIPS)):
            left, right = (iter(_canonical(r) for r in s.run(query)) for s in (sa, sb))
            differ, shown, total = 0, [], 0
            for x, y in _zip_longest(left, right):
                total += 1
                if x != y:
                    differ += 1
                    if len(shown) < examples:
                        shown.append({"imported": x, "loaded": y})
            report[what] = {"compared": total, "differ": differ, "examples": shown}
    return report


def _zip_longest(a, b):
    sentinel = object()
    while True:
        x, y = next(a, sentinel), next(b, sentinel)
        if x is sentinel and y is sentinel:
            return
        yield (None if x is sentinel else x), (None if y is sentinel else y)


def compare_queries(a: Neo4jServer, b: Neo4jServer) -> dict:
    """Every canned query's Cypher on both databases: the names whose rows differ."""
    import plankg
    from plankg import queries

    os.environ["NEO4J_PASSWORD"] = a.password
    differ = []
    for name in queries.names():
        rows = [sorted(plankg.query(name, engine="neo4j", uri=s.uri, user=s.user).rows) for s in (a, b)]
        if rows[0] != rows[1]:
            differ.append(name)
    return {"queries": len(queries.names()), "differ": differ}


def run(build: Path, work: Path, heap: str, mapping: str, report: dict) -> None:
    """The five steps; fills ``report`` as they go (a failure leaves what was measured)."""
    export_dir, home = work / "export", work / "imported"
    if mapping == "streamed":
        step = timed([sys.executable, "-c", STREAMED["export"], str(export_dir), str(build)])
    else:
        step = timed(PLANKG + ["neo4j", "export", str(export_dir), "--graph", str(build)])
    nodes, rels = csv_rows(export_dir)
    report["export"] = {"csv_nodes": nodes, "csv_relationships": rels, "peak_rss_mb": step["peak_rss_mb"],
                        "csv_mb": round(sum(p.stat().st_size for p in export_dir.glob("*.csv")) / 1e6, 1),
                        **rates(nodes, rels, step["seconds"])}
    print(f"export: {nodes} nodes, {rels} relationships in {step['seconds']} s", file=sys.stderr)

    try:
        env = admin_home(home, IMPORT_PROJECT, heap)
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        raise StepFailed(f"cannot resolve Neo4j's import tool with Maven ({IMPORT_PROJECT}/pom.xml): {exc}") from None
    try:
        step = timed(["sh", "import.sh"], cwd=export_dir, env=env, log=work / "import.log")
    except StepFailed as failed:  # the tool names the cause only with --verbose: run it again so
        raise StepFailed(f"{failed}\n--verbose says:\n{_verbose_error(export_dir, env)}") from None
    found = IMPORTED.search(step["output"])
    if not found:
        raise StepFailed(f"the import tool exited 0 but printed no report:\n{_error_lines(step['output'])}")
    report["import"] = {"tool_nodes": int(found[2]), "tool_relationships": int(found[3]), "tool_properties": int(found[4]),
                        "tool_says": f"IMPORT DONE in {found[1]}", "tool_peak_memory": found[5], "heap": heap,
                        "peak_rss_mb": step["peak_rss_mb"], **rates(nodes, rels, step["seconds"]),
                        "phases": dict(re.findall(r"^(\S.*?) COMPLETED in (.+)$", step["output"], re.M)),
                        "command": next(line for line in (export_dir / "import.sh").read_text().splitlines()
                                        if line.startswith("neo4j-admin")).rstrip(" \\") + " …"}
    print(f"import: {report['import']['tool_says']}, {step['seconds']} s", file=sys.stderr)

    imported = loaded = None
    try:
        started = time.perf_counter()
        try:
            imported = Neo4jServer(home).start()
        except RuntimeError:
            log = (home.parent / f"{home.name}-neo4j.log").read_text(errors="replace")
            raise StepFailed(f"the test server cannot open the imported database:\n{_error_lines(log)}") from None
        opened = time.perf_counter() - started
        from plankg.graph import cypher

        started = time.perf_counter()
        with _session(imported) as d:  # what the import cannot create (Community record format), a load needs
            d.execute_query(cypher.constraint())
            d.execute_query("CALL db.awaitIndexes(600)")
        constraint = time.perf_counter() - started
        report["verify"] = {"server_start_s": round(opened, 2), "constraint_s": round(constraint, 2),
                            "imported": counts(imported)}
        report["offline_total"] = rates(nodes, rels, report["export"]["seconds"] + report["import"]["seconds"] + constraint)
        report["offline_total"]["includes"] = "export + import tool + constraint on the opened database"

        loaded = Neo4jServer(work / "loaded").start()
        env = dict(os.environ, NEO4J_PASSWORD=loaded.password)
        if mapping == "streamed":
            step = timed([sys.executable, "-c", STREAMED["load"], str(build), loaded.uri], env=env)
        else:
            step = timed(PLANKG + ["neo4j", "load", "--graph", str(build), "--uri", loaded.uri], env=env)
        said = re.search(r": (\d+) nodes, (\d+) relationships in ([\d.]+) s", step["output"])
        report["load"] = {"nodes": int(said[1]), "relationships": int(said[2]), "peak_rss_mb": step["peak_rss_mb"],
                          "loader_s": float(said[3]), "server_peak_rss_mb": peak_rss_mb(loaded.process.pid),
                          **rates(int(said[1]), int(said[2]), step["seconds"])}
        print(f"load: {said[1]} nodes, {said[2]} relationships in {step['seconds']} s", file=sys.stderr)
        report["verify"]["loaded"] = counts(loaded)
        report["verify"]["imported_server_peak_rss_mb"] = peak_rss_mb(imported.process.pid)
        report["verify"]["graphs"] = compare(imported, loaded)
        report["verify"]["canned_queries"] = compare_queries(imported, loaded)
    finally:
        for server in (imported, loaded):
            if server:
                server.stop()
    c, tool, load = report["verify"], report["import"], report["load"]
    same = {(nodes, rels), (tool["tool_nodes"], tool["tool_relationships"]), (load["nodes"], load["relationships"]),
            (c["imported"]["nodes"], c["imported"]["relationships"]), (c["loaded"]["nodes"], c["loaded"]["relationships"])}
    c["counts_match"] = len(same) == 1
    graphs = c["graphs"]
    c["identical"] = not (graphs["nodes"]["differ"] or graphs["relationships"]["differ"] or c["canned_queries"]["differ"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="a plankg build folder (graph.nt)")
    parser.add_argument("--name", help="report name (default: the build folder's name)")
    parser.add_argument("--heap", default="1g", help="the import tool's Java heap (default 1g, as the test server's)")
    parser.add_argument("--work", type=Path, help="keep the export and both databases here (default: a temporary folder)")
    parser.add_argument("--mapping", choices=["rdflib", "streamed"], default="rdflib",
                        help="rdflib: the command line's plankg neo4j export/load; streamed: to_property_graph(BUILD)")
    args = parser.parse_args(argv)
    build = args.build.resolve()
    report: dict = {"build": str(build), "triples": _triples(build), "mapping": args.mapping}
    with tempfile.TemporaryDirectory(prefix="neo4j-import-") as tmp:
        work = args.work.resolve() if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        try:
            run(build, work, args.heap, args.mapping, report)
            status = 0 if report["verify"]["counts_match"] else 1
        except StepFailed as exc:
            report["error"] = str(exc)
            print(f"FAILED: {exc}", file=sys.stderr)
            status = 1
    name = args.name or build.name
    write_report(f"neo4j_import-{name}{'-streamed' if args.mapping == 'streamed' else ''}", report)
    return status


def _triples(build: Path) -> int | None:
    try:
        return json.loads((build / "build.json").read_text()).get("triples")
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    sys.exit(main())
