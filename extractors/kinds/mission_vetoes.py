"""When a mention of a mission is not a mission of the CPTS (vocabulary: mission_vetoes.json).

A mission needs no intent word: "Autre volet : la réponse aux demandes de soins non
programmés" is one. What rules a mention out is read from its clause:
- a statistic: the lack the mission answers, counted ("13 % des habitants n'ont pas de
  médecin traitant", "le taux de dépistage reste faible");
- talk about a topic ("les médecins ont parlé des soins non programmés");
- another actor: an organisation as the subject or the agent ("réunion sur le dépistage
  organisée par la Ligue", "le ministre a rappelé le calendrier de vaccination");
- a one-off past event with its date ("En 2021, la CPTS a coordonné les centres de
  dépistage"), unless it set up a standing service ("En 2023, elle a ouvert un dispositif de
  soins non programmés") or worked on themes ("un atelier autour de thématiques communes :
  la prévention ...");
- a past action that is not the CPTS's ("les contacts se sont révélés précieux pour la
  gestion de l'épidémie", "il n'aurait pas été possible de créer des centres de vaccination").
What the CPTS did is its mission otherwise: a vaccination centre it ran, the crisis it faced.
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds.mission_concepts import ClauseBreaks, Mention
from extractors.kinds.scope import lead_in
from extractors.lexicon import load_lexicon
from extractors.text import nlp
from extractors.text.document import LINE_START_BULLET, line_index
from extractors.text.per_document import per_document, per_key
from extractors.text.phrases import alternatives, compile_phrases
from extractors.text.prefilter import (
    GatedPattern,
    PhraseGate,
    fold_window,
    leading_run,
    starting_with,
)
from extractors.types import Document, Span

_LEX = load_lexicon("mission_vetoes.json")

_MONTHS = "|".join(_LEX["months"])
# A date of the past stated in the clause: "En 2021", "en mars", "le 2 décembre 2025",
# "l'an dernier". Years are read against the release's own date when it has one.
DATE_PATTERN = re.compile(
    rf"""
    (?<![\w])(?:en|dès|depuis|courant)\s+(?P<year>(?:19|20)\d\d)(?!\d)  # "En 2021"
    | (?<![\w])en\s+(?:{_MONTHS})(?:\s+(?P<year2>(?:19|20)\d\d))?(?![\w])  # "en mars (2021)"
    | (?<![\w])le\s+\d{{1,2}}(?:er)?\s+(?:{_MONTHS})(?:\s+(?P<year3>(?:19|20)\d\d))?  # "le 2 mai"
    | {alternatives(_LEX["past_markers"])}
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Each branch holds a year, a month or a past marker: a clause with none is not scanned (the
# lexicon patterns here and below are gated so, text/prefilter.py, for the same reason as
# genericity.py's: every clause of a release with a mission is read).
DATE = GatedPattern(DATE_PATTERN, _LEX["months"] + _LEX["past_markers"], extra=r"(?:19|20)\d\d")
# A verb in the passé composé or plus-que-parfait: "a coordonné", "ont été organisés".
# Each auxiliary starts with a, o or s: the look-ahead spares the look-behinds and the
# alternation at every other position (20 -> 11 µs a sentence).
PAST_VERB = re.compile(
    r"""
    (?=[aos])
    (?<![\w'’])(?<!qui\s)(?:a|ont|avait|avaient|avons|avions|s['’]est|se\s+sont|s['’]étaient)
    (?:\s+(?:d['’]abord|déjà|notamment|ainsi|aussi|également|surtout|alors|été))*
    \s+\w+(?:é|ée|és|ées|i|is|it|u|us|ert|erts)(?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)
SERVICES = compile_phrases(_LEX["services"])
THEMES = compile_phrases(_LEX["themes"])
EVENT_NOUNS = compile_phrases(_LEX["event_nouns"])
TALK = compile_phrases(_LEX["talk"])
ACTORS_ANY_CASE = re.compile(alternatives(_LEX["actors"]), re.IGNORECASE)
AGENT_PATTERN = re.compile(
    rf"(?:{alternatives(_LEX['agent_verbs'])})\s+par\s+(?:le|la|les|l['’])\s*(?P<actor>\w[\w\s'’-]{{0,40}})",
    re.IGNORECASE,
)
# An agent phrase starts with its verb: it is tried where a verb's first word is written only
# (prefilter.starting_with), not at every position of the clause.
AGENT_HEADS = frozenset(map(leading_run, _LEX["agent_verbs"]))
AGENT_GATE = PhraseGate(_LEX["agent_verbs"])  # most clauses hold no agent verb at all
AGENT_PAR = re.compile(r"\spar\s", re.IGNORECASE)
OF_THE_CPTS = compile_phrases(_LEX["actors_of_the_cpts"])
# A figure in the clause: "13,2 %", "14 % des habitants", "près de 6 millions", "le taux de".
FIGURE = re.compile(r"\d|%|\bmillions?\b|\bmilliers?\b|\btaux\b", re.IGNORECASE)
CLAUSE_BREAK = ClauseBreaks(r"[.;!?()\n]")
# A state right before a lack: "étaient sans", "n'ont pas de", "restent sans".
STATE = re.compile(
    r"(?:\best|\bsont|\bétait|\bétaient|\breste|\brestent|\bn['’]ont|\bn['’]a|\bn['’]avaient)"
    r"(?:\s+(?:toujours|encore|aujourd['’]hui|désormais))?\s+$",
    re.IGNORECASE,
)
GRACE_A = re.compile(r"\bgrâce\s+à", re.IGNORECASE)


def clause_of(doc: Document, sentence: Span, at: int,
              breaks: list[tuple[int, int]] | None = None) -> Span:
    """`breaks`: the sentence's `clause_breaks`, when the caller keeps them for its mentions."""
    start = sentence.start
    for b_start, b_end in clause_breaks(doc, sentence) if breaks is None else breaks:
        if b_end <= at:
            start = b_end
        elif b_start >= at:
            return Span(start, b_start)
    return Span(start, sentence.end)


def clause_breaks(doc: Document, sentence: Span) -> list[tuple[int, int]]:
    return [m.span() for m in CLAUSE_BREAK.finditer(doc.text, sentence.start, sentence.end)]


def _chunk(doc: Document, clause: Span, mention: Mention) -> str:
    """The comma-free stretch around the mention: "13,2% de la population sans médecin traitant"."""
    left = max(doc.text.rfind(",", clause.start, mention.start), clause.start - 1) + 1
    right = doc.text.find(",", mention.end, clause.end)
    return doc.text[left : right if right != -1 else clause.end]


def statistic(doc: Document, clause: Span, mention: Mention) -> bool:
    """A lack counted ("13 % de la population sans médecin traitant") or told as a state
    ("Des familles entières étaient sans médecin traitant")."""
    text = _chunk(doc, clause, mention)
    if mention.need and STATE.search(doc.text, clause.start, mention.start):
        return True
    return (mention.need or "taux" in text.lower()) and FIGURE.search(text) is not None


def talk(doc: Document, clause: Span) -> bool:
    return TALK.search(doc.text, clause.start, clause.end) is not None


def agent_in(text: str) -> re.Match[str] | None:
    """`AGENT_PATTERN.search(text)`."""
    if not AGENT_GATE.may_match(fold_window(text)):
        return None
    return next(starting_with(AGENT_PATTERN, text, AGENT_HEADS, after="word"), None)


def another_actor(doc: Document, clause: Span) -> bool:
    """An organisation other than the CPTS acts: the agent of "organisé par la Ligue"."""
    # An agent phrase holds "\s+par\s+": few clauses do, and this scan is the cheapest test.
    if AGENT_PAR.search(doc.text, clause.start, clause.end) is None:
        return False
    # Most clauses hold no agent verb: asked of the document's fold before the clause is cut.
    if not AGENT_GATE.may_match(fold_window(doc.text, clause.start, clause.end)):
        return False
    text = doc.text[clause.start : clause.end]
    agent = agent_in(text)
    return agent is not None and ACTORS_ANY_CASE.match(agent.group("actor")) is not None


def _year_is_past(doc: Document, m: re.Match[str]) -> bool:
    year = m.group("year") or m.group("year2") or m.group("year3")
    if year is None or doc.reference_date is None:
        return True
    return int(year) <= doc.reference_date.year


def dated_past(doc: Document, sentence: Span, clause: Span) -> bool:
    """A one-off event told in the past with its date, that set up nothing lasting."""
    text = doc.text[clause.start : clause.end]
    date = DATE.search(doc.text, sentence.start, clause.end)
    if date is None or not _year_is_past(doc, date):
        return False
    past = PAST_VERB.search(text) is not None or (
        EVENT_NOUNS.search(text) is not None and (date.group("year") is not None)
    )
    if not past:
        return False
    return (
        SERVICES.search(text) is None
        and THEMES.search(doc.text, sentence.start, sentence.end) is None
    )


def past_told(doc: Document, sentence: Span) -> bool:
    """What past_of_another reads of the sentence alone, before its parse: an action told in
    the past, by no service and thanks to nothing."""
    text = doc.slice(sentence)
    if PAST_VERB.search(text) is None and "aurait" not in text:
        return False
    # "la plateforme a traité 2 300 demandes", "grâce à la cellule"
    return not (SERVICES.search(text) or GRACE_A.search(text))


def past_of_another(doc: Document, sentence: Span, mention: Mention,
                    told: bool | None = None) -> bool:
    """A past action whose subject is not the CPTS or its members (nor a passive without
    agent, which tells what the CPTS did). `told`: `past_told` of the sentence, when known."""
    if not (past_told(doc, sentence) if told is None else told):
        return False
    text = doc.slice(sentence)
    tree = nlp.tree(text)
    here = tree.at(mention.start - sentence.start) if tree else None
    if here is None:
        return False
    for node in tree.up_from(here):
        subjects = [c for c in tree.below(node) if c.dep in nlp.SUBJECT_DEPS]
        if subjects and node.pos in {"VERB", "AUX", "ADJ"}:
            if node.tense not in {"Past", "Imp"} and not any(
                c.dep in {"aux", "aux:tense", "aux:pass"} for c in tree.below(node)
            ):
                return False
            subject = subjects[0]
            if subject.dep == "nsubj:pass":
                return False
            if subject.dep == "expl:subj" or subject.text.lower() == "il":
                return True
            return OF_THE_CPTS.search(tree.phrase(subject)) is None
    return False


PAST_SECTION = compile_phrases(_LEX["past_sections"])
# "Ainsi, la CPTS a :", "les membres ont :": a lead-in whose items are past participles.
PAST_LEAD_IN = re.compile(
    r"\b(?:a|ont|avait|avaient)(?:\s+(?:notamment|déjà|ainsi))?\s*:\s*$", re.IGNORECASE
)
HEADING_END = re.compile(r"[.;:,!?]\s*\**\s*$")


def past_section(doc: Document, sentence: Span) -> bool:
    """An item of a list of what was done, or a paragraph under a heading that says so."""
    index = line_index(doc, sentence.start)
    if index is None:
        return _past_section_at(doc, sentence.start)
    # Both readings below depend on the line only: its sentences are answered once.
    return per_key(doc, "past_section_by_line", index,
                   lambda: _past_section_at(doc, sentence.start))


def _past_section_at(doc: Document, offset: int) -> bool:
    intro = lead_in(doc, offset)
    if intro is not None:
        text = doc.slice(intro)
        if PAST_LEAD_IN.search(text) or PAST_SECTION.search(text):
            return True
    before = bisect.bisect_right(doc.lines, offset, key=lambda ln: ln.end)
    return before > 0 and per_document(doc, "past_sections", lambda: _past_sections(doc))[
        before - 1]


def _past_sections(doc: Document) -> list[bool]:
    """For each line, whether the last heading-like line up to it says "what was done"."""
    if not PAST_SECTION.may_match(doc.text):  # no line can say so
        return [False] * len(doc.lines)
    states, state = [], False
    for line in doc.lines:
        text = doc.slice(line)
        if len(text) <= 150 and not HEADING_END.search(text) and not LINE_START_BULLET.match(text):
            state = PAST_SECTION.search(text) is not None
        states.append(state)
    return states
