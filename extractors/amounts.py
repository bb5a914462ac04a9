"""Euro amounts: "15 000 €", "300.000 euros", "1,2 million d'euros", "50 k€", "quinze mille euros".

A number only counts as money when a currency unit follows it, so "entre 40 et 80 000
habitants", phone numbers, years and percentages never match. What the amount *is* (kind,
funder, per year) comes from cue words of `lexicon/amounts.json`: the cue nearest to the
amount in its sentence wins, then the lead-in line of a list ("... allant jusqu'à :" above
"- 457 500 € pour la CPTS X,"). Decisions worth knowing:

- a ceiling over several years ("jusqu'à 300.000 euros sur trois ans") is kind `other`,
  per_year false: the aci_annual_* and national_range_* kinds are yearly by definition;
- a range "de 287 500 € à 580 000 €" is the national grid (national_range_min/max, scope
  generic) when its sentence is generic or speaks of size; otherwise aci_annual_min/max if
  yearly, else `other`. "entre 1 et 2 millions d'euros" gives 1 000 000 for the bare "1";
- money paid to a third party ("20 000 € à l'hôpital") keeps its kind, scope generic;
- a total for many CPTS ("les trois CPTS pourront percevoir ensemble près de 1,1 million
  d'euros", "2,3 millions d'euros versés aux CPTS du département", a regional envelope) is
  `other`, scope generic; a part of another amount ("dont 45 000 € par an consacrés au poste
  de coordinateur") is `other`; kind cues count within the amount's clause (";" ends one);
- a difference ("soit 52,5 k€ de plus", "une hausse de 12 000 €") is `other`; "l'ensemble des
  objectifs" is no total; a cue between two amounts belongs to the closer one ("300 000 € par
  an, après l'aide de 25 000 €"); cues are read within WINDOW characters (linear time);
- a heading that restates an amount of the body ("Jusqu'à 290 000 € par an" above "... jusqu'à
  290 000 € par an, si ...") gives no second fact.

>>> from extractors.document import build_document
>>> doc = build_document("t", "L’ARS verse une aide au démarrage de la CPTS de 15\u00a0000 €.")
>>> [(f.value, f.attrs["kind"], f.attrs["funder"]) for f in extract(doc)]
[(15000, 'ars_startup_aid', 'ars')]
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from extractors.document import LINE_START_BULLET
from extractors.numbers import load_lexicon
from extractors.scope import (
    GENERIC,
    compile_phrases,
    context_sentences,
    lead_in,
    line_index,
    scope_at,
)
from extractors.types import Document, Fact, FactKind, Span

_LEX = load_lexicon("amounts.json")
_NUMBER_WORDS = "|".join(
    sorted(load_lexicon("counts_numbers.json")["number_words"]["words"], key=len, reverse=True)
)

MONEY = re.compile(
    rf"""
    (?P<number>
        (?<![\w.,])\d{{1,3}}(?:(?:[ \u00a0\u202f]{{1,2}}|\.)\d{{3}})+(?:,\d+)?  # 457 500, 300.000
      | (?<![\w.,])\d+(?:,\d+)?                    # plain or decimal comma: 15000, 1,2
      | (?<![^\W\d_])(?:{_NUMBER_WORDS})(?:[\s-]+(?:et[\s-]+)?(?:{_NUMBER_WORDS}))*
                                                   # in words: quinze mille, cent cinquante mille
      | (?<![^\W\d_])une?(?=\s+millions?\b)        # "un million d'euros"
    )
    (?!(?!k€|K€|M€|Md€)[^\W_])                     # the number ends here (not "2nd", "12h")
    [ \u00a0\u202f]{{0,2}}
    (?:
        (?P<million>millions?|milliards?)(?:[ \u00a0\u202f]+d['’]\s?|[ \u00a0\u202f]+)
                                                   # 1,2 million d'euros / 2 millions €
      | (?P<prefix>[kK]|M|Md)(?=€)                 # 50 k€, 1,2 M€
    )?
    (?P<unit>€|[Ee]uros?\b|EUR\b)                  # the currency itself
    """,
    re.VERBOSE,
)

_SCALES = {"k": 1_000, "K": 1_000, "M": 1_000_000, "Md": 1_000_000_000}

# Between the two ends of a range: "287 500 € (< à 40 000 habitants) à 580 000 €".
RANGE_LINK = re.compile(
    r"""
    ^\s*(?:\([^()]{0,80}\)\s*)?    # an optional parenthesis on the first bound
    (?:pour\s+[^\d()€,.;:]{1,40}?\s+)? # "de 185 000 € pour les plus petites à 450 000 €"
    (?:et|à|a|-|–)\s*$             # the joining word or dash
    """,
    re.VERBOSE,
)

# What opens a range right before its first bound: "de", "d'", "entre", "allant de".
RANGE_OPENER = re.compile(
    r"""
    (?:\bentre|\bde|\bd['’])\s*$   # entre 50 000 € et ..., de 287 500 € à ...
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A first bound written without its unit: "entre 50 000 et 80 000 €", "de 1 à 2 M€".
BARE_LOW = re.compile(
    r"""
    (?:\bentre|\bde)\s+
    (?P<low>(?<![\w.,])\d{1,3}(?:(?:[ \u00a0\u202f]|\.)\d{3})+(?:,\d+)?   # grouped digits
           |(?<![\w.,])\d+(?:,\d+)?)                                     # plain digits
    \s+(?:et|à)\s+$                                                      # then the joiner
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A payee right after the amount: "une subvention de 20 000 € à l'hôpital".
THIRD_PARTY = re.compile(
    rf"\s*(?:versée?s?\s+|attribuée?s?\s+)?(?:{compile_phrases(_LEX['third_party_cues']).pattern})",
    re.IGNORECASE,
)

FUNDERS = {name: compile_phrases(cues) for name, cues in _LEX["funders"].items()}
KIND_RULES = [
    (rule["kind"], compile_phrases(rule["cues"]), frozenset(rule.get("funders", ())))
    for rule in _LEX["kinds"]
]
TOTAL = compile_phrases(_LEX["total_cues"])
# "chacune de ces CPTS", "par CPTS": the amount is per CPTS even when many are counted.
EACH = re.compile(r"(?<!\w)(?:chacune?|chaque|par\s+CPTS)(?!\w)", re.IGNORECASE)
PART = re.compile(rf"(?<!\w)(?:{compile_phrases(_LEX['part_cues']).pattern})\s*$", re.IGNORECASE)
TOTAL_NOUN = compile_phrases(_LEX["total_noun_uses"])
DIFFERENCE_AFTER = re.compile(
    rf"\s*(?:{compile_phrases(_LEX['difference_after']).pattern})", re.IGNORECASE
)
DIFFERENCE_BEFORE = re.compile(
    rf"(?<!\w)(?:{compile_phrases(_LEX['difference_before']).pattern})\s*$", re.IGNORECASE
)
TOTAL_MAX_GAP = 60  # characters between a total cue and its amount
ANNUAL = compile_phrases(_LEX["annual_cues"])
MULTI_YEAR = compile_phrases(_LEX["multi_year_cues"])
GRID = compile_phrases(_LEX["grid_cues"])
YEARLY_KINDS = frozenset(
    {
        "aci_annual_min",
        "aci_annual_max",
        "aci_full_year",
        "national_range_min",
        "national_range_max",
    }
)
HEADING_MAX = 100  # a heading line restating an amount is short
# Cues are read at most this many characters from the amount, so a long line of amounts costs
# linear time (a French sentence is shorter; a lead-in is read from its end).
WINDOW = 400
CLAUSE_END = re.compile(r"[;\n]")
LEAD_IN_PENALTY = 1_000  # a cue of the list item itself beats any cue of its lead-in


@dataclass(frozen=True, slots=True)
class Money:
    start: int
    end: int
    value: int
    scale: int  # the multiplier its unit carried, lent to a bare first bound of a range


def _to_number(text: str) -> float | None:
    if text[:1].isdigit():
        digits = re.sub(r"[ \u00a0\u202f.]", "", text).replace(",", ".")
        return float(digits)
    converted = alpha2digit(text.lower(), "fr", threshold=0).replace(" ", "")
    return float(converted) if converted.isdigit() else None


def _money(match: re.Match[str]) -> Money | None:
    number = _to_number(match.group("number"))
    if number is None:
        return None
    million = match.group("million")
    if million:
        scale = 1_000_000_000 if million.startswith("milliard") else 1_000_000
    else:
        scale = _SCALES.get(match.group("prefix") or "", 1)
    value = round(number * scale)
    return Money(match.start(), match.end(), value, scale) if value > 0 else None


def _nearest(
    pattern: re.Pattern[str], doc: Document, windows, money: Money, neighbours=None
) -> int | None:
    """Distance from `money` to the closest match of `pattern` in the windows, if any. With
    `neighbours` (end of the previous amount, start of the next), a match between two amounts
    belongs to the closer one ("300 000 € par an, après l'aide de 25 000 €")."""
    best = None
    before, after = neighbours or (-1, -1)
    for span, penalty in windows:
        for m in pattern.finditer(doc.text, span.start, span.end):
            if money.end <= m.start() and m.end() <= after:
                if after - m.end() < m.start() - money.end:
                    continue
            elif 0 <= before <= m.start() and m.end() <= money.start:
                if m.start() - before < money.start - m.end():
                    continue
            gap = max(0, m.start() - money.end, money.start - m.end()) + penalty
            best = gap if best is None else min(best, gap)
    return best


def _near(span: Span, money: Money) -> Span:
    """`span` cut to WINDOW characters on each side of `money`."""
    start = max(span.start, min(money.start, span.end) - WINDOW)
    return Span(start, max(start, min(span.end, max(money.end, span.start) + WINDOW)))


def _windows(doc: Document, money: Money) -> list[tuple[Span, int]]:
    windows = [(_near(s, money), 0) for s in context_sentences(doc, money.start)]
    intro = lead_in(doc, money.start)
    if intro is not None:
        windows.append((_near(intro, money), LEAD_IN_PENALTY))
    return windows


def _funder(doc: Document, windows, money: Money, neighbours: tuple[int, int]) -> str | None:
    """The nearest funder of the sentence; a lead-in decides only when it names one funder
    ("de la part de la CPAM du Rhône allant jusqu'à :"), not "l'Assurance maladie et l'ARS"."""
    own = [(span, 0) for span, penalty in windows if penalty == 0]
    found = [(_nearest(p, doc, own, money, neighbours), name) for name, p in FUNDERS.items()]
    hits = [(d, name) for d, name in found if d is not None]
    if hits:
        return min(hits)[1]
    intro = [(span, 0) for span, penalty in windows if penalty > 0]
    named = [name for name, p in FUNDERS.items() if _nearest(p, doc, intro, money) is not None]
    return named[0] if len(named) == 1 else None


def _clause(doc: Document, money: Money) -> Span:
    """The amount's sentence cut at ";" and line ends: "... de 15 000 euros ; elle finance"
    (and at WINDOW characters from the amount)."""
    near = _near(doc.sentence_of(money.start), money)
    start = max(
        doc.text.rfind(";", near.start, money.start), doc.text.rfind("\n", near.start, money.start)
    )
    stop = CLAUSE_END.search(doc.text, money.end, near.end)
    return Span(start + 1 if start >= 0 else near.start, stop.start() if stop else near.end)


def _is_total(doc: Document, money: Money, clause: Span, others: list[int]) -> bool:
    """A total cue next to the amount, in its clause, with no other amount in between."""
    text = doc.text
    if EACH.search(text, clause.start, clause.end):
        return False
    nouns = [n.span() for n in TOTAL_NOUN.finditer(text, clause.start, clause.end)]
    for m in TOTAL.finditer(text, clause.start, clause.end):
        if any(a <= m.start() and m.end() <= b and (a, b) != m.span() for a, b in nouns):
            continue  # "l'ensemble des objectifs": a noun, not a total
        lo, hi = (m.end(), money.start) if m.end() <= money.start else (money.end, m.start())
        if hi - lo > TOTAL_MAX_GAP or hi < lo:
            continue
        if bisect.bisect_left(others, lo) == bisect.bisect_left(others, hi):
            return True  # no other amount starts in between
    return False


def _kind(
    doc: Document, windows, money: Money, funder: str | None, neighbours: tuple[int, int]
) -> str:
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern, funders) in enumerate(KIND_RULES):
        if funders and funder is not None and funder not in funders:
            continue
        distance = _nearest(pattern, doc, windows, money, neighbours)
        if distance is not None and (best is None or (distance, order) < best[:2]):
            best = (distance, order, kind)
    return best[2] if best else "other"


def _per_year(doc: Document, windows, money: Money, kind: str) -> bool:
    annual = _nearest(ANNUAL, doc, windows, money)
    several = _nearest(MULTI_YEAR, doc, windows, money)
    if several is not None and (annual is None or several < annual):
        return False
    return annual is not None or kind in YEARLY_KINDS


def _ranges(doc: Document, found: list[Money]) -> tuple[dict[Money, str], list[Money]]:
    """Which amounts are a range's low/high end, and the bare low ends to add."""
    ends: dict[Money, str] = {}
    bare: list[Money] = []
    for low, high in itertools.pairwise(found):
        between = doc.text[low.end : high.start]
        before = doc.text[max(0, low.start - 12) : low.start]
        if RANGE_LINK.match(between) and RANGE_OPENER.search(before):
            ends[low], ends[high] = "min", "max"
    for high in found:
        if high in ends:
            continue
        m = BARE_LOW.search(doc.text, max(0, high.start - 40), high.start)
        number = _to_number(m.group("low")) if m else None
        if m and number is not None and m.end() == high.start:
            scale = 1 if "," not in m.group("low") and number >= 1000 else high.scale
            low = Money(m.start("low"), m.end("low"), round(number * scale), scale)
            ends[low], ends[high] = "min", "max"
            bare.append(low)
    return ends, bare


def extract(doc: Document) -> list[Fact]:
    found = [money for m in MONEY.finditer(doc.text) if (money := _money(m)) is not None]
    ends, bare = _ranges(doc, found)
    everything = found + bare
    scopes: dict = {}  # scope of each sentence, read once (scope.scope_at)
    everything.sort(key=lambda money: money.start)
    starts = [money.start for money in everything]
    facts = [
        _fact(doc, money, ends.get(money), starts, scopes, _neighbours(everything, i))
        for i, money in enumerate(everything)
    ]
    return _drop_restated_headings(doc, sorted(facts, key=lambda f: f.start))


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
        and not re.search(r"[.;:,!?]\W*$", line)
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
    windows = _windows(doc, money)
    funder = _funder(doc, windows, money, neighbours)
    scope = scope_at(doc, Span(money.start, money.end), scopes)
    clause = _clause(doc, money)
    if range_end is not None:
        grid = scope == GENERIC or _nearest(GRID, doc, windows, money) is not None
        kind = f"national_range_{range_end}" if grid else f"aci_annual_{range_end}"
        scope = GENERIC if grid else scope
    elif _is_total(doc, money, clause, others):
        kind, scope = "other", GENERIC
    elif (
        PART.search(doc.text, max(clause.start, money.start - 12), money.start)
        or DIFFERENCE_AFTER.match(doc.text, money.end)
        or DIFFERENCE_BEFORE.search(doc.text, max(clause.start, money.start - 30), money.start)
    ):
        kind = "other"
    else:
        own = [(clause, 0)] + [(span, p) for span, p in windows[1:]]
        kind = _kind(doc, own, money, funder, neighbours)
    per_year = _per_year(doc, windows, money, kind)
    if not per_year and kind in YEARLY_KINDS:
        kind = "other"
    if THIRD_PARTY.match(doc.text, money.end):
        scope = GENERIC
    attrs = {
        "kind": kind,
        "funder": funder or _LEX["default_funder"].get(kind, "other"),
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
