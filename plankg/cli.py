"""The ``plankg`` command line. Each command is a thin layer over ``plankg.api``."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from plankg import api, formats
from plankg import queries as canned
from plankg.errors import PARTIAL_BUILD_EXIT_CODE, PlankgError
from plankg.paths import readable

FORMATS = list(formats.FORMATS)


def format_rows(result: api.QueryResult, fmt: str) -> str:
    """Render query rows as an aligned table, CSV (header row) or JSON records."""
    return formats.render(result.columns, result.rows, fmt)


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


class _Failure(click.ClickException):
    """An expected failure, shown as ``Error: …`` with its exit code."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class _Group(click.Group):
    """Turns every ``PlankgError`` of every command into one line and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlankgError as exc:
            raise _Failure(str(exc), exc.exit_code) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(api.__version__, prog_name="plankg")
def main() -> None:
    """Turn regional development plans into a knowledge graph and ask it questions."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="out", show_default=True, type=click.Path(path_type=Path), help="Build directory to write.")
@click.option("--strict", is_flag=True, help="Stop at the first file that cannot be read, writing nothing (exit 1).")
@click.option("--partial-exit/--no-partial-exit", default=True, envvar="PLANKG_PARTIAL_EXIT", show_envvar=True,
              help=f"Exit {PARTIAL_BUILD_EXIT_CODE} when some files could not be read and the others were built "
                   "(--no-partial-exit: exit 0 and only list the errors).")
@click.option("--reference", "-r", multiple=True, type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder of CSV files that add rows to the shipped reference data (repeatable).")
@click.option("--store/--no-store", default=None,
              help="Also write OUT/store/, an Oxigraph store that queries and `plankg serve` open at once "
                   "(default: for graphs of 100,000 triples or more).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes extracting documents (default: one per CPU, for a corpus large enough to gain).")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder of per-document extraction results and assembled runs reused by later builds "
                   "(default: $XDG_CACHE_HOME/plankg, else .plankg-cache beside OUT).")
@click.option("--no-cache", is_flag=True, help="Extract every document again and write no cache.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
def build(paths: tuple[Path, ...], out: Path, strict: bool, partial_exit: bool, reference: tuple[Path, ...],
          store: bool | None, jobs: int | None, cache_dir: Path | None, no_cache: bool, quiet: bool) -> None:
    """Build the graph of plan files or folders (default: the sample corpus).

    Writes OUT/graph.ttl, OUT/graph.nt and OUT/build.json; a failed build
    (no document could be read, --strict and a bad file, a full disk, Ctrl-C)
    leaves the previous OUT untouched and exits 1.
    """
    show = not quiet and sys.stderr.isatty()

    def progress(path: Path) -> None:
        if show:
            click.echo(f"\r\x1b[Kreading {readable(path.name)}", nl=False, err=True)

    try:
        cache = False if no_cache else (cache_dir or True)
        result = api.build(list(paths) or None, out=out, strict=strict, progress=progress, reference=reference,
                           store=store, jobs=jobs, cache=cache)
    finally:
        if show:
            click.echo("\r\x1b[K", nl=False, err=True)
    for err in result.errors:
        click.echo(f"error: {err}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not quiet:
        click.echo(
            f"built {readable(result.out)}: {result.documents} documents, {result.plans} plans, "
            f"{result.triples} triples in {result.seconds:.1f} s ({result.extracted} extracted, {result.cached} cached"
            + (f"; {result.batches_reused} of {result.batches} runs reused" if result.batches_reused else "")
            + ("" if result.store_patch is None else
               f"; store patched: {_rows(result.store_patch[0])} removed, {result.store_patch[1]} added") + "); "
            "unresolved names: "
            + (", ".join(f"{n} {kind}" for kind, n in result.unresolved.items()) or "none")
            + (f" (see `plankg query unresolved --graph {readable(result.out)}`)" if result.unresolved else "")
        )
    if result.partial and partial_exit:
        raise _Failure(f"{len(result.errors)} files could not be read; the other {result.documents} were built",
                       PARTIAL_BUILD_EXIT_CODE)


@main.command()
@click.argument("name", required=False)
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path), help="Build directory.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--engine", type=click.Choice(["sparql", "neo4j"]), default="sparql", show_default=True)
@click.option("--uri", default=lambda: os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
              help="Neo4j URI for --engine neo4j (default: $NEO4J_URI or bolt://127.0.0.1:7687).")
