"""Euro amounts in the text and their values: "15 000 €", "300.000 euros", "1,2 million
d'euros", "50 k€", "quinze mille euros".

A number only counts as money when a currency unit follows it, so "entre 40 et 80 000
habitants", phone numbers, years and percentages never match. What the amount *is* is decided
elsewhere (amount_cues.py, amount_totals.py); this module only finds and reads numbers.

>>> [(m.value, m.scale) for m in find_money("une aide de 1,2 million d'euros et de 50 k€")]
[(1200000, 1000000), (50000, 1000)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from text_to_num import alpha2digit

from extractors.lexicon import load_lexicon
from extractors.text.prefilter import occurrences

_WORDS = load_lexicon("counts_numbers.json")["number_words"]["words"]
_NUMBER_WORDS = "|".join(sorted(_WORDS, key=len, reverse=True))

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

# Case-sensitive literals that every `unit` of MONEY contains: a text with none has no amount.
_UNIT_TEXTS = ("€", "euro", "Euro", "EUR")

# What MONEY may match before its unit: digits, white space, ". , - ' ’" and the letters of
# its words (number words, "et", "un", "une", "millions", "milliards", "d'", k€, M€, Md€),
# case as written. Any other character ("La", "(", ":", "é") cannot lie inside an amount.
_AMOUNT_WORDS = [*_WORDS, "et", "une", "millions", "milliards", "d", "k", "K", "M", "Md"]
_NOT_IN_AMOUNT = re.compile(
    r"[^\d\s.,'’\-" + re.escape("".join(sorted(set("".join(_AMOUNT_WORDS))))) + "]"
)

_SCALES = {"k": 1_000, "K": 1_000, "M": 1_000_000, "Md": 1_000_000_000}


@dataclass(frozen=True, slots=True)
class Money:
    start: int
    end: int
    value: int
    scale: int  # the multiplier its unit carried, lent to a bare first bound of a range


def to_number(text: str) -> float | None:
    """The number written in digits ("457 500", "1,2") or in French words ("quinze mille")."""
    if text[:1].isdigit():
        digits = re.sub(r"[ \u00a0\u202f.]", "", text).replace(",", ".")
        return float(digits)
    converted = alpha2digit(text.lower(), "fr", threshold=0).replace(" ", "")
    return float(converted) if converted.isdigit() else None


def _money(match: re.Match[str]) -> Money | None:
    number = to_number(match.group("number"))
    if number is None:
        return None
    million = match.group("million")
    if million:
        scale = 1_000_000_000 if million.startswith("milliard") else 1_000_000
    else:
        scale = _SCALES.get(match.group("prefix") or "", 1)
    value = round(number * scale)
    return Money(match.start(), match.end(), value, scale) if value > 0 else None


def find_money(text: str) -> list[Money]:
    """Every positive euro amount of `text`, in order."""
    if not any(unit in text for unit in _UNIT_TEXTS):
        return []  # every amount ends with a currency unit (MONEY's `unit` group)
    return [money for m in _matches(text) if (money := _money(m)) is not None]


def _matches(text: str) -> Iterator[re.Match[str]]:
    """`MONEY.finditer(text)`, tried only just before each unit.

    Scanning a whole release for MONEY tries its four kinds of number at every position.
    An amount ends with its unit and holds nothing but `_NOT_IN_AMOUNT`'s complement before
    it, so one starts between the last other character before a unit and that unit: the
    positions there are tried in order, the first match found is the leftmost one, as
    `finditer` would give it, and the next search starts after it.
    """
    units = sorted({i for unit in _UNIT_TEXTS for i in occurrences(text, unit)})
    done = 0  # every earlier position was tried, or lies in a match already given
    for unit in units:
        if unit < done:
            continue
        start = _amount_start(text, done, unit)
        for at in range(start, unit + 1):
            # A number never starts right after a letter (MONEY's look-behinds).
            if at and text[at - 1].isalpha():
                continue
            m = MONEY.match(text, at)
            if m is not None:
                yield m
                done = m.end()
                break
        else:
            done = unit + 1


def _amount_start(text: str, lo: int, unit: int) -> int:
    """The first position from `lo` after which nothing up to `unit` is foreign to an amount."""
    last = _NOT_IN_AMOUNT.search(text[lo:unit][::-1])
    return unit - last.start() if last is not None else lo
