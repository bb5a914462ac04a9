"""French counts: find a number phrase with a regex, then normalise only the matched substring.

The count extractors (population, communes, professionals) embed the `COUNT` fragment in their
own patterns and hand the matched text to `parse_count`. Vocabulary (qualifier words, number
words, "une vingtaine") is data in `lexicon/counts_numbers.json`.

>>> parse_count("près de 47 000")
(47000, <Qualifier.APPROX: 'approx'>)
>>> parse_count("plus de 45\u00a0500")
(45500, <Qualifier.AT_LEAST: 'at_least'>)
>>> parse_count("environ 90.000")
(90000, <Qualifier.APPROX: 'approx'>)
>>> parse_count("onze")
(11, <Qualifier.EXACT: 'exact'>)
>>> parse_count("trois cents")
(300, <Qualifier.EXACT: 'exact'>)
>>> parse_count("quarante-cinq")
(45, <Qualifier.EXACT: 'exact'>)
>>> parse_count("une vingtaine")
(20, <Qualifier.APPROX: 'approx'>)
>>> parse_count("plus d’une centaine")
(100, <Qualifier.AT_LEAST: 'at_least'>)
>>> parse_count("jusqu'à 1\u202f200")
(1200, <Qualifier.AT_MOST: 'at_most'>)
>>> [c.value for c in iter_counts("51,2 % des Ardéchois, la 7^e CPTS, le 1^{er} arrondissement")]
[]
>>> [(c.text, c.value) for c in iter_counts("12 communes[2] et 3e CPTS du département")]
[('12', 12)]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from extractors.lexicon import load_lexicon
from extractors.text.prefilter import PhraseGate, leading_run, number_starts, start_places
from extractors.types import Qualifier


def phrase_pattern(phrase: str) -> str:
    """Regex for a lexicon phrase, tolerant of spacing, NBSP, ’ vs ' and hyphen vs space.

    A phrase ending in " de" also matches its elided form: "près de" matches "près d'une".

    >>> bool(re.fullmatch(phrase_pattern("jusqu'à"), "jusqu’à"))
    True
    >>> bool(re.fullmatch(phrase_pattern("près de"), "près d'"))
    True
    """
    elided = phrase.endswith(" de")
    if elided:
        phrase = phrase[: -len(" de")]
    out = []
    for ch in phrase:
        if ch == " ":
            out.append(r"\s+")
        elif ch in "'’":
            out.append(r"['’]\s?")
        elif ch == "-":
            out.append(r"[-\s]")
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    return body + r"\s+d(?:e\s+|['’]\s?)" if elided else body


def alternation(phrases: list[str]) -> str:
    """Longest phrases first, so "pas moins de" wins over "moins de"."""
    return "|".join(phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))


_LEX = load_lexicon("counts_numbers.json")
_QUALIFIERS: dict[str, list[str]] = {
    k: v for k, v in _LEX["qualifiers"].items() if not k.startswith("_")
}
_APPROX_NOUNS: dict[str, int] = {
    k: v for k, v in _LEX["approximate_nouns"].items() if not k.startswith("_")
}
_WORDS = sorted(_LEX["number_words"]["words"], key=len, reverse=True)

# Not followed by a letter (a plain \b fails before a superscript footnote like "habitants¹").
END_OF_WORD = r"(?![^\W\d_])"

# Ordinal suffixes glued to digits: "3e", "7^e", "1^{er}", "9ᵉ", "2ème", "1re", "2nd", "3°".
ORDINAL_SUFFIX = rf"\^?\{{?(?:ème|eme|ère|er|re|nde|nd|e|è|ᵉʳ|ᵉ|°)\}}?{END_OF_WORD}"

DIGITS = rf"""
    (?<![\w,.°/^])                          # not the tail of a word, decimal, date or n°
    (?!(?<=[\[(])\d{{1,2}}[\])])              # not a footnote marker: [2], (1)
    (?:\d{{1,3}}(?:[ \u00a0\u202f\u2009.]\d{{3}})+   # thousands grouped: 45 500, 90.000
      |\d+                                  # plain digits: 35, 290
    )
    (?!\d|[,.]\d|/)                         # not a decimal (51,2) nor a date (28/06)
    (?!\s?%|\s?pour\s?cent)                 # not a percentage
    (?!{ORDINAL_SUFFIX})                    # not an ordinal (7^e CPTS, 1^{{er}} arrondissement)
"""

_WORD = "|".join(_WORDS)
WORDS = rf"""
    (?<![^\W\d_])
    (?:{_WORD}){END_OF_WORD}                # first word: never the article "un"/"une"
    (?:(?:-|\s+)                            # joined by a hyphen or a space
       (?:et(?:-|\s+)(?:un|une){END_OF_WORD}  # vingt et un
         |(?:et(?:-|\s+))?(?:{_WORD}){END_OF_WORD}  # quatre-vingt-dix, soixante et onze
       ))*
