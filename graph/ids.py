"""Stable, deterministic IRIs. Same input, same IRIs: nothing random, no blank nodes.

>>> str(plan_iri("某某规划", "2020"))
'https://w3id.org/plankg/id/plan/2020-227506ed93'
"""
from __future__ import annotations

import hashlib

from rdflib import URIRef

from plankg.graph.namespaces import ID


def short_hash(*parts: object, length: int = 10) -> str:
    """A short hex digest of the parts, joined with a separator no part contains."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]


def plan_iri(title: str, year: str | None) -> URIRef:
    """A plan: its year and a hash of its title (titles are unique within a year)."""
    return ID[f"plan/{year or 'undated'}-{short_hash(title)}"]


def document_iri(document_id: str) -> URIRef:
    """A source file, by the hash of its bytes."""
    return ID[f"doc/{document_id}"]


def agency_iri(key: str) -> URIRef:
    """An agency: curated gazetteer key, or a hash of the name for unlisted bodies."""
    if key.startswith("unlisted:"):
        return ID[f"agency/x-{short_hash(key)}"]
    return ID[f"agency/{key}"]


def external_document_iri(title: str, doc_no: str | None) -> URIRef:
    """A cited document outside the corpus."""
    return ID[f"extdoc/{short_hash(doc_no or title)}"]


def child_iri(parent: URIRef, kind: str, *parts: object) -> URIRef:
    """A node that belongs to another one (a scope figure of a plan, a selector of an evidence)."""
    return URIRef(f"{parent}/{kind}-{short_hash(*parts, length=8)}")


def adm_iri(code: str) -> URIRef:
    """An administrative division, by its GB/T 2260 code."""
    return ID[f"adm/{code}"]


def place_iri(code: str) -> URIRef:
    """A division (``430100``) or a region (``region:长株潭``)."""
    if code.startswith("region:"):
        return ID[f"region/{short_hash(code)}"]
    if code.startswith("unresolved:"):
        return ID[f"place/x-{short_hash(code)}"]
    return adm_iri(code)


def corridor_iri(key: str) -> URIRef:
    """A transport corridor: curated key, or a hash of an axis-named one."""
    if key.startswith("local:"):
        return ID[f"corridor/x-{short_hash(key)}"]
    return ID[f"corridor/{key}"]


def project_iri(name: str) -> URIRef:
    """A named infrastructure line or project."""
    return ID[f"project/{short_hash(name)}"]


def project_key_iri(key: str) -> URIRef:
    """A project, by the key its names share (see plankg.loaders.projects)."""
    return ID[f"project/{short_hash(key)}"]
