"""French departments named in a release, as INSEE codes, one fact per mention.

Three ways a text names a department: its name ("dans la Drôme", "Haute-Loire", "Corse-du-Sud"),
a code in context ("(69)", "CPAM 38") and a demonym ("96 % des Drômois"). Longest name wins
("Haute-Loire" before "Loire"), and names that are also rivers, cities or common words
("Rhône", "Loire", "Vienne", "Nord"; `strict` in lexicon/departments.csv) count only after an
article or a department preposition, never after "à" and never after "vallée du", "rives de la"
(lexicon/departments_context.json). Region names ("Auvergne-Rhône-Alpes") are masked first.

attrs["role"]: "neighbour" when the text says the territory borders it ("est voisin de Lorient,
dans le Morbihan"); "context" when an institution owns the name ("CPAM de la Drôme") or it is a
code or a demonym; else "territory" when the sentence describes a territory (couvre,
communes...), else "context". attrs["form"]: name | code | demonym. assemble.py turns
mentions into lists.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from extractors.lexicon import load_lexicon, load_table
from extractors.text.prefilter import (
    first_letter_alternation,
    fold,
    leading_run,
    occurrences,
    runs_of,
    start_places,
    starting_with,
    words_of,
)
from extractors.types import Document, Fact, FactKind

_ROWS = load_table("departments.csv")
_DEMONYMS = load_table("department_demonyms.csv")
_CONTEXT = load_lexicon("departments_context.json")

CODE_BY_NAME = {_row["name"]: _row["code"] for _row in _ROWS}
STRICT = frozenset(_row["name"] for _row in _ROWS if _row["strict"] == "1")
CODES = frozenset(CODE_BY_NAME.values())

_ACCENTS = {"e": "eéèêë", "a": "aàâä", "o": "oôö", "i": "iîï", "u": "uùûü", "c": "cç"}


def _loose(word: str) -> str:
    """A pattern for `word` that ignores accents, hyphen/space and apostrophe variants."""
    out = []
    for ch in word:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if ch in "- ":
            out.append(r"[\s\u00a0-]+")
        elif ch in "'’":
            out.append(r"['’]\s?")
        elif base in _ACCENTS:
            out.append(f"[{_ACCENTS[base]}{_ACCENTS[base].upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _names(words: list[str]) -> str:
    # Longest first; grouped by first letter so a position tries one group, not every name.
    return first_letter_alternation(sorted(words, key=len, reverse=True), _loose)


SP = r"[\s\u00a0\u202f]+"

NAME = re.compile(
    rf"""
    (?<![\w@.])                           # not inside a word or an e-mail address
    (?<!Haut-)(?<!Haute-)(?<!Bas-)(?<!Basse-)  # "Rives du Haut-Allier" is not Allier
    (?P<name>{_names(list(CODE_BY_NAME))})   # every department name, longest first
    (?![\w@]|['’]\w)                      # "Loire" is not the start of "Loire-Atlantique"
    """,
    re.VERBOSE | re.IGNORECASE,
)

CODE = re.compile(
    rf"""
    (?:
        # "Vaulx-en-Velin (69)", "... du territoire. (69)": a code in brackets
        \((?P<paren>0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\)
      |
        # "CPAM 38", "CPTS 43", "département 26": an institution followed by its code
        (?<!\w)(?:{_names(_CONTEXT["code_prefixes"])}){SP}
        (?P<after>0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])(?![\w,.%]|\s?%)
    )
    """,
    re.VERBOSE,
)

DEMONYM = re.compile(
    rf"""
    (?<![\w-])
    (?P<demonym>{_names([d["demonym"] for d in _DEMONYMS])})
    (?:e|es|s|ne|nes)?                    # "Drômoises", "Ligériennes", "Ardéchois"
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)

TRAP = re.compile(
    rf"""
    (?<!\w)
    (?:
        (?:{_names(_CONTEXT["traps"])})   # regions and place names that contain a department
      |
        # "la vallée du Rhône", "les rives de la Loire", "le massif des Vosges"
        (?:{_names(_CONTEXT["geo_nouns"])}){SP}(?:du|des|de{SP}la|de{SP}l['’]|d['’])\s*
        (?:{_names(list(CODE_BY_NAME))})
      |
        # "Port-Saint-Louis du Rhône", "Saint-Martin de la Loire": a hyphenated town name that
        # ends on a river is a town, not the department (a name that is also a river). Word
        # lengths are bounded so that a long run of letters is not rescanned from every start.
        [A-ZÀ-Ý][\w'’]{{0,30}}(?:-[\w'’]{{1,30}}){{1,6}}{SP}(?:du|de{SP}la|de{SP}l['’]|sur){SP}?
        (?:{_names(sorted(STRICT))})
      |
        # "9 communes au sud de la Loire", "à l'est du Rhône": a river seen from one bank
        (?:{_names(_CONTEXT["bank_phrases"])}){SP}(?:du|des|de{SP}la|de{SP}l['’]|d['’])\s*
        (?:{_names(sorted(STRICT))})
    )
    (?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "les vallées de l'Ognon, du Doubs et de la Loue": every item of a list a geographic noun
# opens is a river (or a valley, a mountain), not only the first.
_OF = r"(?:du|des|de[\s\u00a0]+la|de[\s\u00a0]+l['’]|d['’])[\s\u00a0]*"
_ITEM = r"[^\W\d_][\w'’-]{0,30}(?:[\s\u00a0-][A-ZÀ-Ý][\w'’-]{0,30}){0,3}"
GEO_LIST_BEFORE = re.compile(
    rf"""
    (?<!\w)(?:{_names(_CONTEXT["geo_nouns"])}){SP}{_OF}{_ITEM}
    (?:[\s\u00a0]*,[\s\u00a0]*{_OF}{_ITEM}){{0,6}}
    [\s\u00a0]*(?:,|,?[\s\u00a0]+et|,?[\s\u00a0]+ou)[\s\u00a0]+{_OF}$
    """,
    re.VERBOSE | re.IGNORECASE,
)
GEO_LIST_REACH = 200
# Where GEO_LIST_BEFORE can start: a geographic noun written as a word of its own.
GEO_NOUN_HEADS = frozenset(fold(noun) for noun in _CONTEXT["geo_nouns"])
CODE_WORDS = frozenset({"departement", "departements", "dep", "dpt"})
# "le Nord Deux-Sèvres", "le Sud Vendée": a strict name (also a compass point, a river) right
# before another department's name qualifies that name.
NAME_AFTER = re.compile(rf"[\s\u00a0]+(?:{_names(list(CODE_BY_NAME))})(?![\w@]|['’]\w)",
                        re.IGNORECASE)
# "(26)" is a code after a place ("Crest (26)", "la Drôme (26)") or "département"; after a
# common noun it is a count ("des sages-femmes (12), des kinés (27)").
WORD_BEFORE_BRACKET = re.compile(r"([^\W\d_][\w'’-]*)[\s\u00a0]*$")

ARTICLE_BEFORE = re.compile(rf"(?:^|\s)(?:{_names(_CONTEXT['after_prepositions'])})\s*$", re.I)
CITY_BEFORE = re.compile(r"(?<!\w)à\s*$", re.IGNORECASE)
INSTITUTION = re.compile(rf"(?<!\w)(?:{_names(_CONTEXT['institutions'])})(?!\w)", re.IGNORECASE)
NEIGHBOUR = re.compile(rf"(?<!\w)(?:{_names(_CONTEXT['neighbour_cues'])})(?!\w)", re.IGNORECASE)
# The cue and the department: the same clause or the one after it ("voisin de Lorient, dans le").
NEIGHBOUR_REACH = 60
TERRITORY = re.compile(rf"(?<!\w)(?:{_names(_CONTEXT['territory_cues'])})", re.IGNORECASE)


# Where a match of NAME, DEMONYM or TRAP can start, and whether it can at all: each is tried
# only where the fold of the release starts with the first word of a phrase whose every word
# the release holds (prefilter.starting_with, words_of), not at every position of the text.
_NAMES = [(leading_run(n), runs_of(n)) for n in CODE_BY_NAME]
_PHRASES = {key: [(leading_run(p), runs_of(p)) for p in _CONTEXT[key]]
            for key in ("traps", "geo_nouns", "bank_phrases")}
CODE_HEADS = frozenset({"(", *(leading_run(p) for p in _CONTEXT["code_prefixes"])})
# A demonym's last word may carry an ending ("Drômoises"): a word of its own with it.
_ENDINGS = ("", "e", "es", "s", "ne", "nes")
_DEMONYM_WORDS = [
    (leading_run(d), runs_of(" ".join(words[:-1])), {words[-1] + e for e in _ENDINGS})
    for d in (row["demonym"] for row in _DEMONYMS)
    if (words := re.findall(r"[^\W_]+", fold(d)))
]
TOWN_WORD_MAX = 31  # TRAP's hyphenated town name: a first word of at most 31 characters


def _hyphenated_starts(text: str) -> Iterator[int]:
    """Where TRAP's hyphenated town name ("Port-Saint-Louis du Rhône") may start: a character
    followed by letters, digits or apostrophes up to a hyphen, 31 characters at most; and,
    as TRAP opens with `(?<!\\w)`, not right after a letter or a digit (start_places'
    after="word" would drop those, once each)."""
    for hyphen in occurrences(text, "-"):
        at = hyphen - 1
        while at >= 0 and hyphen - at <= TOWN_WORD_MAX:
            if not (at and text[at - 1].isalnum()):
                yield at
            if not (text[at].isalnum() or text[at] in "_'’"):
                break
            at -= 1


def _fold(text: str) -> str:
    """Key for lookups: no accents, lower case, one hyphen for any run of spaces/hyphens."""
    text = re.sub(r"['’]\s*", "'", text)  # before the ASCII fold, which would drop ’
    text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[\s\u00a0-]+", "-", text)


CODE_BY_FOLD = {_fold(name): code for name, code in CODE_BY_NAME.items()}
NAME_BY_CODE = {code: name for name, code in CODE_BY_NAME.items()}
DEMONYM_BY_FOLD = {_fold(d["demonym"]): d["code"] for d in _DEMONYMS}


# A sentence naming this many departments and an institution ("la MSA Auvergne protège 215 000
# personnes dans l'Allier, le Cantal, la Haute-Loire et le Puy-de-Dôme") describes the
# institution's area, not a CPTS's.
ENUMERATION = 3


def extract(doc: Document) -> list[Fact]:
    text = doc.text
    names = list(name_matches(text))
    # Traps only veto names: a release naming no department (a third of the real ones) is
    # not scanned for them.
    traps = [m.span() for m in trap_matches(text)] if names else []
    facts = [f for f in (_from_name(doc, m, traps) for m in names) if f]
    facts = _institution_lists(doc, facts)
    facts += [f for f in (_from_code(doc, m) for m in code_matches(text)) if f]
    facts += [f for f in (_from_demonym(doc, m) for m in demonym_matches(text)) if f]
    return sorted(facts, key=lambda f: f.start)


def name_matches(text: str) -> Iterator[re.Match[str]]:
    """`NAME.finditer(text)`: each name matches its words whole."""
    words = words_of(text)
    heads = {head for head, runs in _NAMES if runs <= words}
    return starting_with(NAME, text, heads, after="word", whole=True)


def trap_matches(text: str) -> Iterator[re.Match[str]]:
    """`TRAP.finditer(text)`: each of its branches opens with a phrase matched whole, but the
    hyphenated town name, which starts before a hyphen."""
    words = words_of(text)
    heads = {head for phrases in _PHRASES.values() for head, runs in phrases if runs <= words}
    return starting_with(TRAP, text, heads, _hyphenated_starts(text), after="word", whole=True)


def code_matches(text: str) -> Iterator[re.Match[str]]:
    """`CODE.finditer(text)`: a code opens with its bracket or its institution's word."""
    return starting_with(CODE, text, CODE_HEADS)


def demonym_matches(text: str) -> Iterator[re.Match[str]]:
    """`DEMONYM.finditer(text)`: a demonym's words whole, the last one with its ending."""
    words = words_of(text)
    heads = {head for head, inner, last in _DEMONYM_WORDS if inner <= words and last & words}
    return starting_with(DEMONYM, text, heads, after="word")


def _institution_lists(doc: Document, facts: list[Fact]) -> list[Fact]:
    """Names listed by an institution's boilerplate: role context, attrs["list"] "true"."""
    by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        by_sentence.setdefault(doc.sentence_of(f.start).start, []).append(f)
    out = []
    for group in by_sentence.values():
        sentence = doc.sentence_of(group[0].start)
        listed = len({f.value for f in group}) >= ENUMERATION and INSTITUTION.search(
            doc.text, sentence.start, sentence.end
        )
        out += (
            [replace(f, attrs={**f.attrs, "role": "context", "list": "true"}) for f in group]
            if listed
            else group
        )
    return out


def _from_name(doc: Document, m: re.Match[str], traps: list[tuple[int, int]]) -> Fact | None:
    start, end = m.span("name")
    # Traps are finditer matches, so their starts and ends both increase: the last trap
    # starting before `end` reaches furthest of those that do (a scan of all was quadratic).
    i = bisect.bisect_left(traps, (end,))
    if i and traps[i - 1][1] > start:
        return None
    if not _free_standing(doc.text, start, end):
        return None
    matched = m.group("name")
    code, canonical = _department_of(matched)
    if code is None or canonical is None or not _capitalised(matched, canonical):
        return None
    before = doc.text[max(0, start - 20) : start]
    if canonical in STRICT and (CITY_BEFORE.search(before) or not ARTICLE_BEFORE.search(before)):
        return None
    if canonical in STRICT and NAME_AFTER.match(doc.text, end, end + 40):
        return None
    if _geo_list_before(doc.text, start):
        return None
    return _fact(doc, start, end, code, _role(doc, start), "name")


@functools.lru_cache(maxsize=1024)
def _department_of(matched: str) -> tuple[str | None, str | None]:
    """The code and canonical name of a name as written: a release writes the same few names
    again and again, each folded once."""
    code = CODE_BY_FOLD.get(_fold(matched))
    return code, NAME_BY_CODE.get(code or "")


def _geo_list_before(text: str, start: int) -> bool:
    """`GEO_LIST_BEFORE` in the GEO_LIST_REACH characters before `start`. Inside them a match
    opens with a geographic noun that is a word of its own (`_geo_noun_starts`), or at their
    first character, whatever the text holds before it: with no such word there, only a
    match from that first character is tried, not one from every character."""
    window_start = max(0, start - GEO_LIST_REACH)
    window = text[window_start:start]
    nouns = _geo_noun_starts(text)
    i = bisect.bisect_left(nouns, window_start)
    if i < len(nouns) and nouns[i] < start:
        return GEO_LIST_BEFORE.search(window) is not None
    return GEO_LIST_BEFORE.match(window) is not None


@functools.lru_cache(maxsize=4)
def _geo_noun_starts(text: str) -> list[int]:
    # Once per document, whatever how many names ask.
    return sorted(start_places(text, GEO_NOUN_HEADS, after="word", whole=True))


def _free_standing(text: str, start: int, end: int) -> bool:
    # A hyphen or slash glues a name to its neighbour: fine between two departments
    # ("DRÔME-ARDÈCHE", "(Ardèche/Drôme)"), not in "Romans-sur-Isère" or "cpam-drome@".
    if start and text[start - 1] in "-/":
        word = re.search(r"([\w'’]+(?:[\s-][\w'’]+)?)[-/]$", text[max(0, start - 30) : start])
        if not word or not _is_name(word.group(1)):
            return False
    if end < len(text) and text[end] in "-/":
        word = re.match(r"[-/]([\w'’]+(?:[\s-][\w'’]+)?)", text[end : end + 30])
        if not word or not _is_name(word.group(1)):
            return False
    return True


def _is_name(words: str) -> bool:
    folded = _fold(words)
    return folded in CODE_BY_FOLD or folded.rsplit("-", 1)[-1] in CODE_BY_FOLD


@functools.lru_cache(maxsize=1024)  # the same few names, written the same way again
def _capitalised(matched: str, canonical: str) -> bool:
    # "la réunion de bureau" and "un lot de masques" are not departments; ALL CAPS titles are.
    if matched.isupper():
        return True
    words = re.split(r"[\s\u00a0'’-]+", matched)
    pairs = zip(words, re.split(r"[\s'’-]+", canonical), strict=False)
    return all(not c[:1].isupper() or w[:1].isupper() for w, c in pairs)


def _from_code(doc: Document, m: re.Match[str]) -> Fact | None:
    group = "paren" if m.group("paren") else "after"
    start, end = m.span(group)
    if group == "paren":
        word = WORD_BEFORE_BRACKET.search(doc.text, max(0, m.start() - 40), m.start())
        if word and word.group(1)[0].islower() and _fold(word.group(1)) not in CODE_WORDS:
            return None
    return _fact(doc, start, end, m.group(group), "context", "code")


def _from_demonym(doc: Document, m: re.Match[str]) -> Fact | None:
    code = DEMONYM_BY_FOLD.get(_fold(m.group("demonym")))
    if code is None:
        return None
    return _fact(doc, m.start(), m.end(), code, "context", "demonym")


CLAUSE_BREAK = re.compile(r"[;(]")


def _role(doc: Document, start: int) -> str:
    sentence = doc.sentence_of(start)
    before = doc.text[max(sentence.start, start - 40) : start]
    if INSTITUTION.search(before.rsplit(",", 1)[-1]):
        return "context"
    near = CLAUSE_BREAK.split(doc.text[max(sentence.start, start - NEIGHBOUR_REACH) : start])[-1]
    if NEIGHBOUR.search(",".join(near.split(",")[-2:])):
        return "neighbour"
    return "territory" if _territory_sentence(doc.text, sentence.start, sentence.end) else "context"


@functools.lru_cache(maxsize=64)
def _territory_sentence(text: str, start: int, end: int) -> bool:
    # Once per sentence, not once per name: a long sentence listing names stays linear.
    return bool(TERRITORY.search(text[start:end]))


def _fact(doc: Document, start: int, end: int, code: str, role: str, form: str) -> Fact:
    return Fact(
        kind=FactKind.DEPARTMENT,
        value=code,
        start=start,
        end=end,
        text=doc.text[start:end],
        extractor="departments",
        attrs={"role": role, "form": form},
    )
