"""Facts of one document → records per CPTS, amounts, missions and attributed evidence.

Attribution is in attribution.py. Here: which value wins for each CPTS, and the department
policy. A CPTS's departments are the "territory" department facts attributed to it; without
any, the document's dominant departments: every department whose context mentions (any role
but "territory") are at least half as many as those of the most mentioned one, so a single
"MSA Ardèche Drôme Loire" does not add Ardèche to a Drôme release. A department written right
next to a CPTS name is that CPTS's territory too, whatever role its extractor gave it ("la CPTS
du Centre Corse, en Haute-Corse (2B), et la CPTS de l'Extrême-Sud, en Corse-du-Sud (2A)";
"Dans le Calvados, la CPTS « Bessin »"). The document row lists the dominant departments plus
every CPTS territory department.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from extractors.attribution import Attributor
from extractors.records import AmountRecord, Assembly, AttributedFact, CptsRecord, MissionRecord
from extractors.types import Document, Fact, FactKind

COUNT_KINDS = (FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS)
PRECISION_BY_LENGTH = {10: "day", 7: "month", 4: "year"}
# signed_on facts without a priority rank after every ranked one.
NO_PRIORITY = 99

# Between a CPTS name and the department after it: ", en ", " (", ", dans la ".
AFTER_NAME = re.compile(
    r"""
    [\s\u00a0\u202f»"”]*[,(–—]?[\s\u00a0\u202f]*          # a comma, bracket or dash
    (?:(?:en|dans\s+(?:le|la|les|l[’'])|dans\s+l[’'])[\s\u00a0\u202f]*)?  # "en", "dans le"
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Before a CPTS name: "Dans le Calvados, la CPTS ..." (a place phrase opening the clause).
BEFORE_NAME = re.compile(r"[\s\u00a0\u202f]*,[\s\u00a0\u202f]*(?:la|le|l[’'])?[\s\u00a0\u202f]*")
PLACE_BEFORE = re.compile(r"(?:\bdans\s+(?:le|la|les)\s+|\bdans\s+l[’']|\ben\s+)$", re.IGNORECASE)


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


def dominant_departments(facts: list[Fact]) -> tuple[str, ...]:
    departments = [f for f in facts if f.kind == FactKind.DEPARTMENT]
    # Territory facts already speak for their own CPTS; the context decides for the others.
    context = [f for f in departments if f.attrs.get("role") != "territory"] or departments
    counts = Counter(str(f.value) for f in context)
    if not counts:
        return ()
    top = max(counts.values())
    return tuple(sorted(code for code, n in counts.items() if 2 * n >= top))


def adjacent_departments(doc: Document, facts: list[Fact]) -> dict[str, set[str]]:
    """CPTS key → departments written right next to one of its names."""
    names = [f for f in facts if f.kind == FactKind.CPTS_NAME]
    found: dict[str, set[str]] = {}
    for dep in (f for f in facts if f.kind == FactKind.DEPARTMENT):
        for name in names:
            key = str(name.attrs.get("key") or name.value)
            after = name.end <= dep.start and AFTER_NAME.fullmatch(doc.text, name.end, dep.start)
            before = (
                dep.end <= name.start
                and BEFORE_NAME.fullmatch(doc.text, dep.end, name.start)
                and PLACE_BEFORE.search(doc.text, max(0, dep.start - 12), dep.start)
            )
            if after or before:
                found.setdefault(key, set()).add(str(dep.value))
    return found


def _record(
    key: str,
    name: str,
    status: str,
    facts: list[Fact],
    fallback: tuple[str, ...],
    adjacent: set[str] = frozenset(),
) -> CptsRecord:
    fields: dict[str, object] = {}
    for kind in COUNT_KINDS:
        fact = _first(facts, kind)
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
    return CptsRecord(key, name, status, departments=tuple(territory) or fallback, **fields)


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
    records = tuple(
        _record(
            key,
            attributor.canonical.get(key, key),
            attributor.status.get(key, "mentioned"),
            own,
            dominant,
            adjacent.get(key, set()),
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
    )
