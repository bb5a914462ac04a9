"""Which event a date dates: the signing or creation verb of its own clause.

A French sentence may carry several dates and several events; each date belongs to the verb of
its clause, wherever the verb sits ("C'est le 4 mars 2025 que la CPTS et l'Assurance Maladie
ont contractualisé", "la CPTS a attendu mars 2024 pour signer son ACI"). A clause made only of
the date ("Ce 3 avril 2024, la communauté se constitue officiellement en CPTS", "Réunis le 12
octobre 2022 en assemblée générale, les fondateurs ont constitué la CPTS") lends it to the verb
of the main clause, unless it opens on another event ("Après une réunion publique le 5 mai
2022, ..."). Verbs come from one lexicon by lemma (extractors/lexicon/event_verbs.json), in
any tense, person, infinitive, gerund or reflexive form; a future, a conditional or a modal
("signeront", "devrait être créée") is not yet an event, a partnership with another body is not
the ACI, and a creation verb must create the CPTS (its association, its community) rather than
a vaccination centre or a post.

Clauses are cut at commas, semicolons, colons and dashes once parentheses are blanked: "a signé
l'ACI (Accord Conventionnel Interprofessionnel) avec la CPAM en septembre 2022" is one clause.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from extractors.lexicon import load_lexicon
from extractors.text.phrases import literal_pattern
from extractors.text.verbs import irregular_forms, regular_forms

_LEXICON = load_lexicon("event_verbs.json")
PRIORITY: dict[str, int] = _LEXICON["priority"]


def _alternation(words) -> str:
    # Longest first, then alphabetical: the same pattern in every process (a set's order
    # changes with the hash seed), so its compiled form can be kept on disk
    # (flows/run/compiled_patterns.py).
    ordered = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))
    return "|".join(literal_pattern(w) for w in ordered)


def _verb_table() -> dict[str, tuple[str, str, str]]:
    """form → (event, lemma, tense)."""
    table: dict[str, tuple[str, str, str]] = {}
    for event, lemmas in _LEXICON["events"].items():
        for lemma in lemmas:
            irregular = _LEXICON["irregular"].get(lemma)
            forms = irregular_forms(irregular) if irregular else regular_forms(lemma)
            for form, tense in forms:
                table.setdefault(form.lower(), (event, lemma, tense))
    return table


VERBS = _verb_table()
VERB = re.compile(rf"(?<![\w'’-])(?:{_alternation(VERBS)})(?![\w-])", re.IGNORECASE)
NOT_YET = re.compile(
    rf"(?<![\w'’])(?:{_alternation(_LEXICON['not_yet'])})(?:\s+(?:être|été|se|s['’]|l['’]))?"
    r"(?:\s+\S+){0,2}\s*$",
    re.IGNORECASE,
)
NOT_YET_NEAR_DATE = re.compile(
    rf"(?<![\w'’])(?:{_alternation(_LEXICON['not_yet_near_date'])})(?![\w])", re.IGNORECASE
)
OTHER_EVENT_OPENING = re.compile(
    rf"^[\s«\"“*_]*(?:{_alternation(_LEXICON['other_event'])})(?![\w])", re.IGNORECASE
)
CREATION_OF = re.compile(rf"(?<![\w])(?:{_alternation(_LEXICON['creation_of'])})(?![\w])", re.I)
SIGNED = re.compile(rf"(?<![\w])(?:{_alternation(_LEXICON['signed'])})(?![\w])", re.I)
THIRD_PARTY = re.compile(rf"(?<![\w])(?:{_alternation(_LEXICON['third_party'])})(?![\w])", re.I)
OTHER_EVENTS = re.compile(rf"(?<![\w])(?:{_alternation(_LEXICON['other_events'])})", re.I)
COMPOSITION_AFTER = re.compile(
    rf"\s+(?:{_alternation(_LEXICON['composition_after'])})(?![\w])", re.IGNORECASE
)
NEEDS_ADVERB = {
    lemma: re.compile(rf"(?<![\w])(?:{_alternation(words)})(?![\w])", re.IGNORECASE)
    for lemma, words in _LEXICON["needs_adverb"].items()
}
# An active transitive verb names what it signs or creates right after it: "a créé un poste".
OBJECT = re.compile(
    r"\s+(?:officiellement\s+|ensemble\s+|enfin\s+)?"
    r"(?P<object>(?:un|une|le|la|les|l['’]|des|son|sa|ses|leur|leurs|notre|nos|cette|ce|cet)"
    r"(?:\s+[\w'’-]+){1,4})",
    re.IGNORECASE,
)
REFLEXIVE = re.compile(
    r"(?<![\w])(?:se|s['’]|nous|s['’]est|se\s+sont)\s*(?:est\s+|sont\s+)?$", re.IGNORECASE
)
PASSIVE = re.compile(r"(?<![\w])(?:été|est|sont|était|étaient|fut|furent)\s*$", re.IGNORECASE)
# What a clause made only of a date may hold besides it: no finite verb of its own.
FINITE = re.compile(
    r"(?<![\w'’])(?:a|ont|est|sont|était|étaient|avait|avaient|sera|seront|fut|furent)(?![\w'’])",
    re.IGNORECASE,
)
YEAR_INTRO = re.compile(r"(?<![\w])en\s+$", re.IGNORECASE)
NOUN_DATE = re.compile(r"(?<![\w])(?:du|de|d['’])\s+$", re.IGNORECASE)
# "une convention conclue entre la CPTS et le CCAS": a counterparty other than the funders of
# the ACI makes it a partnership.
COUNTERPARTY = re.compile(r"(?<![\w])(?:avec|entre)(?![\w])", re.IGNORECASE)
FUNDERS = re.compile(rf"(?<![\w])(?:{_alternation(_LEXICON['funders'])})(?![\w])", re.I)
GENERIC_DETERMINER = re.compile(r"(?:les|des|aux|ces)\s+(?:\w+\s+)?$", re.IGNORECASE)
ADJUNCT_MAX_WORDS = 8
WINDOW = 300  # characters on each side of the date: a clause and its neighbours
DATE_MASK = "#"
CLAUSE_BREAK = re.compile(r"[,;:–—]|\s-\s")
PARENTHESES = re.compile(r"\([^()\n]{0,200}\)")


@dataclass(frozen=True, slots=True)
class Event:
    event: str  # "signature", "officialisation" or "creation"
    priority: int
    verb: str  # the verb form as written


def clause_event(
    text: str, start: int, end: int, date_start: int, date_end: int, year_only: bool = False
) -> Event | None:
    """The signing or creation event that dates `text[date_start:date_end]`, or None.

    A year alone dates an event only as "en 2019": "fin 2019", "début 2023", "depuis 2019" are
    periods. A date after "du"/"de" completes a noun ("la loi du 1er juillet 1901").
    """
    lead = text[max(start, date_start - 12) : date_start]
    if year_only and not YEAR_INTRO.search(lead):
        return None
    if NOUN_DATE.search(lead) or not _has_verb(text, start, end):
        return None
    # A bounded window: a sentence of a thousand dates stays linear.
    start, end = max(start, date_start - WINDOW), min(end, date_end + WINDOW)
    return _clause_event(text, start, end, date_start - start, date_end - start)


@functools.lru_cache(maxsize=256)
def _clause_event(text: str, start: int, end: int, ds: int, de: int) -> Event | None:
    raw = text[start:end]
    sentence = PARENTHESES.sub(lambda m: " " * len(m.group()), raw)
    # The date itself is never an object nor a complement ("constituée le 19 septembre").
    sentence = sentence[:ds] + DATE_MASK * (de - ds) + sentence[de:]
    clauses = _clauses(sentence)
    k = next((i for i, (a, b) in enumerate(clauses) if a <= ds < b), None)
    if k is None:
        return None
    a, b = clauses[k]
    if NOT_YET_NEAR_DATE.search(sentence, a, b):
        return None
    own = _verbs(sentence, a, b)
    if own:
        verb = min(own, key=lambda m: min(abs(m.start() - de), abs(ds - m.end())))
        return _check(sentence, raw, verb, (a, b), clauses)
    if not _is_adjunct(sentence, a, b, ds, de):
        return None
    # The main clause: after a date that opens the sentence, before one that closes it.
    order = [i for i in (k + 1, k + 2, k - 1) if 0 <= i < len(clauses)]
    for i in order:
        found = _verbs(sentence, *clauses[i])
        if found:
            return _check(sentence, raw, found[0], clauses[i], clauses)
    return None


@functools.lru_cache(maxsize=64)
def _has_verb(text: str, start: int, end: int) -> bool:
    """Once per sentence: most dated sentences hold no event verb at all."""
    return VERB.search(text, start, end) is not None


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in CLAUSE_BREAK.finditer(sentence)), len(sentence) + 1]
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]


def _verbs(sentence: str, a: int, b: int) -> list[re.Match[str]]:
    return list(VERB.finditer(sentence, a, min(b, len(sentence))))


def _is_adjunct(sentence: str, a: int, b: int, ds: int, de: int) -> bool:
    """A clause holding only the date, its article and a few words of setting."""
    rest = sentence[a:ds] + " " + sentence[de : min(b, len(sentence))]
    if OTHER_EVENT_OPENING.search(sentence[a:ds]) or FINITE.search(rest):
        return False
    return len(re.findall(r"\w+", rest)) <= ADJUNCT_MAX_WORDS


def _other_counterparty(sentence: str) -> bool:
    """ "conclue entre la CPTS et le CCAS": signed with someone, who is not a funder."""
    found = COUNTERPARTY.search(sentence)
    return bool(found) and not FUNDERS.search(sentence, found.end())


def _check(
    sentence: str, raw: str, verb: re.Match[str], clause: tuple[int, int], clauses
) -> Event | None:
    event, lemma, tense = VERBS[" ".join(verb.group().lower().split())]
    a, b = clause
    before = sentence[max(a, verb.start() - 60) : verb.start()]
    if tense == "future" or NOT_YET.search(before):
        return None
    text = sentence[a : min(b, len(sentence))]
    if OTHER_EVENTS.search(text) and not (event == "creation" and CREATION_OF.search(text)):
        return None
    adverb = NEEDS_ADVERB.get(lemma)
    if adverb and not adverb.search(sentence[max(a, verb.start() - 30) : verb.end() + 30]):
        return None
    obj = OBJECT.match(sentence, verb.end(), min(b, len(sentence)))
    passive = PASSIVE.search(before) or REFLEXIVE.search(before)
    if event == "signature":
        if THIRD_PARTY.search(raw) or _other_counterparty(raw):
            return None
        if obj and not passive:
            if not SIGNED.search(obj.group("object")):
                return None
        elif not SIGNED.search(sentence):
            return None
    elif event == "creation":
        if lemma == "constituer" and not REFLEXIVE.search(before):
            complement = COMPOSITION_AFTER.match(sentence, verb.end(), min(b, len(sentence)))
            creates = obj and CREATION_OF.search(obj.group("object"))
            of_date = complement and sentence[complement.end() :].lstrip().startswith(DATE_MASK)
            if complement and not creates and not of_date:
                return None  # "constituée de 40 professionnels", "constitue un atout"
        if obj and not passive and lemma != "voir le jour":
            if not CREATION_OF.search(obj.group("object")):
                return None
        elif not (
            CREATION_OF.search(text)
            or _pronoun_subject(text, verb.start() - a)
            or _apposition_subject(sentence, verb, clause, clauses)
        ):
            return None
    elif (
        obj
        and not passive
        and not (CREATION_OF.search(obj.group("object")) or SIGNED.search(obj.group("object")))
    ):
        return None  # "a officiellement lancé son application"
    elif not (CREATION_OF.search(sentence) or SIGNED.search(sentence)):
        return None
    if event != "signature" and _generic(sentence):
        return None
    return Event(event, PRIORITY[event], verb.group())


def _generic(sentence: str) -> bool:
    """ "En 2016, la loi a créé les CPTS": CPTS in general, none in particular."""
    named = list(CREATION_OF.finditer(sentence))
    return bool(named) and all(
        GENERIC_DETERMINER.search(sentence, max(0, m.start() - 20), m.start())
        or (m.group().lower().endswith("s") and m.group() != "CPTS")
        for m in named
    )


def opens_other_event(text: str, start: int, end: int, date_start: int) -> bool:
    """The date's clause opens on another event: "Après une réunion publique le 5 mai 2022, ..."."""
    window = max(start, date_start - WINDOW)
    before = PARENTHESES.sub(lambda m: " " * len(m.group()), text[window:date_start])
    cuts = list(CLAUSE_BREAK.finditer(before))
    return bool(OTHER_EVENT_OPENING.search(before[cuts[-1].end() if cuts else 0 :]))


def _pronoun_subject(clause: str, verb_at: int) -> bool:
    """ "elle a vu le jour", "nous nous sommes constitués": a pronoun continues the CPTS."""
    return bool(
        re.search(r"(?<![\w])(?:elle|celle-ci|nous)(?![\w])", clause[:verb_at], re.IGNORECASE)
    )


def _apposition_subject(sentence: str, verb: re.Match[str], clause, clauses) -> bool:
    """ "Née en juin 2023, la CPTS ...": a participle opening its clause describes the subject
    of the next one."""
    a, b = clause
    if sentence[a : verb.start()].strip(' \t«"“*_'):
        return False
    following = [c for c in clauses if c[0] == b]
    return bool(following) and bool(CREATION_OF.search(sentence, *following[0]))
