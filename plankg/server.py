"""A read-only SPARQL 1.1 Protocol endpoint over a build (``plankg serve``).

``create_app`` returns a Starlette application with ``/sparql`` (GET
``?query=``, POST form-encoded or ``application/sparql-query``) and any
further routes given (an explorer web app mounts itself this way). Queries run
in a small pool of worker processes, each holding the build's store
read-only, so a query over its time limit is stopped by ending its worker
(Oxigraph cannot interrupt a running query, and holds the GIL while it runs),
and two queries use two cores. SPARQL Update and federated ``SERVICE`` calls
are refused: the endpoint never writes and never contacts another host.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 2
MAX_QUERY_BYTES = 100_000

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
}


@dataclass
class Outcome:
    """What a worker returns: an HTTP status, a content type and the body."""

    status: int
    content_type: str
    body: bytes


def error(status: int, message: str) -> Outcome:
    """A plain-text error outcome."""
    return Outcome(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# --- refusing what a read-only, closed endpoint must not do -----------------

_MASK = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
    re.S,
)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.I)
_UPDATE = re.compile(r"(?<![\w?$:])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)(?![\w:-])", re.I)


def masked(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked out, so keywords
    can be looked for without matching inside them.

    >>> masked('SELECT * { ?s <urn:SERVICE> "SERVICE" } # SERVICE')
    'SELECT * { ?s _ _ } _'
    """
    return _MASK.sub("_", sparql)


def uses_service(sparql: str) -> bool:
    """Whether a query calls ``SERVICE`` (a federated query to another endpoint).

    >>> uses_service('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT ?service { ?service a <urn:Service> }')
    False
    """
    return bool(_SERVICE.search(masked(sparql)))


def looks_like_update(sparql: str) -> bool:
    """Whether a request text is a SPARQL Update rather than a query.

    >>> looks_like_update('PREFIX x: <urn:x> INSERT DATA { x:a x:b x:c }')
    True
    >>> looks_like_update('SELECT ?insert { ?insert ?p "DELETE" }')
    False
    """
    text = masked(sparql)
    update = _UPDATE.search(text)
    form = re.search(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", text, re.I)
    return bool(update) and (not form or update.start() < form.start())


# --- content negotiation ----------------------------------------------------

def accepted(accept: str | None) -> list[str]:
    """Media types of an ``Accept`` header, best first (q=0 dropped).

    >>> accepted('text/csv;q=0.5, application/sparql-results+json')
    ['application/sparql-results+json', 'text/csv']
    """
    ranked = []
    for n, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        if q > 0:
            ranked.append((-q, n, fields[0].lower()))
    return [t for _, _, t in sorted(ranked)]


def choose_format(types: list[str], offered: dict[str, str], default: str) -> str | None:
    """The format to answer in: the first acceptable offered type, the default
    for no header or a wildcard, None when nothing offered is acceptable."""
    if not types:
        return default
    for t in types:
        if t in offered:
            return offered[t]
        if t == "*/*" or (t.endswith("/*") and any(o.startswith(t[:-1]) and offered[o] == default for o in offered)):
            return default
        if t.endswith("/*"):
            for o, fmt in offered.items():
                if o.startswith(t[:-1]):
                    return fmt
    return None


# --- serialising results ----------------------------------------------------

def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _term_xml(term) -> str:
    j = _term_json(term)
    kind = {"uri": "uri", "bnode": "bnode", "literal": "literal"}.get(j["type"], "literal")
    attrs = ""
    if "xml:lang" in j:
        attrs = f" xml:lang={quoteattr(j['xml:lang'])}"
    elif "datatype" in j:
        attrs = f" datatype={quoteattr(j['datatype'])}"
    return f"<{kind}{attrs}>{escape(j['value'])}</{kind}>"


def serialize_solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """SELECT results (rows of pyoxigraph terms or None) in a W3C results format."""
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                 for v, t in zip(variables, row) if t is not None) + "</result>"
            for row in rows)
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{body}</results></sparql>\n").encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else t.value for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result in a W3C results format."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return ("true\n" if value else "false\n").encode() if fmt == "tsv" else f"_askResult\r\n{str(value).lower()}\r\n".encode()


