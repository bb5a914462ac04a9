"""Ranges of euro amounts: "de 287 500 € à 580 000 €", "entre 50 000 et 80 000 €".

`ranges` says which amounts are the low ("min") and high ("max") end of a range. A first bound
written without its unit ("entre 1 et 2 millions d'euros") is not found by money.py, so it is
added here, borrowing the scale of the high end: "1" → 1 000 000.
"""

from __future__ import annotations

import itertools
import re

from extractors.text.money import Money, to_number
from extractors.types import Document

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


def ranges(doc: Document, found: list[Money]) -> tuple[dict[Money, str], list[Money]]:
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
        number = to_number(m.group("low")) if m else None
        if m and number is not None and m.end() == high.start:
            scale = 1 if "," not in m.group("low") and number >= 1000 else high.scale
            low = Money(m.start("low"), m.end("low"), round(number * scale), scale)
            ends[low], ends[high] = "min", "max"
            bare.append(low)
    return ends, bare
