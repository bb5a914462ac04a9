"""Euro amounts: "15 000 €", "300.000 euros", "1,2 million d'euros", "50 k€", "quinze mille euros".

The entry point. Finding the amounts and reading their numbers is money.py; ranges are
amount_ranges.py; kind, funder and per year come from cue words (amount_cues.py); totals,
parts, differences and third parties are amount_totals.py. Decisions worth knowing:

- a ceiling over several years ("jusqu'à 300.000 euros sur trois ans") is kind `other`,
  per_year false: the aci_annual_* and national_range_* kinds are yearly by definition;
- a range "de 287 500 € à 580 000 €" is the national grid (national_range_min/max, scope
  generic) when its sentence is generic or speaks of size; otherwise aci_annual_min/max if
  a yearly cue says so ("par an"), else `other` with per_year false. "entre 1 et 2 millions
  d'euros" gives 1 000 000 for the bare "1";
- money paid to a third party ("20 000 € à l'hôpital") keeps its kind, scope generic;
- a total for many CPTS, a part of another amount or a difference is `other` (a total is
  also scope generic); kind cues count within the amount's clause (";" ends one);
- membership fees ("une somme de 10 € à l'adhésion", "cotisation") are dropped;
- money of another structure (a maison de santé's cost, its DETR subsidy) is dropped, and an
  amount compared with the one before it ("contre 4,1 M€ en 2022") takes its kind and scope;
- a yearly amount joined by "et" to a higher yearly ceiling is its floor, aci_annual_min
  ("75 000 € par an, et jusqu'à 225 000 € si les objectifs sont atteints");
- an amount whose currency is left out ("75 000 annuels …, et jusqu'à 225 000 si …") counts in
  a sentence about financing (amount_elliptic.py);
- a heading that restates an amount of the body ("Jusqu'à 290 000 € par an" above "... jusqu'à
  290 000 € par an, si ...") gives no second fact.

>>> from extractors.text.document import build_document
>>> doc = build_document("t", "L’ARS verse une aide au démarrage de la CPTS de 15\u00a0000 €.")
>>> [(f.value, f.attrs["kind"], f.attrs["funder"]) for f in extract(doc)]
[(15000, 'ars_startup_aid', 'ars')]
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.kinds import amount_cues, amount_elliptic, amount_totals
from extractors.kinds.amount_ranges import ranges
from extractors.kinds.scope import GENERIC, scope_at
from extractors.text.document import LINE_START_BULLET, line_index
from extractors.text.money import Money, find_money
from extractors.types import Document, Fact, FactKind, Span

HEADING_MAX = 100  # a heading line restating an amount is short
# The end of a sentence or of a list item: such a line is no heading.
SENTENCE_END = re.compile(r"[.;:,!?]\W*$")


def extract(doc: Document) -> list[Fact]:
    found = find_money(doc.text)
    found = sorted(found + amount_elliptic.find(doc, found), key=lambda money: money.start)
    ends, bare = ranges(doc, found)
    everything = [
        m
        for m in found + bare
        if not amount_totals.other_structure(doc, m) and not amount_totals.membership_fee(doc, m)
    ]
    scopes: dict = {}  # scope of each sentence, read once (scope.scope_at)
    everything.sort(key=lambda money: money.start)
    starts = [money.start for money in everything]
    facts = [
        _fact(doc, money, ends.get(money), starts, scopes, _neighbours(everything, i))
        for i, money in enumerate(everything)
    ]
    for i in range(1, len(facts)):
        if amount_totals.compared(doc, everything[i], everything[i - 1]):
            facts[i] = _like(facts[i], facts[i - 1])
        elif _floor_of_ceiling(doc, facts[i - 1], facts[i]):
            facts[i - 1] = replace(facts[i - 1], attrs={**facts[i - 1].attrs, "kind": FLOOR})
    return _drop_restated_headings(doc, sorted(facts, key=lambda f: f.start))


FLOOR = "aci_annual_min"
OWN_CUE_REACH = 20
# "75 000 € par an, et jusqu'à 225 000 € si …": a yearly amount, then its ceiling.
AND_THEN = re.compile(r"^[^.;:!?\n]{0,80}?(?<![^\W\d_])et(?![^\W\d_])[^.;:!?\n]{0,30}$")


def _floor_of_ceiling(doc: Document, first: Fact, ceiling: Fact) -> bool:
    """A yearly amount of no other kind, joined by "et" to a higher yearly ceiling, is the
    floor of that ceiling ("75 000 € par an et jusqu'à 225 000 € si les objectifs sont
    atteints": what the CPTS gets in any case, then the most it can get)."""
    return (
        first.attrs["kind"] == "other"
        and first.attrs["per_year"] == "true"
        and ceiling.attrs["kind"] == "aci_annual_max"
        and first.attrs.get("scope") == ceiling.attrs.get("scope")
        and int(first.value) < int(ceiling.value)
        and AND_THEN.match(doc.text[first.end : ceiling.start]) is not None
        # its own yearly cue, right after it: "a reçu 20 000 € en 2022 et pourra percevoir
        # jusqu'à 300 000 € par an" is a payment, no floor
        and amount_cues.ANNUAL.search(doc.text, first.end, first.end + OWN_CUE_REACH) is not None
    )


def _like(fact: Fact, model: Fact) -> Fact:
    """`fact` with the kind, per year and scope of the amount it is compared with."""
    attrs = {**fact.attrs, "kind": model.attrs["kind"], "per_year": model.attrs["per_year"]}
    attrs.pop("scope", None)
    if "scope" in model.attrs:
        attrs["scope"] = model.attrs["scope"]
    return replace(fact, attrs=attrs)


def _neighbours(moneys: list[Money], i: int) -> tuple[int, int]:
    """End of the amount before moneys[i] and start of the one after (-1: none)."""
    before = moneys[i - 1].end if i > 0 else -1
    after = moneys[i + 1].start if i + 1 < len(moneys) else -1
    return before, after


def _heading_line(doc: Document, offset: int) -> bool:
    """A short line of its own that does not end like a sentence or a list item."""
    index = line_index(doc, offset)
    if index is None or doc.lines[index].end - doc.lines[index].start > HEADING_MAX:
        return False
    line = doc.slice(doc.lines[index])
    return (
        len(line) <= HEADING_MAX
        and not LINE_START_BULLET.match(line)
        and not SENTENCE_END.search(line)
    )


def _drop_restated_headings(doc: Document, facts: list[Fact]) -> list[Fact]:
    body = {(f.value, f.attrs["kind"]) for f in facts if not _heading_line(doc, f.start)}
    return [
        f for f in facts if not (_heading_line(doc, f.start) and (f.value, f.attrs["kind"]) in body)
    ]


def _fact(
    doc: Document,
    money: Money,
    range_end: str | None,
    others: list[int],
    scopes: dict,
    neighbours: tuple[int, int],
) -> Fact:
    windows = amount_cues.windows(doc, money)
    funder = amount_cues.funder(doc, windows, money, neighbours)
    scope = scope_at(doc, Span(money.start, money.end), scopes)
    clause = amount_totals.clause(doc, money)
    if range_end is not None:
        grid = scope == GENERIC or amount_cues.is_grid(doc, windows, money)
        kind = f"national_range_{range_end}" if grid else f"aci_annual_{range_end}"
        if not grid and not amount_cues.per_year(doc, windows, money, "other"):
            kind = "other"  # "entre 150 000 et 260 000 € à la CPTS": no period, no yearly bound
        scope = GENERIC if grid else scope
    elif amount_totals.is_total(doc, money, clause, others):
        kind, scope = "other", GENERIC
    elif amount_totals.is_part_or_difference(doc, money, clause):
        kind = "other"
    else:
        own = [(clause, 0)] + [(span, p) for span, p in windows[1:]]
        kind = amount_cues.kind(doc, own, money, funder, neighbours)
    per_year = amount_cues.per_year(doc, windows, money, kind)
    if not per_year and kind in amount_cues.YEARLY_KINDS:
        kind = "other"
    if amount_totals.to_third_party(doc, money):
        scope = GENERIC
    attrs = {
        "kind": kind,
        "funder": funder or amount_cues.LEX["default_funder"].get(kind, "other"),
        "per_year": "true" if per_year else "false",
    }
    if scope:
        attrs["scope"] = scope
    return Fact(
        kind=FactKind.AMOUNT,
        value=money.value,
        start=money.start,
        end=money.end,
        text=doc.text[money.start : money.end],
        extractor="amounts",
        attrs=attrs,
    )
