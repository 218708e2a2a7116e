"""The explorer: pages over a build with the evidence of every fact, driven
in-process (Starlette's test client) and in real headless Chromium against
uvicorn on 127.0.0.1, with every request that would leave the machine refused."""
from __future__ import annotations

import base64
import re
import socket
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its test client; httpx still works
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient  # noqa: E402

import plankg  # noqa: E402
from plankg.explorer import app  # noqa: E402
from plankg.explorer.data import cut_segments, passage_windows  # noqa: E402
from plan_fixtures import plan_text, write_plan  # noqa: E402
from test_view import CHROMIUM_ARGS, chromium_path  # noqa: E402

PKG = "https://w3id.org/plankg/ontology#"


@pytest.fixture(scope="module")
def client(built):
    return TestClient(app(built))


def page_url(iri: str) -> str:
    return f"/resource?iri={quote(iri, safe='')}"


def test_start_page_lists_plans_corridors_and_every_canned_question(client, built):
    html = client.get("/").text
    for (title,) in {(r[0],) for r in plankg.query("axis-nodes", graph_dir=built).rows}:
        assert title in html
    for q in plankg.queries.all_queries():
        assert f'href="/queries/{q.name}"' in html
    assert 'href="/map"' in html


def test_pages_load_nothing_from_the_web(client, built):
    for path in ["/", "/queries", "/queries/plans", "/map", "/search?q=长沙", "/kind/Agency"]:
        html = client.get(path).text
        assert not re.search(r'(src|href|action)\s*=\s*"(https?:)?//', html), path


def test_every_canned_question_has_a_page_with_its_rows_and_downloads(client, built):
    for q in plankg.queries.all_queries():
        result = plankg.query(q.name, graph_dir=built)
        page = client.get(f"/queries/{q.name}")
        assert page.status_code == 200
        assert page.text.count("<tr>") == len(result.rows) + 1, q.name
        assert "SPARQL" in page.text and (q.cypher is None or "Cypher" in page.text)
        csv_text = client.get(f"/queries/{q.name}?format=csv").text
        assert len(csv_text.splitlines()) >= len(result.rows) + 1
        data = client.get(f"/queries/{q.name}?format=json").json()
        assert [tuple(r[c] for c in result.columns) for r in data] == result.rows


def test_corridor_page_names_its_owners_and_links_their_tasks(client, built):
    rows = plankg.query("corridor-agencies", graph_dir=built).rows
    corridor, agency = rows[0][0], rows[0][1]
    search = client.get("/search", params={"q": corridor}).text
    iri = re.search(r'href="/resource\?iri=([^"]*corridor[^"]*)"', search).group(1)
    html = client.get(f"/resource?iri={iri}").text
    owners = html.split('class="owners"')[1].split("</table>")[0]
    assert agency in owners and "/resource?iri=" in owners


def test_task_fact_shows_the_original_passage_with_the_span_marked(client, built):
    store = plankg.graph.store.load_store(built)
    row = next(iter(store.query(f"""PREFIX pkg: <{PKG}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?task ?exact WHERE {{ ?e rdf:subject ?task ; rdf:predicate pkg:leadAgency ;
          oa:hasSelector/oa:exact ?exact . ?task a pkg:Task }} ORDER BY ?task LIMIT 1""")))
    html = client.get(page_url(row["task"].value)).text
    marks = re.findall(r"<mark>(.*?)</mark>", html, re.S)
    assert marks and any(row["exact"].value in m or m in row["exact"].value for m in marks)


def test_repeated_paragraph_shows_all_its_spans(client, built):
    from plankg.explorer.data import Explorer

    explorer = Explorer(built, [])
    multi = [i for i in explorer.evidence_items.values() if len(i.spans) > 1]
    assert multi, "the sample corpus has repeated paragraphs"
    item = multi[0]
    html = client.get("/evidence", params={"iri": item.iri}).text
    assert html.count("<mark>") >= len(item.spans)


