"""Amounts that are not one CPTS's own money: totals for many CPTS, parts, differences.

- a total ("les trois CPTS pourront percevoir ensemble près de 1,1 million d'euros", "2,3
  millions d'euros versés aux CPTS du département") is `other`, scope generic, unless "chacune"
  or "par CPTS" makes it per CPTS; "l'ensemble des objectifs" is a noun, no total;
- a part of another amount ("dont 45 000 € par an consacrés au poste de coordinateur") and a
  difference ("soit 52,5 k€ de plus", "une hausse de 12 000 €") are `other`;
- money paid to a third party ("20 000 € à l'hôpital") is scope generic;
- money of another structure (a maison de santé's building, its DETR or Région subsidies) in a
  sentence that does not say CPTS is no CPTS money at all: `other_structure` drops it;
- an amount compared with the one before it ("6,4 M€ en 2023, contre 4,1 M€ en 2022") takes
  its kind and scope (`compared`).
Cues count within the amount's clause: ";" and line ends close one.
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds.amount_cues import LEX, near
from extractors.text.money import Money
from extractors.text.phrases import compile_phrases
from extractors.types import Document, Span

TOTAL = compile_phrases(LEX["total_cues"])
# "chacune de ces CPTS", "par CPTS": the amount is per CPTS even when many are counted.
EACH = re.compile(r"(?<!\w)(?:chacune?|chaque|par\s+CPTS)(?!\w)", re.IGNORECASE)
PART = re.compile(rf"(?<!\w)(?:{compile_phrases(LEX['part_cues']).pattern})\s*$", re.IGNORECASE)
TOTAL_NOUN = compile_phrases(LEX["total_noun_uses"])
DIFFERENCE_AFTER = re.compile(
    rf"\s*(?:{compile_phrases(LEX['difference_after']).pattern})", re.IGNORECASE
)
DIFFERENCE_BEFORE = re.compile(
    rf"(?<!\w)(?:{compile_phrases(LEX['difference_before']).pattern})\s*$", re.IGNORECASE
)
# A payee right after the amount: "une subvention de 20 000 € à l'hôpital".
THIRD_PARTY = re.compile(
    rf"\s*(?:versée?s?\s+|attribuée?s?\s+)?(?:{compile_phrases(LEX['third_party_cues']).pattern})",
    re.IGNORECASE,
)
# "aux CPTS mosellanes", "des CPTS bretonnes": a group of CPTS named by a plural adjective.
GROUP = re.compile(
    rf"""(?<!\w)(?:aux|des|les|ces)\s+CPTS\s+
    [a-zà-ÿ]+(?:{"|".join(LEX["group_adjective_endings"])})(?!\w)""",
    re.VERBOSE,
)
OTHER_STRUCTURE = compile_phrases(LEX["other_structure_cues"])
FEE = compile_phrases(LEX["fee_cues"])
CPTS_WORD = re.compile(r"\bCPTS\b|communaut[ée]s?\s+professionnelles?", re.IGNORECASE)
COMPARED = re.compile(
    rf"(?<!\w)(?:{compile_phrases(LEX['compared_before']).pattern})\s*$", re.IGNORECASE
)
TOTAL_MAX_GAP = 60  # characters between a total cue and its amount
CLAUSE_END = re.compile(r"[;\n]")


def clause(doc: Document, money: Money) -> Span:
    """The amount's sentence cut at ";" and line ends: "... de 15 000 euros ; elle finance"
    (and at WINDOW characters from the amount)."""
    around = near(doc.sentence_of(money.start), money)
    start = max(
        doc.text.rfind(";", around.start, money.start),
        doc.text.rfind("\n", around.start, money.start),
    )
    stop = CLAUSE_END.search(doc.text, money.end, around.end)
    return Span(start + 1 if start >= 0 else around.start, stop.start() if stop else around.end)


def is_total(doc: Document, money: Money, clause: Span, others: list[int]) -> bool:
    """A total cue next to the amount, in its clause, with no other amount in between
    (`others`: the sorted starts of every amount)."""
    text = doc.text
    if EACH.search(text, clause.start, clause.end):
        return False
    nouns = [n.span() for n in TOTAL_NOUN.finditer(text, clause.start, clause.end)]
    cues = [*TOTAL.finditer(text, clause.start, clause.end)]
    cues += GROUP.finditer(text, clause.start, clause.end)
    for m in cues:
        if any(a <= m.start() and m.end() <= b and (a, b) != m.span() for a, b in nouns):
            continue  # "l'ensemble des objectifs": a noun, not a total
        lo, hi = (m.end(), money.start) if m.end() <= money.start else (money.end, m.start())
        if hi - lo > TOTAL_MAX_GAP or hi < lo:
            continue
        if bisect.bisect_left(others, lo) == bisect.bisect_left(others, hi):
            return True  # no other amount starts in between
    return False


def is_part_or_difference(doc: Document, money: Money, clause: Span) -> bool:
    """A part or a difference: "dont 45 000 €", "soit 52,5 k€ de plus", "une hausse de 12 000 €"."""
    return bool(
        PART.search(doc.text, max(clause.start, money.start - 12), money.start)
        or DIFFERENCE_AFTER.match(doc.text, money.end)
        or DIFFERENCE_BEFORE.search(doc.text, max(clause.start, money.start - 30), money.start)
    )


def to_third_party(doc: Document, money: Money) -> bool:
    """The amount is paid to someone else than a CPTS ("20 000 € à l'hôpital")."""
    return THIRD_PARTY.match(doc.text, money.end) is not None


def other_structure(doc: Document, money: Money) -> bool:
    """Money of another structure than a CPTS: a building cue ("a coûté", "DETR", "maison de
    santé") in the amount's sentence, which does not say CPTS."""
    sentence = near(doc.sentence_of(money.start), money)
    return (
        OTHER_STRUCTURE.search(doc.text, sentence.start, sentence.end) is not None
        and CPTS_WORD.search(doc.text, sentence.start, sentence.end) is None
    )


def membership_fee(doc: Document, money: Money) -> bool:
    """ "verser une somme de 10 € à l'adhésion", "la cotisation annuelle de 20 €"."""
    sentence = near(doc.sentence_of(money.start), money)
    return FEE.search(doc.text, sentence.start, sentence.end) is not None


def compared(doc: Document, money: Money, previous: Money | None) -> bool:
    """ "contre 4,1 M€" right after another amount of the same sentence: compared with it."""
    if previous is None or doc.sentence_of(previous.start) != doc.sentence_of(money.start):
        return False
    return COMPARED.search(doc.text, max(previous.end, money.start - 30), money.start) is not None
