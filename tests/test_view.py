"""The city–axis page: written by ``plankg view``, rendered for real in headless Chromium
with the network blocked, so it must work offline and draw every node."""
from __future__ import annotations

import os
import re
import shutil

import pytest
from click.testing import CliRunner

import plankg
from plankg.cli import main
from plankg.graph.network import city_axis_graph

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """Debian's Chromium (``$PLANKG_CHROMIUM`` overrides); skip, or fail under
    ``PLANKG_REQUIRE_BROWSER=1`` as in CI, when there is none."""
    path = os.environ.get("PLANKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "headless Chromium not found (Debian: apt-get install chromium; or set PLANKG_CHROMIUM)"
    if os.environ.get("PLANKG_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def page_file(built, tmp_path_factory):
    dest = tmp_path_factory.mktemp("view") / "city-axes.html"
    result = CliRunner().invoke(main, ["view", str(dest), "--graph", str(built)])
    assert result.exit_code == 0, result.output
    return dest


def test_page_loads_nothing_from_the_web(page_file):
    html = page_file.read_text("utf-8")
    assert not re.search(r'(src|href)\s*=\s*"https?://', html)
    assert "vis-network" in html


def test_page_renders_every_node_offline_in_chromium(page_file, built, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    graph = city_axis_graph(plankg.query("axis-nodes", graph_dir=built).rows)
    web_requests, errors = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def block_web(route):
                if route.request.url.startswith("file://"):
                    return route.continue_()
                web_requests.append(route.request.url)
                return route.abort()

            page.route("**/*", block_web)
            page.goto(page_file.as_uri())
            page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0")
            counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
            page.evaluate("network.stopSimulation(); network.fit()")
            page.wait_for_timeout(300)
            painted = page.evaluate("""() => {
                const c = document.querySelector('#mynetwork canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n;
            }""")
            page.screenshot(path=str(tmp_path / "city-axes.png"))
        finally:
            browser.close()
    assert web_requests == []
    assert errors == []
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]
    assert painted > 10_000, "the canvas stayed blank"


def test_view_of_one_plan_and_of_an_unknown_plan(built, tmp_path):
    plan = plankg.query("axis-nodes", graph_dir=built).rows[0][0]
    one = plankg.view(built, tmp_path / "one.html", plan=plan)
    assert plan in one.read_text("utf-8")
    result = CliRunner().invoke(main, ["view", str(tmp_path / "none.html"), "--graph", str(built), "--plan", "不存在的规划"])
    assert result.exit_code == 1
    assert "no development axes" in result.output
    assert not (tmp_path / "none.html").exists()
