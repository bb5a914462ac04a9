"""Amounts whose currency is left out: "(75 000 annuels pour la CPTS et jusqu'à 225 000 si
les objectifs sont atteints)", as interviews and press quotes write them.

Only in a sentence about money (a financing noun: "financement", "aide", "subvention" ...),
and only for a number in digits with thousands groups ("75 000", "225.000"), since years,
postcodes and small counts are never written so. Such a number is an amount in euros when
- an annual word follows it right away ("75 000 annuels", "75 000 par an"): the word stands
  for the left-out "euros" ("75 000 passages annuels" has its own noun and is no money); or
- a ceiling word opens it and it is coordinated with an amount before it in the sentence
  ("… et jusqu'à 225 000 si …"), and no noun follows it ("jusqu'à 225 000 habitants" is no
  money).
Vocabulary: lexicon/amounts.json, "elliptic".
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds import amount_cues
from extractors.text.money import Money, to_number
from extractors.text.numbers import alternation
from extractors.types import Document

_LEX = amount_cues.LEX["elliptic"]

FINANCING = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['financing_nouns'])})(?![^\W\d_])", re.IGNORECASE
)
GROUPED = r"(?<![\w.,])\d{1,3}(?:(?:[ \u00a0\u202f]|\.)\d{3})+(?![\w,]|\.\d)"
# What every GROUPED number holds: found once per document, it tells the few sentences that
# can hold one before their financing nouns are looked for.
A_GROUP = re.compile(r"\d[ \u00a0\u202f.]\d{3}")
ANNUAL = re.compile(
    rf"(?P<number>{GROUPED})[ \u00a0\u202f]+(?:{alternation(_LEX['annual_words'])})(?![^\W\d_])",
    re.IGNORECASE,
)
CEILING = re.compile(
    rf"""
    (?<![^\W\d_])(?:et|ou)\s+(?:{alternation(_LEX["ceiling_words"])})\s+
    (?P<number>{GROUPED})
    (?=\s*(?:[).,;:!?»]|$|(?:{alternation(_LEX["words_after"])})(?![^\W\d_])))
    """,
    re.VERBOSE | re.IGNORECASE,
)


def find(doc: Document, found: list[Money]) -> list[Money]:
    """The amounts written without their currency, beside those `found` with one."""
    extra: list[Money] = []
    # The amounts of a sentence by bisection: filtering all of them per sentence was quadratic.
    by_start = sorted(found, key=lambda m: m.start)
    starts = [m.start for m in by_start]
    groups = [m.span() for m in A_GROUP.finditer(doc.text)]
    group_ends = [end for _, end in groups]
    for sentence in doc.sentences:
        # The first group ending inside or after the sentence: a number of the sentence
        # holds a group, or overlaps one that the scan, left to right, found first.
        i = bisect.bisect_right(group_ends, sentence.start)
        if i == len(groups) or groups[i][0] >= sentence.end:
            continue
        if not FINANCING.search(doc.text, sentence.start, sentence.end):
            continue
        here = by_start[
            bisect.bisect_left(starts, sentence.start) : bisect.bisect_left(starts, sentence.end)
        ]
        for pattern in (ANNUAL, CEILING):
            for m in pattern.finditer(doc.text, sentence.start, sentence.end):
                money = _money(m)
                if money is None or any(o.start <= money.start < o.end for o in here):
                    continue
                if pattern is CEILING and not any(o.end <= money.start for o in here):
                    continue  # a ceiling is coordinated with an amount before it
                here.append(money)
                extra.append(money)
    return sorted(extra, key=lambda m: m.start)


def _money(m: re.Match[str]) -> Money | None:
    number = to_number(m.group("number"))
    if number is None or number < 1000:
        return None
    return Money(m.start("number"), m.end("number"), round(number), 1)
