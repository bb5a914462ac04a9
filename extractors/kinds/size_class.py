"""Size class of a CPTS (1 to 4 in the ACI grid): "La CPTS X est de taille 2".

Two forms are read:
- an explicit class: "de taille 2", "CPTS de taille 3", "taille II";
- a grid bucket said to be this CPTS's: "pour un bassin comptant de 40 000 à 80 000 habitants
  comme celui de la CPTS X" gives 2 (attrs derived "grid_bucket"); the bounds are the grid
  of `lexicon/counts_size.json`.
A sentence naming several classes is the generic grid and gives nothing, and so does a class
said of CPTS in general ("les CPTS de taille 2 perçoivent ..."). The class is not inferred
from a population figure: that is assemble's business if anyone wants it.
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds.counts import numbered_sentences
from extractors.lexicon import load_lexicon
from extractors.text.numbers import COUNT, NUMBER, alternation, parse_count
from extractors.text.prefilter import PhraseGate, folded, occurrences, runs_of
from extractors.types import Document, Fact, FactKind, Qualifier, Span

_LEX = load_lexicon("counts_size.json")
GRID: list[dict] = _LEX["grid"]
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

EXPLICIT = re.compile(
    rf"""
    (?<![^\W\d_])(?i:{alternation(_LEX["size_words"])})
    \s*(?:n°\s*|no\s+|:\s*)?                    # "taille n° 2", "taille : 2"
    (?P<n>[1-4]|IV|III|II|I)                     # arabic or (upper-case) roman numeral
    (?![^\W_])                                  # not "taille 25", not "taille Ier"
    """,
    re.VERBOSE,
)

# A word every size word holds ("taille"), folded: a sentence without it has no EXPLICIT.
SHARED_WORDS = sorted(frozenset.intersection(*map(runs_of, _LEX["size_words"])))

_NOUN = alternation(_LEX["population_nouns"])
BUCKET = re.compile(
    rf"""
    (?:
      (?:de|entre)\s+(?P<lo>{NUMBER})(?:\s+(?:{_NOUN}))?\s+(?:à|et)\s+(?P<hi>{NUMBER})  # de X à Y
      |(?P<bound>{COUNT})                        # moins de 40 000, plus de 175 000
    )
    \s+(?:{_NOUN})(?![^\W\d_])
    [^.;:]{{0,40}}?                              # ", ce qui est"
    (?<![^\W\d_])(?:{alternation(_LEX["this_cpts_cues"])})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# What a BUCKET needs in its sentence (a cue, a population noun, a number), found cheaply.
BUCKET_GATES = (PhraseGate(_LEX["this_cpts_cues"]), PhraseGate(_LEX["population_nouns"]))

GENERIC_LEFT = re.compile(rf"(?:{alternation(_LEX['generic_left'])})\s*$", re.IGNORECASE)
GENERIC_START = re.compile(
    rf"^[\W\d]*(?:{alternation(_LEX['generic_sentence_start'])})\s*$", re.IGNORECASE
)

LOOK_BACK = 1000  # characters of the sentence read before a size word


def extract(doc: Document) -> list[Fact]:
    facts = []
    shared = SHARED_WORDS[0] if SHARED_WORDS else ""  # "": every position, every sentence
    places = list(occurrences(folded(doc.text), shared))
    # A bucket needs a number and what else its gates ask for: the sentences that may hold one
    # are known from their keywords, found once per document for every count scan.
    buckets = {id(n.sentence) for n in numbered_sentences(doc) if _may_hold_bucket(n.keywords)}
    for sentence in doc.sentences:
        i = bisect.bisect_left(places, sentence.start)
        if i < len(places) and places[i] + len(shared) <= sentence.end:  # a size word is written
            facts += _explicit(doc, sentence)
        if id(sentence) not in buckets:
            continue
        for m in BUCKET.finditer(doc.text, sentence.start, sentence.end):
            size = _bucket_class(m)
            if size is not None:
                facts.append(_fact(doc, m.start(), _noun_end(m), size, derived="grid_bucket"))
    return sorted(facts, key=lambda f: f.start)


def _explicit(doc: Document, sentence: Span) -> list[Fact]:
    """The class a sentence holding a size word states, none when it names several or says it
    of CPTS in general."""
    facts = []
    found = list(EXPLICIT.finditer(doc.text, sentence.start, sentence.end))
    classes = {_class_number(m.group("n")) for m in found}
    if len(classes) == 1:
        for m in found:
            # Bounded look-back: a long sentence of size words stays linear.
            cut = max(sentence.start, m.start() - LOOK_BACK)
            left = doc.text[cut : m.start()]
            opens = cut == sentence.start and GENERIC_START.search(left)
            if not (GENERIC_LEFT.search(left) or opens):
                facts.append(_fact(doc, m.start(), m.end(), _class_number(m.group("n"))))
    return facts


def _may_hold_bucket(keywords: frozenset[str]) -> bool:
    """Does a sentence holding a number, whose keywords are these, hold what else a BUCKET
    needs?"""
    return all(g.may_match_in(keywords) for g in BUCKET_GATES)


def _class_number(token: str) -> int:
    return ROMAN.get(token) or int(token)


def _noun_end(m: re.Match[str]) -> int:
    """End of "... habitants", before the cue that ties the bucket to a CPTS."""
    noun = re.compile(rf"(?:{_NOUN})(?![^\W\d_])", re.IGNORECASE)
    last = list(noun.finditer(m.string, m.start(), m.end()))[-1]
    return last.end()


def _bucket_class(m: re.Match[str]) -> int | None:
    if m.group("bound"):
        parsed = parse_count(m.group("bound"))
        if parsed is None:
            return None
        value, qualifier = parsed
        key = {Qualifier.AT_MOST: "max", Qualifier.AT_LEAST: "min"}.get(qualifier)
        matches = [g["class"] for g in GRID if key and g[key] == value]
        return matches[0] if matches else None
    lo, hi = (parse_count(m.group(k)) for k in ("lo", "hi"))
    if lo is None or hi is None:
        return None
    low, high = lo[0], hi[0]
    if low < 1000 <= high and high % 1000 == 0:
        low *= 1000  # "entre 40 et 80 000": the thousands are written once
    matches = [g["class"] for g in GRID if g["min"] == low and g["max"] == high]
    return matches[0] if matches else None


def _fact(doc: Document, start: int, end: int, value: int, **attrs: str) -> Fact:
    return Fact(
        kind=FactKind.SIZE_CLASS,
        value=value,
        start=start,
        end=end,
        text=doc.text[start:end],
        extractor="size_class",
        qualifier=Qualifier.EXACT.value,
        attrs=attrs,
    )
