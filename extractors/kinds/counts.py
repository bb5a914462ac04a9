"""What the count extractors share: finding "<count> <noun>" and reading the words around it.

A count is only worth reporting when it is the value of one CPTS. The checks here recognise,
from the sentence around a count, the usual ways it is not: a range, a threshold of the
funding grid, a part ("dont ..."), a projection, a total of several CPTS, the figure of a
département. Their vocabulary lives in `lexicon/counts_context.json`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.lexicon import load_lexicon
from extractors.text.numbers import (
    COUNT,
    DIGIT,
    NUMBER,
    NUMBER_WORDS_GATE,
    alternation,
    count_starts,
    parse_count,
)
from extractors.text.per_document import per_document
from extractors.text.prefilter import (
    GatedPattern,
    PhraseGate,
    fold,
    matches_from,
    window_keywords,
)
from extractors.types import Document, Qualifier, Span

_LEX = load_lexicon("counts_context.json")

# Footnote markers that may sit between a count and its noun: "47 000(1) habitants".
FOOTNOTE = r"(?:\[\d{1,2}\]|\(\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}|\*{1,3})"

# Between the count and its noun: spaces, a footnote, or "de"/"d'" after "une vingtaine".
GAP = rf"{FOOTNOTE}?\s*(?:\s+d(?:e\s+|['’]\s?)|\s)\s*"

# The count is the second bound of a range: "de 40 000 à 80 000", "entre 40 et 80 000".
RANGE_LEFT = re.compile(
    rf"""
    (?:
      \bentre\s+{NUMBER}(?:\s+[^\W\d_]+)?\s+et\s+    # entre 300 (professionnels) et ...
      |{NUMBER}(?:\s+[^\W\d_]+)?\s*(?:à|au|-|–)\s+   # 40 000 (habitants) à ...
    )$
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The count is the first bound of a range: "40 000 habitants à 80 000 habitants".
RANGE_RIGHT = re.compile(rf"^\s*(?:à|au|-|–)\s+{NUMBER}", re.VERBOSE | re.IGNORECASE)

THRESHOLD_LEFT = re.compile(
    rf"""
    (?:{alternation(_LEX["threshold_words"])})   # "< à", "inférieure à", "seuil de"
    \s*(?:à\s*)?$                                # the grid writes "< à 40 000"
    """,
    re.VERBOSE | re.IGNORECASE,
)

DETAIL_LEFT = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['detail_words'])})\s*$", re.VERBOSE | re.IGNORECASE
)

PROJECTION = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['projection_cues'])})(?![^\W\d_])",
    re.VERBOSE | re.IGNORECASE,
)

# A plural subject made of several CPTS: "Ces deux CPTS", "les 23 CPTS", "à elles deux".
SEVERAL_CPTS = re.compile(
    rf"""
    (?<![^\W\d_])(?:{alternation(_LEX["several_cpts_cues"])})\s+
    (?:\d+\s+)?                                  # les 23 CPTS
    (?:{alternation(_LEX["cpts_nouns"])})(?!\s+de\s+communes)   # not "communautés de communes"
    """,
    re.VERBOSE | re.IGNORECASE,
)

FOREIGN_SUBJECT = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['foreign_subjects'])})(?![^\W\d_])", re.IGNORECASE
)
CPTS_CUE = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['cpts_cues'])})(?![^\W\d_])", re.IGNORECASE
)


# Characters of the sentence kept as context on each side of a count.
CONTEXT_WINDOW = 1000


@dataclass(frozen=True, slots=True)
class Candidate:
    """A "<count> <noun>" match with its sentence context (left/right end at the match)."""

    start: int  # of the count phrase (qualifier included)
    end: int  # of the noun phrase
    count_end: int
    value: int
    qualifier: Qualifier
    noun: str
    left: str  # sentence text before the count
    right: str  # sentence text after the noun
    sentence: Span


# Per "<count> <noun>" pattern, the phrases one of which its noun needs: a sentence where
# none occurs (nor any number) cannot hold such a count, so `candidates` skips it before
# trying a count at every position.
_NOUN_GATES: dict[re.Pattern[str], PhraseGate] = {}


def noun_pattern(noun: str, required: list[str] | None = None) -> re.Pattern[str]:
    """Compile "<count> <noun>" where `noun` is a regex fragment (verbose, case-insensitive).

    `required`: lexicon phrases, one of which every match of `noun` contains (a speed hint).
    """
    pattern = re.compile(
        rf"(?P<count>{COUNT})(?:{GAP})(?P<noun>{noun})(?![^\W\d_])", re.VERBOSE | re.IGNORECASE
    )
    if required:
        _NOUN_GATES[pattern] = PhraseGate(required)
    return pattern


@dataclass(frozen=True, slots=True)
class Numbered:
    """A sentence holding a digit or a number word, with what every count scan asks of it."""

    sentence: Span
    keywords: frozenset[str]  # `window_keywords` of the sentence
    starts: list[int]  # the `count_starts` inside it


def _numbered(doc: Document) -> tuple[Numbered, ...]:
    # Found once per document for the five count patterns and the gated ones of population and
    # professionals: each asked every sentence for its keywords and its starts on its own.
    starts = count_starts(doc.text)  # a match starts with its COUNT
    found = []
    for sentence in doc.sentences:
        keywords = window_keywords(doc.text, sentence.start, sentence.end)
        if (DIGIT.search(doc.text, sentence.start, sentence.end) is not None
                or NUMBER_WORDS_GATE.may_match_in(keywords)):
            # The sentence's own starts: a slice to the end of the text cost a copy per sentence.
            within = starts[bisect.bisect_left(starts, sentence.start) :
                            bisect.bisect_left(starts, sentence.end)]
            found.append(Numbered(sentence, keywords, within))
    return tuple(found)


