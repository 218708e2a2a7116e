"""plankg: regional development plans as a knowledge graph.

The Python API mirrors the command line: ``build``, ``query``, ``validate``,
``export``. Its functions live in ``plankg.api`` and are imported on first
use, so that ``import plankg`` (and every ``plankg`` command) starts without
loading what it does not need.
"""
from plankg.version import __version__

__all__ = ["BuildResult", "QueryResult", "__version__", "build", "default_corpus", "export", "network", "query", "validate", "view"]


def __getattr__(name: str):
    if name in __all__:
        from plankg import api

        return getattr(api, name)
    raise AttributeError(f"module 'plankg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
