"""Spatial structure formulae, the first fact kind added through the extractor
contract: its class (plankg.facts.StructureFormula), its rule (data in
role_words.csv and loaders/structure.py), its writer (graph/rdf.py WRITERS)."""
from __future__ import annotations

import plankg
from plankg.facts import StructureFormula
from plankg.graph.rdf import WRITERS
from plankg.pipeline import EXTRACTORS

PLAN = "甲乙省国土空间规划（2021—2035年）"
TEXT = f"""甲乙省人民政府关于印发《{PLAN}》的通知
构建“一核两带多点”的国土空间开发格局，推进“四个全面”战略布局。
"""


def test_a_formula_and_its_parts(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(TEXT, encoding="utf-8")
    plankg.build([path], out=tmp_path / "out")
    from plankg.graph.store import load_store

    q = """PREFIX pkg: <https://w3id.org/plankg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?f ?order ?count ?element WHERE { ?s a pkg:SpatialStructure ; skos:prefLabel ?f ; dct:hasPart ?p .
      ?p pkg:partOrder ?order ; pkg:partCount ?count ; pkg:partElement ?element } ORDER BY ?order"""
    rows = [(r["f"].value, int(r["order"].value), r["count"].value, r["element"].value)
            for r in load_store(tmp_path / "out").query(q)]
    assert rows == [("一核两带多点", 1, "一", "核"), ("一核两带多点", 2, "两", "带"), ("一核两带多点", 3, "多", "点")]
    assert plankg.validate(tmp_path / "out").conforms


def test_the_real_approval_gives_its_structures(real_plans_dir):
    from plankg.pipeline import extract_corpus

    doc = extract_corpus([real_plans_dir / "06_xiongan_zongti_guihua_pifu.txt"]).documents[0]
    got = {s.formula: s.parts for s in doc.structures}
    assert got["一淀、三带、九片、多廊"] == (("一", "淀"), ("三", "带"), ("九", "片"), ("多", "廊"))
    assert "一主、五辅、多节点" in got and not any("五位一体" in f for f in got)
    assert all(s.evidence.rule == "plan.structure.formula" for s in doc.structures)


def test_the_new_kind_is_registered_once():
    assert StructureFormula in WRITERS and "structures" in EXTRACTORS
