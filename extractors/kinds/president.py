"""The president of a CPTS, as "Firstname Lastname" in title case.

Patterns find the name; spaCy NER decides only the doubtful candidates. A name behind a title
("le Dr Philippe MONDON") or with an ALL-CAPS surname ("Sinot KHIM") is certain, and NER would
only get it wrong (it misses ALL-CAPS surnames); a bare "Grand Annecy, présidente de la CPTS"
could be a place or a structure, so it is kept only when NER sees a person there
(attrs["ner"] = "not_needed" | "agrees"). The model loads only for such a candidate, so most
releases never pay for it.

Three phrasings, each tying the title to the CPTS itself:
- "La CPTS ..., présidée par le Dr Philippe MONDON"
- "le Dr Sinot KHIM, médecin et présidente de la CPTS" (name, lowercase apposition, title)
- "le président de la CPTS du Grand Annecy, Jean-Luc Martin, a rappelé"
"""

from __future__ import annotations

import re

from extractors.lexicon import load_lexicon
from extractors.text import nlp
from extractors.text.phrases import literal_pattern
from extractors.text.prefilter import PhraseGate, folded, occurrences, spans_holding
from extractors.types import Document, Fact, FactKind, Span

_CUES = load_lexicon("president_cues.json")


def _words(key: str) -> str:
    words = sorted(_CUES[key], key=len, reverse=True)
    return "|".join(literal_pattern(w) for w in words)


UP = "A-ZÀ-ÖØ-Ý"
LOW = "a-zà-öø-ÿ"
SP = r"[\s\u00a0\u202f]+"

# "Philippe MONDON", "Jean-Luc Martin", "Marie-Claire LE GALL", "Anne de La Tour"
NAME = rf"""
    (?!(?:{_words("titles")})(?![{LOW}]))                         # "Dr" is no first name
    (?P<first>[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?)                 # first name, maybe compound
    {SP}
    (?P<last>
        (?:(?:{_words("particles")})\s*)?                          # "de", "Le", "d'"
        [{UP}][{UP}{LOW}'’]+(?:[-\s](?:{_words("particles")}|[{UP}][{UP}{LOW}'’]+)){{0,2}}
    )
    (?![{LOW}])
"""
TITLE = rf"(?:(?:le|la){SP})?(?:(?:{_words('titles')}){SP})?[*_]*"
PRESIDENT = rf"(?:{_words('president_words')})"
ORG = rf"(?:{_words('organisations')})"

PRESIDED_BY = re.compile(
    rf"""
    {ORG}[^.;\n]{{0,80}}?                 # the CPTS the phrase is about
    (?:{_words("presided_words")}){SP}    # "présidée par"
    {TITLE}{NAME}
    """,
    re.VERBOSE | re.IGNORECASE,
)

NAME_THEN_TITLE = re.compile(
    rf"""
    {TITLE}{NAME}[*_]*,\s*
    (?:[{LOW}][{LOW}'’ -]{{0,40}}?(?:,\s*|\s+et\s+)){{0,2}}   # "médecin généraliste," "médecin et"
    {PRESIDENT}{SP}(?:de|du){SP}(?:la{SP}|l['’])?{ORG}
    """,
    re.VERBOSE,
)

TITLE_THEN_NAME = re.compile(
    rf"""
    (?<!\w){PRESIDENT}{SP}(?:de|du){SP}(?:la{SP}|l['’])?{ORG}  # "le président de la CPTS"
    [^,.;\n]{{0,60}}?,\s*                                       # its name, then a comma
    {TITLE}{NAME}[*_]*\s*,                                      # "Jean-Luc Martin,"
    """,
    re.VERBOSE,
)

PATTERNS = (PRESIDED_BY, NAME_THEN_TITLE, TITLE_THEN_NAME)
# Every pattern needs a word of presiding and an organisation: other sentences are skipped.
GATES = (
    PhraseGate(_CUES["president_words"] + _CUES["presided_words"]),
    PhraseGate(_CUES["organisations"]),
)
# "Anne de La Tour", "Yann LE GALL" -> "Yann Le Gall": only these stay lower case.
LOWER_PARTICLES = frozenset(_CUES["lower_particles"])


def extract(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[int, int]] = set()
    folded_text = folded(doc.text)
    # A sentence holds no word its release lacks (the gates are keywords only): many releases
    # lack the presiding words. (Few keywords: each is looked for in the text, which is not
    # split into tokens as a large gate's window is.)
    if not all(g.may_match(folded_text) for g in GATES):
        return facts
    for sentence in _gated(doc.sentences, folded_text):
        chunk = doc.slice(sentence)
        for pattern in PATTERNS:
            for m in pattern.finditer(chunk):
                start, end = sentence.start + m.start("first"), sentence.start + m.end("last")
                if (start, end) in seen or _is_title_word(m.group("first")):
                    continue
                seen.add((start, end))
                certain = _has_title(chunk, m.start("first")) or _caps_surname(m.group("last"))
                if certain or _ner_agrees(chunk, start - sentence.start, end - sentence.start):
                    facts.append(_fact(doc, start, end, "not_needed" if certain else "agrees"))
    return sorted(facts, key=lambda f: f.start)


def _gated(sentences: tuple[Span, ...], folded_text: str) -> list[Span]:
    """The sentences where every gate may match (`PhraseGate.may_match`: a keyword of the gate
    lies in the sentence's fold), read from where the keywords lie in the whole fold, found
    once: a look at each sentence for each gate cost more than the patterns."""
    kept: set[int] | None = None
    for gate in GATES:
        if gate.always:
            continue
        holding = set(spans_holding(sentences, (
            (at, at + len(word)) for word in gate.keywords
            for at in occurrences(folded_text, word))))
        kept = holding if kept is None else kept & holding
    return list(sentences) if kept is None else [sentences[i] for i in sorted(kept)]


def _is_title_word(first: str) -> bool:
    # "le Docteur Martin" has no first name: the pattern would read "Docteur" as one.
    return first.lower().rstrip(".") in {t.lower().rstrip(".") for t in _CUES["titles"]}


TITLE_BEFORE = re.compile(rf"(?:{_words('titles')})\.?[\s\u00a0\u202f*_]*$", re.IGNORECASE)


def _has_title(chunk: str, first_start: int) -> bool:
    return bool(TITLE_BEFORE.search(chunk[max(0, first_start - 16) : first_start]))


def _caps_surname(last: str) -> bool:
    letters = [c for c in last if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _ner_agrees(sentence: str, start: int, end: int) -> bool:
    return any(s <= start < e or start <= s < end for s, e in nlp.persons(sentence))


def _fact(doc: Document, start: int, end: int, ner: str) -> Fact:
    return Fact(
        kind=FactKind.PRESIDENT,
        value=title_case(doc.text[start:end]),
        start=start,
        end=end,
        text=doc.text[start:end],
        extractor="president",
        attrs={"ner": ner},
    )


def title_case(name: str) -> str:
    """'Philippe MONDON' -> 'Philippe Mondon', 'Anne DE LA TOUR' -> 'Anne de La Tour'."""
    words = re.split(r"(\s+|-|['’])", " ".join(name.split()))
    out = []
    for i, word in enumerate(words):
        if not word or word.isspace() or word in "-'’":
            out.append(word)
        elif i > 0 and word.lower() in LOWER_PARTICLES and i < len(words) - 1:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:].lower())
    return "".join(out)
