"""What a build found, for ``build.json`` and the build's summary line: the
source of every title, the facts and rules per document, and the names that
structure found but no reference table knows (the to-do list of the data).

>>> from plankg.facts import Evidence, Claim
>>> list(evidence_of([Claim("x", Evidence("d", ((0, 1),), "甲", "r.one"))]))[0].rule
'r.one'
"""
from __future__ import annotations

import dataclasses
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from plankg.facts import DocumentFacts, Evidence
from plankg.paths import name_bytes, readable

UNRESOLVED_PLACE = "unresolved:"
UNLISTED_AGENCY = "unlisted:"


def evidence_of(value) -> Iterator[Evidence]:
    """Every ``Evidence`` inside a fact, a list of facts or a claim, depth first."""
    if isinstance(value, Evidence):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "source":
                yield from evidence_of(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from evidence_of(item)


def unresolved_names(doc: DocumentFacts) -> Counter:
    """``(kind, name)`` → mentions of the agencies and places of one document
    that no table resolved, and of the documents it cites that are not in the
    corpus (kind ``document``)."""
    found: Counter = Counter()
    for task in doc.tasks:
        for ref in [*task.lead, *task.support]:
            if ref.key.startswith(UNLISTED_AGENCY):
                found[("agency", ref.key.removeprefix(UNLISTED_AGENCY))] += 1
    for claim in doc.plan.issuers:
        if claim.value.startswith(UNLISTED_AGENCY):
            found[("agency", claim.value.removeprefix(UNLISTED_AGENCY))] += 1
    places = [*doc.plan.scope_places]
    for axis in doc.axes:
        places += [*axis.nodes, *axis.radiates]
    for cluster in doc.clusters:
        places += cluster.members
    for claim in places:
        if claim.value.startswith(UNRESOLVED_PLACE):
            found[("place", claim.value.removeprefix(UNRESOLVED_PLACE))] += 1
    for cited in doc.plan.citations:
        if cited.target is None:
            found[("document", cited.title)] += 1  # a 《》 reference to a document outside the corpus
    return found


def document_report(doc: DocumentFacts) -> dict:
    """One document's entry of ``build.json``."""
    plan = doc.plan
    unresolved = unresolved_names(doc)
    per_kind = Counter()
    for (kind, _), n in unresolved.items():
        per_kind[kind] += 1
    return {
        "file": doc.source.name, "sha256": doc.source.sha256, "encoding": doc.source.encoding,
        "format": doc.source.media_type,
        "plan": plan.title.value if plan.title else None,
        "title_source": plan.title.evidence.rule if plan.title else None,
        "kind": plan.kind.value if plan.kind else None,
        "facts": {"axes": len(doc.axes), "clusters": len(doc.clusters), "tasks": len(doc.tasks),
                  "task_agencies": sum(len(t.lead) + len(t.support) for t in doc.tasks),
                  "projects": len(doc.projects), "indicators": len(doc.indicators),
                  "scope_places": len(plan.scope_places), "citations": len(plan.citations)},
        "unresolved": dict(sorted(per_kind.items())),
    }


@dataclass
class DocumentFindings:
    """What one resolved document adds to ``build.json``: its entry, its
    unresolved names (``(kind, name)`` → mentions) and its rule counts."""

    path: str  # the document's file, as given: build.json lists documents in this order
    entry: dict
    unresolved: Counter
    rules: Counter


def document_findings(doc: DocumentFacts) -> DocumentFindings:
    """The ``DocumentFindings`` of one resolved document. Its entry also says
    where the file is (the explorer reads the original from there), its name's
    exact bytes (hex) when that name is not valid UTF-8 and the paths of files
    with the same bytes."""
    entry = document_report(doc)
    entry["path"] = readable(os.path.abspath(doc.source.path))
    raw = name_bytes(doc.source.path)
    if raw:
        entry["file_bytes"] = raw
    if doc.source.copies:
        entry["copies"] = [readable(c) for c in doc.source.copies]
    return DocumentFindings(doc.source.path, entry, unresolved_names(doc), Counter(ev.rule for ev in evidence_of(doc)))


def corpus_report(findings: list[DocumentFindings]) -> dict:
    """The build-level figures of the documents' findings: unresolved names
    (per kind, and each with its documents and mentions) and how often each
    rule fired."""
    names: dict[tuple[str, str], dict] = {}
    rules: Counter = Counter()
    for found in findings:
        for (kind, name), n in found.unresolved.items():
            entry = names.setdefault((kind, name), {"name": name, "kind": kind, "documents": [], "mentions": 0})
            entry["documents"].append(found.entry["file"])
            entry["mentions"] += n
        rules.update(found.rules)
    per_kind = Counter(kind for kind, _ in names)
    ordered = sorted(names.values(), key=lambda e: (-e["mentions"], e["kind"], e["name"]))
    for entry in ordered:
        entry["documents"] = sorted(set(entry["documents"]))
    return {"unresolved": {"per_kind": dict(sorted(per_kind.items())), "names": ordered},
            "rules": dict(sorted(rules.items()))}
