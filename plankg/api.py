"""The Python API; the ``plankg`` command line mirrors it one to one.

>>> import plankg
>>> result = plankg.build(out="out")                     # doctest: +SKIP
>>> plankg.query("plans", graph_dir="out").rows[0]       # doctest: +SKIP
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable

from plankg import queries as canned
from plankg.queries import QueryResult
from plankg.errors import EmptyBuildError, PlankgError, QueryError
from plankg.version import __version__


@dataclass
class BuildResult:
    """What a build wrote and what it met on the way."""

    out: Path
    documents: int
    plans: int
    triples: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    characters: int = 0
    unresolved: dict[str, int] = field(default_factory=dict)  # names no table knows, per kind
    extracted: int = 0  # documents run through the extractors
    cached: int = 0  # documents whose facts came from the cache
    batches: int = 0  # runs the documents' triples were written in
    batches_reused: int = 0  # of them, taken from the run cache (``plankg.run_cache``)
    store_patch: tuple[int, int] | None = None  # rows removed and added when store/ was patched from the previous build's

    @property
    def partial(self) -> bool:
        """Some files could not be read; the others were built."""
        return bool(self.errors) and self.documents > 0


def default_corpus() -> Path:
    """The sample corpus: ``$PLANKG_CORPUS``, else ``../shared/corpus`` beside the repository."""
    env = os.environ.get("PLANKG_CORPUS")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parent.parent
    candidates = [repo.parent / "shared" / "corpus", Path.cwd().parent / "shared" / "corpus"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    from plankg.loaders.reader import DocumentError

    raise DocumentError(candidates[0], "no sample corpus here; give plan files or folders, or set PLANKG_CORPUS")


def build(
    paths: Iterable[str | Path] | None = None,
    out: str | Path = "out",
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    reference: Iterable[str | Path] = (),
    store: bool | None = None,
    jobs: int | None = None,
    cache: str | Path | bool = False,
) -> BuildResult:
    """Build the knowledge graph of plan files and folders into ``out``.

    With no paths, the sample corpus is built. Files that cannot be read are
    listed in ``errors`` (or raise, with ``strict``); the output directory is
    replaced only once the new build is complete. ``reference`` names folders
    whose CSV files add rows to the shipped reference data (same file names
    and columns: ``provinces.csv``, ``agencies.csv``, ``divisions.csv`` …).
    When no document at all can be read, ``EmptyBuildError`` is raised and
    ``out`` is not touched; a full disk or a folder that cannot be written
    raises ``OutputError``. ``store`` writes ``out/store/``, an Oxigraph store
    that queries open at once (``None``: for graphs of 100,000 triples or more).

    The build never holds the whole corpus (``plankg.assemble``). ``jobs``
    worker processes extract and assemble the documents (None: one per CPU,
    for a corpus large enough to gain from it), and with more than one,
    Turtle and the store are written side by side; the output is the same
    for any number. ``cache`` is a folder of extraction results and assembled
    runs reused by later builds (True: ``plankg.cache.default_cache_dir(out)``;
    False: none). When ``out`` holds a build with a store, the new store is
    patched from it (``plankg.graph.patch``).
    """
    from plankg.assemble import assemble_corpus
    from plankg.context import ReferenceData
    from plankg.graph.store import BuildFolder, write_graph_files, write_manifest
    from plankg.pipeline import ExtractionStats, default_jobs
    from plankg.queries.answers import write_answers
    started = time.perf_counter()
    paths = list(paths) if paths else [default_corpus()]
    ref = ReferenceData.load(reference)
    stats = ExtractionStats()
    workers = default_jobs() if jobs is None else jobs  # a bound on the cores the build keeps busy
    with BuildFolder(out) as folder:
        corpus = assemble_corpus(paths, folder.work, ref, strict=strict, progress=progress, jobs=jobs,
                                 cache=open_cache(cache, out, ref), stats=stats)
        if not corpus.documents:
            raise EmptyBuildError(corpus.errors)
        facts = folder.work / "facts.nt"
        written = write_graph_files(corpus.runs, folder.path, store, workers=workers, facts=facts,
                                    previous=folder.out if folder.out.is_dir() else None,
                                    after_store=lambda: write_answers(folder.path, facts))
        triples = written.triples
        manifest = build_manifest(corpus.findings, corpus.errors, corpus.warnings, triples, ref.extra_dirs)
        manifest["graph_sha256"] = written.sha256
        manifest["extraction"] = {"extracted": stats.extracted, "cached": stats.cached}
        write_manifest(folder.path, manifest)
        out_path = folder.commit()
    return BuildResult(
        out=out_path, documents=corpus.documents, plans=corpus.plans, triples=triples,
        errors=corpus.errors, warnings=corpus.warnings, seconds=time.perf_counter() - started,
        characters=corpus.characters, unresolved=manifest["unresolved"]["per_kind"],
        extracted=stats.extracted, cached=stats.cached, batches=stats.batches, batches_reused=stats.batches_reused,
        store_patch=written.store_patch,
    )


def open_cache(cache: str | Path | bool, out: str | Path, reference):
    """The ``FactCache`` a build uses: in folder ``cache``, in the default folder
    for ``True``, none for ``False``/``None``."""
    from plankg.cache import FactCache, default_cache_dir, extractor_version
    from plankg.pipeline import EXTRACTORS, extract_document

    if cache is False or cache is None:
        return None
    folder = default_cache_dir(out) if cache is True else Path(cache)
    return FactCache(folder, extractor_version(reference.extra_dirs, [extract_document, *EXTRACTORS.values()]))


def build_manifest(findings: list, errors: list[str], warnings: list[str], triples: int,
                   reference: Iterable[str] = ()) -> dict:
    """The content of ``build.json`` from the documents' ``plankg.report.DocumentFindings``:
    documents (by path) with the source of their title, kind, fact counts and
    unresolved names; errors, warnings; the build's unresolved names and
    per-rule counts (``plankg.report``).

    A file name that is not valid UTF-8 is given as ``plankg.paths.readable``
    shows it, with its exact bytes in ``file_bytes`` (hex); files with the
    same bytes as a document are listed in its ``copies``.
    """
    from plankg.report import corpus_report

    documents = [f.entry for f in sorted(findings, key=lambda f: f.path)]
    return {"plankg_version": __version__, "reference": list(reference), "documents": documents,
            "errors": errors, "warnings": warnings, "triples": triples, **corpus_report(findings)}


run_sparql = canned.run_sparql


def query(name: str, graph_dir: str | Path = "out", engine: str = "sparql", stored: bool = True,
          **neo4j) -> QueryResult:
    """Answer a canned question on a build (``engine``: sparql or neo4j).

    With the SPARQL engine the build's stored answer is read when it has one
    for this text of the query (``plankg.queries.answers``); ``stored=False``
    evaluates the query on the build's store instead.
    """
    q = canned.get(name)
    if engine == "sparql":
        from plankg.queries.answers import answer, read_answer

        stored_answer = read_answer(graph_dir, q) if stored else None
        if stored_answer is not None:
            return stored_answer
        from plankg.graph.store import open_store

        return answer(q, open_store(graph_dir))
    if engine == "neo4j":
        from plankg.graph.neo4j_store import run_cypher

        result = run_cypher(q, **neo4j)
        return QueryResult(result.columns, canned.sort_list_cells(q, result.rows))
    raise QueryError(f"unknown engine {engine!r}; use sparql or neo4j")


def stored_answer(name: str, graph_dir: str | Path = "out") -> Path | None:
    """The CSV file holding a build's answer to a canned question (what
    ``query(name).rows`` gives, with a header row), or None when the build has
    none for this text of the query."""
    from plankg.queries.answers import answer_file

    return answer_file(graph_dir, canned.get(name))


def add_store(graph_dir: str | Path = "out") -> Path:
    """Write ``graph_dir/store/`` and ``graph_dir/answers/`` for a build that
    lacks them (older or small builds)."""
    from plankg.graph.store import add_store as _add_store
    from plankg.queries.answers import add_answers

    path = _add_store(graph_dir)
    add_answers(graph_dir)
    return path


def push(graph_dir: str | Path, endpoint: str, graph_iri: str | None = None, user: str | None = None,
         password: str | None = None):
    """Replace a named graph of a triple store with a build (SPARQL 1.1 Graph Store
    Protocol PUT); returns a ``PushReport``."""
    from plankg.push import DEFAULT_GRAPH_IRI, push as _push

    return _push(graph_dir, endpoint, graph_iri or DEFAULT_GRAPH_IRI, user=user, password=password)


def neo4j_load(graph_dir: str | Path = "out", uri: str = "bolt://127.0.0.1:7687", user: str = "neo4j",
               password: str | None = None, database: str | None = None, wipe: bool = False):
    """Load a build into Neo4j (password: argument or ``NEO4J_PASSWORD``); returns a ``LoadReport``."""
    from plankg.graph.neo4j_store import load, to_property_graph

    return load(to_property_graph(Path(graph_dir)), uri, user, password, database, wipe)


def neo4j_export(out_dir: str | Path, graph_dir: str | Path = "out") -> list[Path]:
    """Write CSV files for neo4j-admin import, the import command and a Cypher script."""
    from plankg.graph.neo4j_store import export_offline, to_property_graph

    return export_offline(to_property_graph(Path(graph_dir)), out_dir)


def network(graph_dir: str | Path = "out", top: int | None = None) -> QueryResult:
    """Rank cities of the city–axis network: axes, plans, degree, betweenness."""
    from plankg.graph.network import rank_cities

    rows = query("axis-nodes", graph_dir=graph_dir).rows
    ranked = rank_cities(rows)[:top] if top else rank_cities(rows)
    columns = ["city", "n_axes", "n_plans", "degree", "betweenness"]
    return QueryResult(columns, [tuple(str(r[c]) for c in columns) for r in ranked])


VIEW_LAYOUTS = ("network", "geo")


def view(graph_dir: str | Path = "out", dest: str | Path = "out/city-axes.html", plan: str | None = None,
         layout: str = "network") -> Path:
    """Write an offline HTML page of the city–axis network (all plans, or one ``plan`` by title):
    ``layout`` network (a force layout, pyvis) or geo (cities at their WGS84 points, axes as lines)."""
    if layout not in VIEW_LAYOUTS:
        raise QueryError(f"unknown layout {layout!r}; use {' or '.join(VIEW_LAYOUTS)}")
    rows = query("axis-nodes", graph_dir=graph_dir).rows
    if plan is not None:
        rows = [r for r in rows if r[0] == plan]
        if not rows:
            raise QueryError(f"no development axes for plan {plan!r} in {graph_dir}")
    if layout == "geo":
        from plankg.graph.geo_view import geo_data, geo_html
        from plankg.graph.store import load_store

        data = geo_data(load_store(graph_dir))
        if plan is not None:
            data = dict(data, axes=[a for a in data["axes"] if a["plan"] == plan],
                        plans=[p for p in data["plans"] if p["title"] == plan])
        page = geo_html(data, plan or "城市—发展轴示意图 (city–axis map)")
    else:
        from plankg.graph.view import city_axis_html

        page = city_axis_html(rows, plan or "城市—发展轴网络 (city–axis network)")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, dest)
    return dest


def validate(graph_dir: str | Path = "out"):
    """SHACL-validate a build; returns a ``ValidationReport``."""
    from plankg.graph.store import load_graph
    from plankg.graph.validate import validate_graph

    return validate_graph(load_graph(graph_dir))


EXPORT_FORMATS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "graphml": "graphml",
                  "gexf": "gexf", "geojson": "geojson", "csv-tables": ""}  # csv-tables: DEST is a folder


def export(graph_dir: str | Path, fmt: str, dest: str | Path, license: str | None = None) -> Path:
    """Export a build as Turtle, N-Triples, JSON-LD, GraphML, GEXF (Gephi, with
    WGS84 positions), GeoJSON (cities as points, axes as lines) or CSV tables
    (``csv-tables``: DEST is a folder of nodes.csv, edges.csv, datadictionary.csv
    and README.md). Beside every export an RO-Crate 1.1 ``ro-crate-metadata.json``
    names plankg's version, the input files with their SHA-256, the build time
    and ``license`` (an SPDX id or a URL)."""
    from plankg.graph import research_exports as research
    from plankg.graph.store import load_graph, read_manifest

    if fmt not in EXPORT_FORMATS:
        raise PlankgError(f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    read_manifest(graph_dir)
    graph = load_graph(graph_dir)
    dest = Path(dest)
    if fmt == "csv-tables":
        files = research.write_csv_tables(graph, graph_dir, dest)
        research.write_crate(dest, files, graph_dir, fmt, license)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    if fmt == "graphml":
        import networkx as nx

        from plankg.graph.networkx_view import to_networkx

        nx.write_graphml(to_networkx(graph), tmp)
    elif fmt == "gexf":
        research.write_gexf(graph, graph_dir, tmp)
    elif fmt == "geojson":
        research.write_geojson(graph_dir, tmp)
    else:
        rdflib_fmt = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
        graph.serialize(destination=str(tmp), format=rdflib_fmt, encoding="utf-8")
    os.replace(tmp, dest)
    research.write_crate(dest.parent, [dest], graph_dir, fmt, license)
    return dest


def explorer_routes(graph_dir: str | Path = "out", prefix: str = "/explore") -> list:
    """The explorer mounted under ``prefix``, and ``/`` redirecting to it, for ``plankg serve``."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Mount, Route

    from plankg.explorer import routes

    async def home(request):
        return RedirectResponse(f"{prefix}/")

    return [Mount(prefix, routes=routes(graph_dir)), Route("/", home)]
