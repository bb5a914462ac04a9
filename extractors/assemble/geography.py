"""The places of each CPTS: whose place it is, which of its homonyms the text means, and what
the resolved places imply for the CPTS (departments, legal population, number of communes).

A place is attributed like a department mention (attribution.py): a place inside a CPTS's
name is that CPTS's; "la CPTS Aprosalys … 4 communes (Pierre-Bénite, Oullins…)" gives the
communes to Aprosalys.

Homonyms are resolved only by what the text says, in this order, each step narrowing the
candidates: a postcode after the name ("Sauve (30610)"), a department written right after it
("Valence (Drôme)"), the CPTS's departments, the departments of its other places that have one
candidate only (a neighbour: "Valence" beside "Crest" is Valence in the Drôme), the
departments the document names. Still several: `ambiguous`, never a guess. A place named
outside a list (in a sentence about the territory, or in the CPTS's name) that lies in none of
the departments the text speaks of is taken for a word that happens to be a commune's name,
and dropped.

The reference figures need the whole territory listed (kinds/places.py FULL: "4 communes (A,
B, C et D)", "sur la communauté de communes X") and every listed place resolved: then
`population_reference` is the sum of the legal populations of its communes (an EPCI counts by
its member communes, each once) and `communes_reference` their number.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from extractors.assemble.attribution import Attributor
from extractors.kinds.places import FULL, LIST, LOOSE, NAME, PlaceMention, find_places
from extractors.records import CptsGeography, CptsRecord, PlaceRecord
from extractors.text.place_names import Place, gazetteer
from extractors.types import Document, Fact, FactKind, Span

# How far after a name a bracketed department still speaks of it: "Valence (Drôme)".
AFTER_REACH = 4
# Which mention of a place is its evidence when it is named several times: the listing that
# says most about the territory.
LISTING_RANK = {FULL: 0, LIST: 1, LOOSE: 2, NAME: 3}
STRONG = (FULL, LIST)


def _as_fact(mention: PlaceMention) -> Fact:
    # Attributed as a department mention is: no kind-specific rule applies to either.
    return Fact(FactKind.DEPARTMENT, mention.text, mention.start, mention.end, mention.text,
                "places")


def _owners(mention: PlaceMention, names: list[tuple[Span, str]], name_starts: list[int],
            attributor: Attributor) -> list[str | None]:
    # Names sorted by start: the one that may hold the mention starts last at or before it.
    i = bisect.bisect_right(name_starts, mention.start) - 1
    for span, key in names[max(i, 0) : i + 2]:
        if span.start < mention.end and mention.start < span.end:  # Span.overlaps
            return [key]
    sole = attributor.sole_targets(mention.start, mention.end)
    return sole if sole is not None else attributor.targets(_as_fact(mention))


def _narrow(candidates: tuple[Place, ...], tiers: Iterable[set[str]]) -> tuple[Place, ...]:
    for tier in tiers:
        if len(candidates) <= 1:
            break
        kept = tuple(c for c in candidates if not tier.isdisjoint(c.departments))
        candidates = kept or candidates
    return candidates


class _Places:
    def __init__(self, doc: Document, facts: list[Fact], records: tuple[CptsRecord, ...]):
        self.doc = doc
        self.departments = sorted((f for f in facts if f.kind == FactKind.DEPARTMENT),
                                  key=lambda f: f.start)
        self.department_starts = [f.start for f in self.departments]
        self.named = {str(f.value) for f in self.departments}
        self.stated = {r.cpts_key: set(r.departments) for r in records}

    def _right_after(self, mention: PlaceMention) -> set[str]:
        lo = bisect.bisect_left(self.department_starts, mention.end)
        hi = bisect.bisect_right(self.department_starts, mention.end + AFTER_REACH)
        return {str(f.value) for f in self.departments[lo:hi]}

    def resolve(self, key: str | None, mentions: list[PlaceMention]) -> list[PlaceRecord]:
        """One record per place of `key`'s mentions, homonyms narrowed as the module says."""
        single = [m for m in mentions if len(m.candidates) == 1]
        neighbours = {d for m in single for d in m.candidates[0].departments}
        # What the text says of where it is: the departments it names and those of its listed
        # places (not of a loose name, which could be the very word in doubt).
        context = self.named | {
            d for m in single if m.listing in STRONG for d in m.candidates[0].departments
        }
        stated = self.stated.get(key, set())
        kept: dict[str, tuple[int, PlaceMention, tuple[Place, ...]]] = {}
        for mention in mentions:
            candidates = mention.candidates
            if len(candidates) > 1:  # the tiers narrow homonyms only: built for them alone
                tiers = (
                    {mention.postcode_department} - {None},
                    self._right_after(mention),
                    stated,
                    neighbours,
                    self.named,
                )
                candidates = _narrow(candidates, tiers)
            if mention.listing not in STRONG and context and all(
                context.isdisjoint(c.departments) for c in candidates
            ):
                continue  # a word that is a commune's name somewhere else
            # A place named twice keeps the mention of the best listing: its record is made
            # once, for the mention kept.
            if len(candidates) == 1:
                identity = candidates[0].code
            else:
                identity = " ".join(mention.text.split()).casefold()
            rank = LISTING_RANK[mention.listing]
            if identity not in kept or rank < kept[identity][0]:
                kept[identity] = (rank, mention, candidates)
        records = [_record(key, mention, candidates) for _, mention, candidates in kept.values()]
        return sorted(records, key=lambda r: (r.start, r.end))


