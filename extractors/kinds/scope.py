"""Whom a sentence speaks about, and the list that an item belongs to.

A fact's value rarely says whose it is: "15 000 €" belongs to one CPTS, to each CPTS of the
release ("Chacune de ces CPTS a obtenu ...") or to none ("Les CPTS peuvent bénéficier ...").
`scope_at` reads the cue words of the sentence (vocabulary in `lexicon/scope.json`) and answers
"all", "generic" or None (attribute by context, which assemble.py does). `lead_in` and
`context_sentences` live here too because amounts and missions read the same context; lexicon
phrases become regexes in phrases.py.

>>> sentence_scope("Chacune de ces CPTS a obtenu un financement de 15 000 €.")
'all'
>>> sentence_scope("Les CPTS peuvent en effet bénéficier d’un financement de l’Assurance maladie")
'generic'
>>> sentence_scope("La CPTS Velay Sud couvre 66 500 habitants.") is None
True
"""

from __future__ import annotations

import bisect
import functools
import re

from extractors.lexicon import load_lexicon
from extractors.text.document import LINE_START_BULLET, line_index
from extractors.text.per_document import per_key
from extractors.text.phrases import alternatives, compile_phrases, phrase_pattern
from extractors.types import Document, Span

ALL = "all"
GENERIC = "generic"

_LEX = load_lexicon("scope.json")
ALL_CUES = compile_phrases(_LEX["all"])
GENERIC_CUES = compile_phrases(_LEX["generic"])
WEAK_GENERIC_CUES = compile_phrases(_LEX["generic_weak"])


