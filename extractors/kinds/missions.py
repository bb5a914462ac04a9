"""Missions a CPTS takes on, as codes of the ACI framework, with the cue phrase as evidence.

Cue phrases per code are data (`lexicon/missions.json`). A cue counts when its sentence says
what someone means to do (an intent word: "a pour ambition", "entend", "Développer ...", or
the lead-in of the list it belongs to: "axé autour de 6 missions :"). Past actions are not
missions: items under a lead-in like "Ainsi, la CPTS a :" or a heading like "Des actions déjà
menées depuis le début de la crise" are skipped, and so is a cue that is the object of a verb in
the passé composé ("elle a d'abord coordonné les centres de dépistage"), unless its clause says
what is planned ("a déjà rédigé son plan de réponse aux crises sanitaires"). `autre`
("Développer le recours à la télésanté") counts only in a sentence that names no known code.
Intent is also a verb in the futur simple ("Elle organisera", "travailleront"), an enumerated
item right after a sentence with intent ("... autour de quatre axes. D'abord, ..."), or a next
sentence pointing back ("... n'ont plus de médecin traitant. C'est notre priorité"); a service
the CPTS runs ("La plateforme de soins non programmés a traité ...") is a mission whatever the
tense. Intent is also the present tense of what the CPTS runs ("la CPTS organise des
créneaux", exact words: "organisé" is a past action), "Le gros sujet reste ...", work on a
mission ("ont travaillé en 2023 sur le parcours"), a newsletter rubric named by its cue ("•
Vaccination – ..."), and the items of an enumeration announced by an interview question with
intent ("Quelles sont vos priorités ? / D'abord ... Ensuite ..."). Statements about CPTS in
general get attrs["scope"] = "generic", and those about every CPTS of the release "all" (see
`scope.py`); assemble.py attributes the rest.

>>> from extractors.text.document import build_document
>>> doc = build_document("t", "La CPTS entend développer les actions de prévention.")
>>> [(f.value, f.text) for f in extract(doc)]
[('prevention', 'prévention')]
"""

from __future__ import annotations

import re

from extractors.kinds.scope import context_sentences, lead_in, scope_at
from extractors.lexicon import load_lexicon
from extractors.text.document import LINE_START_BULLET
from extractors.text.phrases import alternatives, compile_phrases, phrase_pattern
from extractors.text.prefilter import GatedAlternation
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
# "la CPTS organise des créneaux": exact words (accents count: "organisé" is a past action).
PRESENT = re.compile(
    rf"(?<![^\W_])(?:{'|'.join(map(re.escape, _LEX['present_cues']))})(?![^\W_])", re.IGNORECASE
)

# A verb in the futur simple: "organisera", "travailleront", "suivront" (not "sera", "aura").
FUTURE = re.compile(
    rf"""
    (?<![^\W_])(?!(?:{alternatives(_LEX["future_not"])})(?![^\W_]))
    [^\W\d_]{{2,}}(?:{"|".join(sorted(_LEX["future_endings"], key=len, reverse=True))})
    (?![^\W_])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_OPENING = r"[\s«\"“*•-]*"  # quotes, bullets and spaces before a sentence's first word
# "D'abord ...", "Troisième axe, ...": the next item of what the previous sentence announced.
ENUMERATOR = re.compile(rf"{_OPENING}(?:{alternatives(_LEX['enumerators'])})", re.IGNORECASE)
# "• Vaccination – la campagne ...", "Prévention : ...": a newsletter rubric named by its cue.
RUBRIC = re.compile(rf"{_OPENING}$")
RUBRIC_AFTER = re.compile(r"[ \t\u00a0\u202f]*(?:[–—:]|-[ \t\u00a0])")
# "Quelles sont vos priorités ?": an interview question announces the answer's enumeration.
QUESTION_END = re.compile(r"\?[\s»”\"]*$")
# "... n'ont plus de médecin traitant. C'est notre priorité": the next sentence points back.
POINTING_BACK = re.compile(rf"{_OPENING}(?:{alternatives(_LEX['pointing_back'])})", re.IGNORECASE)

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
    if PAST_OBJECT.search(chunk) is None:
        return False
    # the rest of the clause may say what it is for: "ont fait de la télésanté l'un des axes"
    stop = min(sentence.end, cue.end() + PAST_OBJECT_WINDOW)
    rest = CHUNK_BREAK.search(doc.text, cue.end(), stop)
    after = doc.text[cue.end() : rest.start() if rest else stop]
    return INTENT.search(chunk) is None and INTENT.search(after) is None


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


def _says_intent(doc: Document, span: Span) -> bool:
    return bool(
        INTENT.search(doc.text, span.start, span.end)
        or FUTURE.search(doc.text, span.start, span.end)
        or PRESENT.search(doc.text, span.start, span.end)
    )


def _has_intent(doc: Document, sentence: Span) -> bool:
    spans = context_sentences(doc, sentence.start)
    intro = lead_in(doc, sentence.start)
    if intro is not None:
        spans.append(intro)
    return any(_says_intent(doc, s) for s in spans)


def _same_paragraph(doc: Document, first: Span | None, second: Span | None) -> bool:
    return (
        first is not None and second is not None and "\n" not in doc.text[first.end : second.start]
    )


def _rubric(doc: Document, sentence: Span, cues: list[tuple[str, re.Match[str]]]) -> bool:
    """ "• Vaccination – la campagne grippe a permis 4 300 injections": the line's label is the
    cue itself, as newsletters title what the CPTS runs."""
    m = cues[0][1]
    line_start = doc.text.rfind("\n", 0, sentence.start) + 1
    return (
        RUBRIC.match(doc.text, line_start, m.start()) is not None
        and RUBRIC_AFTER.match(doc.text, m.end(), sentence.end) is not None
    )


def _borrowed_intent(
    doc: Document,
    sentence: Span,
    previous: Span | None,
    previous_intent: bool | None,
    following,
    item: Span | None = None,
) -> bool:
    """An enumerated item after a sentence with intent (or after an interview question with
    intent: "Quelles sont vos priorités ? / D'abord les patients sans médecin traitant."), or
    after an earlier item of the same paragraph that counted (`item`: "Ensuite ..."), or a next
    sentence pointing back."""
    if ENUMERATOR.match(doc.text, sentence.start, sentence.end):
        if _same_paragraph(doc, item, sentence):
            return True
        if (
            previous is not None
            and (
                _same_paragraph(doc, previous, sentence)
                or QUESTION_END.search(doc.slice(previous)) is not None
            )
            and (previous_intent if previous_intent is not None else _has_intent(doc, previous))
        ):
            return True
    return (
        _same_paragraph(doc, sentence, following)
        and POINTING_BACK.match(doc.text, following.start, following.end) is not None
        and _says_intent(doc, following)
    )


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
    previous: Span | None = None
    previous_intent: bool | None = None  # None: not computed (a sentence without cue)
    item: Span | None = None  # the last enumerated item that counted ("D'abord ...")
    for i, sentence in enumerate(doc.sentences):
        while line_index < len(doc.lines) and doc.lines[line_index].end < sentence.start:
            line_index += 1
        cues = _cues(doc, sentence)
        intent: bool | None = None
        if cues:
            following = doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None
            intent = (
                _has_intent(doc, sentence)
                or _rubric(doc, sentence, cues)
                or _borrowed_intent(doc, sentence, previous, previous_intent, following, item)
            )
            if intent and ENUMERATOR.match(doc.text, sentence.start, sentence.end):
                item = sentence
        previous, previous_intent = sentence, intent
        if not cues or not intent:
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
