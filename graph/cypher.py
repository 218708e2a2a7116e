"""Every Cypher statement plankg sends to Neo4j or writes to a script, built in one place.

Values always travel as parameters (``$rows``, ``$build``, ``$limit``); only
labels and relationship types, which Cypher 5 cannot take as parameters,
are spliced in, as backtick-quoted identifiers (a backtick inside is
doubled). The offline script ``load.cypher`` runs the same statements with
their parameters written as Cypher literals (``inline``), escaped so that no
value can close a string or a statement.

>>> merge_relationships("NODE_CITY")
'UNWIND $rows AS row MATCH (a:PlankgResource {iri: row.s}) MATCH (b:PlankgResource {iri: row.o}) MERGE (a)-[r:`NODE_CITY`]->(b) SET r = row.props'
>>> identifier("a`b")
'`a``b`'
>>> literal("it's\\n}) RETURN 1 //")
"'it\\\\'s\\\\n}) RETURN 1 //'"
"""
from __future__ import annotations

import math
import re

RESOURCE_LABEL = "PlankgResource"
DELETE_BATCH = 5000


def identifier(name: str) -> str:
    """A label, relationship type or property key as a quoted Cypher identifier."""
    return "`" + str(name).replace("`", "``") + "`"


def label_expression(labels) -> str:
    """``:`Plan`:`Resource``` for the labels other than ``PlankgResource`` (the MERGE key label)."""
    return "".join(f":{identifier(label)}" for label in labels if label != RESOURCE_LABEL)


def constraint() -> str:
    """The uniqueness constraint every load needs first."""
    return f"CREATE CONSTRAINT plankg_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE"


def merge_nodes(labels) -> str:
    """Upsert nodes of one label set from ``$rows`` (maps holding ``iri`` and every property)."""
    statement = f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) SET n = row"
    extra = label_expression(labels)
    return f"{statement} SET n{extra}" if extra else statement


def merge_relationships(rel_type: str) -> str:
    """Upsert relationships of one type from ``$rows`` (maps of ``s``, ``o`` and ``props``)."""
    return (f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{iri: row.s}}) "
            f"MATCH (b:{RESOURCE_LABEL} {{iri: row.o}}) MERGE (a)-[r:{identifier(rel_type)}]->(b) SET r = row.props")


def wipe_batch() -> str:
    """Delete up to ``$limit`` of plankg's nodes (and their relationships); returns the count ``c``."""
    return f"MATCH (n:{RESOURCE_LABEL}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c"


def prune_relationships_batch() -> str:
    """Delete up to ``$limit`` relationships stamped with another build than ``$build``."""
    return (f"MATCH (:{RESOURCE_LABEL})-[r]->(:{RESOURCE_LABEL}) WHERE r.plankg_build <> $build "
            "WITH r LIMIT $limit DELETE r RETURN count(*) AS c")


def prune_nodes_batch() -> str:
    """Delete up to ``$limit`` nodes stamped with another build than ``$build``."""
    return (f"MATCH (n:{RESOURCE_LABEL}) WHERE n.plankg_build <> $build "
            "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c")


def count_nodes() -> str:
    """The number ``c`` of plankg's nodes."""
    return f"MATCH (n:{RESOURCE_LABEL}) RETURN count(n) AS c"


def count_relationships() -> str:
    """The number ``c`` of relationships between plankg's nodes."""
    return f"MATCH (:{RESOURCE_LABEL})-[r]->(:{RESOURCE_LABEL}) RETURN count(r) AS c"


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_RE = re.compile(r"[\\'\x00-\x1f\x7f\u2028\u2029]")


def _escape_char(m: re.Match) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def literal(value) -> str:
    """A Cypher literal for JSON-like data: maps, lists, strings, numbers, booleans, null.
    Strings are single-quoted with every quote, backslash and control character escaped."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{identifier(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if value is None:
        return "null"
    return "'" + _ESCAPE_RE.sub(_escape_char, str(value)) + "'"


def inline(statement: str, **params) -> str:
    """A statement with its ``$name`` parameters written as literals, for a script."""
    def value(m: re.Match) -> str:
        name = m.group(1)
        if name is None:  # a quoted identifier: kept as it is
            return m.group(0)
        if name not in params:
            raise KeyError(f"no value for ${name}")
        return literal(params[name])

    return re.sub(r"`(?:[^`]|``)*`|\$([A-Za-z_][A-Za-z0-9_]*)", value, statement)
