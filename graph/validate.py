"""SHACL validation of a built graph with pyshacl."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph


@dataclass
class ValidationReport:
    """The outcome of a SHACL run."""

    conforms: bool
    violations: int
    text: str
    warnings: int = 0  # results of severity sh:Warning (a task whose lead cell is blank); they do not break conformance


def ontology_graph() -> Graph:
    """The plankg OWL ontology."""
    return Graph().parse(data=resources.files("plankg.ontology").joinpath("plankg.ttl").read_text("utf-8"), format="turtle")


def shapes_graph() -> Graph:
    """The plankg SHACL shapes."""
    return Graph().parse(data=resources.files("plankg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate a data graph against the shapes, with the ontology's class hierarchy (RDFS inference)."""
    from pyshacl import validate
    from rdflib.namespace import SH

    conforms, results_graph, text = validate(
        graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="rdfs", advanced=True,
        allow_warnings=True,
    )
    violations = len(list(results_graph.subjects(SH.resultSeverity, SH.Violation)))
    warnings = len(list(results_graph.subjects(SH.resultSeverity, SH.Warning)))
    return ValidationReport(bool(conforms), violations, text, warnings)
