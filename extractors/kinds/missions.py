"""Missions a CPTS takes on, as codes of the ACI framework, with the mention as evidence.

A mission is found by what it is about, not by an intent word: mission_concepts.py finds
where a sentence names a code, in its own words or in others ("soutenir les jeunes soignants
qui s'installent" is accompagnement_professionnels). Each mention then counts unless
- its clause speaks of CPTS in general (genericity.py: "Une CPTS aide les soignants à
  organiser le parcours des patients"): such statements of the framework are no mission of
  anyone, and are not emitted;
- a veto of mission_vetoes.py applies (a statistic, talk, another actor, a dated one-off past
  event, a past action that is not the CPTS's).
Under a heading that names
a code ("1. Faciliter l'accès à un médecin traitant"), what a named CPTS does in a sentence
naming no code of its own is that mission ("la CPTS de la Couronne Mancelle a organisé une
cellule de recensement"). Statements about every CPTS of the release get attrs["scope"] =
"all" (scope.py); assemble.py attributes the rest.

>>> from extractors.text.document import build_document
>>> doc = build_document("t", "Autre volet : la réponse aux demandes de soins non programmés.")
>>> [(f.value, f.text) for f in extract(doc)]
[('soins_non_programmes', 'demandes de soins non programmés')]
"""

from __future__ import annotations

import bisect
import re

from extractors.kinds import mission_vetoes as vetoes
from extractors.kinds.genericity import NAMED_CPTS, is_generic, units
from extractors.kinds.mission_concepts import Mention, mentions_each
from extractors.kinds.scope import ALL, GENERIC, scope_at
from extractors.text.document import heading_starts, line_index
from extractors.types import Document, Fact, FactKind, Span

NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s")
CRISES = "crises_sanitaires"  # a crisis is answered, or rehearsed, on a date: never history


# "... n'ont pas de médecin traitant. C'est notre priorité": the next sentence adopts the lack.
POINTING_BACK = re.compile(
    r"[\s.»”\"]*(?:c['’]est|ce\s+sera|voilà|tel(?:le)?\s+est)\s+(?:notre|leur|la|une|sa)\s+"
    r"(?:priorité|objectif|mission|chantier|combat)",
    re.IGNORECASE,
)


def _adopted(doc: Document, sentence: Span) -> bool:
    """Does the next sentence adopt the lack this one states (POINTING_BACK)?"""
    return POINTING_BACK.match(doc.text, sentence.end, sentence.end + 60) is not None


class _Vetoes:
    """The vetoes of mission_vetoes.py for the mentions of one sentence. A sentence with a
    mention holds two on average, mostly in one clause: what depends only on the sentence or
    on a clause is read once, and the parse (past_of_another) comes last."""

    def __init__(self, doc: Document, sentence: Span) -> None:
        self.doc = doc
        self.sentence = sentence
        self._of_clause: dict[Span, bool] = {}  # talk or another actor
        self._dated: dict[Span, bool] = {}
        self._breaks: list[tuple[int, int]] | None = None  # vetoes.clause_breaks
        self._told: bool | None = None  # vetoes.past_told

    def vetoed(self, m: Mention) -> bool:
        doc, sentence = self.doc, self.sentence
        if self._breaks is None:
            self._breaks = vetoes.clause_breaks(doc, sentence)
        clause = vetoes.clause_of(doc, sentence, m.start, self._breaks)
        if vetoes.statistic(doc, clause, m) and not _adopted(doc, sentence):
            return True
        other = self._of_clause.get(clause)
        if other is None:
            other = self._of_clause[clause] = (
                vetoes.talk(doc, clause) or vetoes.another_actor(doc, clause))
        if other:
            return True
        if m.code != CRISES:
            dated = self._dated.get(clause)
            if dated is None:
                dated = self._dated[clause] = vetoes.dated_past(doc, sentence, clause)
            if dated:
                return True
        # past_section keeps its answer per line (mission_vetoes.py).
        if vetoes.past_section(doc, sentence):
            return True
        if self._told is None:
            self._told = vetoes.past_told(doc, sentence)
        return vetoes.past_of_another(doc, sentence, m, self._told)


