"""``plankg push`` into a real Oxigraph server (the ``oxigraph`` package's binary)."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import plankg
from plankg.cli import main
from plankg.push import PushError

pytestmark = pytest.mark.slow  # starts a server


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free port of 127.0.0.1 with an on-disk store; its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("no oxigraph server binary (pip install oxigraph)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=" + urllib.parse.quote("ASK {}"), timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def select(base: str, query: str, default_graph: str | None = None) -> list[dict]:
    params = {"query": query} | ({"default-graph-uri": default_graph} if default_graph else {})
    req = urllib.request.Request(base + "/query?" + urllib.parse.urlencode(params),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)["results"]["bindings"]


def count(base: str, graph: str) -> int:
    rows = select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def test_push_replaces_one_named_graph_and_leaves_the_others(oxigraph, built, tmp_path, corpus_dir):
    other = "urn:example:other"
    req = urllib.request.Request(oxigraph + "/store?graph=" + urllib.parse.quote(other, safe=""), method="PUT",
                                 data=b"<urn:a> <urn:b> <urn:c> .\n", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=30).close()
    graph = "https://example.org/plankg/sample"
    result = CliRunner().invoke(main, ["push", "--graph", str(built), "--endpoint", oxigraph + "/store",
                                       "--graph-iri", graph])
    assert result.exit_code == 0, result.output
    triples = sum(1 for _ in (built / "graph.nt").open("rb"))
    assert f"{triples} triples" in result.output
    assert count(oxigraph, graph) == triples

    # The canned question asked of the pushed graph gives the build's rows.
    from plankg import queries as canned

    q = canned.get("plans")
    rows = [tuple(r.get(c, {}).get("value", "") for c in q.columns) for r in select(oxigraph, q.sparql, graph)]
    assert rows == plankg.query("plans", graph_dir=built).rows

    # Pushing a smaller build replaces the graph as a whole.
    small = plankg.build([sorted(corpus_dir.glob("*.txt"))[0]], out=tmp_path / "small").out
    report = plankg.api.push(small, oxigraph + "/store", graph)
    assert report.status in (200, 201, 204)
    assert count(oxigraph, graph) == report.triples < triples
    assert count(oxigraph, other) == 1


def test_push_errors_are_clear(oxigraph, built, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(PushError, match="cannot reach"):
        plankg.api.push(built, f"http://127.0.0.1:{closed}/store")
    with pytest.raises(PushError, match="HTTP 4"):
        plankg.api.push(built, oxigraph + "/no-such-route")
    with pytest.raises(PushError, match="http"):
        plankg.api.push(built, "ftp://example.org/store")
    result = CliRunner().invoke(main, ["push", "--graph", str(tmp_path), "--endpoint", oxigraph + "/store"])
    assert result.exit_code == 1 and "not a plankg build" in result.output