def _record(key: str | None, mention: PlaceMention, candidates: tuple[Place, ...]) -> PlaceRecord:
    if not candidates:
        status = "unknown"
    elif len(candidates) == 1:
        status = "resolved"
    else:
        status = "ambiguous"
    levels = {c.level for c in candidates}
    names = {c.name for c in candidates}
    return PlaceRecord(
        cpts_key=key,
        insee_code=candidates[0].code if status == "resolved" else None,
        level=levels.pop() if len(levels) == 1 else (mention.level if not candidates else None),
        name=names.pop() if len(names) == 1 else None,
        status=status,
        start=mention.start,
        end=mention.end,
        text=mention.text,
        candidates=tuple(c.code for c in candidates) if status == "ambiguous" else (),
    )


def _reference(records: list[PlaceRecord], full: set[tuple[int, int]]) -> CptsGeography:
    geo = gazetteer()
    resolved = [geo.place(r.insee_code) for r in records if r.status == "resolved"]
    departments = tuple(sorted({d for p in resolved if p for d in p.departments}))
    listed = [r for r in records if (r.start, r.end) in full and r.level != "department"]
    if not listed or any(r.status != "resolved" for r in listed):
        return CptsGeography(departments)
    communes: set[str] = set()
    for r in listed:
        place = geo.place(r.insee_code)
        communes.update(place.members if place.level == "epci" else (place.code,))
    populations = [p.population if (p := geo.place(c)) else None for c in sorted(communes)]
    population = None if None in populations else sum(populations)
    return CptsGeography(departments, population, len(communes))


def place_records(
    doc: Document, facts: list[Fact], attributor: Attributor, records: tuple[CptsRecord, ...]
) -> tuple[tuple[PlaceRecord, ...], dict[str, CptsGeography]]:
    """The places table rows of `doc` and, per CPTS key, what its places imply."""
    # The attributor's cpts_name facts (of these `facts`) and its spans of them.
    names = [(span, str(f.attrs.get("key") or f.value))
             for span, f in zip(attributor.name_spans, attributor.names, strict=True)]
    name_starts = [span.start for span, _ in names]
    mentions = find_places(doc, [span for span, _ in names])
    if not mentions:
        return (), {}
    by_key: dict[str | None, list[PlaceMention]] = {}
    for mention in mentions:
        for key in _owners(mention, names, name_starts, attributor):
            by_key.setdefault(key, []).append(mention)
    resolver = _Places(doc, facts, records)
    places: list[PlaceRecord] = []
    geography: dict[str, CptsGeography] = {}
    for key, mine in by_key.items():
        rows = resolver.resolve(key, mine)
        places += rows
        if key is not None:
            full = {(m.start, m.end) for m in mine if m.listing == FULL}
            geography[key] = _reference(rows, full)
    places.sort(key=lambda r: (r.start, r.end, r.cpts_key or ""))
    return tuple(places), geography
