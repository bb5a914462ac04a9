"""Comparable forms of CPTS names: the key (slug) and the fuzzy "same CPTS?" test.

Two writings of one CPTS differ in accents, case, apostrophes, hyphens, connectors ("de"/"à")
and typos ("Croix Rouse"); both the slug and the comparison ignore all of these.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz

# Articles and connectors carry no identity: "Soins Pluriprofessionnels à Vaulx-en-Velin" and
# "... de Vaulx-en-Velin" are one CPTS, and the slug of "CPTS du Pays Châtelleraudais" is
# "pays-chatelleraudais".
STOP_TOKENS = frozenset("cpts de du des d la le les l a au aux et en".split())

NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Numbers are identity: "CPTS Paris 13" and "CPTS Paris 15" are two CPTS, however close.
NUMBER = re.compile(r"\d+")

# Two names whose normalised forms reach this rapidfuzz ratio are one CPTS (same threshold as
# the gold scoring, so a merge here never splits a gold match).
SAME_RATIO = 85.0

# Cardinal points are identity too: "CPTS Toulouse Nord" and "CPTS Toulouse Nord-Ouest" are
# neighbours, not one CPTS, though one name is the other plus a word.
DIRECTIONS = frozenset("nord sud est ouest centre".split())


LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


# A release names its CPTS again and again: each writing is folded once.
@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    text = text.translate(LIGATURES)  # "Cœur de Béarn" → "coeur-bearn", not "cur-bearn"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return NON_ALNUM.sub(" ", ascii_text.lower()).strip()


def tokens(name: str) -> list[str]:
    return [t for t in fold(name).split() if t not in STOP_TOKENS]


def slug(name: str) -> str:
    """Stable key across documents: "CPTS Croix-Rousse Presqu'île" → "croix-rousse-presqu-ile".

    >>> slug("CPTS du Pays Châtelleraudais"), slug("CPTS Cœur de Béarn")
    ('pays-chatelleraudais', 'coeur-bearn')
    """
    return "-".join(tokens(name)) or "cpts"


def normalised(name: str) -> str:
    return " ".join(tokens(name))


def same_cpts(a: str, b: str) -> bool:
    """Do two written names designate the same CPTS?

    Besides a fuzzy ratio, a name that is the other one plus trailing words ("Velay Sud" /
    "Velay Sud à Yssingeaux") is the same CPTS: the name grammar sometimes runs on. Names that
    differ by a number or a cardinal point never are ("Paris 13" / "Paris 15", "Toulouse Nord" /
    "Toulouse Nord-Ouest").

    >>> same_cpts("CPTS Croix-Rousse", "CPTS Croix Rouse")
    True
    >>> same_cpts("Velay Sud", "Velay-Sud à Yssingeaux")
    True
    >>> same_cpts("CPTS Paris 13", "CPTS Paris 15")
    False
    >>> same_cpts("Toulouse Nord", "Toulouse Nord-Ouest")
    False
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    if NUMBER.findall(" ".join(ta)) != NUMBER.findall(" ".join(tb)):
        return False
    if [t for t in ta if t in DIRECTIONS] != [t for t in tb if t in DIRECTIONS]:
        return False
    if fuzz.ratio(" ".join(ta), " ".join(tb)) >= SAME_RATIO:
        return True
    short, long_ = sorted((ta, tb), key=lambda t: (len(t), len("".join(t))))
    return len(short) >= 2 and starts(long_, short)


# A cut word keeps at least this many letters to stand for the whole ("Agglo", "Tro").
CUT_WORD_MIN = 3


def starts(long_: list[str], short: list[str]) -> bool:
    """Do the tokens `long_` begin with `short`, its last word possibly cut ("Mulhouse Agglo"
    for "Mulhouse Agglomération", "Trois Riv" at the end of an excerpt)?"""
    if not short or len(short) > len(long_) or long_[: len(short) - 1] != short[:-1]:
        return False
    last, whole = short[-1], long_[len(short) - 1]
    return last == whole or (
        len(last) >= CUT_WORD_MIN and whole.startswith(last) and not last.isdigit()
    )
