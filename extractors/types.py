"""Typed values that flow between the pure modules: spans, facts and the parsed document.

Everything here is frozen: an extractor can never change the document another one reads.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class FactKind(StrEnum):
    """Every kind of fact the extractors produce; the `kind` column of the facts table."""

    PUBLISHED_ON = "published_on"
    SIGNED_ON = "signed_on"
    CPTS_NAME = "cpts_name"
    POPULATION = "population"
    COMMUNES = "communes"
    PROFESSIONALS = "professionals"
    DEPARTMENT = "department"
    PRESIDENT = "president"
    SIZE_CLASS = "size_class"
    AMOUNT = "amount"
    MISSION = "mission"


class Qualifier(StrEnum):
    """How a count is bounded: "près de 47 000" is approx, "plus de 45" is at_least."""

    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Precision(StrEnum):
    """How much of a date the text states: "créée en décembre 2020" has month precision."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character interval [start, end) of `Document.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


# (document, its sentence ends) for Document.sentence_of; one slot, replaced whole.
_SENTENCE_ENDS: list[tuple[object, list[int]]] = [(None, [])]


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted fact and its evidence.

    `value` is normalised (int for counts and euros, ISO string for dates, INSEE code for
    departments, mission code, canonical CPTS name...). `text` is exactly
    `doc.text[start:end]`. `attrs` holds kind-specific details that are not worth a column of
    their own in every table (amount kind, funder, per_year; a CPTS name the fact's own phrase
    names, under "cpts"; "scope": "generic" for figures that concern no single CPTS).
    """

    kind: FactKind
    value: int | str
    start: int
    end: int
    text: str
    extractor: str
    qualifier: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"{self.kind}: invalid span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"{self.kind}: text length does not match its span")
        object.__setattr__(self, "attrs", _frozen(self.attrs))

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Document:
    """A normalised release: the text every offset points into, and its structure.

    `sentences` and `lines` are spans of `text` in reading order; a bullet or a heading is a
    line of its own and never shares a sentence with the next line. `page_starts` holds the
    offset where each PDF page begins (empty for other formats). `reference_date` is the
    release's own date (dateline, "Publié le", header), used to resolve dates written without a
    year; it is None when the text itself does not state one. `headline_year` is the one year
    the headline states, read only when there is no reference date.
    """

    doc_id: str
    text: str
    sentences: tuple[Span, ...]
    lines: tuple[Span, ...]
    page_starts: tuple[int, ...] = ()
    reference_date: dt.date | None = None
    reference_precision: Precision | None = None
    title: str | None = None
    headline_year: int | None = None

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def sentence_of(self, offset: int) -> Span:
        """The sentence holding `offset` (the whole text when no sentence does)."""
        # Asked a few hundred times per document: bisect (C) on the sentence ends, kept
        # for the last document asked about.
        doc, ends = _SENTENCE_ENDS[0]
        if doc is not self:
            ends = [s.end for s in self.sentences]
            _SENTENCE_ENDS[0] = (self, ends)
        lo = bisect.bisect_right(ends, offset)  # the first sentence ending after offset
        if lo < len(self.sentences) and self.sentences[lo].start <= offset:
            return self.sentences[lo]
        return Span(0, len(self.text))

    def page_of(self, offset: int) -> int | None:
        """1-based PDF page of `offset`, None for sources without pages."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1
