"""Extracted facts: plain dataclasses that carry their provenance.

Loaders produce these; graph builders consume them. Nothing here knows about
RDF or Neo4j, and nothing here looks back at the text a fact came from: the
evidence already holds what provenance needs.

Offsets are Unicode code points (Python ``str`` indices) into the decoded
original file, start inclusive and end exclusive, as in ``oa:TextPositionSelector``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was found and which rule found it.

    ``spans`` holds every place in the original file the evidence stands
    (more than one when a scraped page repeats a paragraph); ``text`` is the
    original text of the first span.

    >>> Evidence("doc1", ((3, 7),), "长沙市", "place.gazetteer").start
    3
    """

    document: str
    spans: tuple[tuple[int, int], ...]
    text: str
    rule: str

    @property
    def start(self) -> int:
        """Start offset of the first span."""
        return self.spans[0][0]

    @property
    def end(self) -> int:
        """End offset of the first span."""
        return self.spans[0][1]


@dataclass(frozen=True)
class Claim(Generic[T]):
    """A value together with the evidence for it."""

    value: T
    evidence: Evidence


@dataclass(frozen=True)
class SourceDocument:
    """One input file as read: its decoded text and how it was decoded."""

    id: str
    path: str
    name: str
    encoding: str
    sha256: str
    text: str
    media_type: str
    copies: tuple[str, ...] = ()  # paths of other files with the same bytes


@dataclass(frozen=True)
class CitedDocument:
    """A document cited by title (and document number where given) in a plan."""

    title: str
    doc_no: str | None
    issuer: str | None
    evidence: Evidence
    relation: str = "cites"  # or "implements": the plan carries the cited document out
    act: str | None = None  # "notice" (…关于印发《X》的通知) or "approval" (…关于X的批复)
    subject: str | None = None  # X: the title of the plan the notice issues or the approval approves
    act_issuers: tuple[str, ...] = ()  # the bodies issuing the notice or approval, one name each
    target: str | None = None  # the id of the corpus document holding the cited plan (plankg.resolve)


@dataclass(frozen=True)
class ScopeFigure:
    """A size figure of a plan's area: area, population, economic output."""

    measure: str  # "area" | "population" | "gdp"
    value: float  # in the base unit: km2, persons, yuan
    unit: str
    year: int | None
    evidence: Evidence


@dataclass
class PlanFacts:
    """Metadata of one plan document.

    Every document has a ``title`` (from its heading, the notice issuing it,
    front matter, a page's metadata table, a wire lead, or last its file name:
    the title's evidence rule says which) and a ``kind`` (a key of
    ``document_kinds.csv``: plan, outline, scheme, opinion, approval, letter …).
    ``issuers`` holds canonical agency keys (see ``plankg.loaders.agencies``).
    ``date`` (issue date) and ``published`` are ISO 8601: a full date, or a
    year alone when only the year is known. Fields a document does not state
    stay ``None`` or empty.
    """

    document: str
    title: Claim[str] | None = None
    kind: Claim[str] | None = None
    notice_title: Claim[str] | None = None
    issuers: list[Claim[str]] = field(default_factory=list)
    date: Claim[str] | None = None
    published: Claim[str] | None = None
    doc_no: Claim[str] | None = None
    approved_by: list[Claim[str]] = field(default_factory=list)
    approval_doc_no: Claim[str] | None = None
    period: Claim[tuple[int, int]] | None = None
    target_years: list[Claim[int]] = field(default_factory=list)
    scope: list[ScopeFigure] = field(default_factory=list)
    citations: list[CitedDocument] = field(default_factory=list)
    scope_places: list[Claim[str]] = field(default_factory=list)


@dataclass
class AxisFacts:
    """A development axis, belt or corridor of one plan's spatial structure.

    Places are given by code (``430100``, or ``region:<name>`` for a region
    that has no fixed members); regions with members are expanded to them.
    ``line_keys`` gives the project key of each infrastructure line whose name
    denotes a project (see ``plankg.loaders.projects``), so that writers need
    no extraction code.
    """

    name: str
    kind: str
    evidence: Evidence
    corridor: Claim[str] | None = None
    nodes: list[Claim[str]] = field(default_factory=list)
    radiates: list[Claim[str]] = field(default_factory=list)
    infrastructure: list[Claim[str]] = field(default_factory=list)
    line_keys: dict[str, str] = field(default_factory=dict)  # infrastructure name -> project key, where it names one
    zones: list[Claim[str]] = field(default_factory=list)


@dataclass
class ClusterFacts:
    """A city cluster or group (城市组团, 城镇组团) with its member places."""

    name: str
    evidence: Evidence
    members: list[Claim[str]] = field(default_factory=list)


