"""Does a clause speak of CPTS in general, or of a CPTS of the release?

Decided as a French reader decides it, from the clause itself (vocabulary in
`lexicon/genericity.json`):
- its subject: a generic noun phrase ("Une CPTS aide les soignants ...", "les CPTS
  expérimentent ...", "Une mission centrale des CPTS est ...") or a pronoun or possessive
  continuing one ("Elles reçoivent des financements ...") is generic; a CPTS of the release
  ("celle du Pays de Lauragais", "la CPTS", "nous") is not, whatever else the sentence says
  ("Comme toute CPTS, celle du Pays de Lauragais s'engage ...");
- a definitional copula after an unnamed CPTS ("la CPTS est un dispositif souple ...");
- the framework speaking ("selon l'accord conventionnel", "le Code de la santé publique");
- a question asking what a CPTS is ("À quoi sert une CPTS ?"): its section, to the next
  question or heading;
- a clause with no CPTS of its own continues the last one spoken of in its section ("Les CPTS
  sont des regroupements ... / L'idée, c'est d'en finir avec la fragmentation des parcours");
  a list without a lead-in belongs to its section heading, and a numbered heading to the
  lead-in of its list ("Le rôle des CPTS se distingue sur plusieurs axes : / 1. ... / 2. ...").

The dependency parse (text/nlp.py) finds the subject of the clause holding the mention, and is
asked only when the sentence has both a generic noun phrase or a continuing pronoun and a
mention; the other sentences are read with the lexicon alone.
"""

from __future__ import annotations

import bisect
import functools
import re

from extractors.kinds.scope import lead_in
from extractors.lexicon import load_lexicon
from extractors.text import nlp
from extractors.text.document import LINE_START_BULLET, heading_starts, line_index
from extractors.text.per_document import per_document
from extractors.text.phrases import alternatives, compile_phrases, phrase_pattern
from extractors.text.prefilter import GatedAlternation
from extractors.types import Document, Span

_LEX = load_lexicon("genericity.json")
GENERIC, SPECIFIC = "generic", "specific"

# "les CPTS" not directly followed by a name ("les CPTS Aprosalys et Lyon 6e" are named).
# Gated alternations (text/prefilter.py) rather than one regex each: the verdicts read every
# sentence of a release, and a scan of every phrase at every position of it cost more than
# the rest of the missions. `(?:A|B)X` finds what `(?:A)X|(?:B)X` finds.
_UNNAMED = r"(?-i:(?!\s+(?:[A-ZÉÈÀ«]|d['’][A-ZÉ])))"
GENERIC_NP = GatedAlternation(
    [(p, f"(?:{phrase_pattern(p)}){_UNNAMED}")
     for p in sorted(_LEX["generic_subjects"], key=len, reverse=True)],
    re.IGNORECASE,
    starts_with_phrase=True,
    # phrase_pattern opens each phrase with its look-behind: "les" is tried where a word
    # starts, not in each "celles" (35 -> 21 us on a sentence naming a CPTS).
    word_start=True,
)
# A CPTS of the release: a name ("CPTS Sud", "CPTS du Bessin"), or a definite reference.
NAMED_CPTS = re.compile(
    r"\bCPTS\s+(?:[A-ZÉÈÀ«\"“0-9]|(?:du|de|des|de\s+la|de\s+l['’]|d['’])\s*[A-ZÉÈÀ])"
)
SPECIFIC_NP = compile_phrases(_LEX["specific_subjects"])
CONTINUING = re.compile(
    rf"^[\s«\"“*•\-–]*(?:{alternatives(_LEX['continuing'])})(?![^\W_])", re.IGNORECASE
)
FRAMEWORK = compile_phrases(_LEX["framework"])
COPULAS = {c.lower() for c in _LEX["copulas"]}
UNNAMED_SUBJECT = re.compile(
    r"^(?:la|une|le)\s+(?:CPTS|communauté\s+professionnelle[\w\s]*?)\s*$", re.IGNORECASE
)
DEFINITION_QUESTION = compile_phrases(_LEX["definition_questions"])
QUESTION_LINE = re.compile(r"\?[\s»”\"*]*$")
NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s")
COLON_END = re.compile(r":\s*\**\s*$")
TRAILING_ELLIPSIS = re.compile(r"(?:…|\.\.\.)[\s»”\"]*$")


