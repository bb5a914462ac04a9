"""Number of communes covered by a CPTS: "répartis sur 35 communes", "regroupant 49 communes".

Choices (tested in tests/extractors/test_communes.py):
- "la ville et 12 communes alentour" / "Montélimar et ses 12 communes voisines" gives 13: the
  territory is the town plus its neighbours (attrs derived "town_plus_neighbours").
- A list of names counts only after a verb of covering ("couvre les communes de A, B, C et D"
  gives 4, attrs derived "enumeration"), and only when the sentence states no number of
  communes; "ainsi que les communes de A et B" is a part of the territory, not its list.
- "3 arrondissements" and "2 communautés de communes" are not communes; towns are, when they
  make up the territory ("4 villes constituent cette zone", "le territoire regroupe six
  villes", attrs derived "towns"), not beside other places ("4 villes et 20 villages") nor as
  signatories ("12 autres villes ont signé").
- Ranges, thresholds, projections and figures of a département give nothing; "dont 5
  communes" gives scope "detail"; a total over several CPTS gives scope "generic".
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds import counts as ctx
from extractors.lexicon import load_lexicon
from extractors.text.numbers import COUNT, alternation
from extractors.text.prefilter import fold_window, occurrences
from extractors.types import Document, Fact, FactKind, Qualifier

_LEX = load_lexicon("counts_communes.json")

COMMUNES = ctx.noun_pattern(
    rf"""
    (?:(?P<adj>{alternation(_LEX["adjectives_before_noun"])})\s+)?   # 35 petites communes
    (?:{alternation(_LEX["nouns"])})
    """,
    required=_LEX["nouns"],
)

# "la ville et 12 communes alentour": the count leaves the central town out.
CENTRAL_TOWN_LEFT = re.compile(
    rf"""
    (?:(?i:{alternation(_LEX["central_town_words"])})(?:\s+d(?:e\s+|['’]\s?)\S+)?  # la ville de X
      |(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][\w'’-]+             # a capitalised town name
    )\s+et\s+(?:les\s+|ses\s+)?$
    """,
    re.VERBOSE,
)
SURROUNDING_RIGHT = re.compile(
    rf"^\s*(?:{alternation(_LEX['surrounding_words'])})(?![^\W\d_])", re.IGNORECASE
)

_UPPER = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*"
_PARTICLE = alternation(_LEX["name_particles"])
# One commune name: "Dissay", "Beaumont Saint Cyr", "L'Isle-d'Abeau", "La Voulte-sur-Rhône".
NAME = rf"""
    (?:(?:La|Le|Les|L['’])\s?)?{_UPPER}
    (?:(?:-|\s)(?:(?i:{_PARTICLE})(?:-|\s|(?<=['’])))*{_UPPER})*
"""
NAME_RE = re.compile(NAME, re.VERBOSE)

ENUMERATION = re.compile(
    rf"""
    (?<![^\W\d_])(?i:{alternation(_LEX["enumeration_verbs"])})\s+
    (?i:les\s+)?(?P<word>(?i:communes))\s+
    (?:(?i:de)\s+|d['’]\s?|(?i:suivantes)\s*:\s*)      # communes de / d' / suivantes :
    (?P<names>{NAME}(?:\s*,\s*{NAME})*\s*,?\s+et\s+{NAME})   # A, B et C
    """,
    re.VERBOSE,
)


ENUMERATED_WORD = "communes"  # written in every ENUMERATION, in any case


TOWNS = ctx.noun_pattern(rf"(?:{alternation(_LEX['town_nouns'])})", required=_LEX["town_nouns"])
_DETERMINER = alternation(_LEX["territory_determiners"])
_TERRITORY = rf"(?:{_DETERMINER})\s*(?:{alternation(_LEX['territory_nouns'])})(?![^\W\d_])"
# "4 villes constituent cette zone": the towns are the territory.
MAKE_UP_RIGHT = re.compile(
    rf"^\s*(?:{alternation(_LEX['make_up_verbs'])})\s+{_TERRITORY}", re.IGNORECASE
)
# "le territoire regroupe six villes", "la CPTS couvre 4 villes": a territory subject, then a
# verb of covering right before the count.
COVERING_LEFT = re.compile(
    rf"""
    (?<![^\W\d_])(?:{alternation(_LEX["territory_subjects"])})(?![^\W\d_])[^,;:.]{{0,40}}?
    (?<![^\W\d_])(?:{alternation(_LEX["enumeration_verbs"])})\s+(?:(?:{_DETERMINER})\s*)?$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "4 villes et 20 villages": a part of the territory only.
MORE_PLACES_RIGHT = re.compile(rf"^\s*(?:,|et)\s+(?:{COUNT})", re.IGNORECASE | re.VERBOSE)


def extract(doc: Document) -> list[Fact]:
    facts = []
    for c in ctx.candidates(doc, COMMUNES):
        fact = _from_count(doc, c)
        if fact:
            facts.append(fact)
    counted = {doc.sentence_of(f.start) for f in facts}
    for c in ctx.candidates(doc, TOWNS):
        if c.sentence not in counted and _towns_make_territory(c):
            facts.append(_fact(doc, c.start, c.end, c.value, c.qualifier, derived="towns"))
    counted = {doc.sentence_of(f.start) for f in facts}
    # A sentence without the word is not scanned for an ENUMERATION.
    word = list(occurrences(fold_window(doc.text), ENUMERATED_WORD))
    for sentence in doc.sentences:
        if sentence in counted:
            continue
        i = bisect.bisect_left(word, sentence.start)
        if i == len(word) or word[i] + len(ENUMERATED_WORD) > sentence.end:
            continue
        for m in ENUMERATION.finditer(doc.text, sentence.start, sentence.end):
            n = len(NAME_RE.findall(m.group("names")))
            facts.append(_fact(doc, m.start("word"), m.end(), n, Qualifier.EXACT,
                               derived="enumeration"))
    return sorted(facts, key=lambda f: f.start)


def _towns_make_territory(c: ctx.Candidate) -> bool:
    if ctx.is_range(c) or ctx.is_threshold(c) or ctx.is_projection(c) or ctx.is_detail(c):
        return False
    if ctx.concerns_other_area(c) or ctx.concerns_several_cpts(c):
        return False
    if MORE_PLACES_RIGHT.match(c.right):
        return False
    return bool(MAKE_UP_RIGHT.match(c.right) or COVERING_LEFT.search(c.left))


def _from_count(doc: Document, c: ctx.Candidate) -> Fact | None:
    if ctx.is_range(c) or ctx.is_threshold(c) or ctx.is_projection(c):
        return None
    if ctx.concerns_other_area(c, units_may_be_cpts=True):
        return None
    unit = ctx.territory_unit(c)
    own = {"territory_unit": unit} if unit else {}
    neighbours = SURROUNDING_RIGHT.match(c.right)
    if CENTRAL_TOWN_LEFT.search(c.left) and (neighbours or c.noun.lower().startswith("autres")):
        end = c.end + neighbours.end() if neighbours else c.end
        return _fact(
            doc, c.start, end, c.value + 1, c.qualifier, derived="town_plus_neighbours", **own
        )
    if c.noun.lower().startswith("autres"):
        return None  # "12 autres communes": the rest of a list, not the territory
    if ctx.is_detail(c):
        return _fact(doc, c.start, c.end, c.value, c.qualifier, scope="detail")
    if ctx.concerns_several_cpts(c):
        return _fact(doc, c.start, c.end, c.value, c.qualifier, scope="generic")
    return _fact(doc, c.start, c.end, c.value, c.qualifier, **own)


def _fact(
    doc: Document, start: int, end: int, value: int, qualifier: Qualifier, **attrs: str
) -> Fact:
    return Fact(
        kind=FactKind.COMMUNES,
        value=value,
        start=start,
        end=end,
        text=doc.text[start:end],
        extractor="communes",
        qualifier=qualifier.value,
        attrs=attrs,
    )
