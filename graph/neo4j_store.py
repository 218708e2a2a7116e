"""The knowledge graph as a Neo4j property graph: mapping, loading, querying, export.

Mapping (see the README for the comparison with neosemantics):

* every IRI resource is a node labelled ``PlankgResource`` plus the local
  names of its ``rdf:type`` classes (``Plan``, ``City``, ``Agency``,
  ``DevelopmentAxis`` …), keyed by a uniquely constrained ``iri``;
* literal statements become node properties named by the predicate's local
  name (``prefLabel``, ``title``); a literal in a language other than
  simplified Chinese gets the tag in its name (``hiddenLabel_zh_Hant``); a
  property with several values on a node is a list; integers, decimals and
  booleans keep their type, every other literal its lexical form;
* statements between resources become relationships typed by the
  predicate's local name in upper snake case (``nodeCity`` → ``NODE_CITY``);
* provenance stays as ``Evidence`` nodes (one per statement and occurrence):
  ``(:Evidence)-[:SUBJECT]->(x)``, ``-[:OBJECT]->(y)`` for resource objects,
  the predicate and literal object as properties, the text selectors folded
  into ``starts``, ``ends`` and ``exact``, ``-[:WAS_DERIVED_FROM]->`` the
  source document. Relationships list the IRIs of their evidence in
  ``evidence``.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plankg.errors import Neo4jError
from plankg.graph.namespaces import OA, PKG
from plankg.queries import QueryResult

RESOURCE_LABEL = "PlankgResource"
BATCH_SIZE = 2000
_INT_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.int, XSD.long, XSD.positiveInteger}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


class Neo4jLoadError(Neo4jError):
    """Neo4j could not be reached, refused the credentials, or failed a write."""


@dataclass
class PropertyGraph:
    """Nodes (iri → labels, properties) and relationships (start, type, end, properties)."""

    nodes: dict[str, dict] = field(default_factory=dict)
    relationships: list[tuple[str, str, str, dict]] = field(default_factory=list)
    build_id: str = ""

    def counts(self) -> tuple[int, int]:
        """Number of nodes and relationships."""
        return len(self.nodes), len(self.relationships)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after # or /)."""
    return re.split(r"[#/]", str(iri))[-1]


def relationship_type(predicate: str) -> str:
    """``nodeCity`` → ``NODE_CITY``, ``passed_by`` → ``PASSED_BY``."""
    name = local_name(predicate)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def _property_name(predicate: URIRef, lit: Literal) -> str:
    name = local_name(predicate)
    if lit.language and lit.language.lower() != "zh-hans":
        name += "_" + re.sub(r"[^A-Za-z0-9]", "_", lit.language)
    return name


def _value(lit: Literal):
    if lit.datatype in _INT_TYPES:
        return int(lit)
    if lit.datatype in _FLOAT_TYPES:
        return float(lit)
    if lit.datatype == XSD.boolean:
        return lit.toPython() is True
    return str(lit)


def to_property_graph(graph: Graph) -> PropertyGraph:
    """Map an RDF graph (as plankg builds it) to a property graph."""
    pg = PropertyGraph()
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, set[str]] = defaultdict(set)
    edges: dict[tuple[str, str, str], list[str]] = {}
    evidence_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    selectors: dict[str, str] = {}
    for s, p, o in graph.triples((None, OA.hasSelector, None)):
        selectors[str(o)] = str(s)
    evidence_nodes = {str(e) for e in graph.subjects(RDF.type, PKG.Evidence)}
    for ev in evidence_nodes:
        e = URIRef(ev)
        s, p, o = graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object)
        if isinstance(o, URIRef):
            evidence_of[(str(s), relationship_type(p), str(o))].append(ev)
    for s, p, o in sorted(graph):
        s_key = str(s)
        if s_key in selectors:  # selectors fold into their evidence node
            ev = selectors[s_key]
            if p == OA.start:
                props[ev]["starts"].append(int(o))
            elif p == OA.end:
                props[ev]["ends"].append(int(o))
            elif p == OA.exact:
                props[ev]["exact"].append(str(o))
            continue
        labels[s_key].add(RESOURCE_LABEL)
        if p == RDF.type:
            labels[s_key].add(local_name(o))
            continue
        if p == OA.hasSelector:
            continue
        if s_key in evidence_nodes and p in (RDF.subject, RDF.object):
            if isinstance(o, URIRef):
                edges.setdefault((s_key, "SUBJECT" if p == RDF.subject else "OBJECT", str(o)), [])
                labels[str(o)].add(RESOURCE_LABEL)
            else:
                props[s_key]["objectLiteral"].append(_value(o))
            continue
        if s_key in evidence_nodes and p == RDF.predicate:
            props[s_key]["predicate"].append(str(o))
            continue
        if isinstance(o, Literal):
            props[s_key][_property_name(p, o)].append(_value(o))
        else:
            labels[str(o)].add(RESOURCE_LABEL)
            key = (s_key, relationship_type(p), str(o))
            edges.setdefault(key, [])
    for iri in sorted(labels):
        node_props = {"iri": iri}
        for name, values in sorted(props.get(iri, {}).items()):
            if name in ("starts", "ends"):
                node_props[name] = values  # one entry per span, in selector order
            else:
                values = sorted(set(values), key=str) if len(values) > 1 else values
                node_props[name] = values if len(values) > 1 else values[0]
        pg.nodes[iri] = {"labels": sorted(labels[iri]), "props": node_props}
    for (s, t, o) in sorted(edges):
        rel_props = {}
        if evidence_of.get((s, t, o)):
            rel_props["evidence"] = sorted(evidence_of[(s, t, o)])
        pg.relationships.append((s, t, o, rel_props))
    digest = hashlib.sha256()
    for s, p, o in sorted(graph):
        digest.update(f"{s} {p} {o}\n".encode("utf-8"))
    pg.build_id = digest.hexdigest()[:16]
    return pg