def _section_start(doc: Document, offset: int, headings: list[int]) -> int:
    i = bisect.bisect_right(headings, offset)
    return headings[i - 1] if i else 0


def _question_section(doc: Document, offset: int) -> bool:
    """Inside the section of a question line asking what a CPTS is."""
    before = bisect.bisect_right(doc.lines, offset, key=lambda ln: ln.end)
    return before > 0 and _question_states(doc)[before - 1]


def _question_states(doc: Document) -> list[bool]:
    """For each line, whether the text after it lies in a "what is a CPTS?" section: the last
    question line or heading before a point decides, so one pass serves every offset."""
    def build() -> list[bool]:
        # Up to the first question line, and so up to the line of the first "?", all False.
        mark = doc.text.find("?")
        skipped = len(doc.lines) if mark < 0 else bisect.bisect_right(
            doc.lines, mark, key=lambda ln: ln.end)
        states, state = [False] * skipped, False
        for line in doc.lines[skipped:]:
            text = doc.slice(line)
            if QUESTION_LINE.search(text):
                state = NAMED_CPTS.search(text) is None and (
                    DEFINITION_QUESTION.search(text) is not None
                    or GENERIC_NP.search(text) is not None
                )
            elif _is_heading(doc, line):
                state = False
            states.append(state)
        return states

    return per_document(doc, "question_states", build)




def _is_heading(doc: Document, line: Span) -> bool:
    return line.start in _headings(doc) or NUMBERED.match(doc.slice(line)) is not None


_CACHE: dict[int, tuple[Document, set[int], tuple[Span, ...]]] = {}


def _cached(doc: Document) -> tuple[Document, set[int], tuple[Span, ...]]:
    """Headings and units of `doc`, computed once per document (the last few are kept)."""
    entry = _CACHE.get(id(doc))
    if entry is None or entry[0] is not doc:
        if len(_CACHE) > 8:
            _CACHE.clear()
        entry = _CACHE[id(doc)] = (doc, set(heading_starts(doc)), _split_units(doc))
    return entry


def _headings(doc: Document) -> set[int]:
    return _cached(doc)[1]


def _split_units(doc: Document) -> tuple[Span, ...]:
    out = []
    for sentence in doc.sentences:
        start = sentence.start
        while start < sentence.end:
            nl = doc.text.find("\n", start, sentence.end)
            end = sentence.end if nl == -1 else nl
            if doc.text[start:end].strip():
                out.append(Span(start, end))
            start = end + 1
    return tuple(out)


def units(doc: Document) -> tuple[Span, ...]:
    """Sentences cut at line ends: a heading line never shares a clause with the next line
    ("1. Faciliter l'accès à un médecin traitant" / "Face à la pénurie, les CPTS ...")."""
    return _cached(doc)[2]


def unit_of(doc: Document, offset: int) -> Span:
    spans = units(doc)
    i = bisect.bisect_right(spans, offset, key=lambda s: s.start) - 1
    if i >= 0 and spans[i].start <= offset < spans[i].end:
        return spans[i]
    return doc.sentence_of(offset)


@functools.lru_cache(maxsize=1024)
def sentence_verdict(text: str) -> str | None:
    """What the lexicon alone says of a sentence: generic, specific, "continue" or None."""
    if FRAMEWORK.search(text):
        return GENERIC
    if CONTINUING.match(text):
        return "continue"
    generic = GENERIC_NP.search(text) is not None
    specific = NAMED_CPTS.search(text) is not None or SPECIFIC_NP.search(text) is not None
    if generic and not specific:
        return GENERIC
    if specific and not generic:
        return SPECIFIC
    return "parse" if generic else None


