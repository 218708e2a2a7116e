"""Plan metadata, checked against the hand annotation of the corpus and on new text."""
from __future__ import annotations

import json

import pytest

from conftest import ANNOTATIONS, corpus_file
from plankg.facts import CorpusFacts, DocumentFacts
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.mapped import MappedText
from plankg.loaders.metadata import extract_plan_facts, normalize_doc_no
from plankg.loaders.prepared import PreparedDocument, prepare
from plankg.loaders.dedup import deduplicate
from plankg.loaders.normalize import normalize_text
from plankg.facts import SourceDocument
from plankg.resolve import resolve_cross_document

EXPECTED = {k: v for k, v in json.loads((ANNOTATIONS / "plans.json").read_text("utf-8")).items() if not k.startswith("_")}


def prepared_text(text: str, name: str = "test.txt") -> PreparedDocument:
    src = SourceDocument(id=name, path=name, name=name, encoding="utf-8", sha256="0" * 64, text=text, media_type="text/plain")
    return PreparedDocument(src, deduplicate(normalize_text(text)))


def names(keys):
    g = AgencyGazetteer.load()
    return [g.agencies[k].name if k in g.agencies else k for k in keys]


@pytest.fixture(scope="module")
def plans(corpus_facts):
    return {d.source.name[:3]: d.plan for d in corpus_facts.documents}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_plan_metadata_matches_annotation(plans, prefix):
    plan, want = plans[prefix], EXPECTED[prefix]
    assert plan.title.value == want["plan"]
    notice = want.get("notice_title") or f"{want['notice_issuer']}关于印发《{want['notice_plan']}》的通知"
    assert plan.notice_title.value == notice
    assert names(c.value for c in plan.issuers) == want["issuers"]
    assert (plan.date.value if plan.date else "") == want["date"]
    assert (plan.doc_no.value if plan.doc_no else "") == want["doc_no"]
    assert (list(plan.period.value) if plan.period else None) == want["period"]
    if "approved_by" in want:
        assert names(c.value for c in plan.approved_by) == want["approved_by"]
        assert plan.approval_doc_no.value == want["approval_doc_no"]


def test_cross_document_date_keeps_the_citing_documents_provenance(corpus_facts, plans):
    citing = next(d for d in corpus_facts.documents if d.source.name.startswith(EXPECTED["002"]["date_from"]))
    date = plans["002"].date
    assert date.evidence.document == citing.source.id
    assert date.evidence.rule == "plan.date.cited-notice-number"
    a, b = date.evidence.spans[0]
    assert citing.source.text[a:b] == date.evidence.text and "738" in date.evidence.text


def test_evidence_of_traditional_document_points_at_traditional_text(plans):
    ev = plans["003"].doc_no.evidence
    original = corpus_file("003").read_text("utf-8")
    assert original[ev.start:ev.end] == ev.text
    assert "發" in ev.text  # as the user's file has it


# ---- new text written for these tests --------------------------------------------------

NEW_PLAN = """江西省人民政府
关于印发《江西省推进〈某某
经济带发展规划〉实施方案》的通知
赣府发[2019]７号

各设区市人民政府，省政府各部门：
现将《江西省推进〈某某经济带发展规划〉实施方案》印发给你们，请认真贯彻执行。

江西省人民政府
二〇一九年三月十二日

江西省推进《某某经济带发展规划》实施方案
规划期为2019—2025年，展望到2035年。规划范围包括南昌市、九江市，总面积3.2万平方公里，2018年常住人口1200万人，地区生产总值8000亿元。
根据《国务院关于某某经济带发展的指导意见》（国发﹝2018﹞9号），制定本方案。由省发展改革委牵头推进。
"""