@dataclass(frozen=True)
class RegionMember:
    """A plan's statement that a place belongs to a named region."""

    region: str
    member: str
    evidence: Evidence


@dataclass(frozen=True)
class AgencyRef:
    """An agency named in a document: its gazetteer key, the name as written,
    how the name was matched (exact, relative, fuzzy, government, pattern,
    collective), and the evidence."""

    key: str
    written: str
    match: str
    evidence: Evidence


@dataclass
class TaskFacts:
    """A task a plan assigns, with its lead and supporting agencies.

    ``number`` is the plan's own number (annex tables) or ``P<n>`` for tasks
    read from prose, numbered in document order. ``joint`` marks shared
    responsibility (…等按职责分工负责): every agency named leads.
    """

    number: str
    text: str
    evidence: Evidence
    source: str
    category: str | None = None
    main_task: str | None = None
    lead: list[AgencyRef] = field(default_factory=list)
    support: list[AgencyRef] = field(default_factory=list)
    joint: bool = False
    corridors: list[Claim[str]] = field(default_factory=list)
    restates: Claim[str] | None = None  # the body paragraph an annex row restates (its text, its evidence)


@dataclass(frozen=True)
class ProjectFact:
    """A mention of a named project. ``key`` is shared by every name of one
    project (see ``plankg.loaders.projects``); ``section`` names the part of
    a line the mention is about."""

    key: str
    name: str
    kind: str
    family: str
    section: str | None
    places: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class TargetFact:
    """A target (or a baseline-and-target pair) of one indicator."""

    indicator: str
    written: str
    unit: str | None
    value_text: str
    value: float | None
    base_value: float | None
    comparator: str | None
    cumulative: bool
    year: int | None
    baseline_year: int | None
    baseline_text: str | None
    category: str | None
    evidence: Evidence


@dataclass(frozen=True)
class PlanScope:
    """The places a plan's 规划范围 / 实施范围 sentence lists (codes, see ``AxisFacts``)."""

    places: tuple[Claim[str], ...]


@dataclass(frozen=True)
class StructureFormula:
    """A plan's spatial structure formula as it writes it (一淀、三带、九片、多廊;
    一核两带多点) and its parts, each ``(count, element)``: (一, 淀), (三, 带), (多, 廊)."""

    formula: str
    parts: tuple[tuple[str, str], ...]
    evidence: Evidence


@dataclass
class DocumentFacts:
    """Everything extracted from one document."""

    source: SourceDocument
    plan: PlanFacts
    axes: list[AxisFacts] = field(default_factory=list)
    clusters: list[ClusterFacts] = field(default_factory=list)
    region_members: list[RegionMember] = field(default_factory=list)
    tasks: list[TaskFacts] = field(default_factory=list)
    projects: list[ProjectFact] = field(default_factory=list)
    indicators: list[TargetFact] = field(default_factory=list)
    structures: list[StructureFormula] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    version_of: str | None = None  # another document holds the same plan and speaks for it (plankg.resolve)

    def add(self, fact) -> None:
        """File one extracted fact in the list of its class."""
        if isinstance(fact, PlanScope):
            self.plan.scope_places = list(fact.places)
            return
        for cls, name in _FACT_LISTS:
            if isinstance(fact, cls):
                getattr(self, name).append(fact)
                return
        raise TypeError(f"no place in DocumentFacts for a {type(fact).__name__}")

    def of(self, cls: type) -> list:
        """The document's facts of one class, in the order they were extracted
        (the graph writers take them so, ``plankg.graph.rdf.WRITERS``)."""
        if cls is PlanFacts:
            return [self.plan]
        if cls is PlanScope:
            return [PlanScope(tuple(self.plan.scope_places))] if self.plan.scope_places else []
        if cls is CitedDocument:
            return list(self.plan.citations)
        for known, name in _FACT_LISTS:
            if known is cls:
                return getattr(self, name)
        raise TypeError(f"DocumentFacts holds no {cls.__name__}")


# Fact class -> the list of DocumentFacts holding it (a new fact kind adds its line here).
_FACT_LISTS = ((AxisFacts, "axes"), (ClusterFacts, "clusters"), (RegionMember, "region_members"),
               (TaskFacts, "tasks"), (ProjectFact, "projects"), (TargetFact, "indicators"),
               (StructureFormula, "structures"))


@dataclass
class CorpusFacts:
    """Everything extracted from a corpus, after cross-document resolution."""

    documents: list[DocumentFacts] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    characters: int = 0  # of the documents' decoded text, which they need not keep
