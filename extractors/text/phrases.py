"""Lexicon phrases as regexes: how a phrase of `lexicon/*.json` is matched in a release.

A phrase is written the way a reviewer reads it ("soins non programmé", "vaccin*", "qualité ...
pertinence"); `phrase_pattern` makes it tolerant of case, dropped or added accents, hyphens,
both apostrophes and plural endings, and `compile_phrases` joins a list of them into one gated
alternation (prefilter.py) that only tries the phrases whose letters occur in the text.
`literal_pattern` is the strict reading some cue lists keep (accents as written, no plural).
The dialect is stated in `extractors/lexicon/README.md`.
"""

from __future__ import annotations

import re
import unicodedata

from extractors.text.prefilter import GatedAlternation

# Accented letters a French writer may drop ("territoriale de sante") or add: match either.
_ACCENTS = {
    "a": "aàâä",
    "e": "eéèêë",
    "i": "iîï",
    "o": "oôö",
    "u": "uùûü",
    "c": "cç",
}

# How one character of a lexicon phrase is written as a regex.
_SPACE = r"[\s\u00a0\u202f\-‐]*"  # spaces, NBSP, hyphen or nothing: "non-programmés", "pluripro"
_APOSTROPHE = r"['’ʼ]\s?"  # both apostrophes, a stray space after ("Ard’ Drôm")
_GAP = r"[^.;:!?\n]{0,60}?"  # "..." in a phrase: a few words within the same clause
_DIGITS = r"\d+(?:[\s\u00a0\u202f.]\d{3})*"  # "#" in a phrase: a number in digits

# What may follow the last letter of a phrase: a plural ending, never more letters.
_WORD_END = r"(?:e?s|x)?(?![^\W_])"


def phrase_pattern(phrase: str) -> str:
    """Regex source for a lexicon phrase (case is left to the caller's flags).

    >>> bool(re.fullmatch(phrase_pattern("soins non programmé"), "soins non-programmées", re.I))
    True
    >>> bool(re.fullmatch(phrase_pattern("vaccin*"), "vaccinale", re.I))
    True
    >>> bool(re.fullmatch(phrase_pattern("qualité ... pertinence"), "qualité et la pertinence"))
    True
    """
    prefix = phrase.endswith("*")
    phrase = phrase.rstrip("*")
    out = [r"(?<![^\W_])"] if phrase[:1].isalnum() else []
    i = 0
    while i < len(phrase):
        ch = phrase[i]
        if phrase.startswith(" ... ", i):
            out.append(rf"\s+{_GAP}\s*")
            i += 5
            continue
        if ch in " -":
            out.append(_SPACE)
        elif ch in "'’":
            out.append(_APOSTROPHE)
        elif ch == "#":
            out.append(_DIGITS)
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            out.append(f"[{_ACCENTS[base]}]" if base in _ACCENTS else re.escape(ch))
        i += 1
    if prefix:
        out.append(r"[^\W_]*")
    elif phrase[-1:].isalpha():
        out.append(_WORD_END)
    return "".join(out)


def literal_pattern(phrase: str) -> str:
    """Regex source for a phrase matched as written: the same letters and accents, but any
    white space between its words and either apostrophe (case is left to the caller's flags).

    >>> bool(re.fullmatch(literal_pattern("lettre d'intention"), "lettre d’intention"))
    True
    >>> bool(re.fullmatch(literal_pattern("créée"), "creee"))
    False
    """
    return re.escape(phrase).replace(r"\ ", r"\s+").replace("'", "['’]")


def compile_phrases(phrases: list[str]) -> GatedAlternation:
    """One case-insensitive alternation, longest phrase first so it wins over its prefix.

    It offers `search`, `finditer` and `pattern` like a compiled regex, and only tries the
    phrases whose letters occur in the searched text (see prefilter.py).
    """
    ordered = sorted(phrases, key=len, reverse=True)
    # phrase_pattern opens a phrase that starts with a letter with its look-behind: its first
    # word is looked for where a word starts ("une" of "une SAS" is not tried in "commune").
    return GatedAlternation([(p, f"(?:{phrase_pattern(p)})") for p in ordered], re.IGNORECASE,
                            starts_with_phrase=True, word_start=True)


def alternatives(phrases: list[str]) -> str:
    return "|".join(phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))
