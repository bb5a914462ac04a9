"""What `assemble` hands to the flows: one record per row of each published table.

These are plain frozen dataclasses so that `extractors/` stays free of pandas and I/O; the
flows turn them into DataFrames that the `schemas/` validate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from extractors.types import Fact


@dataclass(frozen=True, slots=True)
class CptsRecord:
    cpts_key: str
    name: str
    status: str  # signed | created | in_progress | planned | mentioned
    # text | title | territory: a release that never names its CPTS gets a built name
    name_source: str = "text"
    signed_on: dt.date | None = None
    signed_on_precision: str | None = None  # day | month | year
    population: int | None = None
    population_qualifier: str | None = None  # exact | approx | at_least | at_most
    communes: int | None = None
    professionals: int | None = None
    president: str | None = None
    size_class: int | None = None
    departments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AmountRecord:
    cpts_key: str | None
    amount_eur: int
    kind: str
    funder: str  # ars | assurance_maladie | other
    per_year: bool
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class MissionRecord:
    cpts_key: str | None
    mission: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """A place a CPTS's territory names (cpts_key None: named for no single CPTS), resolved to
    one INSEE code, ambiguous between `candidates`, or unknown to the reference."""

    cpts_key: str | None
    insee_code: str | None
    level: str | None  # commune | epci | department
    name: str | None  # the reference's name
    status: str  # resolved | ambiguous | unknown
    start: int
    end: int
    text: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CptsGeography:
    """What a CPTS's resolved places imply: the departments they lie in, and, when the text
    lists its whole territory, that territory's legal population and number of communes."""

    departments_inferred: tuple[str, ...] = ()
    population_reference: int | None = None
    communes_reference: int | None = None


@dataclass(frozen=True, slots=True)
class AttributedFact:
    """A fact with the CPTS it was attributed to (None: the document or no single CPTS)."""

    fact: Fact
    cpts_key: str | None


@dataclass(frozen=True, slots=True)
class Assembly:
    """Everything extracted from one document, attributed and ready to tabulate."""

    published_on: dt.date | None = None
    published_on_precision: str | None = None
    place: str | None = None
    departments: tuple[str, ...] = ()
    cpts: tuple[CptsRecord, ...] = ()
    amounts: tuple[AmountRecord, ...] = ()
    missions: tuple[MissionRecord, ...] = ()
    facts: tuple[AttributedFact, ...] = field(default_factory=tuple)
    places: tuple[PlaceRecord, ...] = ()
    # cpts_key → what its places imply (kept apart from CptsRecord, which holds what the text
    # states).
    geography: dict[str, CptsGeography] = field(default_factory=dict)
