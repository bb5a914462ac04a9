"""What an amount is — kind, funder, per year — from the cue words around it.

Cue words come from `lexicon/amounts.json`. The cue nearest to the amount in its sentence
wins, then the lead-in line of a list ("... allant jusqu'à :" above "- 457 500 € pour la CPTS
X,"), which counts LEAD_IN_PENALTY characters farther than any cue of the item itself. A cue
between two amounts belongs to the closer one ("300 000 € par an, après l'aide de 25 000 €");
cues are read within WINDOW characters of the amount, so a long line of amounts costs linear
time (a French sentence is shorter; a lead-in is read from its end). A cue the amount
complements ("une première avance de 95 000 € pour lancer ses actions") is its head noun and
beats the nearest cue: what follows the amount is its purpose.
"""

from __future__ import annotations

import re

from extractors.kinds.scope import context_sentences, lead_in
from extractors.lexicon import load_lexicon
from extractors.text.money import Money
from extractors.text.phrases import compile_phrases
from extractors.text.prefilter import KEYWORDS, fold_window
from extractors.types import Document, Span

LEX = load_lexicon("amounts.json")

FUNDERS = {name: compile_phrases(cues) for name, cues in LEX["funders"].items()}
KIND_RULES = [
    (rule["kind"], compile_phrases(rule["cues"]), frozenset(rule.get("funders", ())))
    for rule in LEX["kinds"]
]
ANNUAL = compile_phrases(LEX["annual_cues"])
MULTI_YEAR = compile_phrases(LEX["multi_year_cues"])
GRID = compile_phrases(LEX["grid_cues"])
# These kinds are yearly by definition: an amount without a yearly cue is not one of them.
YEARLY_KINDS = frozenset(
    {
        "aci_annual_min",
        "aci_annual_max",
        "aci_full_year",
        "national_range_min",
        "national_range_max",
    }
)
# Between a head noun and the amount it takes: "une avance de 95 000 €", "d'un acompte d'".
HEAD_LINK = re.compile(r"[ \u00a0\u202f]*(?:de|d['’])[ \u00a0\u202f]*", re.IGNORECASE)
HEAD_REACH = 60  # characters before the amount searched for its head noun
WINDOW = 400
LEAD_IN_PENALTY = 1_000  # a cue of the list item itself beats any cue of its lead-in

# A window of text to read cues in, and the distance added to cues found there.
Windows = list[tuple[Span, int]]


def nearest(pattern, doc: Document, windows: Windows, money: Money, neighbours=None) -> int | None:
    """Distance from `money` to the closest match of `pattern` in the windows, if any. With
    `neighbours` (end of the previous amount, start of the next), a match between two amounts
    belongs to the closer one ("300 000 € par an, après l'aide de 25 000 €")."""
    best = None
    before, after = neighbours or (-1, -1)
    for span, penalty in windows:
        # Most cue lists hold no keyword of a window: answered from the window's keywords,
        # read once for every list asked about it, before a search is set up.
        present = KEYWORDS.present(fold_window(doc.text, span.start, span.end))
        if not pattern.may_match_in(present):
            continue
        for m in pattern.finditer(doc.text, span.start, span.end, present):
            if money.end <= m.start() and m.end() <= after:
                if after - m.end() < m.start() - money.end:
                    continue
            elif 0 <= before <= m.start() and m.end() <= money.start:
                if m.start() - before < money.start - m.end():
                    continue
            gap = max(0, m.start() - money.end, money.start - m.end()) + penalty
            best = gap if best is None else min(best, gap)
    return best


def near(span: Span, money: Money) -> Span:
    """`span` cut to WINDOW characters on each side of `money`."""
    start = max(span.start, min(money.start, span.end) - WINDOW)
    return Span(start, max(start, min(span.end, max(money.end, span.start) + WINDOW)))


def windows(doc: Document, money: Money) -> Windows:
    """The amount's sentence(s), then its list's lead-in (penalised)."""
    found = [(near(s, money), 0) for s in context_sentences(doc, money.start)]
    intro = lead_in(doc, money.start)
    if intro is not None:
        found.append((near(intro, money), LEAD_IN_PENALTY))
    return found


def funder(
    doc: Document, windows: Windows, money: Money, neighbours: tuple[int, int]
) -> str | None:
    """The nearest funder of the sentence; a lead-in decides only when it names one funder
    ("de la part de la CPAM du Rhône allant jusqu'à :"), not "l'Assurance maladie et l'ARS"."""
    own = [(span, 0) for span, penalty in windows if penalty == 0]
    found = [(nearest(p, doc, own, money, neighbours), name) for name, p in FUNDERS.items()]
    hits = [(d, name) for d, name in found if d is not None]
    if hits:
        return min(hits)[1]
    intro = [(span, 0) for span, penalty in windows if penalty > 0]
    named = [name for name, p in FUNDERS.items() if nearest(p, doc, intro, money) is not None]
    return named[0] if len(named) == 1 else None


def kind(
    doc: Document, windows: Windows, money: Money, funder: str | None, neighbours: tuple[int, int]
) -> str:
    """The kind of the nearest kind cue (ties: the rule listed first); a rule restricted to
    some funders is skipped when another funder pays."""
    best: tuple[int, int, str] | None = None
    head = _head_window(doc, money)
    for order, (name, pattern, funders) in enumerate(KIND_RULES):
        if funders and funder is not None and funder not in funders:
            continue
        distance = -1 if _is_head(pattern, doc, money, head) else None
        if distance is None:
            distance = nearest(pattern, doc, windows, money, neighbours)
        if distance is not None and (best is None or (distance, order) < best[:2]):
            best = (distance, order, name)
    return best[2] if best else "other"


def _head_window(doc: Document, money: Money) -> tuple[int, frozenset[str]]:
    """Where the amount's head noun may start, and the keywords of the text from there to the
    amount: read once for every kind rule asked about it."""
    start = max(doc.sentence_of(money.start).start, money.start - HEAD_REACH)
    return start, KEYWORDS.present(fold_window(doc.text, start, money.start))


def _is_head(pattern, doc: Document, money: Money, head: tuple[int, frozenset[str]]) -> bool:
    """A cue right before the amount, "de" in between: "une première avance de 95 000 €"
    (`head`: `_head_window`; a rule none of whose keywords lie there sets up no search)."""
    start, present = head
    return pattern.may_match_in(present) and any(
        HEAD_LINK.fullmatch(doc.text, m.end(), money.start)
        for m in pattern.finditer(doc.text, start, money.start)
    )


def per_year(doc: Document, windows: Windows, money: Money, kind: str) -> bool:
    """Yearly when a yearly cue is nearer than a multi-year one ("sur trois ans"), or when
    the kind is yearly by definition and no multi-year cue is near."""
    annual = nearest(ANNUAL, doc, windows, money)
    several = nearest(MULTI_YEAR, doc, windows, money)
    if several is not None and (annual is None or several < annual):
        return False
    return annual is not None or kind in YEARLY_KINDS


def is_grid(doc: Document, windows: Windows, money: Money) -> bool:
    """A cue of the national grid (size of the CPTS, "selon la taille") near the amount."""
    return nearest(GRID, doc, windows, money) is not None