"""

APPROX_WORDS = rf"""
    (?<![^\W\d_])
    une?\s+                                 # the article is required: "une vingtaine"
    (?:(?:{"|".join(_LEX["approximate_adjectives"])})\s+)?   # "une bonne vingtaine"
    (?:{"|".join(_APPROX_NOUNS)}){END_OF_WORD}
"""

# "1,2 million", "2 millions": a scale word after digits (a decimal comma allowed only here).
MILLIONS = rf"""
    (?<![\w,.°/^])
    \d{{1,3}}(?:,\d{{1,3}})?                  # 1,2 / 2
    [ \u00a0\u202f]+millions?{END_OF_WORD}
"""

NUMBER = rf"(?:{APPROX_WORDS}|{MILLIONS}|{DIGITS}|{WORDS})"

QUALIFIER = rf"""
    (?<![^\W\d_])
    (?:{alternation([p for ps in _QUALIFIERS.values() for p in ps])})
    (?:(?<=['’])|(?<=\s)|\s+)               # elided forms end on the apostrophe
"""

COUNT = rf"(?:{QUALIFIER})?{NUMBER}"

COUNT_RE = re.compile(COUNT, re.VERBOSE | re.IGNORECASE)
# What any `NUMBER` needs somewhere: a digit, or a number word or approximate noun (found in
# folded text). A text without one holds no count: callers skip it before a `COUNT` pattern.
DIGIT = re.compile(r"\d")
NUMBER_WORDS_GATE = PhraseGate([*_WORDS, *_APPROX_NOUNS])
NUMBER_RE = re.compile(NUMBER, re.VERBOSE | re.IGNORECASE)
# A `COUNT` starts with a qualifier, "un"/"une" or a number word (whole words, never right
# after a letter) or with a number in digits: a pattern that opens with one is tried there
# only (`count_starts`, prefilter.matches_from), not at every position of a sentence.
COUNT_HEADS = frozenset(
    leading_run(p) for p in [*(p for ps in _QUALIFIERS.values() for p in ps), "un", "une", *_WORDS]
)
QUALIFIER_CLASS_RE = {
    Qualifier(name): re.compile(rf"(?:{alternation(ps)})", re.IGNORECASE)
    for name, ps in _QUALIFIERS.items()
}
APPROX_NOUN_RE = re.compile(rf"(?:{'|'.join(_APPROX_NOUNS)})", re.IGNORECASE)
THOUSANDS_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009.]")
MILLIONS_RE = re.compile(r"(\d{1,3}(?:,\d{1,3})?)[ \u00a0\u202f]+millions?", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def count_starts(text: str) -> list[int]:
    """The places of `text` where a `COUNT` may start, in order (once per document)."""
    return sorted(start_places(text, COUNT_HEADS, number_starts(text), after="letter",
                               whole=True))


@dataclass(frozen=True, slots=True)
class Count:
    start: int
    end: int
    text: str
    value: int
    qualifier: Qualifier


def parse_number(text: str) -> tuple[int, Qualifier] | None:
    """Value of a bare number phrase; approximate nouns ("une centaine") give APPROX.

    >>> parse_number("1 200")
    (1200, <Qualifier.EXACT: 'exact'>)
    >>> parse_number("un millier")
    (1000, <Qualifier.APPROX: 'approx'>)
    >>> parse_number("huit") , parse_number("bonjour")
    ((8, <Qualifier.EXACT: 'exact'>), None)
    """
    text = text.strip()
    million = MILLIONS_RE.fullmatch(text)
    if million:
        return round(float(million.group(1).replace(",", ".")) * 1_000_000), Qualifier.EXACT
    noun = APPROX_NOUN_RE.search(text)
    if noun:
        return _APPROX_NOUNS[noun.group().lower()], Qualifier.APPROX
    digits = THOUSANDS_SEPARATORS.sub("", text)
    if digits.isdigit():
        return int(digits), Qualifier.EXACT
    converted = alpha2digit(text.lower(), "fr", threshold=0)
    if converted.isdigit():
        return int(converted), Qualifier.EXACT
    return None


def parse_count(text: str) -> tuple[int, Qualifier] | None:
    """Value and qualifier of a `COUNT` match; a bounding word wins over "une centaine"."""
    for qualifier, pattern in QUALIFIER_CLASS_RE.items():
        head = pattern.match(text)
        if head:
            parsed = parse_number(text[head.end() :])
            if parsed is None:
                return None
            return parsed[0], qualifier
    return parse_number(text)


def iter_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Every count phrase of `text[start:end]`, with offsets into `text`."""
    counts = []
    for m in COUNT_RE.finditer(text, start, len(text) if end is None else end):
        parsed = parse_count(m.group())
        if parsed is not None:
            counts.append(Count(m.start(), m.end(), m.group(), *parsed))
    return counts