@click.option("--user", default=lambda: os.environ.get("NEO4J_USER", "neo4j"), help="Neo4j user; the password comes from $NEO4J_PASSWORD.")
@click.option("--database", default=None, help="Neo4j database (default: the server's default).")
@click.option("--list", "list_", is_flag=True, help="List the canned queries and the question each answers.")
def query(name: str | None, graph_dir: Path, fmt: str, engine: str, uri: str, user: str, database: str | None,
          list_: bool) -> None:
    """Answer a canned question NAME on a build (SPARQL) or on a loaded Neo4j (Cypher)."""
    if list_ or not name:
        for q in canned.all_queries():
            click.echo(f"{q.name:<22} {q.question}\n{'':<22} columns: {', '.join(q.columns)}")
        return
    if engine == "sparql" and fmt == "csv":
        stored = api.stored_answer(name, graph_dir)
        if stored is not None:
            with open(stored, "rb") as answer:
                sys.stdout.flush()
                shutil.copyfileobj(answer, sys.stdout.buffer)
            return
    kwargs = {} if engine == "sparql" else {"uri": uri, "user": user, "database": database}
    result = api.query(name, graph_dir=graph_dir, engine=engine, **kwargs)
    click.echo(format_rows(result, fmt), nl=False)


@main.command()
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--top", type=int, default=None, help="Only the first N cities.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def network(graph_dir: Path, top: int | None, fmt: str) -> None:
    """Rank cities by the development axes they sit on, across plans
    (number of axes and plans, degree and betweenness in the co-membership network)."""
    result = api.network(graph_dir, top=top)
    click.echo(format_rows(result, fmt), nl=False)


@main.command()
@click.argument("dest", default="out/city-axes.html", type=click.Path(path_type=Path))
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--plan", default=None, help="Only this plan's axes (the plan's full title, as in `plankg query plans`).")
@click.option("--layout", type=click.Choice(api.VIEW_LAYOUTS), default="network", show_default=True,
              help="network: a force layout of cities and axes; geo: cities at their WGS84 points, axes as lines.")
def view(dest: Path, graph_dir: Path, plan: str | None, layout: str) -> None:
    """Write DEST, an interactive HTML page of the city–axis network that works offline
    (default: out/city-axes.html)."""
    api.view(graph_dir, dest, plan=plan, layout=layout)
    click.echo(f"wrote {dest}")


@main.command()
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
def validate(graph_dir: Path) -> None:
    """Validate a build against the SHACL shapes (exit 1 on violations)."""
    report = api.validate(graph_dir)
    if report.conforms:
        click.echo(f"{graph_dir}: conforms (0 violations" + (f", {report.warnings} warnings)" if report.warnings else ")"))
        return
    click.echo(report.text)
    raise _Failure(f"{graph_dir}: {report.violations} violations")


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)), default=None,
              help="Output format (default: from DEST's suffix; csv-tables writes a folder).")
@click.option("--license", "license_", default=None,
              help="Licence of the export for its ro-crate-metadata.json (an SPDX id such as CC-BY-4.0, or a URL).")
def export(dest: Path, graph_dir: Path, fmt: str | None, license_: str | None) -> None:
    """Export a build to DEST as Turtle, N-Triples, JSON-LD, GraphML, GEXF, GeoJSON
    or CSV tables, with an RO-Crate metadata file beside it."""
    if fmt is None:
        by_suffix = {f".{v}": k for k, v in api.EXPORT_FORMATS.items() if v}
        fmt = by_suffix.get(dest.suffix.lower())
        if fmt is None:
            raise click.BadParameter(f"cannot tell the format from {dest.name!r}; give --format", param_hint="DEST")
    api.export(graph_dir, fmt, dest, license=license_)
    click.echo(f"wrote {dest} ({fmt})")


@main.command("store")
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
def store_cmd(graph_dir: Path) -> None:
    """Write GRAPH/store/ and GRAPH/answers/, the Oxigraph store and the canned answers,
    for a build that lacks them (an older or a small build)."""
    path = api.add_store(graph_dir)
    click.echo(f"wrote {path}")


