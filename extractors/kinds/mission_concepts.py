"""Where a sentence names a mission, by code: its phrases, or a concept said in other words.

A concept is an action and what it acts on, in the same clause, the action first and a few
words before its argument: "soutenir les jeunes soignants", "préparer la gestion des
prochaines épidémies". The vocabulary is `lexicon/missions.json`.
`autre` is decided per clause: it counts only in a clause (between ";", ":" , "," or " et
pour ") that names no known code, so one sentence may give "soins_non_programmes" and
"autre".

>>> from extractors.text.document import build_document
>>> doc = build_document("t", "Elle veut soutenir les jeunes soignants qui s'installent.")
>>> [(m.code, m.text) for m in mentions(doc, doc.sentences[0])]
[('accompagnement_professionnels', 'soutenir les jeunes soignants')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from extractors.lexicon import load_lexicon
from extractors.text.phrases import compile_phrases, phrase_pattern
from extractors.text.prefilter import KEYWORDS, GatedAlternation, fold_window
from extractors.types import Document, Span

_LEX = load_lexicon("missions.json")
OTHER = "autre"


@dataclass(frozen=True)
class Mention:
    code: str
    start: int
    end: int
    text: str
    need: bool = False  # names the lack the mission answers ("sans médecin traitant")


def _phrase_table() -> list[tuple[str, str, bool]]:
    rows = []
    for code, entry in _LEX["codes"].items():
        rows += [(p, code, False) for p in entry["phrases"]]
        rows += [(p, code, True) for p in entry.get("need", [])]
    return sorted(rows, key=lambda row: len(row[0]), reverse=True)


_PHRASES = _phrase_table()
PHRASES = GatedAlternation(
    [(p, f"(?P<m{i}>{phrase_pattern(p)})") for i, (p, _, _) in enumerate(_PHRASES)],
    re.IGNORECASE,
    starts_with_phrase=True,
    word_start=True,  # phrase_pattern opens each phrase with its look-behind
)
FALSE_CUES = compile_phrases(_LEX["false_cues"])

# A word of a lemma list: "trouv*" is a prefix; several words are a phrase.
_WORD = r"[^\W_]+(?:['’][^\W_]+)?"


@dataclass(frozen=True)
class Concept:
    code: str
    # Gated: the same matches as re.compile(alternatives(...), re.I), but a clause without
    # the words of a lemma or an argument costs no regex scan (20 scans per clause were a
    # third of the extraction time).
    lemmas: GatedAlternation
    arguments: GatedAlternation
    window: int  # words allowed between the action and its argument


CONCEPTS = [
    Concept(code, compile_phrases(c["lemmas"]), compile_phrases(c["arguments"]), c["window"])
    for code, entry in _LEX["codes"].items()
    for c in entry["concepts"]
]
# The keywords the concepts' gates look for: a clause's are those of its sentence that it holds.
CONCEPT_KEYWORDS = frozenset().union(*(c.lemmas.keywords | c.arguments.keywords for c in CONCEPTS))
# The concepts whose action a keyword may name: arguments ("le", "dans") are in most sentences,
# actions in few, so a sentence's actions say which concepts to weigh.
# (An action without letters could be anywhere: its concepts are filed under "".)
_BY_ACTION: dict[str, list[Concept]] = {}
for _concept in CONCEPTS:
    for _word in _concept.lemmas.keywords if not _concept.lemmas.may_match_in(()) else [""]:
        _BY_ACTION.setdefault(_word, []).append(_concept)
ACTION_KEYWORDS = frozenset(_BY_ACTION) - {""}
_UNGATED = _BY_ACTION.get("", [])


def _weighed(actions: frozenset[str], present: Collection[str]) -> list[Concept]:
    """The concepts, in order, whose action one of `actions` may name and whose argument a
    sentence holding the keywords `present` may hold."""
    return [c for c in _named(actions) if c.arguments.may_match_in(present)]


@functools.lru_cache(maxsize=1024)
def _named(actions: frozenset[str]) -> tuple[Concept, ...]:
    # A few sets of actions come back in sentence after sentence.
    named = {id(c) for word in actions for c in _BY_ACTION[word]} | {id(c) for c in _UNGATED}
    return tuple(c for c in CONCEPTS if id(c) in named)


class ClauseBreaks:
    r"""`re.compile(signs + r"|\s[–—]\s")` for `finditer`: in a window without a dash (most
    sentences) only the signs can match, and a pattern of one character class alone is
    looked for at C speed, where the alternative opening with `\s` had the engine try every
    position (3x slower over a sentence)."""

    def __init__(self, signs: str) -> None:
        self.signs = re.compile(signs)
        self.pattern = re.compile(rf"{signs}|\s[–—]\s")

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        if text.find("–", start, end) < 0 and text.find("—", start, end) < 0:
            return self.signs.finditer(text, start, end)
        return self.pattern.finditer(text, start, end)


# A clause ends at these: an action and its argument never straddle them.
CLAUSE_BREAK = ClauseBreaks(r"[.;:!?()«»\"“”\n]")
# `autre` is weighed against the codes of its own clause, commas and "et pour" included.
AUTRE_CLAUSE_BREAK = re.compile(r"[.;:!?()\n,]|\s[–—]\s|\bet\s+(?:pour|de|à)\b", re.IGNORECASE)
WORDS = re.compile(_WORD)


def _clauses(doc: Document, span: Span, breaks: re.Pattern[str] | ClauseBreaks) -> list[Span]:
    out, start = [], span.start
    for m in breaks.finditer(doc.text, span.start, span.end):
        if m.start() > start:
            out.append(Span(start, m.start()))
        start = m.end()
    if start < span.end:
        out.append(Span(start, span.end))
    return out


def _words_between(doc: Document, start: int, end: int) -> int:
    return len(WORDS.findall(doc.text, start, end)) if end > start else 0


def _concept_mentions(doc: Document, clause: Span, concepts: list[Concept],
                      present: Collection[str]) -> list[Mention]:
    """`concepts`: those whose words the clause's sentence holds; `present`: the clause's
    keywords (those of CONCEPT_KEYWORDS at least)."""
    found: list[Mention] = []
    for concept in concepts:
        # Both words of a concept must be there before either is searched for.
        if not (concept.arguments.may_match_in(present)
                and concept.lemmas.may_match_in(present)):
            continue
        lemmas = list(concept.lemmas.finditer(doc.text, clause.start, clause.end, present))
        if not lemmas:
            continue
        for arg in concept.arguments.finditer(doc.text, clause.start, clause.end, present):
            near = [
                lemma
                for lemma in lemmas
                if lemma.end() <= arg.start()
                and _words_between(doc, lemma.end(), arg.start()) <= concept.window
            ]
            if near:
                lemma = min(near, key=lambda m: abs(m.start() - arg.start()))
                start, end = min(lemma.start(), arg.start()), max(lemma.end(), arg.end())
                found.append(Mention(concept.code, start, end, doc.text[start:end]))
                break
    return found


def _phrase_mentions(matches: list[re.Match[str]], false: list[re.Match[str]]) -> list[Mention]:
    """`matches`: those of PHRASES in a sentence, `false` those of FALSE_CUES."""
    found: list[Mention] = []
    for m in matches:
        if any(f.start() < m.end() and m.start() < f.end() for f in false):
            continue
        _, code, need = _PHRASES[int((m.lastgroup or "m0")[1:])]
        found.append(Mention(code, m.start(), m.end(), m.group(), need))
    return found


def mentions(doc: Document, sentence: Span) -> list[Mention]:
    """Every mention of a mission in `sentence`, phrases first, in text order."""
    return mentions_each(doc, [sentence])[0]


def mentions_each(doc: Document, sentences: Sequence[Span]) -> list[list[Mention]]:
    """`mentions` of each of `sentences`, the phrases looked for in all of them in one call
    (GatedAlternation.finditer_each: most sentences hold a keyword of a phrase, few a phrase)."""
    windows = [fold_window(doc.text, s.start, s.end) for s in sentences]
    presents = [KEYWORDS.present(window) for window in windows]
    phrases = PHRASES.finditer_each(doc.text, [(s.start, s.end) for s in sentences], presents)
    # The false cues only matter where a phrase is found.
    with_phrase = [j for j, matches in enumerate(phrases) if matches]
    false = dict(zip(with_phrase, FALSE_CUES.finditer_each(
        doc.text, [(sentences[j].start, sentences[j].end) for j in with_phrase],
        [presents[j] for j in with_phrase]), strict=True))
    return [
        _mentions(doc, sentence, window, present,
                  _phrase_mentions(matches, false[j]) if matches else [])
        for j, (sentence, window, present, matches) in enumerate(zip(
            sentences, windows, presents, phrases, strict=True))
    ]


def _mentions(doc: Document, sentence: Span, window: str, present: frozenset[str],
              found: list[Mention]) -> list[Mention]:
    """`window`: the fold of `sentence`, `present` its keywords, `found` its phrases'
    mentions (_phrase_mentions)."""
    # A clause holds no keyword its sentence lacks: the concepts the sentence cannot hold are
    # never looked for, and without any the clauses are not read.
    actions = ACTION_KEYWORDS.intersection(present)
    concepts = _weighed(actions, present) if actions or _UNGATED else []
    if concepts:
        words = CONCEPT_KEYWORDS.intersection(present)
        for clause in _clauses(doc, sentence, CLAUSE_BREAK):
            # The clause's keywords, from its sentence's: one substring test each.
            part = window[clause.start - sentence.start : clause.end - sentence.start]
            held = [word for word in words if word in part]
            found += [
                c
                for c in _concept_mentions(doc, clause, concepts, held)
                if not any(
                    f.start < c.end and c.start < f.end and f.code == c.code and not f.need
                    for f in found
                )
            ]
    if not found:
        return found
    found.sort(key=lambda m: (m.start, -m.end))
    return _autre_per_clause(doc, sentence, found)


def _autre_per_clause(doc: Document, sentence: Span, found: list[Mention]) -> list[Mention]:
    """ "Impliquer les usagers au travers de formations pluri-professionnelles" is a
    formation, not an axis of its own: `autre` yields to a known code of its clause."""
    if not any(m.code == OTHER for m in found):
        return found
    clauses = _clauses(doc, sentence, AUTRE_CLAUSE_BREAK)
    kept = []
    for m in found:
        if m.code == OTHER:
            clause = next((c for c in clauses if c.start <= m.start < c.end), None)
            if clause is not None and any(
                o.code != OTHER and clause.start <= o.start < clause.end for o in found
            ):
                continue
        kept.append(m)
    return kept
