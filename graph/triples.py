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

from typing import Iterable, Iterator

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


def nt_string(text: str) -> str:
    """A plain string literal in N-Triples syntax, as ``nt_term(Literal(text))`` writes it.

    >>> print(nt_string('甲"乙'))
    "甲\\"乙"
    """
    return f'"{text.translate(_ESCAPES)}"'


def nt_row(triple: Triple) -> str:
    """One N-Triples line."""
    return f"{nt_term(triple[0])} {nt_term(triple[1])} {nt_term(triple[2])} .\n"


class TripleSet:
    """A set of ground triples, kept as their UTF-8 N-Triples rows, with a
    (subject, predicate) → objects index for the predicates given.

    A row takes about half the memory of the three rdflib terms and the set
    entry it replaces, and writing needs the rows anyway. Only the indexed
    predicates can be asked back (``in``, ``value``); asking about another
    raises ``KeyError`` rather than answering wrongly. ``indexed=None`` indexes
    every predicate.
    """

    def __init__(self, indexed: Iterable[Node] | None = None) -> None:
        self._rows: set[bytes] = set()
        self._indexed = None if indexed is None else frozenset(indexed)
        self._objects: dict[tuple[Node, Node], list[Node]] = {}

    def add(self, triple: Triple) -> None:
        """Add a triple (again is a no-op)."""
        row = nt_row(triple).encode("utf-8")
        if row in self._rows:
            return
        self._rows.add(row)
        if self._indexed is None or triple[1] in self._indexed:
            self._objects.setdefault((triple[0], triple[1]), []).append(triple[2])

    def add_rows(self, rows: Iterable[str]) -> None:
        """Add triples given as N-Triples rows (``nt_row``'s form). Their
        predicates must be ones this set does not index: a fast path for
        triples that are never asked back.

        >>> ts = TripleSet(indexed=())
        >>> ts.add_rows(['<https://example.org/a> <https://example.org/p> "1" .\\n'])
        >>> len(ts)
        1
        """
        if self._indexed is None:
            raise ValueError("add_rows needs a TripleSet that indexes only some predicates")
        self._rows.update(row.encode("utf-8") for row in rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.to_rdflib())

    def _check(self, predicate: Node) -> None:
        if self._indexed is not None and predicate not in self._indexed:
            raise KeyError(f"{predicate} is not an indexed predicate of this TripleSet")

    def __contains__(self, pattern) -> bool:
        """``(s, p, o) in ts``; ``o`` may be ``None`` for "any object"."""
        s, p, o = pattern
        if o is None:
            self._check(p)
            return (s, p) in self._objects
        return nt_row(pattern).encode("utf-8") in self._rows

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The first object added for ``subject`` and ``predicate``, or None."""
        self._check(predicate)
        objects = self._objects.get((subject, predicate))
        return objects[0] if objects else None

    def rows(self) -> list[bytes]:
        """The UTF-8 N-Triples rows, sorted as bytes (for UTF-8, code-point order)."""
        return sorted(self._rows)

    def ntriples(self) -> bytes:
        """Sorted UTF-8 N-Triples, one triple a line: the same triples give the same bytes."""
        return b"".join(self.rows())

    def write_ntriples(self, path, chunk: int = 65536) -> None:
        """Write ``ntriples()`` to the file ``path`` without building the whole
        output in memory: the sorted rows are written ``chunk`` at a time."""
        rows = sorted(self._rows)
        with open(path, "wb") as f:
            for i in range(0, len(rows), chunk):
                f.write(b"".join(rows[i:i + chunk]))

    def to_rdflib(self) -> Graph:
        """The triples as an rdflib ``Graph`` with the project's prefixes bound."""
        from plankg.graph.namespaces import bind_prefixes

        graph = Graph()
        bind_prefixes(graph)
        graph.parse(data=self.ntriples().decode("utf-8"), format="nt")
        return graph