def test_traditional_original_is_shown_as_the_file_has_it(tmp_path):
    text = plan_text("試驗區協同發展規劃", body="構建以岳陽、常德為節點的沿江發展軸。")
    write_plan(tmp_path / "in", "trad.txt", text)
    out = plankg.build([tmp_path / "in"], out=tmp_path / "out").out
    client = TestClient(app(out, sources=[]))
    axis = next(r for r in plankg.query("axis-nodes", graph_dir=out).rows if r[1].startswith("沿江"))
    hits = client.get("/search", params={"q": "沿江發展軸"}).text  # traditional query, simplified label
    assert axis[1] in hits
    iri = re.search(r'href="(/resource\?iri=[^"]*axis[^"]*)"', hits).group(1)
    html = client.get(iri.replace("&amp;", "&")).text
    marks = re.findall(r"<mark>(.*?)</mark>", html, re.S)
    assert any("岳陽" in m or "常德" in m for m in marks)  # the file's characters, not the simplified ones
    assert "構建以" in html


def test_search_finds_aliases_abbreviations_and_the_successor_of_an_old_name(client, built):
    rows = plankg.query("agency-successors", graph_dir=built).rows
    old, successor = rows[0][0], rows[0][1]
    html = client.get("/search", params={"q": old}).text
    assert old in html and successor in html and "successor" in html
    assert client.get("/search", params={"q": "省发改委"}).text.count("湖南省发展和改革委员会") >= 1


def test_labels_and_evidence_are_html_escaped(tmp_path):
    body = "构建以岳阳、常德为节点的沿江发展轴。<script>window.pwned=1</script>"
    write_plan(tmp_path / "in", "xss.txt", plan_text("试验区＜script＞alert(1)＜/script＞协同发展规划", body=body))
    out = plankg.build([tmp_path / "in"], out=tmp_path / "out").out
    (title,) = {r[0] for r in plankg.query("plans", graph_dir=out).rows}
    assert "<script>" in title  # the label itself holds a tag
    client = TestClient(app(out, sources=[]))
    pages = [client.get("/").text, client.get("/queries/plans").text, client.get("/search", params={"q": "试验区"}).text]
    plan = re.search(r'href="(/resource\?iri=[^"]*plan[^"]*)"', pages[0]).group(1)
    pages.append(client.get(plan.replace("&amp;", "&")).text)
    axis_search = client.get("/search", params={"q": "沿江"}).text
    axis = re.search(r'href="(/resource\?iri=[^"]*axis[^"]*)"', axis_search).group(1)
    pages.append(client.get(axis.replace("&amp;", "&")).text)
    for html in pages:
        assert "<script>alert" not in html and "<script>window.pwned" not in html
    assert "&lt;script&gt;alert" in pages[0]
    assert "&lt;script&gt;window.pwned" in pages[-1]  # the original passage, escaped
    assert "<script>" not in client.get("/map").text.split('<script id="geo-data"')[1].split("</script>")[0]


def test_passage_helpers():
    assert passage_windows([(5, 6)], 8, context=100) == [(0, 8, [(5, 6)])]
    assert cut_segments("甲乙丙丁", 0, 4, [(1, 2)]) == [("甲", False), ("乙", True), ("丙丁", False)]


# --- real browser ------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built):
    uvicorn = pytest.importorskip("uvicorn")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app(built), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def _painted(browser, png: bytes) -> int:
    """Pixels of a screenshot that are not the white background (counted in a canvas)."""
    page = browser.new_page()
    try:
        page.set_content("<canvas id=c></canvas>")
        return page.evaluate("""async (src) => {
            const img = new Image(); img.src = src; await img.decode();
            const c = document.getElementById('c'); c.width = img.width; c.height = img.height;
            const x = c.getContext('2d'); x.drawImage(img, 0, 0);
            const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i+1] < 235 || d[i+2] < 235) n++;
            return n; }""", "data:image/png;base64," + base64.b64encode(png).decode())
    finally:
        page.close()