# "la CPTS du Genevois déploie les missions socles": one CPTS takes on the framework's missions;
# a relative clause may sit between the subject and its verb ("Cette CPTS de taille 3, qui peut
# prétendre à 300 000 € par an, remplit déjà les missions socle").
COMMITMENT = re.compile(
    rf"""
    (?:{alternatives(_LEX["commitment"]["subjects"])})  # la CPTS, elle, cette CPTS
    [^.;:!?\n,]{{0,60}}?                                 # its name, an adverb
    (?:,\s*(?:qui|dont|que|qu['’])[^.;:!?\n]{{0,160}}?,)? # ", qui peut prétendre à ...,"
    \s(?:{alternatives(_LEX["commitment"]["verbs"])})   # déploie, met en œuvre, s'engage
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "Elles développeront ...": a sentence opening with a plural pronoun.
PLURAL_OPENING = re.compile(rf"[\s«\"“]*(?:{alternatives(_LEX['plural_pronouns'])})", re.IGNORECASE)


def _each_past(lexicon: dict) -> re.Pattern[str]:
    subjects = "|".join(phrase_pattern(p) for p in lexicon["subjects"])
    auxiliaries = "|".join(
        phrase_pattern(p) for p in sorted(lexicon["auxiliaries"], key=len, reverse=True)
    )
    # a past participle: "bénéficié", "reçu", "obtenu", "perçu", "dotée", "attribués"
    return re.compile(
        rf"(?:{subjects})\s+(?:{auxiliaries})\s+[^\W\d_]+(?:é|ée|és|ées|u|ue|us|i|is)(?![^\W_])",
        re.IGNORECASE,
    )


# "Chaque CPTS a bénéficié d'une aide de 25 000 €": what each CPTS of the release got.
EACH_PAST = _each_past(_LEX["each_past"])

# A lead-in that announces a list: "... allant jusqu'à :", "axé autour de 6 missions :".
ENDS_WITH_COLON = re.compile(r":\s*\**\s*$")

# A list item whose bullet was lost by the converter still ends like one: "... ;" or "... ,".
ITEM_ENDING = re.compile(r"[;,]\s*$")

# "Leur objectif ? Favoriser ..." — a question or a colon hands its subject to what follows.
HANDS_OVER = re.compile(r"[?:]\s*$")


# Memoised: amounts and missions read the same sentences, and releases repeat boilerplate
# sentences; the answer depends on the sentence's text only.
@functools.lru_cache(maxsize=2048)
def sentence_scope(sentence: str) -> str | None:
    """ "all", "generic" or None for one sentence; "all" is the more specific, so it wins."""
    if ALL_CUES.search(sentence) or EACH_PAST.search(sentence):
        return ALL
    if GENERIC_CUES.search(sentence):
        return GENERIC
    if WEAK_GENERIC_CUES.search(sentence) and not COMMITMENT.search(sentence):
        return GENERIC
    return None


def _is_item(doc: Document, line: Span) -> bool:
    text = doc.slice(line)
    return bool(LINE_START_BULLET.match(text) or ITEM_ENDING.search(text))


def lead_in(doc: Document, offset: int) -> Span | None:
    """The last sentence of the line that introduces the list item holding `offset`, if any.

    Items are bullet lines or lines ending in ";"/"," (converters often drop the bullet); the
    last item may end with a full stop. The lead-in is the line before them ending with ":".
    """
    index = line_index(doc, offset)
    if not index:
        return None
    # It depends on the line only, and every sentence of a line asks (missions' scopes and
    # vetoes, genericity, amounts), each walking back over the items before it: once per line.
    return per_key(doc, "lead_in", index, lambda: _lead_in(doc, index))


def _lead_in(doc: Document, index: int) -> Span | None:
    j = index - 1
    while j >= 0 and _is_item(doc, doc.lines[j]):
        j -= 1
    if j < 0 or not ENDS_WITH_COLON.search(doc.slice(doc.lines[j])):
        return None
    current, previous = doc.slice(doc.lines[index]), doc.slice(doc.lines[index - 1])
    is_item = (
        _is_item(doc, doc.lines[index])
        or j == index - 1  # the first paragraph after the colon
        # the last item of a list without bullets ends with a full stop
        or (ITEM_ENDING.search(previous) is not None and current.rstrip().endswith("."))
    )
    return doc.sentence_of(doc.lines[j].end - 1) if is_item else None


def context_sentences(doc: Document, offset: int) -> list[Span]:
    """The sentence holding `offset`, then the sentence that hands it its subject, if any."""
    sentence = doc.sentence_of(offset)
    spans = [sentence]
    previous = _previous_sentence(doc, sentence)
    if previous is not None and HANDS_OVER.search(doc.slice(previous)):
        spans.append(previous)
    return spans


def _previous_sentence(doc: Document, sentence: Span) -> Span | None:
    i = bisect.bisect_right(doc.sentences, sentence.start, key=lambda s: s.end) - 1
    if i < 0:
        return None
    prev = doc.sentences[i]
    # Only within the same line: a heading above a paragraph does not hand over its subject.
    if "\n" in doc.text[prev.end : sentence.start]:
        return None
    return prev


def _continues_all(doc: Document, sentence: Span, cache: dict | None) -> bool:
    """ "Elles ..." right after a sentence about every CPTS, in the same paragraph."""
    if not PLURAL_OPENING.match(doc.text, sentence.start, sentence.end):
        return False
    i = bisect.bisect_right(doc.sentences, sentence.start, key=lambda s: s.end) - 1
    if i < 0 or "\n\n" in doc.text[doc.sentences[i].end : sentence.start]:
        return False
    return _cached_scope(doc, doc.sentences[i], cache) == ALL


def _cached_scope(doc: Document, sentence: Span, cache: dict | None) -> str | None:
    if cache is None:
        return sentence_scope(doc.slice(sentence))
    key = (sentence.start, sentence.end)
    if key not in cache:
        cache[key] = sentence_scope(doc.slice(sentence))
    return cache[key]


def scope_at(doc: Document, span: Span, cache: dict | None = None) -> str | None:
    """Scope of the fact at `span`: its sentence, else a sentence handing over its subject,
    else (for a list item that names no CPTS itself) the lead-in of the list. Callers reading
    many facts of one document pass a `cache` dict so each sentence is read once."""
    for sentence in context_sentences(doc, span.start):
        scope = _cached_scope(doc, sentence, cache)
        if scope:
            return scope
    if _continues_all(doc, doc.sentence_of(span.start), cache):
        return ALL
    intro = lead_in(doc, span.start)
    index = line_index(doc, span.start)
    line = doc.lines[index] if index is not None else None
    if intro is not None and line is not None and "CPTS" not in doc.slice(line):
        return _cached_scope(doc, intro, cache)
    return None
