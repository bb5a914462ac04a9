"""Clause-level reading for attribution: clause bounds, appositions, "<amount> pour <name>".

A fact's clause is its sentence cut at commas, semicolons, colons, brackets and dashes. A CPTS
owns the clause right after its name when that clause opens like an apposition ("la CPTS Sud
Réunion, créée en 2021"), and a number followed by "pour <name>" belongs to that name.
"""

from __future__ import annotations

import re

from extractors.lexicon import load_lexicon
from extractors.text.slug import same_cpts
from extractors.types import Span

LEXICON = load_lexicon("cpts_names.json")

CLAUSE_BREAK = re.compile(
    r"""
    [,;:()\[\]–—]         # commas, semicolons, colons, brackets and dashes cut clauses
    """,
    re.VERBOSE,
)

# "318 000 € pour l'Outre-Forêt": the CPTS named right after a number.
FOR_NAME = re.compile(
    r"""
    [ \t\u00a0\u202f]*(?:par\s+an\s+)?
    (?:pour|à)\s+                                   # "pour" / "à"
    (?:(?:la|le|les|l[’'])\s*)?(?:CPTS\s+)?         # an article, the word CPTS
    (?P<name>[^,;:.()\n\d]{2,80})                    # up to the end of the clause
    """,
    re.VERBOSE | re.IGNORECASE,
)
NAME_WORD = re.compile(r"[^\s]+")
NAME_END_WORDS = frozenset({"et", "ou", "soit", "sous", "dont", "par", "sur", "avec", "qui"})

# Within a sentence: "la CPTS Sud Réunion, créée en 2021": the clause right after a name.
APPOSITION_GAP = re.compile(r"[\s\u00a0\u202f]*[,(–—][\s\u00a0\u202f]*$")
# ... if that clause opens like an apposition: a past participle ("créée en 2021"), a noun or
# a place ("signataire depuis 2021", "en Haute-Corse"), not a verb ("couvre 50 000 habitants").
APPOSITION_START = frozenset(LEXICON["apposition_starts"])
APPOSITION_NEVER = frozenset(LEXICON["apposition_never"])
PARTICIPLE = re.compile(r"\w+(?:é|ée|és|ées|i|is|u|us)$")
FIRST_WORD = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+(?:[-’'][^\W\d_]+)*)")


def opens_apposition(clause: str) -> bool:
    m = FIRST_WORD.match(clause)
    if not m:
        return False
    word = m.group(1).lower()
    if word in APPOSITION_NEVER:
        return False
    return word in APPOSITION_START or bool(PARTICIPLE.fullmatch(word))


def in_apposition_chain(gap: str, clause: str) -> bool:
    """Does `clause` belong to the name that `gap` follows? "la CPTS Sud Réunion, créée en
    2021, forte de 80 membres": each clause between the name and this one opens like an
    apposition too. "Après celles du Trégor, créées en 2021, cette CPTS concerne 40 000
    habitants, répartis sur dix communes": the chain is broken by a clause with its own
    subject, so the communes are not the Trégor's."""
    if not APPOSITION_GAP.search(gap) or not opens_apposition(clause):
        return False
    parts = CLAUSE_BREAK.split(gap)
    if parts[0].strip():
        return False  # the gap does not start right after the name
    return all(opens_apposition(part) for part in parts[1:-1] if part.strip())


def clause_bounds(text: str, sentence: Span, start: int, end: int) -> tuple[int, int]:
    """The clause of text[start:end] within its sentence."""
    lo = max(
        (m.end() for m in CLAUSE_BREAK.finditer(text, sentence.start, start)),
        default=sentence.start,
    )
    hi_match = CLAUSE_BREAK.search(text, end, sentence.end)
    return lo, hi_match.start() if hi_match else sentence.end


def key_written(canonical: dict[str, str], written: str) -> str | None:
    """The CPTS of the text (key → canonical name) that a bare name after "pour"/"à"
    designates ("l'Outre-Forêt", "Strasbourg Sud"): its longest prefix naming exactly one."""
    words = NAME_WORD.findall(written)
    cut = next((i for i, w in enumerate(words) if w.lower() in NAME_END_WORDS), len(words))
    for n in range(min(cut, 6), 0, -1):
        candidate = " ".join(words[:n])
        match = [k for k, name in canonical.items() if same_cpts(name, candidate)]
        if len(match) == 1:
            return match[0]
    return None