def test_browser_corridor_to_agency_to_task_to_evidence_and_the_map(server, built, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    leaving, errors = [], []
    shots = Path(tmp_path)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860})

            def guard(route):
                url = route.request.url
                if url.startswith(server + "/") or url.startswith("data:"):
                    return route.continue_()
                leaving.append(url)
                return route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server + "/")
            page.click("text=二广通道")
            page.wait_for_selector("table.owners")
            agency_link = page.locator("table.owners td:first-child a").first
            agency = agency_link.inner_text()
            agency_link.click()
            page.wait_for_selector("h1")
            assert agency in page.inner_text("h1")
            task_links = page.locator("dt:has-text('pkg:leadAgency (of)') + dd a")
            assert task_links.count() > 0
            task_links.first.click()
            page.wait_for_selector("h1 .kind")
            assert page.inner_text("h1 .kind") == "Task"
            lead = page.locator("dt:has-text('pkg:leadAgency') ~ dd a:has-text('证据')").first
            lead.click()
            page.wait_for_selector("div.passage mark")
            mark = page.inner_text("div.passage mark")
            quote_cell = page.inner_text("tr:has(th:text('quote')) td")
            assert mark.strip() and (mark.strip() in quote_cell or quote_cell in mark)
            evidence_png = page.screenshot(path=str(shots / "evidence.png"))
            page.goto(server + "/map")
            page.wait_for_function("window.plankgMap && window.plankgMap.count()[0] > 0")
            n_places, n_axes = page.evaluate("window.plankgMap.count()")
            drawn = page.evaluate("document.querySelectorAll('#lines polyline').length")
            labels = page.evaluate("document.querySelectorAll('#labels text.city').length")
            size_before = page.evaluate("getComputedStyle(document.querySelector('#labels text.city')).fontSize")
            page.mouse.move(700, 400)
            page.mouse.wheel(0, -600)
            page.wait_for_timeout(200)
            size_after = page.evaluate("getComputedStyle(document.querySelector('#labels text.city')).fontSize")
            map_png = page.screenshot(path=str(shots / "map.png"))
            page.locator("#plans input").first.uncheck()
            hidden = page.evaluate("Array.from(document.querySelectorAll('#lines polyline')).filter(e => e.style.display === 'none').length")
            href = page.evaluate("document.querySelector('#dots a').getAttribute('href')")
            painted_map, painted_evidence = _painted(browser, map_png), _painted(browser, evidence_png)
        finally:
            browser.close()
    assert leaving == [], f"requests left 127.0.0.1: {leaving}"
    assert errors == []
    assert n_places > 10 and drawn == n_axes > 5 and labels == n_places
    assert size_before == size_after == "12px"  # labels keep their pixel size when zooming
    assert hidden > 0
    assert href.startswith("/resource?iri=")
    assert painted_map > 20_000, "the map stayed blank"
    assert painted_evidence > 20_000, "the evidence page stayed blank"


def test_every_evidence_span_of_the_sample_reads_its_quote_in_the_original_file(built):
    from plankg.explorer.data import Explorer

    explorer = Explorer(built, [])
    assert explorer.evidence_items
    for item in explorer.evidence_items.values():
        text, path = explorer.source_text(item.document)
        assert Path(path).is_file()
        pieces = [text[s:e] for s, e in item.spans]
        # one span per copy of a repeated paragraph; a copy may also be cut into adjacent pieces
        assert item.exact in pieces or "".join(pieces) == item.exact or item.exact in "".join(pieces), item.iri
        assert any(p and p in item.exact for p in pieces), item.iri


def test_routes_mount_under_a_prefix(built):
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from plankg.explorer import routes

    client = TestClient(Starlette(routes=[Mount("/explore", routes=routes(built))]))
    html = client.get("/explore/").text
    link = re.search(r'href="(/explore/resource\?iri=[^"]*)"', html).group(1)
    assert client.get(link.replace("&amp;", "&")).status_code == 200
    assert 'href="/explore/map"' in html and client.get("/explore/map").status_code == 200
    assert '"link": "/explore/resource?iri="' in client.get("/explore/map").text  # the map links back under the prefix
