"""Which CPTS does a fact belong to? The heart of per-CPTS accuracy.

Order of the rules, first that applies wins:
1. a fact inside a CPTS name ("Drôme" in "CPTS Porte de Drôme Ardèche") is no fact at all;
2. attrs["scope"] "generic" → no CPTS; "all" → every CPTS the text names (not those only
   mentioned in passing); attrs["cpts"] → the CPTS that name designates;
3. CPTS named in the fact's sentence: the only one, else the one in the same clause, else the
   closest before it (a plural phrase "les CPTS A et B" counts for both);
4. a plural anaphora ("Ces deux CPTS", "Elles ont toutes") in a text naming several → all;
5. the closest CPTS named before the fact in its paragraph, then in its section (so "Elle
   regroupe..." follows the last named CPTS, and bullets follow their lead-in);
6. the only CPTS of the document, else no CPTS.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from importlib import resources

from extractors import cpts_status
from extractors.slug import same_cpts
from extractors.types import Document, Fact, FactKind, Span

LEXICON = json.loads(
    resources.files("extractors.lexicon").joinpath("cpts_names.json").read_text("utf-8")
)

PLURAL_ANAPHORA = re.compile(
    "|".join(
        r"(?<!\w)" + re.escape(p).replace(r"\ ", r"\s+") + r"(?!\w)"
        for p in LEXICON["plural_anaphora"]
    ),
    re.IGNORECASE,
)

CLAUSE_BREAK = re.compile(
    r"""
    [,;:()\[\]–—]         # commas, semicolons, colons, brackets and dashes cut clauses
    """,
    re.VERBOSE,
)

HEADING_END = re.compile(
    r"""
    [.!?…;:,]\s*$         # a line ending like a sentence or a lead-in is body text
    """,
    re.VERBOSE,
)

MAX_HEADING = 160


@dataclass(frozen=True, slots=True)
class Mention:
    key: str
    start: int
    end: int
    group: str | None


class Attributor:
    """Attribution of the facts of one document, given its cpts_name facts."""

    def __init__(self, doc: Document, facts: list[Fact]) -> None:
        self.doc = doc
        names = sorted((f for f in facts if f.kind == FactKind.CPTS_NAME), key=lambda f: f.start)
        self.name_spans = [Span(f.start, f.end) for f in names]
        self.canonical: dict[str, str] = {}
        statuses: dict[str, list[str | None]] = {}
        for f in names:
            key = str(f.attrs.get("key") or f.value)
            self.canonical.setdefault(key, str(f.value))
            statuses.setdefault(key, []).append(f.attrs.get("status"))
        self.status = {key: cpts_status.best(cues) for key, cues in statuses.items()}
        self.mentions = [
            Mention(str(f.attrs.get("key") or f.value), f.start, f.end, f.attrs.get("group"))
            for f in names
            if f.attrs.get("status") != "mentioned"  # passing mentions own no facts
        ]
        self.named = list(dict.fromkeys(m.key for m in self.mentions))
        active = [k for k in self.named if self.status[k] != "mentioned"]
        self.all_keys = active or self.named
        self.line_starts = [line.start for line in doc.lines]
        self.headings = [line.start for line in doc.lines if self._is_heading(line)]

    def _is_heading(self, line: Span) -> bool:
        text = self.doc.slice(line)
        return (
            len(text) <= MAX_HEADING
            and not cpts_status.BULLET_LINE.match(text)
            and not HEADING_END.search(text)
            and text[:1].isupper()
        )

    def targets(self, fact: Fact) -> list[str | None]:
        """CPTS keys the fact belongs to: [None] for none, [] when it is not a fact at all."""
        if fact.kind == FactKind.PUBLISHED_ON:
            return [None]
        if any(span.overlaps(fact.span) for span in self.name_spans):
            return []
        scope = fact.attrs.get("scope")
        if scope == "generic":
            return [None]
        if scope == "all":
            return list(self.all_keys) or [None]
        named = fact.attrs.get("cpts")
        if named:
            match = [k for k, name in self.canonical.items() if same_cpts(name, named)]
            if match:
                return match[:1]
        return self._by_context(fact) or ([self.named[0]] if len(self.named) == 1 else [None])

    def _by_context(self, fact: Fact) -> list[str | None]:
        sentence = self.doc.sentence_of(fact.start)
        in_sentence = [m for m in self.mentions if sentence.start <= m.start < sentence.end]
        if in_sentence:
            return self._expand(self._pick(in_sentence, fact))
        if len(self.all_keys) >= 2 and PLURAL_ANAPHORA.search(self.doc.slice(sentence)):
            return list(self.all_keys)
        for floor in (self._line_start(fact.start), self._section_start(fact.start)):
            before = [m for m in self.mentions if floor <= m.start and m.end <= fact.start]
            if before:
                return self._expand(before[-1])
        return []

    def _pick(self, in_sentence: list[Mention], fact: Fact) -> Mention:
        if len({m.key for m in in_sentence}) == 1:
            return in_sentence[-1]
        text = self.doc.text
        sentence = self.doc.sentence_of(fact.start)
        lo = max(
            (m.end() for m in CLAUSE_BREAK.finditer(text, sentence.start, fact.start)), default=0
        )
        hi_match = CLAUSE_BREAK.search(text, fact.end)
        hi = hi_match.start() if hi_match else len(text)
        in_clause = [m for m in in_sentence if lo <= m.start and m.end <= hi]
        if len({m.key for m in in_clause}) == 1:
            return in_clause[0]
        before = [m for m in in_sentence if m.end <= fact.start]
        return before[-1] if before else in_sentence[0]

    def _expand(self, mention: Mention) -> list[str | None]:
        if mention.group is None:
            return [mention.key]
        return list(dict.fromkeys(m.key for m in self.mentions if m.group == mention.group))

    def _line_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return self.line_starts[i] if i >= 0 else 0

    def _section_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.headings, offset) - 1
        return self.headings[i] if i >= 0 else 0
