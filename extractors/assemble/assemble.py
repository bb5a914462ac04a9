"""Facts of one document → records per CPTS, amounts, missions and attributed evidence.

Attribution is in attribution.py (with subjects.py and clauses.py), the department policy in
department_policy.py. Here: which value wins for each CPTS, and the records.
"""

from __future__ import annotations

import datetime as dt
import re

from extractors.assemble.attribution import Attributor
from extractors.assemble.department_policy import (
    DominantDepartments,
    adjacent_departments,
    dominant_departments,
    heading_departments,
    name_departments,
)
from extractors.assemble.geography import place_records
from extractors.records import AmountRecord, Assembly, AttributedFact, CptsRecord, MissionRecord
from extractors.types import Document, Fact, FactKind

COUNT_KINDS = (FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS)
PRECISION_BY_LENGTH = {10: "day", 7: "month", 4: "year"}
# signed_on facts without a priority rank after every ranked one.
NO_PRIORITY = 99


def parse_iso(value: object) -> tuple[dt.date, str] | None:
    """ "2020-12" → (2020-12-01, "month"); None for anything that is not an ISO date."""
    text = str(value)
    precision = PRECISION_BY_LENGTH.get(len(text))
    if precision is None:
        return None
    padded = text + {"day": "", "month": "-01", "year": "-01-01"}[precision]
    try:
        return dt.date.fromisoformat(padded), precision
    except ValueError:
        return None


def _priority(fact: Fact) -> tuple[int, int]:
    raw = fact.attrs.get("priority", "")
    return (int(raw) if raw.isdigit() else NO_PRIORITY, fact.start)


def _first(facts: list[Fact], kind: FactKind) -> Fact | None:
    usable = [
        f for f in facts if f.kind == kind and f.attrs.get("scope") not in {"detail", "generic"}
    ]
    return min(usable, key=lambda f: f.start) if usable else None


# An exact count this close to a bounded one ("plus de 140 adhérents" in the lead, "143
# libéraux ont rejoint" in the body) is the same figure, told precisely: (low, high) factors.
SAME_FIGURE = {"at_least": (1.0, 1.2), "approx": (0.9, 1.1), "at_most": (0.8, 1.0)}
BOUNDS = ("at_least", "at_most")  # a population "près de 98.000" is no bound of another


def _members(facts: list[Fact], about_cpts: set[int]) -> Fact | None:
    """The CPTS's member count: the first stated in a sentence about a CPTS ("la CPTS du
    Bessin, qui regroupe près de 200 professionnels" over "le bâtiment réunit quatorze
    professionnels" of a health centre), then its exact figure over a bound of it."""
    usable = [
        f
        for f in facts
        if f.kind == FactKind.PROFESSIONALS and f.attrs.get("scope") not in {"detail", "generic"}
    ]
    if not usable:
        return None
    best = min([f for f in usable if f.start in about_cpts] or usable, key=lambda f: f.start)
    return _told_precisely(best, usable)


def _told_precisely(best: Fact, usable: list[Fact]) -> Fact:
    """The exact figure of a bound ("plus de 33.000 habitants" in the lead, "33.340 habitants"
    in the body), else the bound itself."""
    low, high = SAME_FIGURE.get(best.qualifier or "exact", (0.0, 0.0))
    exact = [
        f
        for f in usable
        if (f.qualifier or "exact") == "exact" and low * best.value <= f.value <= high * best.value
    ]
    return min(exact, key=lambda f: f.start) if exact else best


def _record(
    key: str,
    name: str,
    status: str,
    name_source: str,
    facts: list[Fact],
    fallback: tuple[str, ...],
    adjacent: set[str] = frozenset(),
    about_cpts: set[int] = frozenset(),
) -> CptsRecord:
    fields: dict[str, object] = {}
    for kind in COUNT_KINDS:
        fact = (
            _members(facts, about_cpts) if kind == FactKind.PROFESSIONALS else _first(facts, kind)
        )
        if fact is not None and kind == FactKind.POPULATION and fact.qualifier in BOUNDS:
            fact = _told_precisely(
                fact, [f for f in facts if f.kind == kind and not f.attrs.get("scope")]
            )
        if fact is not None:
            fields[kind.value] = int(fact.value)
            if kind == FactKind.POPULATION:
                fields["population_qualifier"] = fact.qualifier or "exact"
    signed = sorted((f for f in facts if f.kind == FactKind.SIGNED_ON), key=_priority)
    parsed = next((p for p in (parse_iso(f.value) for f in signed) if p), None)
    if parsed:
        fields["signed_on"], fields["signed_on_precision"] = parsed
    president = _first(facts, FactKind.PRESIDENT)
    if president is not None:
        fields["president"] = str(president.value)
    size = _first(facts, FactKind.SIZE_CLASS)
    if size is not None:
        fields["size_class"] = int(size.value)
    territory = sorted(
        {
            str(f.value)
            for f in facts
            if f.kind == FactKind.DEPARTMENT and f.attrs.get("role") == "territory"
        }
        | set(adjacent)
    )
    return CptsRecord(
        key, name, status, name_source, departments=tuple(territory) or fallback, **fields
    )