def test_new_plan_all_fields():
    plan = extract_plan_facts(prepared_text(NEW_PLAN))
    assert plan.title.value == "江西省推进《某某经济带发展规划》实施方案"
    assert names(c.value for c in plan.issuers) == ["江西省人民政府"]
    assert plan.date.value == "2019-03-12"
    assert plan.doc_no.value == "赣府发〔2019〕7号"
    assert plan.period.value == (2019, 2025)
    assert [c.value for c in plan.target_years] == [2025, 2035]
    scope = {f.measure: (f.value, f.year) for f in plan.scope}
    assert scope == {"area": (32000.0, None), "population": (12000000.0, 2018), "gdp": (800000000000.0, 2018)}
    cited = {c.title: c.doc_no for c in plan.citations}
    assert cited["国务院关于某某经济带发展的指导意见"] == "国发〔2018〕9号"


def test_notice_heading_without_title_marks():
    text = ("湖北省人民政府关于印发鄂西北城市群发展规划的通知\n鄂政发〔2023〕15号\n各市、州人民政府：\n"
            "现将《鄂西北城市群发展规划》印发给你们，请认真组织实施。\n湖北省人民政府\n2023年6月18日\n")
    plan = extract_plan_facts(prepared_text(text))
    assert plan.title.value == "鄂西北城市群发展规划"
    assert plan.title.evidence.rule == "plan.title.notice"
    assert plan.notice_title.value == "湖北省人民政府关于印发《鄂西北城市群发展规划》的通知"
    assert plan.notice_title.evidence.text == "湖北省人民政府关于印发鄂西北城市群发展规划的通知"
    assert names(c.value for c in plan.issuers) == ["湖北省人民政府"]
    assert (plan.date.value, plan.doc_no.value) == ("2023-06-18", "鄂政发〔2023〕15号")


def test_inline_signature_and_joint_issuers():
    text = ("中共某某市委 某某市人民政府关于印发《某某市城乡融合发展规划》的通知某发〔2021〕3号各区县："
            "现印发给你们。中共某某市委某某市人民政府2021年5月6日（此件公开发布）某某市城乡融合发展规划")
    plan = extract_plan_facts(prepared_text(text))
    assert [c.value for c in plan.issuers] == ["unlisted:中共某某市委", "unlisted:某某市人民政府"]
    assert plan.date.value == "2021-05-06"
    assert plan.doc_no.value == "某发〔2021〕3号"


@pytest.mark.parametrize("raw, prefix, year, num", [
    ("湘政发〔2022〕6号", "湘政发", "2022", "6"), ("国函[2015]62号", "国函", "2015", "62"),
    ("国发﹝2016﹞18号", "国发", "2016", "18"), ("发改地区［2015］738号", "发改地区", "2015", "738"),
])
def test_doc_number_bracket_variants(raw, prefix, year, num):
    plan = extract_plan_facts(prepared_text(f"某省人民政府关于印发《某某规划》的通知\n{raw}\n正文。"))
    assert plan.doc_no.value == normalize_doc_no(prefix, year, num)


def test_cross_document_resolution_on_new_text():
    national = prepared_text("《某某流域生态保护规划》全文\n前言\n规划期为2021—2030年。", "n.txt")
    provincial = prepared_text(
        "某省人民政府\n关于印发《某省落实流域规划实施方案》的通知\n\n某省人民政府\n2022年1月2日\n"
        "根据《国务院关于某某流域生态保护规划的批复》（国函〔2021〕11号）、"
        "《国家发展改革委关于印发某某流域生态保护规划的通知》（发改地区〔2021〕99号），制定本方案。", "p.txt")
    corpus = CorpusFacts([DocumentFacts(d.source, extract_plan_facts(d)) for d in (national, provincial)])
    resolve_cross_document(corpus)
    plan = corpus.documents[0].plan
    assert plan.date.value == "2021" and plan.date.evidence.document == "p.txt"
    assert plan.doc_no.value == "发改地区〔2021〕99号"
    assert [c.value for c in plan.issuers] == ["cn-ndrc"]
    assert [c.value for c in plan.approved_by] == ["cn-state-council"]
