"""The reference data one build uses, loaded once and passed to every
extractor and writer explicitly.

>>> ref = ReferenceData.load()
>>> ref.agencies.resolve("国家发展改革委").key, ref.places.lookup("长沙").code
('cn-ndrc', '430100')
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from plankg.loaders.agencies import AgencyGazetteer
from plankg.loaders.lines import CorridorTable
from plankg.loaders.places import PlaceGazetteer
from plankg.loaders.reference import DocumentKind, RoleWords, read_document_kinds


@dataclass(frozen=True)
class ReferenceData:
    """Gazetteers and word lists of one build. ``extra_dirs`` are the user's
    folders of additional rows (``plankg build --reference DIR``)."""

    places: PlaceGazetteer
    agencies: AgencyGazetteer
    corridors: CorridorTable
    kinds: tuple[DocumentKind, ...]
    roles: RoleWords
    extra_dirs: tuple[str, ...] = ()

    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = ()) -> "ReferenceData":
        """The shipped reference data plus the rows of ``extra_dirs``."""
        dirs = tuple(str(Path(d)) for d in extra_dirs)
        places = PlaceGazetteer.load(dirs)
        return cls(places, AgencyGazetteer.load(dirs, places), CorridorTable.load(dirs),
                   tuple(read_document_kinds(dirs)), RoleWords.load(dirs), dirs)

    def kind_label(self, kind: str) -> str:
        """The Chinese label of a document kind: its shortest title word (文件 for ``document``)."""
        terms = [k.term for k in self.kinds if k.kind == kind and k.term]
        return min(terms, key=len) if terms else "文件"

    def kind_label_en(self, kind: str) -> str:
        """The English label of a document kind."""
        return next((k.label_en for k in self.kinds if k.kind == kind), kind)