def _subject_verdict(subject: str) -> str | None:
    if GENERIC_NP.search(subject) and not NAMED_CPTS.search(subject):
        return GENERIC
    if CONTINUING.match(subject):
        return "continue"
    if NAMED_CPTS.search(subject) or SPECIFIC_NP.search(subject):
        return SPECIFIC
    return None


def _clause_verdict(text: str, offset: int) -> str | None:
    """Verdict from the subject of the clause holding `offset` (relative to `text`)."""
    tree = nlp.tree(text)
    if tree is None:
        return sentence_verdict(text) if sentence_verdict(text) != "parse" else GENERIC
    here = tree.at(offset) or min(tree.tokens, key=lambda t: abs(t.start - offset))
    for node in tree.up_from(here):
        for child in tree.below(node):
            sub = tree.phrase(child)
            if child.dep in nlp.SUBJECT_DEPS:
                verdict = _subject_verdict(sub)
                copula = any(c.dep == "cop" and c.text.lower() in COPULAS for c in tree.below(node))
                if verdict == SPECIFIC and copula and UNNAMED_SUBJECT.match(sub):
                    return GENERIC  # "la CPTS est un dispositif souple"
                if verdict is not None:
                    return verdict
            elif (
                child.dep.startswith("nmod")
                and GENERIC_NP.search(sub)
                and not NAMED_CPTS.search(sub)
            ):
                return GENERIC  # "les missions facultatives des CPTS que sont ..."
    return None


def _previous_verdict(doc: Document, sentence: Span, memo: dict) -> str | None:
    """The last CPTS spoken of before `sentence` in its section (generic or specific)."""
    headings = per_document(doc, "sorted_headings", lambda: sorted(_headings(doc)))
    floor = _section_start(doc, sentence.start, headings)
    spans = units(doc)
    for i in range(bisect.bisect_right(spans, sentence.start, key=lambda s: s.end) - 1, -1, -1):
        prev = spans[i]
        if prev.end <= floor:
            break
        verdict = _sentence_scope(doc, prev, memo)
        if verdict in {GENERIC, SPECIFIC}:
            return verdict
    return None


def _numbered_lead_in(doc: Document, offset: int) -> Span | None:
    """ "2. Organiser ..." belongs to the line with ":" before its "1. ", if any."""
    index = line_index(doc, offset)
    if index is None:
        return None
    m = NUMBERED.match(doc.slice(doc.lines[index]))
    if m is None:
        return None
    for j in range(index - 1, -1, -1):
        first = NUMBERED.match(doc.slice(doc.lines[j]))
        if first and first.group(1) == "1":
            if j > 0 and COLON_END.search(doc.slice(doc.lines[j - 1])):
                return doc.lines[j - 1]
            return None
    return None


def _sentence_scope(doc: Document, sentence: Span, memo: dict) -> str | None:
    key = (sentence.start, sentence.end)
    if key in memo:
        return memo[key]
    memo[key] = None  # guards the recursion
    text = doc.slice(sentence)
    verdict = sentence_verdict(text)
    if _question_section(doc, sentence.start):
        verdict = GENERIC
    elif verdict == "parse":
        verdict = _clause_verdict(text, 0)
    if verdict == "continue":  # "Elles ..." continues a generic subject, else a named one
        verdict = GENERIC if _previous_verdict(doc, sentence, memo) == GENERIC else SPECIFIC
    if verdict is None:
        lead = _numbered_lead_in(doc, sentence.start)
        if lead is not None:
            verdict = _sentence_scope(doc, unit_of(doc, lead.end - 1), memo)
    memo[key] = verdict
    return verdict


def _section_heading(doc: Document, offset: int) -> Span | None:
    for line in reversed([ln for ln in doc.lines if ln.end <= offset]):
        if _is_heading(doc, line):
            return line
    return None


