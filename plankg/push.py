"""Uploading a build into a triple store (``plankg push``).

The build's ``graph.nt`` is sent with one SPARQL 1.1 Graph Store HTTP Protocol
``PUT`` to ``ENDPOINT?graph=IRI``: the named graph is replaced as a whole, so
one graph holds one build and pushing again swaps the old build for the new
one, leaving the store's other graphs alone. Oxigraph server
(``/store``) and Fuseki (``/DATASET/data``) both speak this protocol.
"""
from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from plankg.errors import PlankgError

DEFAULT_GRAPH_IRI = "https://w3id.org/plankg/build"
PASSWORD_ENV = "PLANKG_ENDPOINT_PASSWORD"


class PushError(PlankgError):
    """The triple store refused the upload or could not be reached."""


@dataclass
class PushReport:
    """What was sent where."""

    endpoint: str
    graph_iri: str
    triples: int
    bytes: int
    status: int
    seconds: float


def graph_url(endpoint: str, graph_iri: str) -> str:
    """The Graph Store Protocol URL of a named graph (``?graph=`` appended, encoded).

    >>> graph_url("http://localhost:7878/store", "https://w3id.org/plankg/build")
    'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fplankg%2Fbuild'
    """
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph_iri})}"


def push(graph_dir: str | Path, endpoint: str, graph_iri: str = DEFAULT_GRAPH_IRI, user: str | None = None,
         password: str | None = None, timeout: float = 600.0) -> PushReport:
    """Replace the named graph ``graph_iri`` of a Graph Store endpoint with a
    build's triples (HTTP PUT of graph.nt). With ``user``, HTTP basic
    authentication is used, the password from the argument or
    ``$PLANKG_ENDPOINT_PASSWORD``."""
    from plankg.graph.store import graph_file

    nt = graph_file(graph_dir)
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise PushError(f"{endpoint}: give the store's Graph Store endpoint as an http(s) URL, "
                        "e.g. http://localhost:7878/store (Oxigraph) or http://localhost:3030/DATASET/data (Fuseki)")
    size = nt.stat().st_size
    headers = {"Content-Type": "application/n-triples", "Content-Length": str(size)}
    if user:
        secret = password if password is not None else os.environ.get(PASSWORD_ENV, "")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()
    started = time.perf_counter()
    with nt.open("rb") as body:
        request = urllib.request.Request(graph_url(endpoint, graph_iri), data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace").strip().splitlines()
            raise PushError(f"{endpoint} refused the upload: HTTP {exc.code} {exc.reason}"
                            + (f": {detail[0]}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PushError(f"cannot reach {endpoint}: {reason}") from None
    triples = _count_lines(nt)
    return PushReport(endpoint, graph_iri, triples, size, status, time.perf_counter() - started)


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
