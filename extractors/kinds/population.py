"""Population covered by a CPTS: "couvre une population de 97 000 habitants".

Every "<count> habitants" is a candidate; the sentence around it decides whether it is the
population of one CPTS. Dropped: ranges and grid thresholds ("< à 40 000 habitants",
"plus de 80 000 habitants" in a size grid), parts ("dont 21 000 habitants de Haute-Loire"),
projections ("à terme"), people without a doctor, figures of a département or a town (also a
town's own figure in brackets, "Aubagne (47.000 habitants)"), and shares ("9,6 % de la
population (soit 10 004 habitants)"). A change "passée de 52.000 à 108.000 habitants" keeps its
second figure.
A total over several CPTS ("ces deux CPTS couvrent 150 000 habitants") is kept as evidence
with attrs scope "generic", so that assemble gives it to none of them.
"""

from __future__ import annotations

import re

from extractors.kinds import counts as ctx
from extractors.lexicon import load_lexicon
from extractors.text.numbers import COUNT, alternation, parse_count
from extractors.text.prefilter import GatedPattern
from extractors.types import Document, Fact, FactKind, Qualifier

_LEX = load_lexicon("counts_population.json")

POPULATION_NOUN = ctx.noun_pattern(
    rf"(?:{alternation(_LEX['strong_nouns'])}|{alternation(_LEX['weak_nouns'])})",
    required=[*_LEX["strong_nouns"], *_LEX["weak_nouns"]],
)
STRONG_NOUN = re.compile(rf"(?:{alternation(_LEX['strong_nouns'])})$", re.IGNORECASE)
WEAK_NOUN_CUE = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['weak_noun_cues'])})(?![^\W\d_])", re.IGNORECASE
)

# "une population globale d'environ 90.000" with no noun after the number. Every match opens
# with a phrase of the list: a sentence without one of their words is not scanned.
POPULATION_OF = GatedPattern(re.compile(
    rf"""
    (?<![^\W\d_])(?:{alternation(_LEX["population_of"])})
    \s*(?:de\s+|d['’]\s?|:\s*)                 # "population de", "population d'environ", ":"
    (?P<count>{COUNT})
    (?=\s*(?:[,.;)]|$))                        # the number ends the phrase
    """,
    re.VERBOSE | re.IGNORECASE,
), _LEX["population_of"])

RIGHT_EXCLUSION = re.compile(
    rf"^\s*(?:{alternation(_LEX['right_exclusions'])})(?![^\W\d_])", re.IGNORECASE
)
GRID_CUE = re.compile(rf"(?<![^\W\d_])(?:{alternation(_LEX['grid_cues'])})", re.IGNORECASE)
GENERIC_LEFT = re.compile(rf"(?:{alternation(_LEX['generic_left'])})\s*$", re.IGNORECASE)

BOUNDS = (Qualifier.AT_LEAST, Qualifier.AT_MOST)

# "est passée de 52.000 à 108.000 habitants": a change, whose second figure is today's.
CHANGE = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['change_verbs'])})\s+de\s+{COUNT}\s+à\s*$",
    re.IGNORECASE | re.VERBOSE,
)
# "Aubagne (47.000 habitants)": a town's own population, in brackets after its name.
TOWN_IN_BRACKETS = re.compile(r"[A-ZÀ-Ý][\w'’-]*\s*\(\s*$")
CPTS_NEAR = re.compile(r"\bCPTS\b|communauté", re.IGNORECASE)
# "moins de 30 médecins pour 100 000 habitants": a rate per a round base, not a population
# ("52 communes pour environ 44 000 habitants" is one).
RATE = re.compile(r"(?<![^\W\d_])(?:pour|par)\s*$", re.IGNORECASE)
RATE_BASES = frozenset({1_000, 10_000, 100_000})
# "9,6 % de la population (soit 10 004 habitants)": a share of a population.
SHARE = re.compile(r"%[^%()]{0,40}\(?\s*soit\s*$", re.IGNORECASE)


def extract(doc: Document) -> list[Fact]:
    facts = []
    found = list(ctx.candidates(doc, POPULATION_NOUN))
    for c in found:
        if _rejected(c, found):
            continue
        unit = ctx.territory_unit(c)
        attrs = {"territory_unit": unit} if unit else {}
        facts.append(_fact(doc, c.start, c.end, c.value, c.qualifier, _scope(c), **attrs))
    taken = [(f.start, f.end) for f in facts]
    # Its count is a `COUNT`: a sentence without a number cannot hold one.
    for _, m in ctx.numbered_matches(doc, POPULATION_OF):
        parsed = parse_count(m.group("count"))
        start, end = m.span("count")
        if parsed and not any(s <= start < e for s, e in taken):
            facts.append(_fact(doc, start, end, *parsed, None))
    return sorted(facts, key=lambda f: f.start)


def _rejected(c: ctx.Candidate, found: list[ctx.Candidate]) -> bool:
    # A weak noun ("personnes") needs its own cue, after any other number of the sentence.
    own_left = re.split(r"\d", c.left)[-1]
    if not STRONG_NOUN.match(c.noun) and not WEAK_NOUN_CUE.search(own_left):
        return True
    if TOWN_IN_BRACKETS.search(c.left) and not CPTS_NEAR.search(c.left[-60:]):
        return True  # "les communes d'Aubagne (47.000 habitants), Gémenos ..."
    if RATE.search(c.left[-12:]) and c.value in RATE_BASES:
        return True  # "30 médecins pour 100 000 habitants": a rate
    if SHARE.search(c.left[-60:]):
        return True  # "9,6 % de la population (soit 10 004 habitants)"
    if ctx.is_range(c) and not CHANGE.search(c.left):
        return True
    if RIGHT_EXCLUSION.match(c.right) or ctx.is_threshold(c):
        return True
    if ctx.is_detail(c) or ctx.is_projection(c):
        return True
    if ctx.concerns_other_area(c, units_may_be_cpts=True):
        return True
    return c.qualifier in BOUNDS and _in_grid(c, found)


def _in_grid(c: ctx.Candidate, found: list[ctx.Candidate]) -> bool:
    """A bound is a grid threshold in a sentence that talks about sizes of CPTS in general."""
    bounded_here = [
        o
        for o in found
        if o.qualifier in BOUNDS and o.sentence == c.sentence and STRONG_NOUN.match(o.noun)
    ]
    return bool(
        GRID_CUE.search(c.left + c.right) or GENERIC_LEFT.search(c.left) or len(bounded_here) > 1
    )


def _scope(c: ctx.Candidate) -> str | None:
    return "generic" if ctx.concerns_several_cpts(c) else None


def _fact(
    doc: Document,
    start: int,
    end: int,
    value: int,
    qualifier: Qualifier,
    scope: str | None,
    **attrs: str,
) -> Fact:
    return Fact(
        kind=FactKind.POPULATION,
        value=value,
        start=start,
        end=end,
        text=doc.text[start:end],
        extractor="population",
        qualifier=qualifier.value,
        attrs={"scope": scope, **attrs} if scope else attrs,
    )