# ---------------------------------------------------------------- loading

def _driver(uri: str, user: str, password: str | None):
    from neo4j import GraphDatabase

    if password is None:
        password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        raise Neo4jLoadError("set NEO4J_PASSWORD to the Neo4j user's password (it is never taken on the command line)")
    return GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10, max_transaction_retry_time=30,
                                notifications_min_severity="OFF")


def _translate(exc: Exception, uri: str, user: str) -> Neo4jLoadError:
    from neo4j.exceptions import AuthError, ServiceUnavailable

    if isinstance(exc, AuthError):
        return Neo4jLoadError(f"Neo4j at {uri} refused the credentials of user {user!r} (check NEO4J_PASSWORD)")
    if isinstance(exc, (ServiceUnavailable, OSError)):
        return Neo4jLoadError(f"cannot reach Neo4j at {uri}: {type(exc).__name__}")
    return Neo4jLoadError(f"Neo4j at {uri} failed: {exc}")


def _label_clause(labels: list[str]) -> str:
    return "".join(f":`{label}`" for label in labels if label != RESOURCE_LABEL)


@dataclass
class LoadReport:
    """What a load wrote."""

    nodes: int
    relationships: int
    seconds: float
    build_id: str


def load(pg: PropertyGraph, uri: str, user: str = "neo4j", password: str | None = None,
         database: str | None = None, wipe: bool = False, batch_size: int = BATCH_SIZE) -> LoadReport:
    """Load a property graph: constraints first, then batched UNWIND … MERGE.

    Idempotent (MERGE on ``iri``; relationships merged on their ends and
    type). Every node and relationship is stamped with the build id; when
    all batches are in, what an earlier build left is removed, so a load cut
    off half-way is repaired by running it again. ``wipe`` first removes all
    of plankg's own data (nodes labelled ``PlankgResource``) and nothing else.
    """
    import time

    started = time.perf_counter()
    driver = _driver(uri, user, password)
    try:
        with driver.session(database=database) as session:
            session.run(f"CREATE CONSTRAINT plankg_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE").consume()
            if wipe:
                _wipe(session)
            by_labels: dict[tuple[str, ...], list[dict]] = defaultdict(list)
            for node in pg.nodes.values():
                by_labels[tuple(node["labels"])].append(dict(node["props"], plankg_build=pg.build_id))
            for labels, rows in sorted(by_labels.items()):
                query = (f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) "
                         f"SET n = row SET n{_label_clause(list(labels))}" if len(labels) > 1 else
                         f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) SET n = row")
                for i in range(0, len(rows), batch_size):
                    session.execute_write(lambda tx, q=query, b=rows[i:i + batch_size]: tx.run(q, rows=b).consume())
            by_type: dict[str, list[dict]] = defaultdict(list)
            for s, t, o, props in pg.relationships:
                by_type[t].append({"s": s, "o": o, "props": dict(props, plankg_build=pg.build_id)})
            for rel_type, rows in sorted(by_type.items()):
                query = (f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{iri: row.s}}) "
                         f"MATCH (b:{RESOURCE_LABEL} {{iri: row.o}}) MERGE (a)-[r:`{rel_type}`]->(b) SET r = row.props")
                for i in range(0, len(rows), batch_size):
                    session.execute_write(lambda tx, q=query, b=rows[i:i + batch_size]: tx.run(q, rows=b).consume())
            _prune(session, pg.build_id)
            nodes = session.run(f"MATCH (n:{RESOURCE_LABEL}) RETURN count(n) AS c").single()["c"]
            rels = session.run(f"MATCH (:{RESOURCE_LABEL})-[r]->(:{RESOURCE_LABEL}) RETURN count(r) AS c").single()["c"]
    except Neo4jLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - turned into one clear message
        raise _translate(exc, uri, user) from exc
    finally:
        driver.close()
    return LoadReport(nodes, rels, time.perf_counter() - started, pg.build_id)


