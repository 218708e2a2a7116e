"""A source document made ready for extraction: normalised, deduplicated,
with a helper that turns positions in the normalised text into evidence."""
from __future__ import annotations

from dataclasses import dataclass

from plankg.facts import Evidence, SourceDocument
from plankg.loaders.dedup import DedupedText, deduplicate
from plankg.loaders.normalize import normalize_text


@dataclass
class PreparedDocument:
    """A ``SourceDocument`` plus its normalised, deduplicated text."""

    source: SourceDocument
    deduped: DedupedText

    @property
    def text(self) -> str:
        """The normalised text extraction rules read."""
        return self.deduped.text.text

    def evidence(self, start: int, end: int, rule: str) -> Evidence:
        """Evidence for ``text[start:end]``, located in the original file."""
        spans = self.deduped.source_spans(start, end)
        a, b = spans[0]
        return Evidence(self.source.id, spans, self.source.text[a:b], rule)


def prepare(source: SourceDocument) -> PreparedDocument:
    """Normalise and deduplicate a source document."""
    mapped = normalize_text(source.text, source.media_type)
    return PreparedDocument(source, deduplicate(mapped))
