"""Cheap necessary conditions that let an extractor skip a sentence before its big regex runs.

A lexicon alternation (hundreds of case- and accent-tolerant phrases, each behind a
look-behind) costs a few microseconds per character: the regex engine tries every phrase at
every position. Each phrase, though, contains a run of letters that must appear in the text
as such, up to case and accents ("prévention" for "actions de prévention*"). `fold` maps a text
to lower case without accents ONE character for one character, so offsets are kept, and a
plain alternation of those runs over the folded text (no IGNORECASE: the engine then skips
to the possible first letters) says which sentences can match at all. The real pattern then
runs on those sentences only, so what is found does not change.

>>> gate = PhraseGate(["accès au médecin traitant", "(SAS)", "vaccin*"])
>>> gate.keywords
('traitant', 'vaccin', 'sas')
>>> text = "Améliorer l'ACCÈS aux soins. Réduire les délais."
>>> gate.search(fold(text)) is None
True
>>> gate.search(fold("Campagne de VACCINATION")).start()
11
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Characters that IGNORECASE matching treats as another letter without a case mapping to it
# (Python's re "ignorecase fixes"): dotless i, long s, Kelvin sign, ...
_SPECIAL = {"ı": "i", "ſ": "s", "K": "k", "İ": "i", "ﬅ": "ﬅ", "ﬆ": "ﬆ"}

# Letters of Latin scripts (the French lexicons use nothing else) and the specials above.
_FOLD_RANGE = range(0x250)


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    lowered = unicodedata.normalize("NFD", ch)[0].lower()
    return lowered if len(lowered) == 1 else ch


_FOLD_TABLE = {
    cp: folded
    for cp in (*_FOLD_RANGE, *map(ord, _SPECIAL))
    if (folded := _fold_char(chr(cp))) != chr(cp)
}


def fold(text: str) -> str:
    """Lower case, accents dropped, same length: `fold(t)[i]` is the fold of `t[i]`.

    >>> fold("Élaboré À l’HÔPITAL")
    'elabore a l’hopital'
    """
    return text.translate(_FOLD_TABLE)


@functools.lru_cache(maxsize=4)
def folded(text: str) -> str:
    """`fold(text)`, computed once per document text however many extractors ask for it."""
    return fold(text)


# A run of letters or digits in a lexicon phrase: everything else ("...", spaces, hyphens,
# apostrophes, "#" for digits, "*" for a prefix) is matched loosely by the phrase patterns.
RUN = re.compile(r"[^\W_]+")


def keyword(phrase: str) -> str:
    """The folded longest run of letters of `phrase` ('' when it has none)."""
    runs = RUN.findall(phrase.replace("#", " "))
    return fold(max(runs, key=len)) if runs else ""


class PhraseGate:
    """Finds, in folded text, where any phrase of a lexicon list could possibly match."""

    def __init__(self, phrases: list[str]) -> None:
        words = {keyword(p) for p in phrases}
        # A phrase without letters could match anywhere: then the gate lets everything pass.
        self.always = "" in words or not words
        self.keywords = tuple(sorted(words - {""}, key=lambda w: (-len(w), w)))
        self.pattern = re.compile("|".join(re.escape(w) for w in self.keywords) or "(?!)")

    def search(self, folded_text: str, start: int = 0, end: int | None = None):
        """A match object (or a truthy marker) when some phrase may match in [start, end)."""
        if self.always:
            return True
        return self.pattern.search(folded_text, start, len(folded_text) if end is None else end)

    def finditer(self, folded_text: str):
        return self.pattern.finditer(folded_text)
