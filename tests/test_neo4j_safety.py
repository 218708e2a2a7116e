"""Neo4j safety: values that look like Cypher load and read back unchanged,
every statement is parameterised, and the password never shows.

The unit tests run without a server; the others (marked slow) use the real
Neo4j test server of ``tests/neo4j_server``.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from plan_fixtures import plan_text, write_plan
from rdflib import Literal, URIRef

import plankg
from plankg.graph import cypher
from plankg.graph.namespaces import PKG, RDF, SKOS
from plankg.graph.neo4j_export import cypher_script
from plankg.graph.neo4j_loader import Neo4jLoadError, guarded, safe_uri, scrub
from plankg.graph.neo4j_store import load, to_property_graph
from plankg.graph.store import load_graph

HERE = Path(__file__).resolve().parent
SECRET = "Pw-7f3a'}) RETURN 1 //\"x"  # a password that is also hostile Cypher
CORE = "7f3a"  # in every form the password could take in a message (escaped, quoted, percent-encoded)

# Labels a careless statement builder would break on.
HOSTILE = [
    "引号'单引号'与\"双引号\"",
    "反斜杠\\与\\n字面量\\'",
    "注入'}) RETURN n //",
    "注入\"}) MATCH (m) DETACH DELETE m //",
    "换行\n第二行\r\n第三行",
    "制表\t与\u2028行分隔符",
    "反引号`与$rows参数",
    "分号;\n换行后的语句",
]


def test_statement_builders_take_values_as_parameters():
    statements = [cypher.constraint(), cypher.merge_nodes(["PlankgResource", "Plan"]), cypher.merge_relationships("X"),
                  cypher.wipe_batch(), cypher.prune_nodes_batch(), cypher.prune_relationships_batch(),
                  cypher.count_nodes(), cypher.count_relationships()]
    for st in statements:
        assert "'" not in st and '"' not in st, st  # no value is spliced in as a string
    assert "$limit" in cypher.wipe_batch() and "$build" in cypher.prune_nodes_batch()


def test_identifiers_are_quoted():
    assert cypher.merge_relationships("A`]->(b) DELETE b //").count("``") == 1
    assert cypher.label_expression(["PlankgResource", "Odd`Label"]) == ":`Odd``Label`"


def test_literals_keep_every_statement_on_one_line():
    for text in HOSTILE:
        lit = cypher.literal(text)
        assert "\n" not in lit and "\r" not in lit and "\u2028" not in lit
        assert lit.startswith("'") and lit.endswith("'")
        inner = lit[1:-1]
        # every quote inside is escaped by an odd run of backslashes
        for i, ch in enumerate(inner):
            if ch == "'":
                run = len(inner[:i]) - len(inner[:i].rstrip("\\"))
                assert run % 2 == 1, lit


def test_inline_leaves_quoted_identifiers_alone():
    st = cypher.inline("UNWIND $rows AS row SET n:`a$rows`", rows=[1])
    assert st == "UNWIND [1] AS row SET n:`a$rows`"


def test_uri_user_info_and_password_are_masked():
    assert safe_uri("bolt://neo4j:secret@localhost:7687") == "bolt://localhost:7687"
    assert safe_uri("bolt://localhost:7687") == "bolt://localhost:7687"
    assert scrub(f"server said {SECRET}", SECRET) == "server said ********"
    assert CORE not in scrub(f"server said {SECRET!r} and {SECRET.encode()}", SECRET)


def test_driver_failures_carry_neither_password_nor_cause():
    uri = f"bolt://neo4j:{SECRET}@db.example:7687"

    def fail():
        raise RuntimeError(f"bad URI {uri!r}, password {SECRET}")

    with pytest.raises(Neo4jLoadError) as info:
        guarded(fail, uri, "neo4j", SECRET)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert CORE not in _chain_text(info.value)
    assert "db.example:7687" in str(info.value)


# ---------------------------------------------------------------- with the real server

@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """A made-up plan's build, with hostile labels added to its graph."""
    folder = tmp_path_factory.mktemp("hostile")
    write_plan(folder / "in", "plan.txt", plan_text("湖南省试验区发展规划（2021—2025年）"))
    plankg.build([folder / "in"], out=folder / "out")
    graph = load_graph(folder / "out")
    nodes = {}
    for n, text in enumerate(HOSTILE):
        iri = URIRef(f"https://w3id.org/plankg/id/test/hostile-{n}")
        graph.add((iri, RDF.type, PKG.Place))
        graph.add((iri, SKOS.prefLabel, Literal(text, lang="zh-Hans")))
        graph.add((iri, SKOS.altLabel, Literal(text + "（别名）", lang="zh-Hans")))
        nodes[str(iri)] = text
    first = next(iter(nodes))
    graph.add((URIRef(first), URIRef("https://w3id.org/plankg/ontology#linksTo"), URIRef(list(nodes)[1])))
    return to_property_graph(graph), nodes


