"""Projects into the RDF graph: one resource per project key, every mention
linked to its plan with evidence, sections as parts."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import Literal, URIRef

from plankg.facts import DocumentFacts, ProjectFact
from plankg.graph.ids import child_iri, project_key_iri
from plankg.graph.namespaces import DCTERMS, PKG, RDF, SKOS

LINE_FAMILIES = {"railway", "expressway", "waterway", "pipeline", "power-line", "road"}


def _label(names: Counter) -> str:
    """The name most mentions use; among equals the longest, then the first in code-point order."""
    return sorted(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


@dataclass(frozen=True)
class ProjectNode:
    """What the corpus says of one project key: the label most mentions use,
    its other names (sorted) and its most specific kind."""

    label: str
    other_names: tuple[str, ...]
    kind: str


def project_nodes(documents: list[DocumentFacts]) -> dict[str, ProjectNode]:
    """One ``ProjectNode`` per project key the documents mention, by key: a pass
    over all documents, since one project's names come from many plans."""
    names: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, Counter] = defaultdict(Counter)
    for doc in documents:
        for p in doc.projects:
            names[p.key][p.name.removesuffix("等")] += 1
            kinds[p.key][p.kind] += 1
    nodes = {}
    for key in sorted(names):
        label = _label(names[key])
        # The most specific kind the mentions give (高铁 over 铁路), then the commonest.
        kind = sorted(kinds[key].items(), key=lambda kv: (-kv[0].count("."), -kv[1], kv[0]))[0][0]
        nodes[key] = ProjectNode(label, tuple(n for n in sorted(names[key]) if n != label), kind)
    return nodes


def add_project_nodes(builder, nodes: dict[str, ProjectNode]) -> None:
    """One node per project key, labelled by its commonest name and typed by its kind."""
    b = builder
    for key, node in nodes.items():
        iri = project_key_iri(key)
        family = key.split(":")[0].split(".")[0]
        b.add(iri, RDF.type, PKG.Project)
        if family in LINE_FAMILIES:
            b.add(iri, RDF.type, PKG.Infrastructure)
        b.add(iri, SKOS.prefLabel, Literal(node.label, lang="zh-Hans"))
        for other in node.other_names:
            b.add(iri, SKOS.altLabel, Literal(other, lang="zh-Hans"))
        b.add(iri, PKG.projectKind, Literal(node.kind))
        b.add(iri, PKG.projectKey, Literal(key))


def add_project_mention(w, p: ProjectFact, plan: URIRef) -> None:
    """One mention of a project in a plan: where it lies, the section it is
    about (``w``: the ``WriteContext`` of ``graph/rdf.py``; the project's node
    and label come from the corpus, ``project_nodes``)."""
    b = w.builder
    iri = project_key_iri(p.key)
    b.assert_fact(iri, PKG.mentionedIn, plan, p.evidence)
    for code in p.places:
        b.assert_fact(iri, PKG.locatedIn, w.spatial.place(code), p.evidence)
    if p.section:
        section = child_iri(iri, "section", p.section)
        b.add(section, RDF.type, PKG.ProjectSection)
        b.add(section, SKOS.prefLabel, Literal(f"{w.index.projects[p.key].label}{p.section}", lang="zh-Hans"))
        b.assert_fact(section, DCTERMS.isPartOf, iri, p.evidence)
        b.assert_fact(section, PKG.mentionedIn, plan, p.evidence)
