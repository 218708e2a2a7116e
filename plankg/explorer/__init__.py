"""The explorer: browse a build's graph with the evidence of every fact.

``routes(graph_dir)`` gives Starlette routes (to mount into a server);
``app(graph_dir)`` wraps them in an app of their own::

    uvicorn --factory 'plankg.explorer:app_from_env'   # PLANKG_GRAPH=out
    python -m plankg.explorer out --port 8000

Pages are rendered with Jinja2 templates shipped in the package (autoescape
on, so labels and passages are always HTML-escaped); the pages load nothing
from the web: styles and scripts are inline.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from plankg import queries as canned
from plankg.explorer.data import KINDS, Explorer, default_sources, local_name, short

__all__ = ["routes", "app", "Explorer"]


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("plankg.explorer", "templates"),
                      autoescape=select_autoescape(["html"], default_for_string=True, default=True))
    env.filters["short"] = short
    env.filters["local"] = local_name
    return env


def _base(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def resource_url(base: str, iri: str) -> str:
    """The explorer URL of a resource page.

    >>> resource_url("", "https://w3id.org/plankg/id/adm/430100")
    '/resource?iri=https%3A%2F%2Fw3id.org%2Fplankg%2Fid%2Fadm%2F430100'
    """
    return f"{base}/resource?iri={quote(iri, safe='')}"


def _group(facts) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for fact in facts:
        groups.setdefault(fact.predicate, []).append(fact)
    return list(groups.items())


def routes(graph_dir: str | Path, sources=None) -> list[BaseRoute]:
    """The explorer's routes over one build (its store opened once, here).

    ``sources``: files or folders where original files are looked for by name
    when ``build.json`` records no readable path (default ``$PLANKG_SOURCES``,
    else the sample corpus).
    """
    ex = Explorer(graph_dir, default_sources(graph_dir) if sources is None else sources)
    env = _environment()
    queries = {q.name: q for q in canned.all_queries()}

    def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        base = _base(request)
        page = env.get_template(template).render(
            ex=ex, base=base, url=lambda iri: resource_url(base, iri), kinds=KINDS, **context)
        return HTMLResponse(page, status_code=status)

    async def index(request: Request):
        counts = [(k, zh, en, len(ex.of_kind(k))) for k, zh, en in KINDS]
        return render(request, "index.html", counts=counts, plans=ex.of_kind("Plan"),
                      corridors=ex.of_kind("Corridor"), queries=list(queries.values()))

    async def kind_list(request: Request):
        kind = request.path_params["kind"]
        names = {k: (zh, en) for k, zh, en in KINDS}
        if kind not in names:
            raise HTTPException(404, f"no kind {kind}")
        return render(request, "list.html", kind=kind, names=names[kind], items=ex.of_kind(kind))

    async def resource(request: Request):
        iri = request.query_params.get("iri", "")
        facts, incoming = ex.facts(iri), ex.incoming(iri)
        if not facts and not incoming:
            return render(request, "missing.html", status=404, iri=iri)
        owners = ex.corridor_owners(iri) if ex.kind(iri) == "Corridor" else []
        on_map = iri in _geo(ex)["places"] or any(a["iri"] == iri for a in _geo(ex)["axes"])
        return render(request, "resource.html", iri=iri, facts=_group(facts), incoming=_group(incoming),
                      owners=owners, on_map=on_map)

    async def evidence(request: Request):
        iri = request.query_params.get("iri", "")
        item = ex.evidence_items.get(iri)
        if item is None:
            return render(request, "missing.html", status=404, iri=iri)
        return render(request, "evidence.html", item=item, statement=item.statement,
                      document=ex.document_of(item.document), source=ex.source_text(item.document),
                      passages=ex.passages(item, context=400))

    async def search(request: Request):
        text = request.query_params.get("q", "")
        return render(request, "search.html", q=text, hits=ex.search(text) if text.strip() else [])

    async def query_list(request: Request):
        return render(request, "queries.html", queries=list(queries.values()))

    def _run(name: str):
        if name not in queries:
            raise HTTPException(404, f"no canned query {name}")
        q = queries[name]
        from plankg.queries.answers import answer, read_answer

        stored = read_answer(graph_dir, q)
        return q, stored if stored is not None else answer(q, ex.store)

    async def query_page(request: Request):
        name = request.path_params["name"]
        fmt = request.query_params.get("format", "html")
        q, result = _run(name)
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(result.columns)
            writer.writerows(result.rows)
            return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        if fmt == "json":
            body = json.dumps([dict(zip(result.columns, r)) for r in result.rows], ensure_ascii=False, indent=2)
            return Response(body, media_type="application/json",
                            headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
        return render(request, "query.html", q=q, result=result)

    async def geo_map(request: Request):
        from plankg.graph.geo_view import geo_html

        base = _base(request)
        page = geo_html(_geo(ex), link=f"{base}/resource?iri=", back=f"{base}/")
        return HTMLResponse(page)

    async def build_info(request: Request):
        return JSONResponse(ex.manifest)

    async def favicon(request: Request):
        return Response(status_code=204)

    return [
        Route("/", index, name="explorer-index"),
        Route("/kind/{kind}", kind_list, name="explorer-kind"),
        Route("/resource", resource, name="explorer-resource"),
        Route("/evidence", evidence, name="explorer-evidence"),
        Route("/search", search, name="explorer-search"),
        Route("/queries", query_list, name="explorer-queries"),
        Route("/queries/{name}", query_page, name="explorer-query"),
        Route("/map", geo_map, name="explorer-map"),
        Route("/build.json", build_info, name="explorer-build"),
        Route("/favicon.ico", favicon),
    ]


def _geo(ex: Explorer) -> dict:
    cached = getattr(ex, "_geo_data", None)
    if cached is None:
        from plankg.graph.geo_view import geo_data

        cached = ex._geo_data = geo_data(ex.store)
    return cached


def app(graph_dir: str | Path = "out", sources=None) -> Starlette:
    """A Starlette app serving only the explorer (until ``plankg serve`` mounts its routes)."""
    return Starlette(routes=routes(graph_dir, sources))


def app_from_env() -> Starlette:
    """``app`` on ``$PLANKG_GRAPH`` (default ``out``), for ``uvicorn --factory``."""
    return app(os.environ.get("PLANKG_GRAPH", "out"))
