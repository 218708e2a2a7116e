"""The knowledge graph in Neo4j, in three parts around one Cypher template
builder (``graph/cypher.py``):

* ``graph/neo4j_mapping.py``: RDF → property graph (see its docstring and the README);
* ``graph/neo4j_loader.py``: driver, batched parameterised writes, retries, pruning, canned queries;
* ``graph/neo4j_export.py``: CSV for neo4j-admin, ``import.sh`` and ``load.cypher``.

This module keeps the names callers import.
"""
from __future__ import annotations

from plankg.graph.cypher import RESOURCE_LABEL
from plankg.graph.neo4j_export import export_offline
from plankg.graph.neo4j_loader import BATCH_SIZE, LoadReport, Neo4jLoadError, load, run_cypher
from plankg.graph.neo4j_mapping import PropertyGraph, local_name, relationship_type, to_property_graph

__all__ = ["BATCH_SIZE", "RESOURCE_LABEL", "LoadReport", "Neo4jLoadError", "PropertyGraph", "export_offline",
           "load", "local_name", "relationship_type", "run_cypher", "to_property_graph"]
