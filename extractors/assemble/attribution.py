"""Which CPTS does a fact belong to? The heart of per-CPTS accuracy.

The CPTS of a text are its subjects, or secondary: named only in passing ("après la CPTS
Ouest", "celles du Pays manceau"), or named in one sentence only and without a status cue, when
another CPTS is named in several sentences ("Les CPTS du Grand Besançon et du Pays de
Montbéliard ont partagé leur expérience"). A secondary CPTS owns only the facts of its own clause or
of the apposition right after its name; it never takes facts by proximity, and "all" skips it.

Order of the rules, first that applies wins:
1. a fact inside a CPTS name ("Drôme" in "CPTS Porte de Drôme Ardèche") is no fact at all;
2. a number followed by "pour <a CPTS of the text>" ("318 000 € pour l'Outre-Forêt", with or
   without the word CPTS) → that CPTS; a fact in the brackets right after a CPTS name ("les
   CPTS de Vierzon (40 000 habitants) et du Sancerrois (…)") → that CPTS only;
3. attrs["scope"] "generic" → no CPTS; "all" → every subject CPTS; attrs["cpts"] → the CPTS
   that name designates;
4. CPTS named in the fact's clause or right before it in apposition ("la CPTS Sud Réunion,
   créée en 2021"); then subjects named in the fact's sentence: the only one, else the one in
   the same clause, else the closest before it (a plural phrase "les CPTS A et B" counts for
   both); a signature date in a sentence naming several subjects goes to each of them;
5. a plural anaphora ("Ces deux CPTS", "Elles ont toutes", "quatre communautés" when the
   text has four) in a text naming several → all;
6. the closest subject named before the fact in its paragraph, then in its section (so "Elle
   regroupe..." follows the last named CPTS, and bullets follow their lead-in);
7. the only subject CPTS of the document, else its main CPTS (subjects.py), else no CPTS.
A figure of a territorial unit ("Le Pays compte seize communes", attrs territory_unit) goes
to the CPTS so found only if that CPTS is named after the unit ("CPTS du Pays de X").
Money that would go to several CPTS but is their total ("au total", "ensemble", or the sum of
per-CPTS amounts of its sentence) goes to none.
"""

from __future__ import annotations

import bisect
import itertools
import re

from extractors.assemble.clauses import (
    FOR_NAME,
    clause_bounds,
    in_apposition_chain,
    key_written,
)
from extractors.assemble.subjects import (
    COUNTED_CPTS,
    DISTRIBUTIVE_CUES,
    PLURAL_ANAPHORA,
    TOTAL_CUES,
    Mention,
    key_of,
    subjects,
)
from extractors.kinds import cpts_status
from extractors.text.document import heading_starts
from extractors.text.numbers import parse_number
from extractors.text.slug import same_cpts
from extractors.types import Document, Fact, FactKind, Span

# How far back from a fact its opening bracket may be.
BRACKET_REACH = 200

NUMERIC_KINDS = frozenset(
    {FactKind.AMOUNT, FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS}
)


