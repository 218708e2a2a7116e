"""Neo4j: loading into a real server, Cypher parity with SPARQL, failures, offline export."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase

import plankg
from plankg import queries
from plankg.cli import main
from plankg.graph.neo4j_store import Neo4jLoadError, export_offline, load, to_property_graph
from plankg.graph.store import load_graph

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(built, neo4j_server, monkeypatch_module):
    monkeypatch_module.setenv("NEO4J_PASSWORD", neo4j_server.password)
    report = plankg.api.neo4j_load(built, uri=neo4j_server.uri, wipe=True)
    return report


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def count(server, query: str) -> int:
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
        return d.execute_query(query).records[0][0]


def test_load_counts_match_the_mapping(built, loaded):
    pg = to_property_graph(load_graph(built))
    assert (loaded.nodes, loaded.relationships) == pg.counts()
    print(f"neo4j load of the sample build: {loaded.nodes} nodes, {loaded.relationships} relationships")


def test_loading_twice_gives_the_same_counts(built, loaded, neo4j_server):
    again = plankg.api.neo4j_load(built, uri=neo4j_server.uri)
    assert (again.nodes, again.relationships) == (loaded.nodes, loaded.relationships)


@pytest.mark.parametrize("name", queries.names())
def test_cypher_gives_the_same_rows_as_sparql(built, loaded, neo4j_server, name):
    sparql = plankg.query(name, graph_dir=built)
    cypher = plankg.query(name, engine="neo4j", uri=neo4j_server.uri, user=neo4j_server.user)
    assert cypher.columns == sparql.columns
    assert sorted(cypher.rows) == sorted(sparql.rows)
    assert sparql.rows or name in ()  # every canned question has an answer on the sample corpus


def test_every_canned_query_has_a_cypher_form():
    for q in queries.all_queries():
        assert q.cypher and q.cypher.startswith("// question:"), q.name


def test_provenance_is_kept_as_evidence_nodes(loaded, neo4j_server):
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as d:
        records = d.execute_query(
            "MATCH (e:Evidence)-[:SUBJECT]->(p:Plan) WHERE e.predicate ENDS WITH 'title' "
            "MATCH (e)-[:WAS_DERIVED_FROM]->(doc:SourceDocument) RETURN e.exact AS exact, e.starts AS s, e.rule AS rule, doc.fileName AS f"
        ).records
    assert len(records) == 5 and all(r["exact"] and r["s"] and r["rule"].startswith("plan.title") for r in records)
    rel = count(neo4j_server, "MATCH (:Task)-[r:LEAD_AGENCY]->() WHERE size(r.evidence) > 0 RETURN count(r)")
    assert rel > 100


def test_both_scripts_labels_survive(loaded, neo4j_server):
    n = count(neo4j_server, "MATCH (c:City {prefLabel: '长沙市'}) WHERE c.hiddenLabel_zh_Hant = '長沙市' RETURN count(c)")
    assert n == 1


def test_wipe_removes_only_plankg_data(built, loaded, neo4j_server):
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as d:
        d.execute_query("MERGE (:UserData {name: 'keep me'})")
    report = plankg.api.neo4j_load(built, uri=neo4j_server.uri, wipe=True)
    assert (report.nodes, report.relationships) == (loaded.nodes, loaded.relationships)
    assert count(neo4j_server, "MATCH (n:UserData) RETURN count(n)") == 1


def test_cli_load_reads_password_from_environment(built, neo4j_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    result = CliRunner().invoke(main, ["neo4j", "load", "--graph", str(built), "--uri", neo4j_server.uri])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and neo4j_server.password not in result.output


def test_wrong_password_is_a_clear_error(built, neo4j_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, ["neo4j", "load", "--graph", str(built), "--uri", neo4j_server.uri])
    assert result.exit_code == 1
    assert "refused the credentials" in result.output and "not-the-password" not in result.output


def test_unreachable_server_is_a_clear_error(built, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent / "neo4j_server"))
    from server import free_port

    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["neo4j", "load", "--graph", str(built), "--uri", uri])
    assert result.exit_code == 1 and f"cannot reach Neo4j at {uri}" in result.output
    result = CliRunner().invoke(main, ["query", "plans", "--engine", "neo4j", "--uri", uri])
    assert result.exit_code == 1 and "cannot reach Neo4j" in result.output


def test_missing_password_is_a_clear_error(built, monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["neo4j", "load", "--graph", str(built)])
    assert result.exit_code == 1 and "NEO4J_PASSWORD" in result.output


def test_server_stopped_mid_load_is_repaired_by_a_rerun(tmp_path, corpus_dir):
    sys.path.insert(0, str(Path(__file__).resolve().parent / "neo4j_server"))
    from server import Neo4jServer

    # A larger graph, loaded in small batches, so the stop lands in the middle.
    big = tmp_path / "in"
    big.mkdir()
    for n in range(4):
        for f in sorted(corpus_dir.glob("*.txt")):
            (big / f"{n}_{f.name}").write_bytes(f.read_bytes() + f"\n副本{n}\n".encode())
    plankg.build([big], out=tmp_path / "out")
    pg = to_property_graph(load_graph(tmp_path / "out"))
    server = Neo4jServer(tmp_path / "db").start()
    errors = []

    def run():
        try:
            load(pg, server.uri, server.user, server.password, batch_size=50)
        except Neo4jLoadError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and count(server, "MATCH (n:PlankgResource) RETURN count(n)") < 500:
        time.sleep(0.05)
    server.kill()
    thread.join(timeout=120)
    assert errors and "Neo4j" in str(errors[0])
    server.start()
    try:
        partial = count(server, "MATCH (n:PlankgResource) RETURN count(n)")
        assert 0 < partial < len(pg.nodes) or partial == len(pg.nodes)
        report = load(pg, server.uri, server.user, server.password)
        assert (report.nodes, report.relationships) == pg.counts()
    finally:
        server.stop()


def test_offline_export_files_and_script(built, tmp_path, neo4j_server, loaded):
    pg = to_property_graph(load_graph(built))
    files = export_offline(pg, tmp_path / "export")
    names = {f.name for f in files}
    assert "import.sh" in names and "load.cypher" in names
    command = (tmp_path / "export" / "import.sh").read_text()
    assert "neo4j-admin database import full" in command and "--nodes=" in command and "--relationships=" in command
    import csv

    node_rows = sum(sum(1 for _ in csv.reader(p.open(encoding="utf-8"))) - 1 for p in files if p.name.startswith("nodes_"))
    rel_rows = sum(sum(1 for _ in csv.reader(p.open(encoding="utf-8"))) - 1 for p in files if p.name.startswith("rels_"))
    assert (node_rows, rel_rows) == pg.counts()
    # The Cypher script loads the same graph.
    statements = [s for s in (tmp_path / "export" / "load.cypher").read_text("utf-8").split(";\n") if s.strip() and not s.startswith("//")]
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as d:
        d.execute_query("MATCH (n:PlankgResource) DETACH DELETE n")
        for st in statements:
            d.execute_query(st.split("\n", 1)[-1] if st.startswith("//") else st)
    assert count(neo4j_server, "MATCH (n:PlankgResource) RETURN count(n)") == len(pg.nodes)
    plankg.api.neo4j_load(built, uri=neo4j_server.uri)  # back to the loaded state for later tests


def test_cli_export(built, tmp_path):
    result = CliRunner().invoke(main, ["neo4j", "export", str(tmp_path / "e"), "--graph", str(built)])
    assert result.exit_code == 0 and (tmp_path / "e" / "import.sh").exists()


def _read_graph(server) -> tuple[dict, dict]:
    """Every node (iri → labels, properties) and relationship ((start, type, end) → properties) of a server."""
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
        nodes = {r["iri"]: (sorted(r["labels"]), r["props"]) for r in d.execute_query(
            "MATCH (n) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props").records}
        rels = {(r["s"], r["t"], r["o"]): r["props"] for r in d.execute_query(
            "MATCH (a)-[r]->(b) RETURN a.iri AS s, type(r) AS t, b.iri AS o, properties(r) AS props").records}
    return nodes, rels


def test_offline_import_gives_the_graph_of_a_load(built, tmp_path, monkeypatch):
    """The export's import.sh, run by Neo4j 5.26's own import tool (neo4j-admin database import
    full, from Maven Central), writes a database the test server opens, holding every node and
    relationship of a load with the same labels, typed properties and build stamps; every canned
    query's Cypher gives the SPARQL rows on it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "neo4j_server"))
    from server import Neo4jServer, import_csv

    from plankg.graph.neo4j_loader import node_batches, relationship_batches

    pg = to_property_graph(built)
    export_offline(pg, tmp_path / "export")
    report = import_csv(tmp_path / "export", tmp_path / "home")
    assert f"{len(pg.nodes)} nodes" in report and f"{len(pg.relationships)} relationships" in report
    server = Neo4jServer(tmp_path / "home").start()
    try:
        nodes, rels = _read_graph(server)
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        for name in queries.names():
            cypher = plankg.query(name, engine="neo4j", uri=server.uri, user=server.user)
            assert sorted(cypher.rows) == sorted(plankg.query(name, graph_dir=built).rows), name
    finally:
        server.stop()
    assert nodes == {row["iri"]: (list(labels), row) for labels, rows in node_batches(pg).items() for row in rows}
    assert rels == {(row["s"], t, row["o"]): row["props"] for t, rows in relationship_batches(pg).items() for row in rows}