def run_query(store, sparql: str, accept: list[str], max_results: int) -> Outcome:
    """Answer one query on a store: refusals, then evaluation, the result-size
    limit and serialisation in the negotiated format."""
    import pyoxigraph as ox

    if looks_like_update(sparql):
        return error(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if uses_service(sparql):
        return error(403, "federated queries (SERVICE) are disabled on this endpoint")
    try:
        result = store.query(sparql)
        if isinstance(result, ox.QueryBoolean):
            fmt = choose_format(accept, SELECT_TYPES, "json")
            if fmt is None:
                return error(406, f"ASK results come as {', '.join(sorted(set(SELECT_TYPES)))}")
            return Outcome(200, CONTENT_TYPES[fmt], serialize_boolean(bool(result), fmt))
        if isinstance(result, ox.QuerySolutions):
            fmt = choose_format(accept, SELECT_TYPES, "json")
            if fmt is None:
                return error(406, f"SELECT results come as {', '.join(sorted(set(SELECT_TYPES)))}")
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_results:
                    return too_many(max_results, "rows")
                rows.append([solution[v] for v in variables])
            return Outcome(200, CONTENT_TYPES[fmt], serialize_solutions(variables, rows, fmt))
        fmt = choose_format(accept, GRAPH_TYPES, "turtle")
        if fmt is None:
            return error(406, f"CONSTRUCT and DESCRIBE results come as {', '.join(sorted(GRAPH_TYPES))}")
        triples = []
        for triple in result:
            if len(triples) == max_results:
                return too_many(max_results, "triples")
            triples.append(triple)
        if fmt == "turtle":
            from plankg.graph.namespaces import PREFIXES

            body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={k: str(v) for k, v in PREFIXES.items()})
        else:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        return Outcome(200, CONTENT_TYPES[fmt], body or b"")
    except SyntaxError as exc:
        return error(400, f"malformed query: {exc}")
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return error(400, f"query failed: {exc}")


def too_many(limit: int, what: str) -> Outcome:
    """The error for a result over the size limit."""
    return error(413, f"the result has more than {limit} {what}, this endpoint's limit (--max-results); "
                      "add a LIMIT or narrow the query")


# --- worker processes -------------------------------------------------------

def _worker(conn, graph_dir: str, in_memory: bool = False) -> None:
    """A worker process: open the store once (or parse graph.nt into memory),
    then answer queries from ``conn``."""
    from plankg.graph.store import load_store, open_store

    store = load_store(graph_dir) if in_memory else open_store(graph_dir, note=lambda m: None)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        sparql, accept, max_results = job
        outcome = run_query(store, sparql, accept, max_results)
        conn.send((outcome.status, outcome.content_type, outcome.body))


class QueryTimeout(Exception):
    """A query ran past the time limit; its worker was stopped."""


class Busy(Exception):
    """No worker became free within the time limit."""


