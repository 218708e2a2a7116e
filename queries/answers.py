"""Canned answers, computed once per build: ``answers/NAME.csv``.

A build answers every canned question before it is put in place, so that
asking one later reads a file instead of evaluating SPARQL: on large graphs
Oxigraph's on-disk store takes seconds to minutes for the aggregating
questions (every solution is decoded from RocksDB), while the file is read in
milliseconds whatever the corpus size.

The questions are answered by the same SPARQL as ``plankg query`` runs, on an
in-memory Oxigraph store of the graph without its evidence layer (the
``…/evidence-…`` nodes and their selectors, nine tenths of the triples); a
question that touches the evidence vocabulary (``pkg:Evidence``,
``rdf:object``, ``oa:…``, ``prov:wasDerivedFrom``) or has a variable in
predicate position is answered on the whole graph instead (on ``store/``,
or, for a build without one, in memory if the graph is small enough; else
that question gets no stored answer and is evaluated when asked). Each file holds
what ``plankg query NAME --format csv`` prints; ``answers/index.json`` records
the digest of each query's text, and an answer whose query has changed since
(a newer plankg) is not used: the question is evaluated on the store again.

>>> digest(canned.CannedQuery("x", "", [], "", "SELECT * {}", None))[:12]
'b7fcbdf8d539'
"""
from __future__ import annotations

import json
from pathlib import Path

from plankg import formats
from plankg import queries as canned
from plankg.stored_answers import ANSWERS_DIR, FORMAT, INDEX, find_answer, text_digest
# The facts layer is held in memory to be answered; a larger one (about 2.5 GB
# of memory at this size) is answered on the on-disk store instead.
IN_MEMORY_TRIPLES = 5_000_000
# A build without store/ whose graph.nt is larger (about 5 M triples) gets no
# stored answers to the evidence questions: they would need the whole graph in
# memory, so they are evaluated when asked, as before.
IN_MEMORY_GRAPH_BYTES = 700_000_000


def digest(query: canned.CannedQuery) -> str:
    """The SHA-256 of a canned query's SPARQL text."""
    return text_digest(query.sparql)


def to_csv(result: canned.QueryResult) -> str:
    """Rows as CSV with a header row, as ``plankg query --format csv`` prints them."""
    return formats.to_csv(result.columns, result.rows)


def from_csv(text: str) -> canned.QueryResult:
    """The inverse of ``to_csv``.

    >>> r = canned.QueryResult(["a", "b"], [("1", 'x, "y"\\nz')])
    >>> from_csv(to_csv(r)) == r
    True
    """
    return canned.QueryResult(*formats.from_csv(text))


def needs_evidence(query: canned.CannedQuery) -> bool:
    """Whether a query can see the evidence layer: it names a term of the
    evidence vocabulary or has a variable predicate (read from the query's
    algebra, so prefixes, paths and ``EXISTS`` are all seen)."""
    from rdflib.paths import Path as PropertyPath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import URIRef, Variable

    from plankg.graph.namespaces import EVIDENCE_TERMS

    iris: set[str] = set()

    def walk(node) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and any(isinstance(p, Variable) for _, p, _ in value):
                    return True
                if walk(value):
                    return True
        elif isinstance(node, (list, tuple, set)):
            return any(walk(item) for item in node)
        elif isinstance(node, URIRef):
            iris.add(str(node))
        elif isinstance(node, PropertyPath):
            return walk(list(vars(node).values()))
        return False

    variable_predicate = walk(translateQuery(parseQuery(query.sparql)).algebra)
    return variable_predicate or bool(iris & EVIDENCE_TERMS)


def write_answers(graph_dir: Path, facts: Path | None = None, dest: Path | None = None) -> Path:
    """Answer every canned question on the build in ``graph_dir`` into
    ``dest`` (default ``graph_dir/answers/``, which must not exist yet or be
    empty); ``facts`` is the graph's facts layer as N-Triples
    (``plankg.graph.store.facts_layer``), made from ``graph.nt`` when not
    given. Returns the folder."""
    from plankg.graph import store as gstore

    graph_dir = Path(graph_dir)
    folder = Path(dest) if dest is not None else graph_dir / ANSWERS_DIR
    folder.mkdir(exist_ok=True)
    made_here = facts is None
    if made_here:
        facts = folder / ".facts.nt"
        count = gstore.facts_layer(gstore.graph_file(graph_dir), facts)
    else:
        with open(facts, "rb") as rows:
            count = sum(1 for _ in rows)
    try:
        facts_store = gstore.memory_store(facts) if count <= IN_MEMORY_TRIPLES else None
        whole = None
        index = {}
        whole_fits = gstore.has_store(graph_dir) or \
            gstore.graph_file(graph_dir).stat().st_size <= IN_MEMORY_GRAPH_BYTES
        for query in canned.all_queries():
            on_facts = facts_store is not None and not needs_evidence(query)
            if not on_facts and not whole_fits:
                continue
            if not on_facts and whole is None:
                whole = gstore.open_store(graph_dir, note=lambda message: None)
            result = answer(query, facts_store if on_facts else whole)
            (folder / f"{query.name}.csv").write_text(to_csv(result), encoding="utf-8")
            index[query.name] = {"sha256": digest(query), "rows": len(result.rows),
                                 "graph": "facts" if on_facts else "whole"}
    finally:
        if made_here:
            facts.unlink(missing_ok=True)
    (folder / INDEX).write_text(json.dumps({"format": FORMAT, "answers": index}, indent=2, sort_keys=True) + "\n",
                                encoding="utf-8")
    return folder


def add_answers(graph_dir: str | Path) -> Path:
    """Give an existing build its ``answers/`` (or answer anew), written beside
    it and put in place in one step."""
    from plankg.graph import store as gstore

    graph_dir = Path(graph_dir)
    gstore.graph_file(graph_dir)
    return gstore.replace_folder(graph_dir / ANSWERS_DIR, lambda tmp: write_answers(graph_dir, dest=tmp))


def answer(query: canned.CannedQuery, store) -> canned.QueryResult:
    """A canned query's rows on an Oxigraph store, list cells sorted."""
    result = canned.run_sparql(store, query.sparql, query.columns)
    return canned.QueryResult(result.columns, canned.sort_list_cells(query, result.rows))


def answer_file(graph_dir: str | Path, query: canned.CannedQuery) -> Path | None:
    """The file holding a build's answer to ``query``, or None when the build
    has none (an older build) or it answers another text of the query."""
    path = find_answer(graph_dir, query.name, digest(query))
    return None if path is None else Path(path)


def read_answer(graph_dir: str | Path, query: canned.CannedQuery) -> canned.QueryResult | None:
    """A build's stored answer to ``query`` (see ``answer_file``), or None."""
    path = answer_file(graph_dir, query)
    return None if path is None else from_csv(path.read_text("utf-8"))
