"""plankg serve: one server answers SPARQL at /sparql and serves the explorer at /explore/."""
from __future__ import annotations

import warnings

import pytest

import plankg
from plankg.server import create_app

pytestmark = pytest.mark.slow  # starts query worker processes


def test_endpoint_and_explorer_share_one_server(built):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(built, extra_routes=plankg.api.explorer_routes(built), workers=1)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/explore/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert client.get("/", follow_redirects=False).headers["location"] == "/explore/"
        answer = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
