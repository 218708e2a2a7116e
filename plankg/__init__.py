"""plankg: regional development plans as a knowledge graph.

The Python API mirrors the command line: ``build``, ``query``, ``validate``,
``export``.
"""
from plankg.api import BuildResult, QueryResult, __version__, build, default_corpus, export, network, query, validate, view

__all__ = ["BuildResult", "QueryResult", "__version__", "build", "default_corpus", "export", "network", "query", "validate", "view"]
