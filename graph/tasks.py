"""Tasks, their agencies and the corridors they concern, into the RDF graph."""
from __future__ import annotations

from rdflib import Literal, URIRef

from plankg.facts import TaskFacts
from plankg.graph.ids import child_iri
from plankg.graph.namespaces import DCTERMS, PKG, RDF, SKOS


def add_task(w, task: TaskFacts, plan: URIRef) -> None:
    """Add one task of a plan: number, text, category, lead and supporting agencies,
    the corridors it concerns (``w``: the ``WriteContext`` of ``graph/rdf.py``)."""
    b, spatial = w.builder, w.spatial
    t = child_iri(plan, "task", task.number)
    b.add(t, RDF.type, PKG.Task)
    b.add(t, PKG.taskNumber, Literal(task.number))
    b.add(t, PKG.taskSource, Literal(task.source))
    b.assert_fact(t, PKG.inPlan, plan, task.evidence)
    b.assert_fact(t, DCTERMS.description, Literal(task.text, lang="zh-Hans"), task.evidence)
    if task.category:
        b.add(t, PKG.taskCategory, Literal(task.category, lang="zh-Hans"))
    if task.main_task:
        b.add(t, PKG.mainTask, Literal(task.main_task, lang="zh-Hans"))
    if task.joint:
        b.add(t, PKG.jointResponsibility, Literal(True))
    for prop, refs in ((PKG.leadAgency, task.lead), (PKG.supportAgency, task.support)):
        for ref in refs:
            agency = b.agency(ref.key)
            if ref.match == "fuzzy":
                b.add(agency, SKOS.hiddenLabel, Literal(ref.written, lang="zh-Hans"))
            b.assert_fact(t, prop, agency, ref.evidence)
    for claim in task.corridors:
        b.assert_fact(t, PKG.concernsCorridor, spatial.corridor(claim.value), claim.evidence)
