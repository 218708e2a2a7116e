"""A plain set of RDF triples for building: rdflib terms, no store.

Building only adds triples and asks two things back (does a subject have a
label yet, what is it); rdflib's memory store keeps three indexes, contexts
and events for every triple, which made it most of a large build's time and
memory. ``TripleSet`` keeps a set and one (subject, predicate) index, writes
N-Triples rows itself, and turns into an rdflib ``Graph``
when one is wanted.

>>> from rdflib import Literal, URIRef
>>> ts = TripleSet()
>>> s, p = URIRef("https://example.org/a"), URIRef("https://example.org/label")
>>> ts.add((s, p, Literal("甲")))
>>> ts.add((s, p, Literal("甲")))
>>> len(ts), (s, p, None) in ts, str(ts.value(s, p))
(1, True, '甲')
>>> ts.ntriples().decode("utf-8")
'<https://example.org/a> <https://example.org/label> "甲" .\\n'
>>> len(ts.to_rdflib())
1
"""
from __future__ import annotations

from typing import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", '"': '\\"', "\r": "\\r"})


def nt_term(term: Node) -> str:
    """A term in N-Triples syntax (IRIs and literals; plankg writes no blank nodes).

    >>> print(nt_term(Literal('甲"乙', lang="zh-Hans")), nt_term(URIRef("https://example.org/a")))
    "甲\\"乙"@zh-Hans <https://example.org/a>
    """
    if isinstance(term, Literal):
        quoted = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{quoted}@{term.language}"
        return f"{quoted}^^<{term.datatype}>" if term.datatype else quoted
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"plankg writes no {type(term).__name__} terms")


def nt_row(triple: Triple) -> str:
    """One N-Triples line."""
    return f"{nt_term(triple[0])} {nt_term(triple[1])} {nt_term(triple[2])} .\n"


class TripleSet:
    """A set of ground triples with a (subject, predicate) → objects index."""

    def __init__(self) -> None:
        self._triples: set[Triple] = set()
        self._objects: dict[tuple[Node, Node], list[Node]] = {}
        self._terms: dict[Node, Node] = {}

    def add(self, triple: Triple) -> None:
        """Add a triple (again is a no-op)."""
        if triple in self._triples:
            return
        term = self._terms.setdefault
        triple = (term(triple[0], triple[0]), term(triple[1], triple[1]), term(triple[2], triple[2]))
        self._triples.add(triple)
        self._objects.setdefault((triple[0], triple[1]), []).append(triple[2])

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __contains__(self, pattern) -> bool:
        """``(s, p, o) in ts``; ``o`` may be ``None`` for "any object"."""
        s, p, o = pattern
        if o is None:
            return (s, p) in self._objects
        return (s, p, o) in self._triples

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The first object added for ``subject`` and ``predicate``, or None."""
        objects = self._objects.get((subject, predicate))
        return objects[0] if objects else None

    def ntriples(self) -> bytes:
        """Sorted UTF-8 N-Triples, one triple a line: the same triples give the same bytes.

        Rows are sorted as bytes, which for UTF-8 is code-point order; bytes
        take half the memory of a ``str`` holding Chinese text.
        """
        return b"".join(sorted(nt_row(t).encode("utf-8") for t in self._triples))

    def to_rdflib(self) -> Graph:
        """The triples as an rdflib ``Graph`` with the project's prefixes bound."""
        from plankg.graph.namespaces import bind_prefixes

        graph = Graph()
        bind_prefixes(graph)
        for triple in self._triples:
            graph.add(triple)
        return graph