class Attributor:
    """Attribution of the facts of one document, given its cpts_name facts."""

    def __init__(self, doc: Document, facts: list[Fact]) -> None:
        self.doc = doc
        # The cpts_name facts in text order, and their spans.
        self.names = names = sorted((f for f in facts if f.kind == FactKind.CPTS_NAME),
                                    key=lambda f: f.start)
        self.name_spans = [Span(f.start, f.end) for f in names]
        self.canonical: dict[str, str] = {}
        statuses: dict[str, list[str | None]] = {}
        for f in names:
            key = key_of(f)
            self.canonical.setdefault(key, str(f.value))
            statuses.setdefault(key, []).append(f.attrs.get("status"))
        self.status = {key: cpts_status.best(cues) for key, cues in statuses.items()}
        minor, self.main = subjects(doc, names, self.status)
        every = [
            Mention(key_of(f), f.start, f.end, f.attrs.get("group"), key_of(f) in minor)
            for f in names
        ]
        self.every = every
        self.mentions = [m for m in every if not m.minor]
        # Facts look up the mentions of their sentence, clause or line: sorted starts and ends
        # make each lookup a bisection, so a long text costs n log n, not facts × mentions.
        self.every_starts = [m.start for m in every]
        self.mention_starts = [m.start for m in self.mentions]
        self.by_end = sorted(range(len(every)), key=lambda i: (every[i].end, i))
        self.ends = [every[i].end for i in self.by_end]
        self.name_starts = [s.start for s in self.name_spans]
        self.name_ends_max = list(itertools.accumulate((s.end for s in self.name_spans), max))
        self.group_keys: dict[str, list[str]] = {}
        for m in every:
            if m.group is not None:
                keys = self.group_keys.setdefault(m.group, [])
                if m.key not in keys:
                    keys.append(m.key)
        self.named = list(dict.fromkeys(m.key for m in self.mentions))
        active = [k for k in self.named if self.status[k] != "mentioned"]
        self.all_keys = active or self.named
        self.amounts = [f for f in facts if f.kind == FactKind.AMOUNT]
        self.line_starts = [line.start for line in doc.lines]
        self.headings = heading_starts(doc)
        self._of_all: dict[int, bool] = {}  # sentence start → `_speaks_of_all`
        self._by_sentence: dict[tuple[int, int], tuple[list[Mention], list[Mention], bool]] = {}
        # One CPTS named, and not only in passing: each rule from 2 on gives a fact without
        # attrs that CPTS or no CPTS, and no CPTS falls back to it (rule 7).
        self.sole = self.named[0] if len(self.canonical) == 1 and len(self.named) == 1 else None

    def targets(self, fact: Fact) -> list[str | None]:
        """CPTS keys the fact belongs to: [None] for none, [] when it is not a fact at all."""
        if fact.kind == FactKind.PUBLISHED_ON:
            return [None]
        if not fact.attrs:
            sole = self.sole_targets(fact.start, fact.end)
            if sole is not None:
                return sole  # a place, most dates and figures of a one-CPTS release
        if self.inside_a_name(fact.start, fact.end):
            return []
        following = self._named_after(fact) or self.bracketed(fact)
        if following:
            return [following]
        if fact.attrs.get("in_brackets"):
            return [None]  # a bare count in brackets is a CPTS's only right after its name
        keys = self._scoped(fact)
        if fact.kind == FactKind.AMOUNT and len(keys) >= 2 and self._is_total(fact):
            return [None]
        unit = fact.attrs.get("territory_unit")
        if unit:
            return [k for k in keys if k is not None and self._bears_unit(k, unit)] or [None]
        return keys

    def sole_targets(self, start: int, end: int) -> list[str | None] | None:
        """What `targets` gives a fact without attrs at text[start:end] (not a publication
        date) in a release that names one CPTS, read from the span alone (rules 1 and 2);
        None in a release that names several. The places of a release take this path without
        a fact being made for them."""
        if self.sole is None:
            return None
        return [] if self.inside_a_name(start, end) else [self.sole]

    def inside_a_name(self, start: int, end: int) -> bool:
        """Does text[start:end] overlap a CPTS name (rule 1)?"""
        # Name spans sorted by start; a running max of their ends stops the walk back as soon
        # as no earlier name can reach the span.
        i = bisect.bisect_left(self.name_starts, end)
        while i > 0 and self.name_ends_max[i - 1] > start:
            i -= 1
            if self.name_spans[i].start < end and start < self.name_spans[i].end:
                return True
        return False

    def _bears_unit(self, key: str, unit: str) -> bool:
        """ "Le Pays compte seize communes": the figure of a Pays, an agglomération ... is the
        CPTS's only when the CPTS is named after it ("CPTS du Pays de Quimperlé")."""
        name = self.canonical.get(key, key)
        return re.search(rf"(?<!\w){re.escape(unit)}(?!\w)", name, re.IGNORECASE) is not None

    def _scoped(self, fact: Fact) -> list[str | None]:
        scope = fact.attrs.get("scope")
        if scope == "generic":
            return [None]
        if self.sole is not None:
            # Every rule below gives the one CPTS named ("all" is it, so is the CPTS a
            # phrase names or none, the context or the fallback): no clause is read.
            return [self.sole]
        if scope == "all":
            return list(self.all_keys) or [None]
        named = fact.attrs.get("cpts")
        if named:
            match = [k for k, name in self.canonical.items() if same_cpts(name, named)]
            if match:
                return match[:1]
        return self._by_context(fact) or [self.named[0] if len(self.named) == 1 else self.main]

    def _named_after(self, fact: Fact) -> str | None:
        if fact.kind not in NUMERIC_KINDS or len(self.canonical) < 2:
            return None
        m = FOR_NAME.match(self.doc.text, fact.end)
        return key_written(self.canonical, m.group("name")) if m else None

    def bracketed(self, fact: Fact) -> str | None:
        """The CPTS whose name the fact's brackets follow: "les CPTS de Vierzon (12 communes,
        40 000 habitants) et du Sancerrois (…)" gives each figure to its own name only."""
        text = self.doc.text
        # Looked for in place (no slice of the window per fact).
        at = text.rfind("(", max(self._line_start(fact.start), fact.start - BRACKET_REACH),
                        fact.start)
        if at < 0 or text.find(")", at, fact.start) >= 0:
            return None
        gap = at
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        # mentions ending in the blank run right before the bracket; the last named wins
        lo, hi = bisect.bisect_left(self.ends, gap), bisect.bisect_right(self.ends, at)
        if lo == hi:
            return None
        return self.every[max(self.by_end[lo:hi])].key

    def _is_total(self, fact: Fact) -> bool:
        """Is this amount the total of several CPTS ("ensemble près de 1,1 million", "au total,
        1,5 million ... à ces quatre CPTS", or the sum of the per-CPTS amounts beside it)?"""
        sentence = self.doc.sentence_of(fact.start)
        text = self.doc.slice(sentence)
        if TOTAL_CUES.search(text) and not DISTRIBUTIVE_CUES.search(text):
            return True
        parts = [
            int(other.value)
            for other in self.amounts
            if sentence.start <= other.start < sentence.end
            and other is not fact
            and self._named_after(other)
        ]
        return len(parts) >= 2 and int(fact.value) >= 0.9 * sum(parts)

    def _by_context(self, fact: Fact) -> list[str | None]:
        sentence = self.doc.sentence_of(fact.start)
        every, in_sentence, by_clause = self._in_sentence(sentence)
        own = self._own_clause(fact, sentence, every) if by_clause else None
        if own is not None:
            return self._expand(own)
        if in_sentence:
            if self._is_signature(fact) and len({m.key for m in in_sentence}) >= 2:
                return list(dict.fromkeys(k for m in in_sentence for k in self._expand(m)))
            return self._expand(self._pick(in_sentence, fact))
        if len(self.all_keys) >= 2 and self._speaks_of_all(sentence):
            return list(self.all_keys)
        for floor in (self._line_start(fact.start), self._section_start(fact.start)):
            before = [m for m in self._starting_in(self.mentions, self.mention_starts, floor,
                                                   fact.start) if m.end <= fact.start]
            if before:
                return self._expand(before[-1])
        return []

    def _speaks_of_all(self, sentence: Span) -> bool:
        """Does the sentence speak of every CPTS at once ("elles", "les deux CPTS")? Kept per
        sentence: the places of one sentence ask it once each, and the search is long."""
        found = self._of_all.get(sentence.start)
        if found is None:
            text = self.doc.slice(sentence)
            found = bool(PLURAL_ANAPHORA.search(text)) or any(
                parse_number(m.group("n")) == (len(self.all_keys), "exact")
                for m in COUNTED_CPTS.finditer(text)
            )
            self._of_all[sentence.start] = found
        return found

    def _is_signature(self, fact: Fact) -> bool:
        return fact.kind == FactKind.SIGNED_ON and fact.attrs.get("event") == "signature"

    def _clause(self, fact: Fact, sentence: Span) -> tuple[int, int]:
        return clause_bounds(self.doc.text, sentence, fact.start, fact.end)

    def _in_sentence(self, sentence: Span) -> tuple[list[Mention], list[Mention], bool]:
        """The mentions starting in the sentence (all, then the subjects'), and whether its
        facts go by clause (`_own_clause`: it names several CPTS, or a secondary one). Kept
        per sentence: its facts ask in turn."""
        key = (sentence.start, sentence.end)
        found = self._by_sentence.get(key)
        if found is None:
            every = self._starting_in(self.every, self.every_starts, sentence.start,
                                      sentence.end)
            by_clause = len({m.key for m in every}) >= 2 or any(m.minor for m in every)
            found = self._by_sentence[key] = (every, self._starting_in(
                self.mentions, self.mention_starts, sentence.start, sentence.end), by_clause)
        return found

    def _own_clause(self, fact: Fact, sentence: Span, in_sentence: list[Mention]
                    ) -> Mention | None:
        """The one CPTS named in the fact's clause, or right before it in apposition, in a
        sentence whose facts go by clause (`_in_sentence`: a secondary CPTS owns only
        such facts); `in_sentence`: every mention starting in the sentence."""
        lo, hi = self._clause(fact, sentence)
        in_clause = [m for m in in_sentence if lo <= m.start and m.end <= hi]
        if len({m.key for m in in_clause}) == 1:
            return in_clause[0]
        if in_clause:
            return None
        before = [m for m in in_sentence if m.end <= lo]
        if (
            before
            and in_apposition_chain(self.doc.text[before[-1].end : lo], self.doc.text[lo:hi])
        ):
            return before[-1]
        return None

    def _pick(self, in_sentence: list[Mention], fact: Fact) -> Mention:
        if len({m.key for m in in_sentence}) == 1:
            return in_sentence[-1]
        lo, hi = self._clause(fact, self.doc.sentence_of(fact.start))
        in_clause = [m for m in in_sentence if lo <= m.start and m.end <= hi]
        if len({m.key for m in in_clause}) == 1:
            return in_clause[0]
        before = [m for m in in_sentence if m.end <= fact.start]
        return before[-1] if before else in_sentence[0]

    def _expand(self, mention: Mention) -> list[str | None]:
        if mention.group is None:
            return [mention.key]
        return list(self.group_keys[mention.group])

    @staticmethod
    def _starting_in(mentions: list[Mention], starts: list[int], lo: int, hi: int
                     ) -> list[Mention]:
        """The mentions (sorted by start) that start in [lo, hi)."""
        return mentions[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def _line_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return self.line_starts[i] if i >= 0 else 0

    def _section_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.headings, offset) - 1
        return self.headings[i] if i >= 0 else 0