CPTS_WORD = re.compile(r"\bCPTS\b|communaut[ée]s?\s+professionnelles?", re.IGNORECASE)


def _in_cpts_sentences(doc: Document, facts: list[Fact]) -> set[int]:
    """Starts of the count facts whose sentence names a CPTS or says "CPTS"."""
    named = {doc.sentence_of(f.start).start for f in facts if f.kind == FactKind.CPTS_NAME}
    found, verdict = set(), {}  # one search per sentence: a long line of counts stays linear
    for f in facts:
        if f.kind in COUNT_KINDS:
            sentence = doc.sentence_of(f.start)
            if sentence.start not in verdict:
                verdict[sentence.start] = sentence.start in named or bool(
                    CPTS_WORD.search(doc.text, sentence.start, sentence.end)
                )
            if verdict[sentence.start]:
                found.add(f.start)
    return found


def _amount(fact: Fact, key: str | None) -> AmountRecord:
    return AmountRecord(
        cpts_key=key,
        amount_eur=int(fact.value),
        kind=fact.attrs.get("kind", "other"),
        funder=fact.attrs.get("funder", "other"),
        per_year=fact.attrs.get("per_year") == "true",
        start=fact.start,
        end=fact.end,
        text=fact.text,
    )


def assemble(doc: Document, facts: list[Fact]) -> Assembly:
    """Attribute every fact of `doc` and build its records (pure; never raises on odd facts)."""
    attributor = Attributor(doc, facts)
    attributed: list[AttributedFact] = []
    for fact in sorted(facts, key=lambda f: (f.start, f.end, f.kind)):
        if fact.kind == FactKind.CPTS_NAME:
            attributed.append(AttributedFact(fact, str(fact.attrs.get("key") or fact.value)))
            continue
        attributed.extend(AttributedFact(fact, key) for key in attributor.targets(fact))
    kept = list({id(a.fact): a.fact for a in attributed}.values())  # facts are unhashable
    by_key: dict[str, list[Fact]] = {key: [] for key in attributor.canonical}
    for a in attributed:
        if a.cpts_key is not None and a.fact.kind != FactKind.CPTS_NAME:
            by_key.setdefault(a.cpts_key, []).append(a.fact)
    dominant = dominant_departments(kept)
    adjacent = adjacent_departments(doc, facts)
    for key, codes in [*heading_departments(doc, facts).items(), *name_departments(facts).items()]:
        adjacent.setdefault(key, set()).update(codes)
    # "la CPTS de Vierzon (12 communes dans le Cher)": a department in the brackets after a
    # name is that CPTS's territory, as one written right next to it.
    for fact in facts:
        owner = attributor.bracketed(fact) if fact.kind == FactKind.DEPARTMENT else None
        if owner is not None:
            adjacent.setdefault(owner, set()).add(str(fact.value))
    about_cpts = _in_cpts_sentences(doc, facts)
    sources = {
        str(f.attrs.get("key") or f.value): f.attrs.get("name_source", "text")
        for f in facts
        if f.kind == FactKind.CPTS_NAME
    }
    per_key = DominantDepartments(doc, kept) if len(by_key) > 1 else None
    records = tuple(
        _record(
            key,
            attributor.canonical.get(key, key),
            attributor.status.get(key, "mentioned"),
            sources.get(key, "text"),
            own,
            per_key.of(key) if per_key is not None else dominant,
            adjacent.get(key, set()),
            about_cpts,
        )
        for key, own in by_key.items()
    )
    missions: dict[tuple[str | None, str], MissionRecord] = {}
    for a in attributed:
        if a.fact.kind == FactKind.MISSION:
            missions.setdefault(
                (a.cpts_key, str(a.fact.value)),
                MissionRecord(a.cpts_key, str(a.fact.value), a.fact.start, a.fact.end, a.fact.text),
            )
    published = next(
        (f for f in kept if f.kind == FactKind.PUBLISHED_ON and parse_iso(f.value)), None
    )
    date, precision = parse_iso(published.value) if published else (None, None)
    territories = {code for r in records for code in r.departments}
    places, geography = place_records(doc, facts, attributor, records)
    return Assembly(
        published_on=date,
        published_on_precision=(published.qualifier or precision) if published else None,
        place=published.attrs.get("place") if published else None,
        departments=tuple(sorted(set(dominant) | territories)),
        cpts=records,
        amounts=tuple(
            _amount(a.fact, a.cpts_key) for a in attributed if a.fact.kind == FactKind.AMOUNT
        ),
        missions=tuple(missions.values()),
        facts=tuple(attributed),
        places=places,
        geography=geography,
    )
