"""Status cue of a CPTS mention: signed, created, in_progress, planned (lexicon/status.json).

The cue is looked for in the mention's sentence and, for a bullet, in the lead-in line that
introduces the list ("En Haute-Loire, deux CPTS bénéficient d’une convention de financement
ACI :" then "• CPTS Velay Sud, créée en septembre 2022").
"""

from __future__ import annotations

import functools
import re

from extractors.lexicon import load_lexicon
from extractors.text.document import bullet_lead_in, line_index
from extractors.text.phrases import literal_pattern
from extractors.text.prefilter import KEYWORDS, GatedAlternation, fold_window
from extractors.types import Document, Span

LEXICON = load_lexicon("status.json")
RANK: dict[str, int] = LEXICON["rank"]

def _cue_pattern(phrase: str) -> str:
    # Literal phrases (lexicon/README.md); a trailing * any word ending ("signé*" → signées).
    body = literal_pattern(phrase.rstrip("*"))
    ending = r"\w*" if phrase.endswith("*") else ""
    return rf"(?<!\w){body}{ending}(?!\w)"


# Gated (prefilter.py): a text only tries the cues whose letters it contains.
CUES: dict[str, GatedAlternation] = {
    status: GatedAlternation([(p, _cue_pattern(p)) for p in LEXICON["cues"][status]],
                             re.IGNORECASE, starts_with_phrase=True)
    for status in LEXICON["order"]
}


def context(doc: Document, offset: int) -> list[Span]:
    spans = [doc.sentence_of(offset)]
    index = line_index(doc, offset)
    if index is not None:
        head = bullet_lead_in(doc, index)
        if head is not None:
            spans.append(head)
    return spans


def cues_in(text: str) -> set[str]:
    """Statuses cued in `text`; a longer cue hides the shorter ones it contains.

    >>> sorted(cues_in("La CPTS, en cours de création, a signé son contrat"))
    ['in_progress', 'signed']
    """
    return set(_cues_in(text))


@functools.lru_cache(maxsize=1024)
def _cues_in(text: str) -> frozenset[str]:
    # Several mentions share a sentence: its cues are read once.
    found: set[str] = set()
    masked = text
    # Masking only blanks letters out: a cue whose keywords the text lacks is not there either.
    present = KEYWORDS.present(fold_window(text))
    for status, pattern in CUES.items():
        if not pattern.may_match_in(present):
            continue
        # The text's keywords hold the masked text's: a branch they let through in vain finds
        # nothing, so the masked text is not folded and read again for each status.
        for m in pattern.finditer(masked, present=present):
            found.add(status)
            masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    return frozenset(found)


def status_cue(doc: Document, offset: int) -> str | None:
    """The strongest status cued around the mention at `offset`, None when nothing is cued."""
    found: set[str] = set()
    for span in context(doc, offset):
        found |= cues_in(doc.slice(span))
    return max(found, key=RANK.__getitem__) if found else None


def best(statuses: list[str | None]) -> str:
    """Status of a CPTS from the cues of all its mentions ("mentioned" when none is cued).

    >>> best([None, "created", "signed"]), best([None])
    ('signed', 'mentioned')
    """
    known = [s for s in statuses if s]
    return max(known, key=RANK.__getitem__) if known else "mentioned"