def _read_back(server, iris):
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
        records = d.execute_query("MATCH (n:PlankgResource) WHERE n.iri IN $iris RETURN n.iri AS iri, "
                                  "n.prefLabel AS label, n.altLabel AS alt", iris=list(iris)).records
    return {r["iri"]: (r["label"], r["alt"]) for r in records}


@pytest.mark.slow
def test_hostile_labels_load_and_read_back_unchanged(hostile_build, neo4j_server):
    pg, nodes = hostile_build
    report = load(pg, neo4j_server.uri, neo4j_server.user, neo4j_server.password, wipe=True)
    assert (report.nodes, report.relationships) == pg.counts()
    assert _read_back(neo4j_server, nodes) == {iri: (text, text + "（别名）") for iri, text in nodes.items()}


@pytest.mark.slow
def test_hostile_labels_survive_the_offline_script(hostile_build, neo4j_server):
    pg, nodes = hostile_build
    lines = cypher_script(pg).splitlines()
    statements = [line.removesuffix(";") for line in lines if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in lines[1:])  # one statement per line
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as d:
        d.execute_query("MATCH (n:PlankgResource) DETACH DELETE n")
        for st in statements:
            d.execute_query(st)
        n = d.execute_query("MATCH (n:PlankgResource) RETURN count(n) AS c").records[0]["c"]
    assert n == len(pg.nodes)
    assert _read_back(neo4j_server, nodes) == {iri: (text, text + "（别名）") for iri, text in nodes.items()}


@pytest.mark.slow
def test_hostile_labels_survive_the_offline_import(hostile_build, tmp_path):
    """The CSV files, read by Neo4j's own import tool, give back every hostile label (quotes,
    line breaks, U+2028, semicolons) and list elements holding ``;`` and ``|``, which make the
    export separate array elements with U+001F instead."""
    import copy

    sys.path.insert(0, str(HERE / "neo4j_server"))
    from server import Neo4jServer, import_csv

    from plankg.graph.neo4j_export import array_delimiter, export_offline

    pg, nodes = hostile_build
    pg = copy.deepcopy(pg)
    listed = next(iter(nodes))
    elements = ["分号;元素", "竖线|元素", "换行\n元素"]
    pg.nodes[listed]["props"]["altLabel"] = elements
    assert array_delimiter(pg) == "\x1f"
    export_offline(pg, tmp_path / "export")
    import_csv(tmp_path / "export", tmp_path / "home")
    server = Neo4jServer(tmp_path / "home").start()
    try:
        back = _read_back(server, nodes)
    finally:
        server.stop()
    expected = {iri: (text, text + "（别名）") for iri, text in nodes.items()}
    expected[listed] = (nodes[listed], elements)
    assert back == expected


def _chain_text(exc: BaseException) -> str:
    """Everything an exception chain would show: formatted traceback, reprs and args."""
    parts = ["".join(traceback.format_exception(exc))]
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts += [repr(exc), str(exc), repr(exc.args)]
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def _free_uri() -> str:
    sys.path.insert(0, str(HERE / "neo4j_server"))
    from server import free_port

    return f"bolt://127.0.0.1:{free_port()}"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["wrong-host", "wrong-password", "credentials-in-uri"])
def test_password_never_shows_in_api_errors_or_logs(case, built, neo4j_server, caplog):
    uri = {"wrong-host": _free_uri(), "wrong-password": neo4j_server.uri,
           "credentials-in-uri": _free_uri().replace("bolt://", f"bolt://neo4j:{SECRET.split(chr(39))[0]}@")}[case]
    secret = SECRET.split("'")[0] if case == "credentials-in-uri" else SECRET
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Neo4jLoadError) as info:
        plankg.api.neo4j_load(built, uri=uri, password=secret)
    text = _chain_text(info.value)
    assert "Neo4j" in str(info.value)
    assert CORE not in text and CORE not in caplog.text
    for record in caplog.records:
        assert CORE not in record.getMessage()


