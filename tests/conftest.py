"""Shared fixtures: the sample corpus (read from ../shared/corpus, never copied) and a built graph."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PLANKG_CORPUS", REPO.parent / "shared" / "corpus"))
ANNOTATIONS = Path(__file__).resolve().parent / "annotations"
REAL_PLANS = Path(os.environ.get("PLANKG_REAL_PLANS", REPO.parent / "shared" / "real-plans"))


def corpus_file(prefix: str) -> Path:
    """The corpus file whose name starts with ``prefix`` (e.g. "003")."""
    matches = sorted(CORPUS.glob(f"{prefix}_*"))
    assert matches, f"no corpus file {prefix}_* in {CORPUS}"
    return matches[0]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"sample corpus not found at {CORPUS}; set PLANKG_CORPUS")
    return CORPUS


@pytest.fixture(scope="session")
def real_plans_dir() -> Path:
    """The real documents of other provinces (../shared/real-plans), read in place."""
    if not REAL_PLANS.is_dir():
        pytest.fail(f"real documents not found at {REAL_PLANS}; set PLANKG_REAL_PLANS")
    return REAL_PLANS


@pytest.fixture(scope="session")
def corpus_facts(corpus_dir):
    from plankg.pipeline import extract_corpus

    return extract_corpus([corpus_dir])


@pytest.fixture(scope="session")
def built(tmp_path_factory, corpus_dir) -> Path:
    """A build of the sample corpus, shared by the tests that only read it."""
    import plankg

    out = tmp_path_factory.mktemp("build") / "out"
    plankg.build([corpus_dir], out=out)
    return out


@pytest.fixture()
def stale_answer(built, tmp_path) -> Path:
    """A copy of ``built`` whose stored answer to ``plans`` answers another
    text of the query (its digest in ``answers/index.json`` is not the query's)."""
    import json
    import shutil

    graph_dir = tmp_path / "stale"
    shutil.copytree(built, graph_dir)
    index_path = graph_dir / "answers" / "index.json"
    index = json.loads(index_path.read_text("utf-8"))
    index["answers"]["plans"]["sha256"] = "0" * 64
    index_path.write_text(json.dumps(index), encoding="utf-8")
    (graph_dir / "answers" / "plans.csv").write_text("plan\nstale\n", encoding="utf-8")
    return graph_dir


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j 5.26 Community server on 127.0.0.1, started for the test session."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "neo4j_server"))
    from server import Neo4jServer

    server = Neo4jServer(tmp_path_factory.mktemp("neo4j") / "db").start()
    yield server
    server.stop()