def numbered_sentences(doc: Document) -> tuple[Numbered, ...]:
    """The sentences holding a digit or a number word: the only ones where a `COUNT` can match."""
    return per_document(doc, "numbered_sentences", lambda: _numbered(doc))


def numbered_matches(doc: Document, gated: GatedPattern) -> Iterator[tuple[Span, re.Match[str]]]:
    """`gated.finditer` over each sentence of `numbered_sentences`, for a pattern holding a
    `COUNT`, its gate read from the sentence's keywords (found once) with each match's sentence."""
    for numbered in numbered_sentences(doc):
        if gated.gate.may_match_in(numbered.keywords):
            sentence = numbered.sentence
            for m in gated.pattern.finditer(doc.text, sentence.start, sentence.end):
                yield sentence, m


def _scans(doc: Document, gate: PhraseGate | None) -> Iterator[tuple[Span, list[int]]]:
    """The sentences where a count pattern whose nouns `gate` knows may find a count, each with
    the places a count may start there."""
    if gate is None:
        starts = count_starts(doc.text)
        for sentence in doc.sentences:
            yield sentence, starts[bisect.bisect_left(starts, sentence.start) :
                                   bisect.bisect_left(starts, sentence.end)]
        return
    for numbered in numbered_sentences(doc):
        if numbered.starts and gate.may_match_in(numbered.keywords):
            yield numbered.sentence, numbered.starts


def candidates(doc: Document, pattern: re.Pattern[str]) -> Iterator[Candidate]:
    """The matches of `pattern`, a `noun_pattern`, in the sentences that may hold one."""
    for sentence, within in _scans(doc, _NOUN_GATES.get(pattern)):
        for m in matches_from(pattern, doc.text, within, sentence.start, sentence.end):
            parsed = parse_count(m.group("count"))
            if parsed is None or parsed[0] <= 0:
                continue
            yield Candidate(
                start=m.start(),
                end=m.end(),
                count_end=m.end("count"),
                value=parsed[0],
                qualifier=parsed[1],
                noun=m.group("noun"),
                # Bounded: a context regex then costs O(window) per count, not O(sentence),
                # so a huge one-line "sentence" of counts stays linear (real ones < 600 chars).
                left=doc.text[max(sentence.start, m.start() - CONTEXT_WINDOW) : m.start()],
                right=doc.text[m.end() : min(sentence.end, m.end() + CONTEXT_WINDOW)],
                sentence=sentence,
            )


# What RANGE_LEFT's match ends with, before its last white space (lower case): a left context
# ending otherwise is not searched (the search tries every position of up to 1000 characters).
RANGE_LEFT_ENDS = ("et", "à", "au", "-", "–")


def is_range(c: Candidate) -> bool:
    return bool((_may_end_range(c.left) and RANGE_LEFT.search(c.left))
                or RANGE_RIGHT.match(c.right))


def _may_end_range(left: str) -> bool:
    tail = left.rstrip()  # str.isspace is re's \s
    return len(tail) < len(left) and tail[-2:].lower().endswith(RANGE_LEFT_ENDS)


# The folded last characters THRESHOLD_LEFT's match may end with before its white space: a
# threshold word's (its letters match only letters of the same fold), or the "à" after it.
THRESHOLD_LEFT_ENDS = frozenset({fold(w[-1]) for w in _LEX["threshold_words"]} | {"a"})


def is_threshold(c: Candidate) -> bool:
    # A left context ending otherwise is not searched (a search tries up to 1000 positions).
    return bool(fold(c.left.rstrip()[-1:]) in THRESHOLD_LEFT_ENDS and THRESHOLD_LEFT.search(c.left))


def is_detail(c: Candidate) -> bool:
    return bool(DETAIL_LEFT.search(c.left))


def is_projection(c: Candidate, window: int = 80) -> bool:
    return bool(PROJECTION.search(c.left[-window:]))


def concerns_several_cpts(c: Candidate) -> bool:
    return bool(SEVERAL_CPTS.search(c.left))


TERRITORY_UNITS = frozenset(_LEX["territory_units"])


def _areas(c: Candidate) -> set[str]:
    """The areas named in the count's clause (as written), none when a CPTS word is near."""
    clause = re.split(r"[;:]", c.left)[-1]
    if CPTS_CUE.search(c.left):
        return set()
    return {m.group(0) for m in FOREIGN_SUBJECT.finditer(clause)}


def concerns_other_area(c: Candidate, *, units_may_be_cpts: bool = False) -> bool:
    """ "Le département compte 520 000 habitants": an area named, and no word of a CPTS.

    With `units_may_be_cpts`, an area that may be the CPTS's own territory ("Le Pays compte
    seize communes") is left to `territory_unit`."""
    areas = _areas(c)
    return bool(areas) and not (units_may_be_cpts and areas <= TERRITORY_UNITS)


def territory_unit(c: Candidate) -> str | None:
    """ "Le Pays compte seize communes": the unit ("Pays") whose figure this is, when it is
    the only area named; it is the CPTS's figure only if the CPTS is named after it."""
    areas = _areas(c)
    return min(areas) if areas and areas <= TERRITORY_UNITS else None