def _scope(doc: Document, span: Span, scopes: dict) -> str | None:
    """`scope_at(doc, span, scopes)`: it reads the span's start only through the sentence and
    the line holding it, so it is read once for them (kept in `scopes` beside its cache)."""
    key = ("mention", doc.sentence_of(span.start), line_index(doc, span.start))
    scope = scopes.get(key, _UNREAD)
    if scope is _UNREAD:
        scope = scopes[key] = scope_at(doc, span, scopes)
    return scope


_UNREAD = object()


def _fact(code: str, start: int, end: int, text: str, scope: str | None) -> Fact:
    return Fact(
        kind=FactKind.MISSION,
        value=code,
        start=start,
        end=end,
        text=text,
        extractor="missions",
        attrs={"scope": scope} if scope else {},
    )


class _Headings:
    """The heading lines of a document, found by bisection: a long release has thousands of
    headings and of sentences, and a scan of every heading per sentence was quadratic."""

    def __init__(self, doc: Document) -> None:
        starts = set(heading_starts(doc))
        # Lines are disjoint and in reading order: starts and ends both increase.
        self.lines = [
            ln for ln in doc.lines
            if ln.start in starts or NUMBERED.match(doc.slice(ln)) is not None
        ]
        self.starts = [h.start for h in self.lines]
        self.ends = [h.end for h in self.lines]

    def holding(self, offset: int) -> Span | None:
        """The heading line `offset` lies in."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[i] if i >= 0 and offset < self.lines[i].end else None

    def before(self, offset: int) -> Span | None:
        """The last heading line that ends at or before `offset`."""
        i = bisect.bisect_right(self.ends, offset) - 1
        return self.lines[i] if i >= 0 else None


def extract(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    memo: dict = {}
    scopes: dict = {}
    headings: _Headings | None = None
    heading_codes: dict[int, list[str]] = {}
    sentences = units(doc)
    for sentence, found in zip(sentences, mentions_each(doc, sentences), strict=True):
        if not found:
            if heading_codes:  # else nothing to lend
                facts += _lent_by_heading(doc, sentence, headings, heading_codes, memo)
            continue
        if headings is None:
            headings = _Headings(doc)
        seen: set[str] = set()
        sentence_vetoes = _Vetoes(doc, sentence)
        for m in found:
            if m.code in seen:
                continue
            span = Span(m.start, m.end)
            # Read first, once per sentence and line: a generic scope needs no veto.
            scope = _scope(doc, span, scopes)
            if scope == GENERIC or (scope != ALL and is_generic(doc, span, memo)):
                continue
            if sentence_vetoes.vetoed(m):
                continue
            seen.add(m.code)
            facts.append(_fact(m.code, m.start, m.end, m.text, ALL if scope == ALL else None))
        h = headings.holding(sentence.start)
        if h is not None:
            heading_codes.setdefault(h.start, []).extend(m.code for m in found)
    return facts


def _lent_by_heading(
    doc: Document,
    sentence: Span,
    headings: _Headings | None,
    heading_codes: dict[int, list[str]],
    memo: dict,
) -> list[Fact]:
    """A named CPTS acting, under a heading that names a code, in a sentence naming none."""
    if not heading_codes or headings is None:
        return []
    named = NAMED_CPTS.search(doc.text, sentence.start, sentence.end)
    if named is None or vetoes.PAST_VERB.search(doc.text, named.end(), sentence.end) is None:
        return []
    heading = headings.before(sentence.start)
    if heading is None:
        return []
    codes = heading_codes.get(heading.start, [])
    if not codes or is_generic(doc, Span(named.start(), named.end()), memo):
        return []
    clause = vetoes.clause_of(doc, sentence, named.start())
    text = doc.text[clause.start : clause.end]
    start = clause.start + len(text) - len(text.lstrip())
    end = clause.start + len(text.rstrip())
    return [_fact(code, start, end, doc.text[start:end], None) for code in dict.fromkeys(codes)]
