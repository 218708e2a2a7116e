"""Cross-document resolution: facts one document states about another.

A provincial implementation plan often quotes the national plan's approval
(``国务院关于X的批复（国函〔2015〕62号）``) and issuing notice
(``国家发展改革委关于印发X的通知（发改地区〔2015〕738号）``). When plan X is in
the corpus but its own text lacks issuer, number or date, those come from the
citing document, with the citing document's evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from plankg.facts import Claim, CorpusFacts, DocumentFacts, Evidence
from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.lines import CorridorTable
from plankg.loaders.metadata import PLAUSIBLE_YEARS
from plankg.paths import readable

_YEAR_IN_DOCNO_RE = re.compile(r"〔(\d{4})〕")
_OWN_STRUCTURE_RE = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十两]{1,3})(?:条|大)[^，。；、]{0,6}?(?:发展轴|发展带|城镇带|经济带)"
                               r"|各(?:条|大)?[^，。；、]{0,4}?(?:发展轴|发展带)")


def _relabel(evidence: Evidence, rule: str) -> Evidence:
    return replace(evidence, rule=rule)


def version_order(versions: list[DocumentFacts]) -> list[DocumentFacts]:
    """Documents holding plans of one title, the preferred first: the latest own
    date (a full date before a year alone on the same year, any date before
    none), then the smallest SHA-256 of the file's bytes. Neither the order nor
    the names of the files play a part."""
    ranked = sorted(versions, key=lambda d: d.source.sha256)
    ranked.sort(key=lambda d: d.plan.date.value if d.plan.date else "", reverse=True)  # stable
    return ranked


def cited_version(versions: list[DocumentFacts], doc_no: str | None) -> DocumentFacts:
    """The version a citation means: of those whose own number and year do not
    contradict the number it quotes, the one agreeing on the number, then on
    the year, then the first in ``version_order``."""
    year = _YEAR_IN_DOCNO_RE.search(doc_no or "")
    year = year.group(1) if year else None

    def agreement(d: DocumentFacts) -> tuple[bool, int]:
        own_no = d.plan.doc_no.value if d.plan.doc_no else None
        own_year = d.plan.date.value[:4] if d.plan.date else None
        contradicts = bool(own_no and doc_no and own_no != doc_no) or bool(own_year and year and own_year != year)
        return not contradicts, 2 * bool(own_no and own_no == doc_no) + bool(own_year and own_year == year)

    return sorted(version_order(versions), key=agreement, reverse=True)[0]  # stable: ties keep version order


def resolve_cross_document(corpus: CorpusFacts, gazetteer: AgencyGazetteer | None = None) -> CorpusFacts:
    """Fill a plan's missing issuer, document number and date from citing plans.

    Every citation of a corpus plan's title records the document it means
    (``CitedDocument.target``, chosen by ``cited_version`` from the documents'
    own facts, before anything is filled in). When several plans quote one
    plan's notice, the citing documents take turns in the order of their
    SHA-256, each filling only what is still missing.
    """
    gazetteer = gazetteer or AgencyGazetteer.load()
    by_title: dict[str, list[DocumentFacts]] = {}
    for d in corpus.documents:
        if d.plan.title:
            by_title.setdefault(d.plan.title.value, []).append(d)
    fills = []
    for citing in sorted(corpus.documents, key=lambda d: d.source.sha256):
        linked = []
        for cited in citing.plan.citations:
            versions = [d for d in by_title.get(cited.title, []) if d is not citing]
            if versions:
                cited = replace(cited, target=cited_version(versions, cited.doc_no).source.id)
            linked.append(cited)
            versions = [d for d in by_title.get(cited.subject, []) if d is not citing] if cited.act else []
            if versions:
                fills.append((cited_version(versions, cited.doc_no).plan, cited))
        citing.plan.citations = linked
    for target, cited in fills:
        _fill_from_citation(target, cited, gazetteer)
    return corpus


def _fill_from_citation(target, cited, gazetteer: AgencyGazetteer) -> None:
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
        if target.date is None and year and int(year.group(1)) in PLAUSIBLE_YEARS:
            # Only the year is known: ISO 8601 reduced precision.
            target.date = Claim(year.group(1), _relabel(ev, "plan.date.cited-notice-number"))
    else:
        if not target.approved_by:
            target.approved_by = [Claim(k, _relabel(ev, "plan.approved_by.cited-approval")) for k in keys]
        if target.approval_doc_no is None and cited.doc_no:
            target.approval_doc_no = Claim(cited.doc_no, _relabel(ev, "plan.approval_doc_no.cited-approval"))


def merge_versions(corpus: CorpusFacts) -> CorpusFacts:
    """Documents whose plans share a title and a year (or are both undated) hold
    one plan: the first in ``version_order`` speaks for it, the others are
    marked ``version_of`` it (their files are still listed as its sources, their
    content is not added, so the plan keeps one date, one period, one number)."""
    groups: dict[tuple[str, str | None], list[DocumentFacts]] = {}
    for d in corpus.documents:
        if d.plan.title:
            groups.setdefault((d.plan.title.value, d.plan.date.value[:4] if d.plan.date else None), []).append(d)
    for (title, year), versions in groups.items():
        first, *others = version_order(versions)
        for d in others:
            d.version_of = first.source.id
            d.warnings.append(f"{readable(d.source.path)}: holds the plan 《{title}》 ({year or 'undated'}) "
                              f"of {readable(first.source.path)} too; only that file's content is in the graph")
    return corpus


@dataclass(frozen=True)
class CorridorLexicon:
    """The names by which a task can mean a corridor: every curated corridor
    and line, and the axes of the corpus's plans and the lines they follow,
    each with the corridor key and the rule that links it."""

    terms: dict[str, tuple[str, str]]

    @cached_property
    def regex(self) -> re.Pattern | None:
        """One alternation of every term, the longest first."""
        if not self.terms:
            return None
        return re.compile("|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True)))


def corridor_lexicon(documents: list[DocumentFacts], corridors: CorridorTable | None = None) -> CorridorLexicon:
    """The ``CorridorLexicon`` of a corpus: the curated names first, then the
    axes (and their lines) of the documents that speak for their plan, in
    corpus order, each name keeping the first corridor it was given."""
    corridors = corridors or CorridorTable.load()
    lexicon: dict[str, tuple[str, str]] = {}
    for c in corridors.corridors:
        lexicon[c.name] = (c.key, "task.corridor.name")
        for line in c.lines:
            lexicon[line] = (c.key, "task.corridor.line")
    for doc in documents:
        for axis in doc.axes if doc.version_of is None else ():
            if axis.corridor is None:
                continue
            lexicon.setdefault(axis.name, (axis.corridor.value, "task.corridor.axis"))
            for infra in axis.infrastructure:
                if infra.evidence.rule == "axis.infrastructure.line":
                    lexicon.setdefault(infra.value, (axis.corridor.value, "task.corridor.line"))
    return CorridorLexicon(lexicon)


def link_document_corridors(doc: DocumentFacts, lexicon: CorridorLexicon) -> DocumentFacts:
    """Link each task of one document to the corridors its text names (see
    ``link_task_corridors``)."""
    regex, terms = lexicon.regex, lexicon.terms
    own = sorted({a.corridor.value for a in doc.axes if a.corridor is not None})
    for task in doc.tasks:
        seen: dict[str, str] = {}
        for term in regex.findall(task.text) if regex else ():
            key, rule = terms[term]
            seen.setdefault(key, rule)
        body: dict[str, str] = {}
        for term in regex.findall(task.restates.value) if regex and task.restates else ():
            key, rule = terms[term]
            if key not in seen:
                body.setdefault(key, rule)
        if own and _OWN_STRUCTURE_RE.search(task.text):
            for key in own:
                seen.setdefault(key, "task.corridor.plan-structure")
        task.corridors = [Claim(key, _relabel(task.evidence, rule)) for key, rule in sorted(seen.items())]
        task.corridors += [Claim(key, _relabel(task.restates.evidence, f"{rule}.restated-body"))
                           for key, rule in sorted(body.items())]
    return doc


def lexicon_texts(doc: DocumentFacts) -> list[str]:
    """The texts ``link_document_corridors`` matches the lexicon against: each
    task's text and the body paragraph it restates."""
    return [t for task in doc.tasks for t in (task.text, task.restates.value if task.restates else "") if t]


def resolve_corpus(corpus: CorpusFacts, reference) -> CorridorLexicon:
    """What only the whole corpus knows, in order (on whole documents or on
    their outlines): facts quoted from other plans, versions of one plan, city
    airports; returns the ``CorridorLexicon`` the tasks are then linked with
    (``link_document_corridors``). ``reference``: the build's ``ReferenceData``."""
    resolve_cross_document(corpus, reference.agencies)
    merge_versions(corpus)
    resolve_city_airports(corpus, reference.places)
    return corridor_lexicon(corpus.documents, reference.corridors)


def link_task_corridors(corpus: CorpusFacts, corridors: CorridorTable | None = None) -> CorpusFacts:
    """Link each task to the corridors its text names: a corridor, a line that
    makes it up (curated, or followed by an axis of any plan), or an axis on it;
    a task that names its own plan's axes by count or class (重点建设5条城镇发展轴,
    推进各发展轴建设) concerns the corridors of all of them. An annex row also
    concerns what the body paragraph it restates names."""
    lexicon = corridor_lexicon(corpus.documents, corridors)
    for doc in corpus.documents:
        link_document_corridors(doc, lexicon)
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