@main.command()
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the endpoint to the network.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--timeout", default=10.0, show_default=True, type=float,
              help="Time limit of one query in seconds; longer queries get 503.")
@click.option("--max-results", default=10_000, show_default=True, type=int,
              help="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return; more gets 413.")
@click.option("--workers", default=2, show_default=True, type=int, help="Query processes (queries run in parallel).")
@click.option("--in-memory", is_flag=True,
              help="Each worker parses graph.nt into memory instead of opening GRAPH/store/: slower start and "
                   "more memory, queries several times faster.")
@click.option("--explorer/--no-explorer", default=True, show_default=True,
              help="Also serve the explorer (pages with evidence, search, canned questions, the map) at /explore/.")
def serve(graph_dir: Path, host: str, port: int, timeout: float, max_results: int, workers: int,
          in_memory: bool, explorer: bool) -> None:
    """Serve a build as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql
    (no Update, no SERVICE; results as SPARQL JSON/XML, CSV, TSV, Turtle, N-Triples)
    and the explorer at http://HOST:PORT/explore/."""
    from plankg.server import serve as run_server

    extra = api.explorer_routes(graph_dir) if explorer else []
    where = f"http://{host}:{port}/sparql" + (f" and http://{host}:{port}/explore/" if explorer else "")
    click.echo(f"serving {graph_dir} at {where} (Ctrl-C stops)", err=True)
    run_server(graph_dir, host=host, port=port, timeout=timeout, max_results=max_results, workers=workers,
               in_memory=in_memory, extra_routes=extra)


@main.command()
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--endpoint", required=True,
              help="The store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph) "
                   "or http://localhost:3030/DATASET/data (Fuseki).")
@click.option("--graph-iri", default=None, help="The named graph to replace [default: https://w3id.org/plankg/build].")
@click.option("--user", default=None, help="HTTP basic-auth user; the password comes from $PLANKG_ENDPOINT_PASSWORD.")
def push(graph_dir: Path, endpoint: str, graph_iri: str | None, user: str | None) -> None:
    """Upload a build into a triple store: one HTTP PUT replaces the named graph
    GRAPH_IRI with the build's triples, leaving the store's other graphs alone."""
    report = api.push(graph_dir, endpoint, graph_iri, user=user)
    click.echo(f"pushed {graph_dir} to <{report.graph_iri}> at {report.endpoint}: {report.triples} triples, "
               f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s (HTTP {report.status})")


@main.group()
def neo4j() -> None:
    """Load the graph into Neo4j, or export it for offline import."""


@neo4j.command("load")
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
@click.option("--uri", default=lambda: os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"), show_default="$NEO4J_URI or bolt://127.0.0.1:7687")
@click.option("--user", default=lambda: os.environ.get("NEO4J_USER", "neo4j"), show_default="$NEO4J_USER or neo4j")
@click.option("--database", default=None, help="Target database (default: the server's default).")
@click.option("--wipe", is_flag=True, help="Remove plankg's own data (nodes labelled PlankgResource) first; nothing else.")
def neo4j_load(graph_dir: Path, uri: str, user: str, database: str | None, wipe: bool) -> None:
    """Load a build into Neo4j: constraints, then batched MERGE writes. The password
    is read from $NEO4J_PASSWORD, never from the command line."""
    report = api.neo4j_load(graph_dir, uri=uri, user=user, database=database, wipe=wipe)
    click.echo(f"loaded {graph_dir} into {uri}: {report.nodes} nodes, {report.relationships} relationships "
               f"in {report.seconds:.1f} s (build {report.build_id})")


@neo4j.command("export")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--graph", "graph_dir", default="out", show_default=True, type=click.Path(path_type=Path))
def neo4j_export(out_dir: Path, graph_dir: Path) -> None:
    """Write CSV files for neo4j-admin database import, import.sh with the exact
    command, and load.cypher for cypher-shell."""
    files = api.neo4j_export(out_dir, graph_dir)
    click.echo(f"wrote {len(files)} files to {out_dir}; run {out_dir}/import.sh against a stopped Neo4j, "
               f"or cypher-shell -f {out_dir}/load.cypher")


if __name__ == "__main__":
    main()