@pytest.mark.slow
@pytest.mark.parametrize("case", ["wrong-host", "wrong-password"])
def test_password_never_shows_in_cli_output(case, built, neo4j_server):
    uri = _free_uri() if case == "wrong-host" else neo4j_server.uri
    env = dict(os.environ, NEO4J_PASSWORD=SECRET, PYTHONDEVMODE="1")
    plankg_cli = Path(sys.executable).parent / "plankg"
    for command in (["neo4j", "load", "--graph", str(built), "--uri", uri],
                    ["query", "plans", "--engine", "neo4j", "--uri", uri]):
        done = subprocess.run([str(plankg_cli), *command], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, (done.stdout, done.stderr)
        assert "Neo4j" in done.stderr + done.stdout
        assert CORE not in done.stdout and CORE not in done.stderr


def test_the_mapping_names_each_predicate_and_class_apart(built):
    """Neo4j names are local names: no two predicates (or classes) of a build may
    share one, and every plankg term the build uses is declared in the ontology."""
    from rdflib import OWL, RDFS, Graph
    from rdflib.namespace import RDF as RDF_NS

    from plankg.graph.neo4j_mapping import local_name, relationship_type

    graph = load_graph(built)
    predicates = set(graph.predicates())
    classes = set(graph.objects(None, RDF_NS.type))
    for names in ({p: local_name(p) for p in predicates}, {p: relationship_type(p) for p in predicates},
                  {c: local_name(c) for c in classes}):
        assert len(set(names.values())) == len(names), sorted(names.values())
    ontology = Graph().parse(HERE.parent / "ontology" / "plankg.ttl")
    declared = {s for t in (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                            RDF_NS.Property) for s in ontology.subjects(RDF_NS.type, t)}
    used = {t for t in predicates | classes if str(t).startswith(str(PKG))}
    assert used and used - declared == set()


# ------------------------------------------------ the mapping without a triple store

def test_streamed_build_maps_like_the_rdflib_graph(built):
    """Reading graph.nt subject by subject gives the property graph (and build id) of rdflib's graph."""
    streamed, stored = to_property_graph(built), to_property_graph(load_graph(built))
    assert streamed.build_id == stored.build_id
    assert list(streamed.nodes.items()) == list(stored.nodes.items())
    assert streamed.relationships == stored.relationships


def test_streamed_ntriples_keep_escapes_types_and_order(tmp_path):
    """Hostile text, non-canonical typed literals, language tags in any case, several
    literals of one property and IRIs nested in each other map as rdflib reads them."""
    import pyoxigraph
    from rdflib import Graph
    from rdflib.namespace import XSD

    from plankg.graph.namespaces import OA

    graph = Graph()
    base = "https://w3id.org/plankg/id/test/"
    for n, text in enumerate(HOSTILE):
        iri = URIRef(f"{base}node-{n}")
        graph.add((iri, RDF.type, PKG.Place))
        graph.add((iri, SKOS.prefLabel, Literal(text, lang="zh-Hans")))
        graph.add((iri, SKOS.altLabel, Literal(text + "（别名）")))
        graph.add((iri, SKOS.altLabel, Literal(text, lang="zh-Hant")))
        graph.add((URIRef(f"{base}node-{n}/part"), SKOS.broader, iri))  # a longer IRI: sorted after its prefix
        graph.add((URIRef(f"{base}node-{n}-x"), SKOS.related, iri))
    number = URIRef(f"{base}numbers/一")
    # rdflib orders numbers by value and other literals by datatype IRI; mixing a datatype whose IRI
    # sorts between xsd:decimal and xsd:integer (xsd:gYear) with both makes that order cyclic, and
    # then no order is rdflib's: such literals go on predicates of their own here.
    for lexical, datatype in (("01", XSD.integer), ("10", XSD.integer), ("2", XSD.integer), ("1.50", XSD.decimal),
                              ("1", XSD.boolean), ("x", XSD.string), ("y", None)):
        graph.add((number, URIRef(f"{base}value"), Literal(lexical, datatype=datatype)))
    for lexical in ("2035", "2021", "2025"):
        graph.add((number, URIRef(f"{base}year"), Literal(lexical, datatype=XSD.gYear)))
    graph.add((number, SKOS.hiddenLabel, Literal("数", lang="EN-us")))
    evidence, selector = URIRef(f"{base}node-0/evidence"), URIRef(f"{base}node-0/evidence/selector")
    graph.add((evidence, RDF.type, PKG.Evidence))
    graph.add((evidence, RDF.subject, URIRef(f"{base}node-0")))
    graph.add((evidence, RDF.predicate, SKOS.related))
    graph.add((evidence, RDF.object, URIRef(f"{base}node-1")))
    graph.add((evidence, OA.hasSelector, selector))
    graph.add((URIRef(f"{base}node-0"), SKOS.related, URIRef(f"{base}node-1")))
    for predicate, value in ((OA.start, 7), (OA.end, 12), (OA.exact, "分号;\n换行")):
        graph.add((selector, predicate, Literal(value)))
    nt = tmp_path / "graph.nt"
    graph.serialize(nt, format="nt", encoding="utf-8")
    oxigraph_nt = tmp_path / "oxigraph" / "graph.nt"  # as a build writes it: sorted, Oxigraph's escapes
    oxigraph_nt.parent.mkdir()
    lines = pyoxigraph.serialize(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES),
                                 format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8").split("\n")
    oxigraph_nt.write_text("\n".join(sorted(line for line in lines if line)) + "\n", encoding="utf-8")
    for source in (nt, oxigraph_nt.parent):  # (Oxigraph writes language tags in lower case)
        expected = to_property_graph(Graph().parse(nt if source == nt else oxigraph_nt, format="nt"))
        assert expected.nodes[str(evidence)]["props"]["exact"] == "分号;\n换行"
        streamed = to_property_graph(source)
        assert streamed.build_id == expected.build_id
        assert list(streamed.nodes.items()) == list(expected.nodes.items())
        assert streamed.relationships == expected.relationships
