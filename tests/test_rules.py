"""The rule catalogue (``loaders/gazetteers/rules.csv``): every rule a build
writes is catalogued, every catalogued rule is made by the code, and
``docs/rules.md`` is generated from the catalogue."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from plan_fixtures import plan_text, write_plan

from plankg import api
from plankg.docs import main as docs_main
from plankg.docs import read_rules, rules_doc_path, rules_markdown

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("plan", "scope", "region", "axis", "cluster", "task", "project", "indicator")
RULE_RE = re.compile(rf"^(?:{'|'.join(FAMILIES)})(?:\.[a-z_\-]+)+$")
EXTRACTION_SOURCES = sorted((ROOT / "loaders").glob("*.py")) + [ROOT / "plankg" / "resolve.py"]


def catalogue() -> set[str]:
    """The catalogued rule ids."""
    return {r.id for r in read_rules()}


def code_rules() -> tuple[set[str], list[re.Pattern]]:
    """Rule ids written literally in the extraction code, and the patterns of
    rule ids built with f-strings (``f"task.annex.{role}"``, ``f"{rule}.region-member"``)."""
    literals: set[str] = set()
    templates: list[re.Pattern] = []
    for path in EXTRACTION_SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        in_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstrings:
                if RULE_RE.match(node.value):
                    literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and len(node.values) == 2:
                head, tail = node.values
                if isinstance(head, ast.Constant) and RULE_RE.match(head.value.rstrip(".")):
                    templates.append(re.compile(f"^{re.escape(head.value)}(?P<slot>[a-z_\\-]+)$"))  # f"task.annex.{role}"
                elif isinstance(tail, ast.Constant) and re.match(r"^(\.[a-z_\-]+)+$", tail.value):
                    templates.append(re.compile(f"^(?P<slot>.+){re.escape(tail.value)}$"))  # f"{rule}.region-member"
    return literals, templates


def made_by_code(rule: str, literals: set[str], templates: list[re.Pattern]) -> bool:
    """A rule the code writes literally, or one of its templates makes: a
    suffix template's head must itself be a rule of the code."""
    if rule in literals:
        return True
    for t in templates:
        m = t.match(rule)
        if not m:
            continue
        if not t.pattern.startswith("^(?P<slot>") or m["slot"] in literals:
            return True
    return False


def graph_rules(out: Path) -> set[str]:
    """Every ``pkg:rule`` value of a build's graph.nt."""
    found = re.findall(r'<https://w3id\.org/plankg/ontology#rule> "([^"]*)"', (out / "graph.nt").read_text("utf-8"))
    return set(found)


def test_catalogue_is_well_formed():
    rules = read_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert all(RULE_RE.match(r.id) and r.description.strip() and r.example.strip() for r in rules)
    head = [line for line in (ROOT / "loaders" / "gazetteers" / "rules.csv").read_text("utf-8").splitlines()
            if line.startswith("#")]
    assert any("Source" in line for line in head) and any("Licence" in line for line in head)


def test_every_rule_of_the_code_is_catalogued():
    literals, templates = code_rules()
    assert templates, "the f-string rules were not found"
    assert literals - catalogue() == set()


def test_every_catalogued_rule_is_made_by_the_code():
    literals, templates = code_rules()
    assert {r for r in catalogue() if not made_by_code(r, literals, templates)} == set()


def test_made_by_code_refuses_invented_rules():
    literals, templates = code_rules()
    assert not made_by_code("axis.node.invented", literals, templates)
    assert not made_by_code("axis.invented.region-member", literals, templates)
    assert made_by_code("axis.node.listed.region-member", literals, templates)


def _check_build(out: Path):
    written = graph_rules(out)
    counted = set(json.loads((out / "build.json").read_text("utf-8"))["rules"])
    assert written, "the build wrote no evidence"
    assert written - catalogue() == set()
    assert counted - catalogue() == set()
    # build.json counts exactly the rules the graph carries (versions' evidence aside).
    assert written <= counted


def test_sample_build_rules_are_catalogued(built):
    _check_build(built)


def test_real_plans_rules_are_catalogued(tmp_path, real_plans_dir):
    api.build([str(real_plans_dir)], out=str(tmp_path / "out"))
    _check_build(tmp_path / "out")


def test_made_up_plans_rules_are_catalogued(tmp_path):
    folder = tmp_path / "plans"
    write_plan(folder, "a.txt", plan_text("湖南省试验区发展规划（2021—2025年）"))
    write_plan(folder, "b.txt", plan_text("湖南省试验区物流实施方案", year=2022, number=None,
                                         cites="为贯彻落实《湖南省试验区发展规划（2021—2025年）》，制定本方案。"))
    api.build([str(folder)], out=str(tmp_path / "out"))
    _check_build(tmp_path / "out")


def test_rules_doc_is_up_to_date():
    assert rules_doc_path().read_text("utf-8") == rules_markdown(read_rules()), \
        "docs/rules.md is out of date: run python -m plankg.docs"
    assert docs_main(["--check"]) == 0
