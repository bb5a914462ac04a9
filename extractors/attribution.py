"""Which CPTS does a fact belong to? The heart of per-CPTS accuracy.

The CPTS of a text are its subjects, or secondary: named only in passing ("après la CPTS
Ouest", "celles du Pays manceau"), or named in one sentence only and without a status cue, when
another CPTS is named in several sentences ("Les CPTS du Grand Besançon et du Pays de
Montbéliard ont partagé leur expérience"). A secondary CPTS owns only the facts of its own clause or
of the apposition right after its name; it never takes facts by proximity, and "all" skips it.

Order of the rules, first that applies wins:
1. a fact inside a CPTS name ("Drôme" in "CPTS Porte de Drôme Ardèche") is no fact at all;
2. a number followed by "pour <a CPTS of the text>" ("318 000 € pour l'Outre-Forêt", with or
   without the word CPTS) → that CPTS;
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
7. the only subject CPTS of the document, else no CPTS.
Money that would go to several CPTS but is their total ("au total", "ensemble", or the sum of
per-CPTS amounts of its sentence) goes to none.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from importlib import resources

from extractors import cpts_status
from extractors.numbers import parse_number
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

NUMERIC_KINDS = frozenset(
    {FactKind.AMOUNT, FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS}
)


def _phrases(words: list[str]) -> re.Pattern[str]:
    body = "|".join(
        re.escape(p).replace(r"\ ", r"\s+").replace("'", "[’']")
        for p in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


TOTAL_CUES = _phrases(LEXICON["total_cues"])
DISTRIBUTIVE_CUES = _phrases(LEXICON["distributive_cues"])

# "les représentants de quatre communautés ...", "trois nouvelles CPTS": a count of CPTS that
# designates all of them when it equals the number of CPTS the text names.
COUNTED_CPTS = re.compile(
    r"""
    (?<!\w)(?P<n>deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d{1,2})\s+
    (?:nouvelles\s+)?(?:CPTS|communaut[ée]s)(?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "318 000 € pour l'Outre-Forêt": the CPTS named right after a number.
FOR_NAME = re.compile(
    r"""
    [ \t\u00a0\u202f]*(?:par\s+an\s+)?
    (?:pour|à)\s+                                   # "pour" / "à"
    (?:(?:la|le|les|l[’'])\s*)?(?:CPTS\s+)?         # an article, the word CPTS
    (?P<name>[^,;:.()\n\d]{2,80})                    # up to the end of the clause
    """,
    re.VERBOSE | re.IGNORECASE,
)
NAME_WORD = re.compile(r"[^\s]+")
NAME_END_WORDS = frozenset({"et", "ou", "soit", "sous", "dont", "par", "sur", "avec", "qui"})

# Within a sentence: "la CPTS Sud Réunion, créée en 2021": the clause right after a name.
APPOSITION_GAP = re.compile(r"[\s\u00a0\u202f]*[,(–—][\s\u00a0\u202f]*$")
# ... if that clause opens like an apposition: a past participle ("créée en 2021"), a noun or
# a place ("signataire depuis 2021", "en Haute-Corse"), not a verb ("couvre 50 000 habitants").
APPOSITION_START = frozenset(LEXICON["apposition_starts"])
APPOSITION_NEVER = frozenset(LEXICON["apposition_never"])
PARTICIPLE = re.compile(r"\w+(?:é|ée|és|ées|i|is|u|us)$")
FIRST_WORD = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+(?:[-’'][^\W\d_]+)*)")


def opens_apposition(clause: str) -> bool:
    m = FIRST_WORD.match(clause)
    if not m:
        return False
    word = m.group(1).lower()
    if word in APPOSITION_NEVER:
        return False
    return word in APPOSITION_START or bool(PARTICIPLE.fullmatch(word))


@dataclass(frozen=True, slots=True)
class Mention:
    key: str
    start: int
    end: int
    group: str | None
    minor: bool = False  # a secondary CPTS (see the module docstring)


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
        minor = self._secondary(doc, names)
        every = [
            Mention(key, f.start, f.end, f.attrs.get("group"), key in minor)
            for f in names
            if (key := str(f.attrs.get("key") or f.value))
        ]
        self.every = every
        self.mentions = [m for m in every if not m.minor]
        self.named = list(dict.fromkeys(m.key for m in self.mentions))
        active = [k for k in self.named if self.status[k] != "mentioned"]
        self.all_keys = active or self.named
        self.amounts = [f for f in facts if f.kind == FactKind.AMOUNT]
        self.line_starts = [line.start for line in doc.lines]
        self.headings = [line.start for line in doc.lines if self._is_heading(line)]

    def _secondary(self, doc: Document, names: list[Fact]) -> set[str]:
        """Keys of the CPTS named only in passing, or in one sentence beside a subject."""
        sentences: dict[str, set[int]] = {}
        passing: dict[str, bool] = {}
        for f in names:
            key = str(f.attrs.get("key") or f.value)
            sentences.setdefault(key, set()).add(doc.sentence_of(f.start).start)
            passing[key] = passing.get(key, True) and f.attrs.get("status") == "mentioned"
        minor = {k for k, only_passing in passing.items() if only_passing}
        main = {k for k, s in sentences.items() if len(s) >= 2 and k not in minor}
        if not main:
            return minor if len(minor) < len(sentences) else set()
        for key, seen in sentences.items():
            if key not in main and len(seen) == 1 and self.status[key] == "mentioned":
                minor.add(key)
        return minor

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
        following = self._named_after(fact)
        if following:
            return [following]
        keys = self._scoped(fact)
        if fact.kind == FactKind.AMOUNT and len(keys) >= 2 and self._is_total(fact):
            return [None]
        return keys

    def _scoped(self, fact: Fact) -> list[str | None]:
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

    def _key_of(self, written: str) -> str | None:
        """The CPTS of the text a bare name designates ("l'Outre-Forêt", "Strasbourg Sud")."""
        words = NAME_WORD.findall(written)
        cut = next((i for i, w in enumerate(words) if w.lower() in NAME_END_WORDS), len(words))
        for n in range(min(cut, 6), 0, -1):
            candidate = " ".join(words[:n])
            match = [k for k, name in self.canonical.items() if same_cpts(name, candidate)]
            if len(match) == 1:
                return match[0]
        return None

    def _named_after(self, fact: Fact) -> str | None:
        if fact.kind not in NUMERIC_KINDS or len(self.canonical) < 2:
            return None
        m = FOR_NAME.match(self.doc.text, fact.end)
        return self._key_of(m.group("name")) if m else None

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
        own = self._own_clause(fact, sentence)
        if own is not None:
            return self._expand(own)
        in_sentence = [m for m in self.mentions if sentence.start <= m.start < sentence.end]
        if in_sentence:
            if self._is_signature(fact) and len({m.key for m in in_sentence}) >= 2:
                return list(dict.fromkeys(k for m in in_sentence for k in self._expand(m)))
            return self._expand(self._pick(in_sentence, fact))
        text = self.doc.slice(sentence)
        if len(self.all_keys) >= 2 and (
            PLURAL_ANAPHORA.search(text)
            or any(
                parse_number(m.group("n")) == (len(self.all_keys), "exact")
                for m in COUNTED_CPTS.finditer(text)
            )
        ):
            return list(self.all_keys)
        for floor in (self._line_start(fact.start), self._section_start(fact.start)):
            before = [m for m in self.mentions if floor <= m.start and m.end <= fact.start]
            if before:
                return self._expand(before[-1])
        return []

    def _is_signature(self, fact: Fact) -> bool:
        return fact.kind == FactKind.SIGNED_ON and fact.attrs.get("event") == "signature"

    def _clause(self, fact: Fact, sentence: Span) -> tuple[int, int]:
        text = self.doc.text
        lo = max(
            (m.end() for m in CLAUSE_BREAK.finditer(text, sentence.start, fact.start)),
            default=sentence.start,
        )
        hi_match = CLAUSE_BREAK.search(text, fact.end, sentence.end)
        return lo, hi_match.start() if hi_match else sentence.end

    def _own_clause(self, fact: Fact, sentence: Span) -> Mention | None:
        """The one CPTS named in the fact's clause, or right before it in apposition, when
        the sentence names several (a secondary CPTS owns only such facts)."""
        in_sentence = [m for m in self.every if sentence.start <= m.start < sentence.end]
        if len({m.key for m in in_sentence}) < 2 and not any(m.minor for m in in_sentence):
            return None
        lo, hi = self._clause(fact, sentence)
        in_clause = [m for m in in_sentence if lo <= m.start and m.end <= hi]
        if len({m.key for m in in_clause}) == 1:
            return in_clause[0]
        if in_clause:
            return None
        before = [m for m in in_sentence if m.end <= lo]
        if (
            before
            and APPOSITION_GAP.search(self.doc.text[before[-1].end : lo])
            and opens_apposition(self.doc.text[lo:hi])
        ):
            return before[-1]
        return None

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
        return list(dict.fromkeys(m.key for m in self.every if m.group == mention.group))

    def _line_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return self.line_starts[i] if i >= 0 else 0

    def _section_start(self, offset: int) -> int:
        i = bisect.bisect_right(self.headings, offset) - 1
        return self.headings[i] if i >= 0 else 0