def _wipe(session) -> None:
    while session.execute_write(
        lambda tx: tx.run(f"MATCH (n:{RESOURCE_LABEL}) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS c").single()["c"]
    ):
        pass


def _prune(session, build_id: str) -> None:
    """Remove what other builds left: relationships first, then nodes."""
    while session.execute_write(lambda tx: tx.run(
        f"MATCH (:{RESOURCE_LABEL})-[r]->(:{RESOURCE_LABEL}) WHERE r.plankg_build <> $b "
        "WITH r LIMIT 5000 DELETE r RETURN count(*) AS c", b=build_id).single()["c"]):
        pass
    while session.execute_write(lambda tx: tx.run(
        f"MATCH (n:{RESOURCE_LABEL}) WHERE n.plankg_build <> $b WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS c",
        b=build_id).single()["c"]):
        pass


def run_cypher(query, uri: str, user: str = "neo4j", password: str | None = None, database: str | None = None):
    """Run a canned query's Cypher form; cells become strings like the SPARQL form's."""
    if not query.cypher:
        raise Neo4jLoadError(f"query {query.name!r} has no Cypher form")
    driver = _driver(uri, user, password)
    try:
        records, _, keys = driver.execute_query(query.cypher, database_=database)
    except Exception as exc:  # noqa: BLE001
        raise _translate(exc, uri, user) from exc
    finally:
        driver.close()
    rows = [tuple(_cell(r[c]) for c in query.columns) for r in records]
    return QueryResult(list(query.columns), rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- offline export

def _csv_type(values) -> str:
    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, list):
        inner = next((x for x in sample), "")
        return "int[]" if isinstance(inner, int) and not isinstance(inner, bool) else "string[]"
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "long"
    if isinstance(sample, float):
        return "double"
    return "string"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_offline(pg: PropertyGraph, out_dir: str | Path) -> list[Path]:
    """Write CSV files for ``neo4j-admin database import``, the command that
    imports them (``import.sh``), and a Cypher script (``load.cypher``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for node in pg.nodes.values():
        groups[tuple(node["labels"])].append(node["props"])
    node_files = []
    for n, (labels, rows) in enumerate(sorted(groups.items())):
        keys = sorted({k for r in rows for k in r if k != "iri"})
        path = out / f"nodes_{n:02d}_{'_'.join(l for l in labels if l != RESOURCE_LABEL) or 'Resource'}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["iri:ID", ":LABEL"] + [f"{k}:{_csv_type([r.get(k) for r in rows])}" for k in keys])
            for r in rows:
                w.writerow([r["iri"], ";".join(labels)] + [_csv_cell(r.get(k)) for k in keys])
        node_files.append(path)
    rel_files = []
    by_type: dict[str, list] = defaultdict(list)
    for s, t, o, props in pg.relationships:
        by_type[t].append((s, o, props))
    for t, rows in sorted(by_type.items()):
        path = out / f"rels_{t}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow([":START_ID", ":END_ID", ":TYPE", "evidence:string[]"])
            for s, o, props in rows:
                w.writerow([s, o, t, _csv_cell(props.get("evidence"))])
        rel_files.append(path)
    command = ["neo4j-admin", "database", "import", "full", "--overwrite-destination", "--array-delimiter=';'",
               *[f"--nodes={p.name}" for p in node_files], *[f"--relationships={p.name}" for p in rel_files], "neo4j"]
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Offline import into a stopped Neo4j 5 (database 'neo4j' is replaced). Run from this folder.\n"
        + " ".join(command[:5]) + " \\\n  " + " \\\n  ".join(command[5:]) + "\n", encoding="utf-8")
    script.chmod(0o755)
    cypher = out / "load.cypher"
    with cypher.open("w", encoding="utf-8") as f:
        f.write(f"// plankg graph for cypher-shell -f load.cypher (build {pg.build_id})\n")
        f.write(f"CREATE CONSTRAINT plankg_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE;\n")
        for labels, rows in sorted(groups.items()):
            for i in range(0, len(rows), 500):
                f.write(f"UNWIND {_cypher_literal(rows[i:i + 500])} AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) "
                        f"SET n = row SET n{_label_clause(list(labels))};\n" if len(labels) > 1 else
                        f"UNWIND {_cypher_literal(rows[i:i + 500])} AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) SET n = row;\n")
        for t, rows in sorted(by_type.items()):
            for i in range(0, len(rows), 500):
                data = [{"s": s, "o": o, "props": props} for s, o, props in rows[i:i + 500]]
                f.write(f"UNWIND {_cypher_literal(data)} AS row MATCH (a:{RESOURCE_LABEL} {{iri: row.s}}) "
                        f"MATCH (b:{RESOURCE_LABEL} {{iri: row.o}}) MERGE (a)-[r:`{t}`]->(b) SET r = row.props;\n")
    written.extend(node_files + rel_files + [script, cypher])
    return written


def _cypher_literal(value) -> str:
    """A Cypher literal for JSON-like data (maps, lists, strings, numbers, booleans)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {_cypher_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_cypher_literal(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
