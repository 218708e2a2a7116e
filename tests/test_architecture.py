"""The import structure: data flows one way.

Every module's imports are read with ``ast`` (module level and inside
functions alike), under the package layout ``setup.cfg`` declares
(``plankg.graph`` = ``graph/`` …). The tests fail on any import circle, on a
graph writer importing extraction code, and on reference data importing
extraction code.
"""
from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Reference data: gazetteers and word lists, loaded once per build (plankg.context).
REFERENCE_MODULES = {f"plankg.loaders.{name}" for name in ("reference", "agencies", "places", "lines", "geo")}
# Cross-document extraction lives outside loaders/.
EXTRACTION_OUTSIDE_LOADERS = {"plankg.pipeline", "plankg.resolve"}


def package_dirs() -> dict[str, Path]:
    """Package name -> folder, as ``setup.cfg`` maps them."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    mapping = {}
    for line in cfg["options"]["package_dir"].strip().splitlines():
        name, _, folder = (part.strip() for part in line.partition("="))
        mapping[name] = ROOT / folder
    return mapping


def modules() -> dict[str, Path]:
    """Every module of the installed packages, by dotted name."""
    found = {}
    for package, folder in package_dirs().items():
        for path in sorted(folder.glob("*.py")):
            found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return found


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules a module imports, anywhere in its body."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in known:  # from plankg import api
                    out.add(f"{base}.{alias.name}")
                elif base in known:
                    out.add(base)
    out.discard(name)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    mods = modules()
    return {name: imports_of(path, name, set(mods)) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def is_extraction(module: str) -> bool:
    """Loaders other than reference data, and the cross-document stages."""
    if module in EXTRACTION_OUTSIDE_LOADERS:
        return True
    return module.startswith("plankg.loaders.") and module not in REFERENCE_MODULES


def test_layout_is_read():
    mods = modules()
    assert {"plankg.api", "plankg.graph.rdf", "plankg.loaders.spatial", "plankg.queries"} <= set(mods)
    assert REFERENCE_MODULES <= set(mods)


def test_no_import_circles():
    assert cycles(import_graph()) == []


def test_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("layer", ["plankg.graph.", "plankg.queries"])
def test_writers_and_queries_import_no_extraction_code(layer):
    graph = import_graph()
    bad = {m: sorted(filter(is_extraction, deps)) for m, deps in graph.items() if m.startswith(layer)}
    assert {m: deps for m, deps in bad.items() if deps} == {}


def test_reference_data_imports_no_extraction_code():
    graph = import_graph()
    bad = {m: sorted(filter(is_extraction, graph[m])) for m in REFERENCE_MODULES}
    assert {m: deps for m, deps in bad.items() if deps} == {}


def test_facts_and_script_import_nothing_of_the_project():
    graph = import_graph()
    assert graph["plankg.facts"] == set()
    assert graph["plankg.script"] == set()


def test_every_fact_class_has_one_writer():
    """Each class the extractors produce (and each class a document holds) is
    written by the writer registered for it, and by nothing else."""
    import dataclasses

    from plankg import facts
    from plankg.graph.rdf import WRITERS

    held = {cls for cls, _ in facts._FACT_LISTS} | {facts.PlanFacts, facts.PlanScope, facts.CitedDocument}
    assert set(WRITERS) == held
    doc = facts.DocumentFacts(source=None, plan=facts.PlanFacts(document="d"))
    for cls in WRITERS:
        assert isinstance(doc.of(cls), list) and dataclasses.is_dataclass(cls)


def test_extractor_facts_are_written(tmp_path):
    """Every fact the extractors return for a made-up plan is of a registered class."""
    from plan_fixtures import plan_text, write_plan

    from plankg.context import ReferenceData
    from plankg.graph.rdf import WRITERS
    from plankg.loaders.prepared import prepare
    from plankg.loaders.reader import read_document
    from plankg.pipeline import EXTRACTORS, DocumentContext

    path = write_plan(tmp_path, "plan.txt", plan_text("湖南省试验区发展规划（2021—2025年）"))
    doc = prepare(read_document(path))
    ctx = DocumentContext(ReferenceData.load())
    kinds = {type(fact) for extract in EXTRACTORS.values() for fact in extract(doc, ctx)}
    assert len(kinds) >= 4 and kinds <= set(WRITERS)
