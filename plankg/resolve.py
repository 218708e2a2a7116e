"""Cross-document resolution: facts one document states about another.

A provincial implementation plan often quotes the national plan's approval
(``国务院关于X的批复（国函〔2015〕62号）``) and issuing notice
(``国家发展改革委关于印发X的通知（发改地区〔2015〕738号）``). When plan X is in
the corpus but its own text lacks issuer, number or date, those come from the
citing document, with the citing document's evidence.
"""
from __future__ import annotations

import re
from dataclasses import replace

from plankg.facts import Claim, CorpusFacts, Evidence
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.lines import CorridorTable

_YEAR_IN_DOCNO_RE = re.compile(r"〔(\d{4})〕")


def _relabel(evidence: Evidence, rule: str) -> Evidence:
    return replace(evidence, rule=rule)


def resolve_cross_document(corpus: CorpusFacts, gazetteer: AgencyGazetteer | None = None) -> CorpusFacts:
    """Fill a plan's missing issuer, document number and date from citing plans."""
    gazetteer = gazetteer or AgencyGazetteer.load()
    by_title = {d.plan.title.value: d.plan for d in corpus.documents if d.plan.title}
    for citing in corpus.documents:
        for cited in citing.plan.citations:
            target = by_title.get(cited.subject) if cited.act else None
            if target is None or target is citing.plan:
                continue
            keys = []
            for name in cited.act_issuers:
                agency = gazetteer.resolve(name)
                keys.append(agency.key if agency else f"unlisted:{name}")
            ev = cited.evidence
            if cited.act == "notice":
                if not target.issuers:
                    target.issuers = [Claim(k, _relabel(ev, "plan.issuer.cited-notice")) for k in keys]
                if target.doc_no is None and cited.doc_no:
                    target.doc_no = Claim(cited.doc_no, _relabel(ev, "plan.doc_no.cited-notice"))
                if target.notice_title is None:
                    target.notice_title = Claim(cited.title, _relabel(ev, "plan.notice_title.cited-notice"))
                year = _YEAR_IN_DOCNO_RE.search(cited.doc_no or "")
                if target.date is None and year:
                    # Only the year is known: ISO 8601 reduced precision.
                    target.date = Claim(year.group(1), _relabel(ev, "plan.date.cited-notice-number"))
            else:
                if not target.approved_by:
                    target.approved_by = [Claim(k, _relabel(ev, "plan.approved_by.cited-approval")) for k in keys]
                if target.approval_doc_no is None and cited.doc_no:
                    target.approval_doc_no = Claim(cited.doc_no, _relabel(ev, "plan.approval_doc_no.cited-approval"))
    return corpus


def link_task_corridors(corpus: CorpusFacts, corridors: CorridorTable | None = None) -> CorpusFacts:
    """Link each task to the corridors its text names: a corridor, a line that
    makes it up (curated, or followed by an axis of any plan), or an axis on it."""
    corridors = corridors or CorridorTable.load()
    lexicon: dict[str, tuple[str, str]] = {}
    for c in corridors.corridors:
        lexicon[c.name] = (c.key, "task.corridor.name")
        for line in c.lines:
            lexicon[line] = (c.key, "task.corridor.line")
    for doc in corpus.documents:
        for axis in doc.axes:
            if axis.corridor is None:
                continue
            lexicon.setdefault(axis.name, (axis.corridor.value, "task.corridor.axis"))
            for infra in axis.infrastructure:
                if infra.evidence.rule == "axis.infrastructure.line":
                    lexicon.setdefault(infra.value, (axis.corridor.value, "task.corridor.line"))
    if not lexicon:
        return corpus
    regex = re.compile("|".join(re.escape(t) for t in sorted(lexicon, key=len, reverse=True)))
    for doc in corpus.documents:
        for task in doc.tasks:
            seen: dict[str, str] = {}
            for term in regex.findall(task.text):
                key, rule = lexicon[term]
                seen.setdefault(key, rule)
            task.corridors = [Claim(key, _relabel(task.evidence, rule)) for key, rule in sorted(seen.items())]
    return corpus


def resolve_city_airports(corpus: CorpusFacts, places=None) -> CorpusFacts:
    """长沙机场 is the civil airport of 长沙 that another mention names in full
    (长沙黄花机场), when the corpus knows exactly one; 空军长沙机场 stays apart."""
    from plankg.loaders.places import PlaceGazetteer

    places = places or PlaceGazetteer.load()
    named: dict[str, set[str]] = {}
    for doc in corpus.documents:
        for p in doc.projects:
            if p.family != "airport" or p.key.startswith(("airport:city:", "airport:military:")):
                continue
            for n in (4, 3, 2):
                city = places.lookup(p.name[:n])
                if city is not None and not city.is_region:
                    named.setdefault(city.code, set()).add(p.key)
                    break
    for doc in corpus.documents:
        for i, p in enumerate(doc.projects):
            if not p.key.startswith("airport:city:"):
                continue
            city = places.lookup(p.key.removeprefix("airport:city:"))
            keys = named.get(city.code, set()) if city else set()
            if len(keys) == 1:
                doc.projects[i] = replace(p, key=next(iter(keys)),
                                          evidence=_relabel(p.evidence, "project.resolve.city-airport"))
    return corpus
