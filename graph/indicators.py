"""Indicators and targets into the RDF graph (RDF Data Cube style observations)."""
from __future__ import annotations

from rdflib import Literal, URIRef

from plankg.facts import TargetFact
from plankg.graph.ids import ID, child_iri, short_hash
from plankg.graph.namespaces import PKG, RDF, SKOS, XSD


def indicator_iri(name: str) -> URIRef:
    """An indicator, by its canonical name."""
    return ID[f"indicator/{short_hash(name)}"]


def add_target(w, t: TargetFact, plan: URIRef) -> None:
    """One pkg:Target per (indicator, year) a plan sets, with its baseline
    (``w``: the ``WriteContext`` of ``graph/rdf.py``)."""
    b = w.builder
    ind = indicator_iri(t.indicator)
    b.add(ind, RDF.type, PKG.Indicator)
    b.add(ind, SKOS.prefLabel, Literal(t.indicator, lang="zh-Hans"))  # the name its IRI hashes
    if t.written != t.indicator:
        b.add(ind, SKOS.altLabel, Literal(t.written, lang="zh-Hans"))
    node = child_iri(plan, "target", t.indicator, t.year, t.value_text)
    b.add(node, RDF.type, PKG.Target)
    b.assert_fact(node, PKG.inPlan, plan, t.evidence)
    b.assert_fact(node, PKG.indicator, ind, t.evidence)
    b.assert_fact(node, PKG.valueText, Literal(t.value_text), t.evidence)
    if t.value is not None:
        b.add(node, RDF.value, Literal(f"{t.value:g}", datatype=XSD.decimal))
    if t.base_value is not None and t.base_value != t.value:
        b.add(node, PKG.baseValue, Literal(f"{t.base_value:.6f}".rstrip("0").rstrip("."), datatype=XSD.decimal))
    if t.year:
        b.add(node, PKG.year, Literal(f"{t.year:04d}", datatype=XSD.gYear))
    if t.unit:
        b.add(node, PKG.unit, Literal(t.unit))
    if t.comparator:
        b.add(node, PKG.comparator, Literal(t.comparator))
    if t.cumulative:
        b.add(node, PKG.cumulative, Literal(True))
    if t.baseline_year:
        b.add(node, PKG.baselineYear, Literal(f"{t.baseline_year:04d}", datatype=XSD.gYear))
    if t.baseline_text:
        b.add(node, PKG.baselineValueText, Literal(t.baseline_text))
    if t.category:
        b.add(node, PKG.indicatorCategory, Literal(t.category, lang="zh-Hans"))