class WorkerPool:
    """Worker processes holding the store; a query over its time limit ends its
    worker, and a fresh one takes its place."""

    def __init__(self, graph_dir: str | Path, size: int = DEFAULT_WORKERS, in_memory: bool = False):
        self.graph_dir = str(graph_dir)
        self.in_memory = in_memory
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(child, self.graph_dir, self.in_memory), daemon=True)
        proc.start()
        child.close()
        if not parent.poll(3600) or parent.recv() != "ready":
            proc.kill()
            raise RuntimeError(f"a query worker could not open {self.graph_dir}")
        with self._lock:
            self._all.add((proc, parent))
        return proc, parent

    def run(self, sparql: str, accept: list[str], max_results: int, timeout: float) -> Outcome:
        """Run a query on an idle worker; raises ``Busy`` when none frees up within
        ``timeout`` seconds, ``QueryTimeout`` when the query runs longer."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Busy() from None
        proc, conn = worker
        try:
            conn.send((sparql, accept, max_results))
            if conn.poll(timeout):
                status, ctype, body = conn.recv()
                self._idle.put(worker)
                return Outcome(status, ctype, body)
        except (EOFError, OSError, BrokenPipeError):
            pass
        self._retire(worker)
        self._idle.put(self._start())
        if proc.exitcode not in (None, -9):
            raise RuntimeError("a query worker died")
        raise QueryTimeout()

    def _retire(self, worker) -> None:
        proc, conn = worker
        proc.kill()
        proc.join()
        conn.close()
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._retire(w)


# --- the application --------------------------------------------------------

def create_app(graph_dir: str | Path, *, extra_routes: Iterable = (), timeout: float = DEFAULT_TIMEOUT,
               max_results: int = DEFAULT_MAX_RESULTS, workers: int = DEFAULT_WORKERS, in_memory: bool = False,
               allowed_hosts: Iterable[str] | None = None):
    """A Starlette app serving a build at ``/sparql`` (read-only SPARQL 1.1
    Protocol), plus ``extra_routes`` (Starlette routes or mounts, e.g. an
    explorer). ``timeout`` is the per-query time limit in seconds,
    ``max_results`` the most rows (or triples) a query may return,
    ``workers`` the number of query processes; ``in_memory`` has each worker
    parse graph.nt into memory instead of opening ``store/`` (slower to start,
    more memory, queries several times faster). ``allowed_hosts`` limits the
    ``Host`` header a request may carry (``serve`` gives the loopback names
    when listening on loopback, so a web page cannot reach the endpoint
    through DNS rebinding); None accepts any."""
    from contextlib import asynccontextmanager

    import anyio
    from starlette.applications import Starlette
    from starlette.routing import Route

    from plankg.graph.store import graph_file, has_store

    graph_dir = Path(graph_dir)
    if not has_store(graph_dir):
        graph_file(graph_dir)  # says what is wrong with a folder that is no build

    @asynccontextmanager
    async def lifespan(app):
        app.state.pool = await anyio.to_thread.run_sync(WorkerPool, graph_dir, max(1, workers), in_memory)
        try:
            yield
        finally:
            app.state.pool.close()

    async def sparql(request):
        if request.method == "GET":
            params = request.query_params
            text = params.get("query")
            if "update" in params:
                return _response(error(403, "this endpoint is read-only: SPARQL Update is not accepted"))
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _response(error(403, "this endpoint is read-only: SPARQL Update is not accepted"))
            body = await _bounded_body(request, MAX_QUERY_BYTES)
            if body is None:
                return _response(error(413, f"queries are limited to {MAX_QUERY_BYTES} bytes"))
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qs

                form = parse_qs(body.decode("utf-8", "replace"))
                if "update" in form:
                    return _response(error(403, "this endpoint is read-only: SPARQL Update is not accepted"))
                text = (form.get("query") or [None])[0]
            else:
                return _response(error(415, "POST a query as application/sparql-query or as a form "
                                            "(application/x-www-form-urlencoded) with a query field"))
        if not text:
            return _response(error(400, "no query: give ?query=…"))
        if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
            return _response(error(413, f"queries are limited to {MAX_QUERY_BYTES} bytes"))
        accept = accepted(request.headers.get("accept"))
        pool = request.app.state.pool
        try:
            outcome = await anyio.to_thread.run_sync(pool.run, text, accept, max_results, timeout)
        except QueryTimeout:
            outcome = error(503, f"the query ran longer than {timeout:g} s, this endpoint's time limit (--timeout)")
        except Busy:
            outcome = error(503, f"every query worker stayed busy for {timeout:g} s; try again later")
        return _response(outcome)

    routes = [Route("/sparql", sparql, methods=["GET", "POST"]), *extra_routes]
    middleware = []
    if allowed_hosts is not None:
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


async def _bounded_body(request, limit: int) -> bytes | None:
    """The request body, or None as soon as it exceeds ``limit`` bytes (a huge
    upload is not read into memory)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _response(outcome: Outcome):
    from starlette.responses import Response

    headers = {"Vary": "Accept", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    if outcome.status == 503:
        headers["Retry-After"] = "5"
    return Response(outcome.body, status_code=outcome.status, media_type=outcome.content_type, headers=headers)


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_CONNECTIONS = 100


def loopback_hosts(host: str) -> list[str] | None:
    """The Host names to accept when listening on ``host``: the loopback names
    for a loopback address, None (any) otherwise.

    >>> loopback_hosts("127.0.0.1")
    ['127.0.0.1', 'localhost', '::1', '[::1]']
    >>> loopback_hosts("0.0.0.0") is None
    True
    """
    return list(LOOPBACK) if host in LOOPBACK else None


def serve(graph_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Run the endpoint with uvicorn until interrupted (``options``: as ``create_app``).

    At most ``MAX_CONNECTIONS`` connections are served at once (more get 503),
    idle keep-alive connections close after 5 s, and no ``Server`` header is sent.
    """
    import uvicorn

    options.setdefault("allowed_hosts", loopback_hosts(host))
    uvicorn.run(create_app(graph_dir, **options), host=host, port=port, log_level="warning",
                limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=5, server_header=False)
