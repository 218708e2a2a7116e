"""Places, regions, axes, corridors and clusters into the RDF graph."""
from __future__ import annotations

from rdflib import Literal, URIRef

from plankg.facts import AxisFacts, ClusterFacts, PlanScope, RegionMember
from plankg.graph.ids import child_iri, corridor_iri, place_iri, project_iri, project_key_iri
from plankg.graph.namespaces import DCTERMS, GEO, PKG, RDF, SKOS
from plankg.loaders.lines import CorridorTable
from plankg.loaders.places import PlaceGazetteer, short_form
from plankg.script import to_traditional

GCJ02_CRS = "https://w3id.org/plankg/crs/GCJ-02"
_LEVEL_CLASS = {"province": PKG.Province, "prefecture": PKG.City, "county": PKG.County, "region": PKG.Region}


class SpatialWriter:
    """Adds spatial facts to a ``GraphBuilder``'s graph, each place once."""

    def __init__(self, builder, places: PlaceGazetteer | None = None, corridors: CorridorTable | None = None,
                 line_labels: dict[URIRef, str] | None = None):
        self.b = builder
        self.line_labels = line_labels if line_labels is not None else {}
        self.places = places or PlaceGazetteer.load()
        self.corridors = {c.key: c for c in (corridors or CorridorTable.load()).corridors}
        self._done: set[str] = set()

    def place(self, code: str) -> URIRef:
        """The node of a division or region, with labels, parent chain and centroid."""
        iri = place_iri(code)
        if code in self._done:
            return iri
        self._done.add(code)
        add = self.b.add
        if code.startswith("unresolved:"):
            add(iri, RDF.type, PKG.Place)
            add(iri, RDF.type, PKG.Unresolved)
            add(iri, SKOS.prefLabel, Literal(code.removeprefix("unresolved:"), lang="zh-Hans"))
            return iri
        p = self.places.get(code)
        add(iri, RDF.type, _LEVEL_CLASS[p.level])
        add(iri, SKOS.prefLabel, Literal(p.name, lang="zh-Hans"))
        traditional = to_traditional(p.name)
        if traditional != p.name:
            add(iri, SKOS.hiddenLabel, Literal(traditional, lang="zh-Hant"))
        s = short_form(p.name)
        if s and not p.is_region:
            add(iri, SKOS.altLabel, Literal(s, lang="zh-Hans"))
        for alias in p.aliases:
            add(iri, SKOS.altLabel, Literal(alias, lang="zh-Hans"))
        if p.is_region:
            for member in p.members:
                add(iri, PKG.member, self.place(self.places.current(self.places.get(member)).code))
            return iri
        add(iri, SKOS.notation, Literal(p.code))
        if p.parent:
            add(iri, PKG.parentPlace, self.place(p.parent))
        if p.lon is not None:
            centroid = URIRef(f"{iri}/centroid")
            add(iri, GEO.hasCentroid, centroid)
            add(centroid, RDF.type, GEO.Geometry)
            add(centroid, GEO.asWKT, Literal(f"<{GCJ02_CRS}> POINT({p.lon} {p.lat})", datatype=GEO.wktLiteral))
        if p.replaced_by:
            add(iri, DCTERMS.isReplacedBy, self.place(p.replaced_by))
            add(iri, PKG.replacedIn, Literal(str(p.replaced_year)))
        return iri

    def corridor(self, key: str) -> URIRef:
        """A corridor node, labelled from the curated table or its own name."""
        iri = corridor_iri(key)
        if key in self._done:
            return iri
        self._done.add(key)
        self.b.add(iri, RDF.type, PKG.Corridor)
        c = self.corridors.get(key)
        self.b.add(iri, SKOS.prefLabel, Literal(c.name if c else key.removeprefix("local:"), lang="zh-Hans"))
        return iri

    def line(self, name: str, key: str | None = None) -> URIRef:
        """A named transport line: the project ``key`` its name denotes, when it
        is one. A line that is no project node of the corpus is labelled by the
        name its first mention in the corpus gives (``line_labels``)."""
        iri = project_key_iri(key) if key else project_iri(name)
        label = self.line_labels.get(iri)
        if label is not None:
            self.b.add(iri, RDF.type, PKG.Infrastructure)
            self.b.add(iri, SKOS.prefLabel, Literal(label, lang="zh-Hans"))
        return iri

    def add_scope(self, scope: PlanScope, plan: URIRef) -> None:
        """The places a plan covers."""
        for claim in scope.places:
            self.b.assert_fact(plan, PKG.planScope, self.place(claim.value), claim.evidence)

    def add_axis(self, axis: AxisFacts, plan: URIRef) -> None:
        """A development axis: its corridor, node and radiated places, lines and zones."""
        b = self.b
        a = child_iri(plan, "axis", axis.name)
        b.add(a, RDF.type, PKG.DevelopmentAxis)
        b.add(a, SKOS.prefLabel, Literal(axis.name, lang="zh-Hans"))
        b.add(a, PKG.axisKind, Literal(axis.kind, lang="zh-Hans"))
        b.assert_fact(a, PKG.inPlan, plan, axis.evidence)
        if axis.corridor:
            b.assert_fact(a, PKG.onCorridor, self.corridor(axis.corridor.value), axis.corridor.evidence)
        for claim in axis.nodes:
            b.assert_fact(a, PKG.nodeCity, self.place(claim.value), claim.evidence)
        for claim in axis.radiates:
            b.assert_fact(a, PKG.radiatesTo, self.place(claim.value), claim.evidence)
        for claim in axis.infrastructure:
            line = self.line(claim.value, axis.line_keys.get(claim.value))
            b.assert_fact(a, PKG.followsInfrastructure, line, claim.evidence)
        for claim in axis.zones:
            b.assert_fact(a, PKG.supportingZone, Literal(claim.value, lang="zh-Hans"), claim.evidence)

    def add_cluster(self, cluster: ClusterFacts, plan: URIRef) -> None:
        """A city cluster or group and its members."""
        b = self.b
        c = child_iri(plan, "cluster", cluster.name)
        b.add(c, RDF.type, PKG.CityCluster)
        b.add(c, SKOS.prefLabel, Literal(cluster.name, lang="zh-Hans"))
        b.assert_fact(c, PKG.inPlan, plan, cluster.evidence)
        for claim in cluster.members:
            b.assert_fact(c, PKG.member, self.place(claim.value), claim.evidence)

    def add_region_member(self, rm: RegionMember, plan: URIRef) -> None:
        """A plan's statement that a place belongs to a region (``plan`` is unused:
        the membership is a fact about the places)."""
        self.b.assert_fact(self.place(rm.region), PKG.member, self.place(rm.member), rm.evidence)
