"""Missions a CPTS takes on, as codes of the ACI framework, with the cue phrase as evidence.

Cue phrases per code are data (`lexicon/missions.json`). A cue counts when its sentence says
what someone means to do (an intent word: "a pour ambition", "entend", "Développer ...", or
the lead-in of the list it belongs to: "axé autour de 6 missions :"). Past actions are not
missions: items under a lead-in like "Ainsi, la CPTS a :" or a heading like "Des actions déjà
menées depuis le début de la crise" are skipped, and so is a cue that is the object of a verb in
the passé composé ("elle a d'abord coordonné les centres de dépistage"), unless its clause says
what is planned ("a déjà rédigé son plan de réponse aux crises sanitaires"). `autre`
("Développer le recours à la télésanté") counts only in a sentence that names no known code.
Statements about CPTS in general get attrs["scope"] = "generic", and those about every CPTS of
the release "all" (see `scope.py`); assemble.py attributes the rest.

>>> from extractors.document import build_document
>>> doc = build_document("t", "La CPTS entend développer les actions de prévention.")
>>> [(f.value, f.text) for f in extract(doc)]
[('prevention', 'prévention')]
"""

from __future__ import annotations

import re

from extractors.document import LINE_START_BULLET
from extractors.numbers import load_lexicon
from extractors.prefilter import GatedAlternation
from extractors.scope import compile_phrases, context_sentences, lead_in, phrase_pattern, scope_at
from extractors.types import Document, Fact, FactKind, Span

_LEX = load_lexicon("missions.json")
OTHER = "autre"

_PHRASES = sorted(
    ((phrase, code) for code, phrases in _LEX["codes"].items() for phrase in phrases),
    key=lambda item: len(item[0]),
    reverse=True,
)
_GROUP_CODE = {f"m{i}": code for i, (_, code) in enumerate(_PHRASES)}

# One alternation over every phrase of every code, longest first; the group says the code.
# Gated: a sentence only runs the phrases whose letters it contains (prefilter.py).
MISSION_CUES = GatedAlternation(
    [(phrase, f"(?P<m{i}>{phrase_pattern(phrase)})") for i, (phrase, _) in enumerate(_PHRASES)],
    re.IGNORECASE,
)
INTENT = compile_phrases(_LEX["intent_cues"])
PAST = compile_phrases(_LEX["past_cues"])

# A lead-in whose items are past participles: "Ainsi, la CPTS a :", "les membres ont :".
PAST_LEAD_IN = re.compile(
    r"""
    \b(?:a|ont|avait|avaient)        # the auxiliary of a passé composé / plus-que-parfait
    (?:\s+(?:notamment|déjà|ainsi))? # an adverb may sit between
    \s*:\s*$                         # right before the colon that opens the list
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A passé composé right before a cue, in the same comma-free chunk: the cue is what was done.
PAST_OBJECT = re.compile(
    r"""
    (?<![\w'’])(?<!qui\s)            # "qui a signé l'ACI" describes the subject, not an action
    (?:a|ont|avait|avaient)
    (?:\s+(?:d['’]abord|déjà|notamment|ainsi|aussi|également|surtout|longtemps|récemment))*
    \s+(?:\w+(?:é|ée|és|ées)|mis|fait|conduit|assuré)  # "coordonné", "mis en place", "fait"
    (?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)
CHUNK_BREAK = re.compile(r"[,;:.()\n«»\"“”]")
PAST_OBJECT_WINDOW = 120  # characters before the cue


def _past_object(doc: Document, sentence: Span, cue: re.Match[str]) -> bool:
    start = max(sentence.start, cue.start() - PAST_OBJECT_WINDOW)
    chunk = doc.text[start : cue.start()]
    breaks = list(CHUNK_BREAK.finditer(chunk))
    if breaks:
        chunk = chunk[breaks[-1].end() :]
    return PAST_OBJECT.search(chunk) is not None and INTENT.search(chunk) is None


# A heading: a short line that does not end like a sentence or a list item.
HEADING_END = re.compile(r"[.;:,!?]\s*\**\s*$")
HEADING_MAX = 150


def _heading(doc: Document, line_index: int) -> Span | None:
    for j in range(line_index - 1, -1, -1):
        line = doc.lines[j]
        text = doc.slice(line)
        if LINE_START_BULLET.match(text) or HEADING_END.search(text) or len(text) > HEADING_MAX:
            continue
        return line
    return None


def _in_past(doc: Document, sentence: Span, line_index: int | None) -> bool:
    intro = lead_in(doc, sentence.start)
    if intro is not None:
        text = doc.slice(intro)
        if PAST_LEAD_IN.search(text) or PAST.search(text):
            return True
    heading = _heading(doc, line_index) if line_index is not None else None
    return heading is not None and PAST.search(doc.slice(heading)) is not None


def _has_intent(doc: Document, sentence: Span) -> bool:
    spans = context_sentences(doc, sentence.start)
    intro = lead_in(doc, sentence.start)
    if intro is not None:
        spans.append(intro)
    return any(INTENT.search(doc.text, s.start, s.end) for s in spans)


def _cues(doc: Document, sentence: Span) -> list[tuple[str, re.Match[str]]]:
    """The first cue of each code in the sentence; `autre` only when nothing else is named."""
    first: dict[str, re.Match[str]] = {}
    for m in MISSION_CUES.finditer(doc.text, sentence.start, sentence.end):
        if not _past_object(doc, sentence, m):
            first.setdefault(_GROUP_CODE[m.lastgroup or ""], m)
    if len(first) > 1:
        first.pop(OTHER, None)
    return sorted(first.items(), key=lambda item: item[1].start())


def extract(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    line_index = 0
    for sentence in doc.sentences:
        while line_index < len(doc.lines) and doc.lines[line_index].end < sentence.start:
            line_index += 1
        cues = _cues(doc, sentence)
        if not cues or not _has_intent(doc, sentence):
            continue
        if _in_past(doc, sentence, line_index if line_index < len(doc.lines) else None):
            continue
        for code, m in cues:
            scope = scope_at(doc, Span(m.start(), m.end()))
            facts.append(
                Fact(
                    kind=FactKind.MISSION,
                    value=code,
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                    extractor="missions",
                    attrs={"scope": scope} if scope else {},
                )
            )
    return facts
