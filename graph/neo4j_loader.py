"""Loading a property graph into Neo4j through the official driver:
the connection, batched writes in managed transactions (transient errors are
retried by the driver), pruning what earlier builds left, and canned queries.

The password comes from the caller or ``NEO4J_PASSWORD``, never from the
command line, and never appears in a message: errors name the server (its
URI without any user-info part) and the user, and any text a server or the
driver returns is scrubbed of the password before it is shown.
"""
from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from plankg.errors import Neo4jError
from plankg.graph import cypher
from plankg.graph.neo4j_mapping import PropertyGraph
from plankg.queries import QueryResult

BATCH_SIZE = 2000


class Neo4jLoadError(Neo4jError):
    """Neo4j could not be reached, refused the credentials, or failed a write."""


@dataclass
class LoadReport:
    """What a load wrote."""

    nodes: int
    relationships: int
    seconds: float
    build_id: str


def safe_uri(uri: str) -> str:
    """The URI without user and password (``bolt://u:p@host`` → ``bolt://host``), for
    messages; everything up to the last ``@`` of the authority goes, whatever it holds.

    >>> safe_uri("neo4j+s://neo4j:secret@example.org:7687")
    'neo4j+s://example.org:7687'
    >>> safe_uri("bolt://neo4j:a/b@c@localhost:7687/db")
    'bolt://localhost:7687/db'
    """
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest:
        return uri
    return f"{scheme}://{rest.rsplit('@', 1)[1]}"


def scrub(text: str, password: str | None) -> str:
    """``text`` with every occurrence of the password masked: as written, as a
    Python or JSON string literal would escape it, and percent-encoded."""
    if not password:
        return text
    forms = {password, repr(password)[1:-1], json.dumps(password)[1:-1], quote(password, safe=""), quote(password)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "********")
    return text


def resolve_password(password: str | None) -> str:
    """The given password, else ``NEO4J_PASSWORD``; a clear error when neither is set."""
    if password is None:
        password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        raise Neo4jLoadError("set NEO4J_PASSWORD to the Neo4j user's password (it is never taken on the command line)")
    return password


def _driver(uri: str, user: str, password: str):
    from neo4j import GraphDatabase

    return GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10, max_transaction_retry_time=30,
                                notifications_min_severity="OFF")


def _translate(exc: Exception, uri: str, user: str, password: str | None) -> Neo4jLoadError:
    """One clear message for a driver failure, naming neither the password nor the URI's user-info."""
    from neo4j.exceptions import AuthError, ServiceUnavailable

    where = safe_uri(uri)
    if isinstance(exc, AuthError):
        return Neo4jLoadError(f"Neo4j at {where} refused the credentials of user {user!r} (check NEO4J_PASSWORD)")
    if isinstance(exc, (ServiceUnavailable, OSError)):
        return Neo4jLoadError(f"cannot reach Neo4j at {where}: {type(exc).__name__}")
    return Neo4jLoadError(f"Neo4j at {where} failed: {scrub(str(exc).replace(uri, where), password)}")


def _write(session, statement: str, **params):
    """Run one parameterised statement in a managed write transaction (retried
    on transient errors); return its single record, if any."""
    return session.execute_write(lambda tx: tx.run(statement, **params).single())


def _read_count(session, statement: str) -> int:
    return session.execute_read(lambda tx: tx.run(statement).single()["c"])


def _batches(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def node_batches(pg: PropertyGraph) -> dict[tuple[str, ...], list[dict]]:
    """The node rows of a property graph by label set, stamped with the build id."""
    by_labels: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for node in pg.nodes.values():
        by_labels[tuple(node["labels"])].append(dict(node["props"], plankg_build=pg.build_id))
    return dict(sorted(by_labels.items()))


def relationship_batches(pg: PropertyGraph) -> dict[str, list[dict]]:
    """The relationship rows of a property graph by type, stamped with the build id."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    for s, t, o, props in pg.relationships:
        by_type[t].append({"s": s, "o": o, "props": dict(props, plankg_build=pg.build_id)})
    return dict(sorted(by_type.items()))


def guarded(call, uri: str, user: str, password: str | None):
    """``call()``, with any driver failure turned into one ``Neo4jLoadError``.
    The original exception is not attached (neither as cause nor as context):
    the driver quotes the URI as given, user-info and password included."""
    try:
        return call()
    except Neo4jLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - turned into one clear message
        failure = _translate(exc, uri, user, password)
    raise failure


def load(pg: PropertyGraph, uri: str, user: str = "neo4j", password: str | None = None,
         database: str | None = None, wipe: bool = False, batch_size: int = BATCH_SIZE) -> LoadReport:
    """Load a property graph: constraints first, then batched UNWIND … MERGE.

    Idempotent (MERGE on ``iri``; relationships merged on their ends and
    type). Every node and relationship is stamped with the build id; when
    all batches are in, what an earlier build left is removed, so a load cut
    off half-way is repaired by running it again. ``wipe`` first removes all
    of plankg's own data (nodes labelled ``PlankgResource``) and nothing else.
    """
    started = time.perf_counter()
    password = resolve_password(password)
    nodes, rels = guarded(lambda: _load(pg, uri, user, password, database, wipe, batch_size), uri, user, password)
    return LoadReport(nodes, rels, time.perf_counter() - started, pg.build_id)


def _load(pg: PropertyGraph, uri: str, user: str, password: str, database: str | None, wipe: bool,
          batch_size: int) -> tuple[int, int]:
    driver = _driver(uri, user, password)
    try:
        with driver.session(database=database) as session:
            _write(session, cypher.constraint())
            if wipe:
                _delete_in_batches(session, cypher.wipe_batch())
            for labels, rows in node_batches(pg).items():
                statement = cypher.merge_nodes(labels)
                for batch in _batches(rows, batch_size):
                    _write(session, statement, rows=batch)
            for rel_type, rows in relationship_batches(pg).items():
                statement = cypher.merge_relationships(rel_type)
                for batch in _batches(rows, batch_size):
                    _write(session, statement, rows=batch)
            prune(session, pg.build_id)
            return _read_count(session, cypher.count_nodes()), _read_count(session, cypher.count_relationships())
    finally:
        driver.close()


def _delete_in_batches(session, statement: str, **params) -> None:
    while _write(session, statement, limit=cypher.DELETE_BATCH, **params)["c"]:
        pass


def prune(session, build_id: str) -> None:
    """Remove what other builds left: relationships first, then nodes."""
    _delete_in_batches(session, cypher.prune_relationships_batch(), build=build_id)
    _delete_in_batches(session, cypher.prune_nodes_batch(), build=build_id)


def run_cypher(query, uri: str, user: str = "neo4j", password: str | None = None, database: str | None = None):
    """Run a canned query's Cypher form; cells become strings like the SPARQL form's."""
    if not query.cypher:
        raise Neo4jLoadError(f"query {query.name!r} has no Cypher form")
    password = resolve_password(password)
    records = guarded(lambda: _execute(query.cypher, uri, user, password, database), uri, user, password)
    rows = [tuple(_cell(r[c]) for c in query.columns) for r in records]
    return QueryResult(list(query.columns), rows)


def _execute(statement: str, uri: str, user: str, password: str, database: str | None) -> list:
    driver = _driver(uri, user, password)
    try:
        return driver.execute_query(statement, database_=database).records
    finally:
        driver.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
