"""French verb forms from a lemma, each with its tense: what "signer" looks like in a release.

Regular -er verbs only ("signer", "contractualiser", "créer", "lancer"); irregular ones give
their forms in the lexicon. The tenses kept are the ones a reader needs to tell a past event
from a plan: participles, present, imperfect and simple past ("past" or "present"), the
infinitive, the gerund, and the future and conditional ("future").

>>> sorted(regular_forms("signer"))[:4]
[('signa', 'past'), ('signai', 'past'), ('signaient', 'past'), ('signais', 'past')]
>>> dict(regular_forms("lancer"))["lançant"]
'gerund'
>>> dict(regular_forms("créer"))["créeront"]
'future'
"""

from __future__ import annotations

PAST = ("é", "ée", "és", "ées", "a", "ai", "as", "èrent", "ait", "aient", "ais")
PRESENT = ("e", "es", "ent", "ons", "ez")
FUTURE = ("era", "eras", "erai", "eront", "erons", "erez", "erait", "eraient", "erais")


def regular_forms(lemma: str) -> list[tuple[str, str]]:
    """(form, tense) of a regular -er verb; "ç" before a and o for the -cer verbs."""
    if not lemma.endswith("er"):
        raise ValueError(f"not a regular -er verb: {lemma}")
    stem = lemma[:-2]

    def join(ending: str) -> str:
        if stem.endswith("c") and ending[:1] in {"a", "o"}:
            return stem[:-1] + "ç" + ending
        return stem + ending

    forms = [(join(e), "past") for e in PAST]
    forms += [(join(e), "present") for e in PRESENT]
    forms += [(lemma, "infinitive"), (join("ant"), "gerund")]
    forms += [(join(e), "future") for e in FUTURE]
    return forms


def irregular_forms(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(form, tense) from a lexicon table {tense: [forms]}."""
    return [(form, tense) for tense, forms in table.items() for form in forms]