def is_generic(doc: Document, span: Span, memo: dict) -> bool:
    """Does the clause holding `span` speak of CPTS in general?"""
    sentence = unit_of(doc, span.start)
    # A sentence holds a few mentions: what its lexicon says is read once, and only a
    # verdict that hangs on the subject of the mention's own clause is read per mention.
    reading = memo.get((sentence, "reading"), _UNREAD)
    if reading is _UNREAD:
        reading = memo[(sentence, "reading")] = _sentence_reading(doc, sentence)
    if reading is True:
        return True
    verdict = reading
    if reading == _BY_CLAUSE:
        text = doc.slice(sentence)
        verdict = _clause_verdict(text, span.start - sentence.start)
        if verdict is None:
            verdict = _sentence_scope(doc, sentence, memo)
    settled = memo.get((sentence, "settled", verdict), _UNREAD)
    if settled is _UNREAD:
        settled = memo[(sentence, "settled", verdict)] = _settled(doc, sentence, verdict, memo)
    return settled == GENERIC


_BY_CLAUSE = "clause"  # the subject of the mention's clause decides (the parse)
_UNREAD = object()


def _sentence_reading(doc: Document, sentence: Span) -> bool | str | None:
    """True when the whole sentence is generic, _BY_CLAUSE when the clause of each mention
    decides, else the lexicon's verdict on the sentence."""
    text = doc.slice(sentence)
    if _question_section(doc, sentence.start):
        return True
    verdict = sentence_verdict(text)  # kept per text, where FRAMEWORK and GENERIC_NP are read:
    # it is GENERIC wherever FRAMEWORK matches, and SPECIFIC only where GENERIC_NP does not.
    if verdict == GENERIC and FRAMEWORK.search(text):
        return True
    if verdict in {"parse", "continue"}:
        return _BY_CLAUSE
    return verdict


def _settled(doc: Document, sentence: Span, verdict: str | None, memo: dict) -> str | None:
    """`verdict` once a continuing subject, a hanging enumeration or a clause without subject
    is read from the sentences around."""
    if verdict == "continue":
        verdict = GENERIC if _previous_verdict(doc, sentence, memo) == GENERIC else SPECIFIC
    if verdict is None and TRAILING_ELLIPSIS.search(doc.slice(sentence)):
        verdict = _next_verdict(doc, sentence, memo)
    if verdict is None:
        verdict = _no_subject_verdict(doc, sentence, memo)
    return verdict


def _next_verdict(doc: Document, sentence: Span, memo: dict) -> str | None:
    """ "Accès aux médecins traitants, prévention, … Chaque CPTS mène une étude ...": a
    verbless enumeration left hanging is the topic of the next sentence of its paragraph."""
    spans = units(doc)
    i = bisect.bisect_right(spans, sentence.start, key=lambda s: s.start)
    if i < len(spans) and "\n" not in doc.text[sentence.end : spans[i].start]:
        return _sentence_scope(doc, spans[i], memo)
    return None


def _no_subject_verdict(doc: Document, sentence: Span, memo: dict) -> str | None:
    """A clause with no CPTS of its own: a numbered heading reads its lead-in, a list item
    without lead-in its section heading, anything else the last CPTS spoken of."""
    lead = _numbered_lead_in(doc, sentence.start)
    if lead is not None:
        return _sentence_scope(doc, unit_of(doc, lead.end - 1), memo)
    intro = lead_in(doc, sentence.start)
    if intro is not None:
        return _sentence_scope(doc, unit_of(doc, intro.end - 1), memo)
    line_start = doc.text.rfind("\n", 0, sentence.start) + 1
    if LINE_START_BULLET.match(doc.text[line_start : sentence.end]):
        heading = _section_heading(doc, line_start)
        if (
            heading is not None
            and _sentence_scope(doc, unit_of(doc, heading.end - 1), memo) == GENERIC
        ):
            return GENERIC
    return _previous_verdict(doc, sentence, memo)
