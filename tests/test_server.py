"""``plankg serve``: the real server in a subprocess, asked by real SPARQL clients."""
from __future__ import annotations

import csv
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import plankg
from plankg import queries as canned
from plankg.server import accepted, choose_format, looks_like_update, uses_service

TIMEOUT = 2.0
MAX_RESULTS = 5000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise AssertionError("the server did not come up")


@pytest.fixture(scope="module")
def stored(tmp_path_factory, corpus_dir):
    out = tmp_path_factory.mktemp("served") / "out"
    plankg.build([corpus_dir], out=out, store=True)
    return out


@pytest.fixture(scope="module")
def endpoint(stored):
    """``plankg serve`` on a free port of 127.0.0.1, stopped after the module."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "plankg.cli", "serve", "--graph", str(stored), "--port", str(port),
         "--timeout", str(TIMEOUT), "--max-results", str(MAX_RESULTS), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def get(url: str, query: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url + "?query=" + urllib.parse.quote(query))
    if accept:
        req.add_header("Accept", accept)
    return _send(req)


def post(url: str, body: bytes, content_type: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    if accept:
        req.add_header("Accept", accept)
    return _send(req)


def _send(req) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


PLANS = "PREFIX pkg: <https://w3id.org/plankg/ontology#> SELECT ?p WHERE { ?p a pkg:Plan } ORDER BY ?p"


# Pure helpers.

def test_service_and_update_are_recognised_outside_strings_iris_and_comments():
    assert uses_service("select * { service <http://x> { ?s ?p ?o } }")
    assert uses_service("SELECT * { SERVICE SILENT ?endpoint { ?s ?p ?o } }")
    assert not uses_service('SELECT * { ?s <urn:x:SERVICE> "SERVICE" } # SERVICE')
    assert not uses_service("SELECT ?service WHERE { ?service a ex:SERVICE_POINT }")
    assert looks_like_update("DELETE WHERE { ?s ?p ?o }")
    assert looks_like_update("PREFIX a: <urn:a> DROP ALL")
    assert not looks_like_update('SELECT * { ?s ?p "INSERT" }')


def test_content_negotiation_picks_the_best_offered_type():
    from plankg.server import GRAPH_TYPES, SELECT_TYPES

    assert choose_format(accepted(None), SELECT_TYPES, "json") == "json"
    assert choose_format(accepted("text/csv;q=0.4, text/tab-separated-values"), SELECT_TYPES, "json") == "tsv"
    assert choose_format(accepted("*/*"), GRAPH_TYPES, "turtle") == "turtle"
    assert choose_format(accepted("image/png"), SELECT_TYPES, "json") is None


# The real server and real clients.

@pytest.mark.slow
def test_sparqlwrapper_gets_every_select_format(endpoint):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    results = {}
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(endpoint)
        client.setQuery(PLANS)
        client.setReturnFormat(fmt)
        results[fmt] = client.query().convert()
    plans = [b["p"]["value"] for b in results[JSON]["results"]["bindings"]]
    assert len(plans) >= 5 and plans == sorted(plans)
    xml_values = [n.firstChild.data for n in results[XML].getElementsByTagName("uri")]
    assert xml_values == plans
    rows = list(csv.reader(io.StringIO(results[CSV].decode("utf-8"))))
    assert rows[0] == ["p"] and [r[0] for r in rows[1:]] == plans
    tsv = results[TSV].decode("utf-8").splitlines()
    assert tsv[0] == "?p" and tsv[1:] == [f"<{p}>" for p in plans]


@pytest.mark.slow
def test_post_form_and_direct_post_and_ask(endpoint):
    form = urllib.parse.urlencode({"query": PLANS}).encode()
    direct = post(endpoint, PLANS.encode(), "application/sparql-query")
    assert post(endpoint, form, "application/x-www-form-urlencoded")[2] == direct[2] == get(endpoint, PLANS)[2]
    status, ctype, body = get(endpoint, "ASK { ?s ?p ?o }", "application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml") and b"<boolean>true" in body
    assert json.loads(get(endpoint, "ASK { <urn:none> ?p ?o }")[2]) == {"head": {}, "boolean": False}


@pytest.mark.slow
def test_construct_and_describe_as_turtle_and_ntriples(endpoint, stored):
    from rdflib import Graph

    construct = "CONSTRUCT { ?p ?q ?o } WHERE { ?p a <https://w3id.org/plankg/ontology#Plan> ; ?q ?o }"
    status, ctype, ttl = get(endpoint, construct, "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    status, ctype, nt = get(endpoint, construct, "application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    a, b = Graph().parse(data=ttl, format="turtle"), Graph().parse(data=nt, format="nt")
    assert len(a) == len(b) > 20 and set(a) == set(b)
    plan = next(iter(a.subjects()))
    status, _, described = get(endpoint, f"DESCRIBE <{plan}>", "text/turtle")
    assert status == 200 and len(Graph().parse(data=described, format="turtle")) > 0
    assert get(endpoint, construct, "application/sparql-results+json")[0] == 406


@pytest.mark.slow
def test_canned_queries_through_rdflib_sparqlstore_match_the_api(endpoint, stored):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    for name in ("plans", "city-axes", "corridor-agencies", "axis-nodes"):
        q = canned.get(name)
        rows = [tuple("" if row[c] is None else str(row[c]) for c in q.columns) for row in remote.query(q.sparql)]
        assert canned.sort_list_cells(q, rows) == plankg.query(name, graph_dir=stored).rows, name


@pytest.mark.slow
def test_update_is_refused_in_every_form(endpoint, stored):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException

    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(update)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError, EndPointNotFound, QueryBadFormed)):
        client.query()
    assert post(endpoint, urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded")[0] == 403
    assert post(endpoint, update.encode(), "application/sparql-update")[0] == 403
    assert get(endpoint, update)[0] == 403
    assert _send(urllib.request.Request(endpoint, data=b"x", method="PUT"))[0] == 405
    assert json.loads(get(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is False


@pytest.mark.slow
def test_service_is_refused_without_contacting_anyone(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        status, _, body = get(endpoint, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 403 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody called
    finally:
        listener.close()


@pytest.mark.slow
def test_time_limit_stops_the_query_and_the_server_carries_on(endpoint):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(STR(?c) = STR(?f)) }"
    started = time.monotonic()
    status, _, body = get(endpoint, heavy)
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - started < TIMEOUT + 10
    assert get(endpoint, PLANS)[0] == 200


@pytest.mark.slow
def test_result_limit_is_a_clear_error(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and f"more than {MAX_RESULTS} rows".encode() in body
    assert get(endpoint, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}")[0] == 200
    assert get(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")[0] == 413


@pytest.mark.slow
@pytest.mark.slow
def test_foreign_host_headers_and_huge_bodies_are_refused(endpoint):
    """DNS rebinding: a page of another site must not reach the loopback endpoint."""
    req = urllib.request.Request(endpoint + "?query=" + urllib.parse.quote("ASK {}"), headers={"Host": "evil.example"})
    assert _send(req)[0] == 400
    req = urllib.request.Request(endpoint + "?query=" + urllib.parse.quote("ASK {}"), headers={"Host": "localhost"})
    assert _send(req)[0] == 200
    status, _, _ = post(endpoint, b"query=" + b"x" * 200_000, "application/x-www-form-urlencoded")
    assert status == 413
    status, headers, _ = get(endpoint, "ASK {}")
    assert status == 200


def test_malformed_queries_are_400(endpoint):
    status, _, body = get(endpoint, "SELECT WHERE {")
    assert status == 400 and b"malformed" in body
    assert _send(urllib.request.Request(endpoint))[0] == 400


@pytest.mark.slow
def test_load_four_clients_fifty_queries_each(endpoint):
    """A bounded load test: no errors; p50 and p99 latency are printed."""
    queries = [canned.get(n).sparql for n in ("plans", "city-axes", "corridor-agencies", "plan-scope")]
    latencies, failures = [], []

    def client(n: int) -> None:
        for i in range(50):
            started = time.perf_counter()
            status, _, _ = get(endpoint, queries[(n + i) % len(queries)])
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"\nload: 4 clients x 50 queries = {len(latencies)} in {wall:.2f} s, {len(latencies) / wall:.0f} queries/s, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, errors {len(failures)}")
    assert not failures and len(latencies) == 200


def test_extra_routes_are_mounted_beside_sparql(stored):
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from plankg.server import create_app

    app = create_app(stored, extra_routes=[Route("/explore", lambda request: PlainTextResponse("explorer"))], workers=1)
    with TestClient(app) as client:
        assert client.get("/explore").text == "explorer"
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        on_disk = client.get("/sparql", params={"query": PLANS}).json()
    with TestClient(create_app(stored, workers=1, in_memory=True)) as client:
        assert client.get("/sparql", params={"query": PLANS}).json() == on_disk


def test_serve_refuses_a_folder_that_is_no_build(tmp_path):
    from plankg.errors import GraphDirError
    from plankg.server import create_app

    with pytest.raises(GraphDirError):
        create_app(tmp_path)
    assert os.listdir(tmp_path) == []
