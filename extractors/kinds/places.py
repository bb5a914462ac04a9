"""Places a release names for a CPTS's territory, each with the reference entries it may be.

Where places are looked for: sentences that speak of a territory (lexicon/places.json
`territory`: "couvre", "communes", "secteurs"...), lines that are nothing but a list of names
("Avignon, Sorgues, Le Pontet et Vedène."), and the CPTS names the caller passes ("CPTS Grand
Avignon"). What is a place there: a run of capitalised words with their small joining words
("St Hippolyte du Fort", "la Penne-sur-Huveaune"), cut into the longest names the reference
knows ("Saint-Genis-Laval et Irigny" is two), an EPCI phrase ("Communauté de communes Béarn
des Gaves", "Alès Agglomération"), or a municipal arrondissement ("Lyon 5e", "le 5e
arrondissement").

Traps: a department whose name is also a river, a town or a word ("Vienne", "Nord", "Loire";
`strict` in lexicon/departments.csv) needs an article or a compass word before it ("dans la
Vienne", "Nord Vienne") and is a town after "à"; a compass word or "Grand" before more name
is no place ("Nord Deux-Sèvres" names the Deux-Sèvres); names after a river, a canton, a
distance or an institution ("rivières Isole et Ellé", "au sud d'Albi", "CPAM du Rhône") are
not the territory; region names are skipped.

Each mention keeps every candidate the reference gives: homonyms are decided later, by the
department the text gives (assemble/geography.py), never here.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from extractors.lexicon import load_lexicon
from extractors.text.place_names import (
    APOSTROPHES,
    ARRONDISSEMENT_CITIES,
    ARTICLES,
    CORE_DROPPED,
    EPCI_WORDS,
    SAINTS,
    Gazetteer,
    Place,
    epci_core,
    gazetteer,
    name_tokens,
)
from extractors.text.prefilter import fold, folded
from extractors.text.slug import LIGATURES, NON_ALNUM
from extractors.types import Document, Span

LEXICON = load_lexicon("places.json")

# Listing of a mention: the whole territory enumerated, a partial list, a name in a sentence
# about the territory, a name inside the CPTS's own name.
FULL, LIST, LOOSE, NAME = "full", "list", "loose", "name"

UPPER = "A-ZÀ-ÖØ-ÞŒ"
# Small words inside a place name ("Saint-Jean-de-Luz", "Pont-à-Mousson", "Cuges-les-Pins").
# Folded ("lès" is "les", "à" is "a"): compared with folded words.
CONNECTORS = frozenset("de des du d la le les l en sur sous lez aux au a et y".split())
CONNECTOR = r"(?:de|des|du|d|la|le|les|l|en|sur|sous|lès|lez|aux|au|à|et|y)"
JOIN = r"(?:[ \u00a0]|-|['’])"
WORD = rf"[{UPPER}][^\W_]*"
# "5e", "1er", "13ème": the number of an arrondissement after its city.
ORDINAL = r"\d{1,2}(?:er|e|è|ème|eme)\b"
RUN = re.compile(rf"{WORD}(?:{JOIN}(?:{CONNECTOR}{JOIN})*(?:{WORD}|{ORDINAL}))*")
TOKEN = re.compile(r"[^\W_]+")
# A word of the folded text (prefilter.fold keeps "œ": "cœur" is one word there).
WORD = re.compile(r"[^\W_]+")
# "CPTS Paris 15", "Marseille 13": a city of arrondissements and a bare number (not "Paris
# 13 000 habitants", not a year).
CITY_NUMBER = re.compile(
    r"(?<![^\W_])(?P<city>Paris|Lyon|Marseille)[ \u00a0]+(?P<n>\d{1,2})"
    r"(?:er|e|è|ème|eme)?(?![^\W_]|[ \u00a0.,]?\d)"
)
# "le 5e arrondissement (de Lyon)", "dans le 15ème arrondissement de Paris".
ARRONDISSEMENT = re.compile(
    r"(?<!\w)(?P<n>\d{1,2})\s?(?:er|e|è|ème|eme)[ \u00a0]+arrondissement"
    r"(?:[ \u00a0]+(?:de|du)[ \u00a0]+(?P<city>Paris|Lyon|Marseille))?",
    re.IGNORECASE,
)
# What separates the items of a list of places.
SEPARATOR = re.compile(r"[ \u00a0]*(?:[,;/&]|[–—-](?=[ \u00a0])|\bet\b|\bou\b|\bainsi que\b)"
                       r"[ \u00a0]*(?:(?:et|ou)[ \u00a0]+)?")
BRACKET = re.compile(r"[ \u00a0]*\([^()\n]{0,80}\)")
# Before a list item: an article or a preposition, kept outside the item.
# Lower case only: a capital "Le" or "La" starts the name itself ("Le Pontet").
ITEM_LEAD = re.compile(r"(?:(?:le|la|les|du|des|de|à|au|aux)[ \u00a0]+|(?:l|d)['’][ \u00a0]*)*")
LIST_OPEN = re.compile(r"[ \u00a0]*[(:]?[ \u00a0\n]*")
BULLET_LEAD = re.compile(r"[ \t\u00a0]*(?:[-–—•●▪◦*·][ \t\u00a0]+)?")
# What a list line starts with: its first item and a separator. One match rules out most lines
# (prose) before the item-by-item walk of `_is_name_list`, which needs it.
# Atomic groups: each part matched once, greedily, as the walk matches it.
LIST_START = re.compile(
    "".join(f"(?>{p.pattern})" for p in (BULLET_LEAD, ITEM_LEAD, RUN))
    + f"(?>(?:{BRACKET.pattern})?)(?:{SEPARATOR.pattern})"
)
POSTCODE = re.compile(r"[ \u00a0]*\((?P<code>\d{5})\)")
# What the word before a name says of it: an article ("la Vienne"), "à" (a town), "en"
# (a department or a region).
BEFORE = re.compile(
    r"(?:^|[\s(])(?P<word>le|la|les|l|du|des|au|aux|à|a|en|dans)[ \u00a0'’]+\Z", re.IGNORECASE
)
BEFORE_GAP = frozenset(" \u00a0'’")  # what BEFORE needs right before the name
ARTICLE_WORDS = frozenset({"le", "la", "les", "l", "du", "des", "au", "aux"})
TOWN_WORDS = frozenset({"à", "a"})
# A name written all in capitals is an acronym ("CPTS", "ARS"), not a place.
ACRONYM = re.compile(rf"[{UPPER}]{{2,}}")
MAX_NAME_TOKENS = 10
WINDOW = 60  # characters looked at before a name for a cue
QUALIFIERS = frozenset(LEXICON["qualifiers"])
OF = frozenset({"de", "du", "des", "d"})
MISSING = object()
COMMUNE_COUNT = re.compile(r"\d+[ \u00a0]+(?:communes|villes)\b", re.IGNORECASE)
COUNTED_WORDS = ("communes", "villes")


def _count_starts(plain: str, hits: list[int]) -> list[int]:
    """Where COMMUNE_COUNT may match in the fold of a text: the last digit of "12 communes",
    as `\\d[ \\u00a0]+(?:communes|villes)` finds it (one pass over the document instead of
    one search per sentence about the territory). `hits`: where the territory needles that
    start a counted word stand ("commun", "ville"; `_territory_sentences` finds them): each
    word is one of them, its spaces and digit read backwards, with no pass of its own."""
    found = []
    for i in hits:
        if plain.startswith(COUNTED_WORDS, i):
            j = i
            while j > 0 and plain[j - 1] in " \u00a0":
                j -= 1
            if 0 < j < i and plain[j - 1].isdecimal():  # \d: a decimal digit
                found.append(j - 1)
    return sorted(found)


COLON = re.compile(r":[ \u00a0]*(?=[{UPPER}])".replace("{UPPER}", UPPER))


def _folded_char(ch: str) -> str:
    if ch in " -":
        return r"[\s\u00a0\u202f\-‐]*"
    if ch in "'’":
        return r"['’ʼ]\s?"
    if ch == "#":
        return r"\d+(?:[\s\u00a0\u202f.]\d{3})*"
    return re.escape(ch)


def _folded_tail(phrase: str) -> str:
    """What follows the first character of a lexicon phrase, as a regex over folded text."""
    body = "".join(_folded_char(ch) for ch in fold(phrase.rstrip("*"))[1:])
    if phrase.endswith("*"):
        return body + r"[^\W_]*"  # a word prefix
    if phrase[-1:].isalpha():
        return body + r"(?:e?s|x)?(?![^\W_])"  # a plural ending, no more letters
    return body


def _alternation(phrases: list[str]) -> str:
    groups: dict[str, list[str]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        groups.setdefault(_folded_char(fold(phrase[:1])), []).append(_folded_tail(phrase))
    return "|".join(f"{head}(?:{'|'.join(tails)})" for head, tails in groups.items())


def folded_phrases(phrases: list[str]) -> re.Pattern[str]:
    """One alternation of `phrases` to run over `prefilter.folded(text)` (lower case, no
    accents, same length as the text, so offsets stay the text's), longest phrase first and
    grouped by first character: a position tries one group, not every phrase, and one pass
    over a document costs less than one search per sentence."""
    return re.compile(rf"(?<![^\W_])(?:{_alternation(phrases)})")


# A number and an apostrophe as `_folded_char` writes them, their first character apart: one
# character that a class matches, as a literal one is, then the rest.
SPLIT_ATOMS = {
    _folded_char("#"): (r"\d", r"\d*" + _folded_char("#").removeprefix(r"\d+")),
    _folded_char("'"): (r"['’ʼ]", _folded_char("'").removeprefix(r"['’ʼ]")),
}


def _atoms(phrase: str) -> list[tuple[str | None, str]]:
    """A lexicon phrase as `_folded_char` and `_folded_tail` write it, one element after the
    other: (source, source) for what matches exactly one character (a letter, the first
    digit of a number, an apostrophe), (None, source) for the rest (spaces, the rest of a
    number, the ending)."""
    atoms: list[tuple[str | None, str]] = []
    for ch in fold(phrase.rstrip("*")):
        source = _folded_char(ch)
        if source in SPLIT_ATOMS:
            one, rest = SPLIT_ATOMS[source]
            atoms += [(one, one), (None, rest)]
        else:
            atoms.append((source if source == re.escape(ch) else None, source))
    if phrase.endswith("*"):
        atoms.append((None, r"[^\W_]*"))  # a word prefix
    elif phrase[-1:].isalpha():
        atoms.append((None, r"(?:e?s|x)?(?![^\W_])"))  # a plural ending, no more letters
    return atoms


def _overlap(one: str, other: str) -> bool:
    """Can two one-character sources match the same character?"""
    if one == other:
        return True
    chars = [re.sub(r"\\(.)", r"\1", s) for s in (one, other) if s not in ALONE]
    classes = [s for s in (one, other) if s in ALONE]
    return len(classes) == 2 or any(re.fullmatch(c, ch) for c in classes for ch in chars)


ALONE = frozenset(one for one, _ in SPLIT_ATOMS.values())


def _shared(alternatives: list[tuple[list[tuple[str | None, str]], str]], depth: int) -> str:
    """The alternation of `alternatives` ((atoms, group name), in order), their first
    `depth` one-character elements shared ("commun" tried once for "communes de", "communes
    du"...), each alternative ending with an empty group of its name (`m.lastgroup`).

    At one position an alternation takes the first alternative that matches. Two that go on
    with one character each, and no character both, never both match there, so they may
    be regrouped by that character; one that goes on otherwise (spaces, an ending: they may
    match nothing, then anything) keeps its place among the others."""
    if depth == 0:
        return "|".join("".join(src for _, src in atoms) + f"(?P<{name}>)"
                        for atoms, name in alternatives)
    items: list[str] = []
    segment: dict[str, list] = {}

    def close() -> None:
        items.extend(f"{one}(?:{_shared(rest, depth - 1)})" for one, rest in segment.items())
        segment.clear()

    for atoms, name in alternatives:
        one = atoms[0][0] if atoms else None
        if one is None:
            close()
            items.append(_shared([(atoms, name)], 0))
            continue
        if one not in segment and any(_overlap(one, other) for other in segment):
            close()
        segment.setdefault(one, []).append((atoms[1:], name))
    close()
    return "|".join(items)


def _named_alternation(named: dict[str, list[str]]) -> str:
    """The lists of `named` in one alternation: the phrases of each list longest first, the
    lists one after the other (the phrase found is the one the lists, in turn, would give),
    their first two characters shared (`_shared`: a fifth less time than one group per
    list and first character, whose phrases the engine entered one after the other). Each
    phrase ends with an empty group `<list>_<n>`, which `_kind` reads back."""
    alternatives = [
        (_atoms(phrase), name)
        for name, words in named.items()
        for phrase in sorted(words, key=len, reverse=True)
    ]
    return _shared([(atoms, f"{name}_{n}") for n, (atoms, name) in enumerate(alternatives)], 2)


def _kind(m: re.Match[str]) -> str:
    return m.lastgroup.rpartition("_")[0]


# Where a sentence speaks of a territory: the folded stem of each `territory` phrase, found
# with str.find (a sentence selected for a stem inside a longer word, "villeneuve", is only
# looked at more closely: the cost of a regex pass over every document is what this avoids).
TERRITORY_STEMS = tuple(sorted({(fold(p.rstrip("*")), p.endswith("*"))
                                for p in LEXICON["territory"]}))
def _shared_start(words: list[str]) -> str:
    """The longest start all `words` share (that of the first and last in sorted order)."""
    first, last = min(words), max(words)
    pairs = zip(first, last, strict=False)
    size = next((i for i, (a, b) in enumerate(pairs) if a != b), len(first))
    return first[:size]


# Stems with the same first five letters ("commune", "communes", "communauté de communes"...)
# are looked for with one str.find of the start they share.
TERRITORY_STEM_GROUPS = tuple(
    (_shared_start([stem for stem, _ in group]), group)
    for group in (tuple(g) for _, g in itertools.groupby(TERRITORY_STEMS, lambda s: s[0][:5]))
)


def _needles(groups):
    """(needle, ((offset, stems), ...)): each group of `groups` under the shortest start of
    another group that its own start holds ("intercommunal" and "regroupant les communes"
    hold "commun", "s'étend" holds "étend"), at the offset where it holds it, else under its
    own start. Each str.find is a pass over the whole text: five passes fewer."""
    heads = [head for head, _ in groups]
    found: dict[str, list[tuple[int, tuple]]] = {}
    for head, stems in groups:
        inner = min((h for h in heads if h != head and h in head), key=len, default=head)
        found.setdefault(inner, []).append((head.find(inner), stems))
    return tuple((needle, tuple(members)) for needle, members in found.items())


TERRITORY_NEEDLES = _needles(TERRITORY_STEM_GROUPS)


def _stem_check(stems) -> re.Pattern[str]:
    """One match at a needle's place for its stems ((folded stem, is a prefix)): the stem
    starts a word and ends one, but for a plural ending ("département" but not
    "départementale"); a prefix stem may go on. In the engine, not a loop per occurrence."""
    ends = r"(?:(?![^\W_])|(?=[sx](?![^\W_])))"
    return re.compile(r"(?<![^\W_])(?:" + "|".join(
        re.escape(stem) + ("" if prefix else ends) for stem, prefix in stems) + ")")


# The needles a counted word ("communes", "villes") starts with: each of their places is kept
# for `_count_starts` (none skipped in a held sentence).
COUNT_NEEDLES = frozenset(
    needle for needle, _ in TERRITORY_NEEDLES for word in COUNTED_WORDS if word.startswith(needle)
)
assert all(any(w.startswith(n) for n in COUNT_NEEDLES) for w in COUNTED_WORDS)
# `_Finder.arrondissements`: does the text say "arrondissement" (a needle of its own).
ARRONDISSEMENT_NEEDLE = "arrondissement"
assert any(needle == ARRONDISSEMENT_NEEDLE for needle, _ in TERRITORY_NEEDLES)
# (needle, ((offset, check), ...), whether every stem starts where the needle does and a held
# sentence may be skipped, whether its places are kept).
TERRITORY_CHECKS = tuple(
    (needle, tuple((offset, _stem_check(stems)) for offset, stems in groups),
     all(offset == 0 for offset, _ in groups) and needle not in COUNT_NEEDLES,
     needle in COUNT_NEEDLES)
    for needle, groups in TERRITORY_NEEDLES
)
FULL_CUE = folded_phrases(LEXICON["full_lists"])
# All the cues of a sentence about the territory in one pass: lists of the whole territory
# or of some of it, nouns opening a list of names that are no places ("les cantons d'Amikuze,
# Iholdy et Mauléon", "les rivières Isole et Ellé"), words opening an EPCI's name; where two
# overlap the leftmost wins ("composé des communes de" over "communes de", "communauté de
# communes" over "communes du").
CUE_LISTS = {
    "full": LEXICON["full_lists"], "partial": LEXICON["partial_lists"],
    "not_places": LEXICON["not_place_lists"], "epci": LEXICON["epci_openers"],
}
CUES = re.compile(rf"(?<![^\W_])(?:{_named_alternation(CUE_LISTS)})")
# The same cues after the character before them, which must not be a letter or a digit: a
# pattern that starts with a character class lets the engine skip to the spaces and signs,
# where CUES tries its look-behind at every position (a fifth less time on long releases).
# The class is "no ASCII letter or digit", a bitmap test, where `\W` asks Unicode about each
# character: a third of the scan. It also lets through the few other letters of folded text
# ("œ"), which `find_cues` passes over.
CUES_AFTER_GAP = re.compile(rf"[^a-z0-9](?:{_named_alternation(CUE_LISTS)})")


class Cue(NamedTuple):
    start: int
    end: int
    kind: str  # full | partial | not_places | epci


def find_cues(plain: str, start: int, end: int) -> list[Cue]:
    """What `CUES.finditer(plain, start, end)` finds. Each step: a cue right where the last one
    ended (CUES itself, look-behind and all), else the first one after a gap (the gap is the
    character the look-behind looks at, so this misses none and adds none)."""
    found, at = [], start
    while at < end:
        m = CUES.match(plain, at, end)
        if m is not None:
            found.append(Cue(at, m.end(), _kind(m)))
        else:
            m = CUES_AFTER_GAP.search(plain, at, end)
            while m is not None and plain[m.start()].isalnum():  # a letter: no gap
                m = CUES_AFTER_GAP.search(plain, m.start() + 1, end)
            if m is None:
                break
            found.append(Cue(m.start() + 1, m.end(), _kind(m)))  # the gap is one character
        at = m.end()
    return found
# After an EPCI opener, before the name: "du", "de la", a line break and a quote.
EPCI_LEAD = re.compile(
    rf"(?:[ \u00a0]+(?:du|de la|de l['’]|des|de|d['’]))?[ \u00a0]*"
    rf"(?:\n?[ \u00a0]*[«\"“][ \u00a0]*)?(?=[{UPPER}])",
    re.IGNORECASE,
)
# Small words between a cue and the name it governs ("au sud de la", "CPAM du").
PREPOSITIONS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l"})


def _phrases(phrases: list[str]) -> frozenset[tuple[str, ...]]:
    """Lexicon phrases as folded word tuples, without their trailing prepositions."""
    found = set()
    for phrase in phrases:
        words = name_tokens(phrase)
        while words and words[-1] in PREPOSITIONS:
            words.pop()
        if words:
            found.add(tuple(words))
    return frozenset(found)


NOT_PLACE_PHRASES = _phrases(LEXICON["not_places"])
EPCI_TERRITORY_PHRASES = _phrases(LEXICON["epci_territory"])
NOT_PLACE_FIRST_WORDS = frozenset(p[0] for p in NOT_PLACE_PHRASES)
LONGEST_PHRASE = max(len(p) for p in NOT_PLACE_PHRASES | EPCI_TERRITORY_PHRASES)
PHRASE_ENDS = frozenset(p[-1] for p in NOT_PLACE_PHRASES | EPCI_TERRITORY_PHRASES)
# Punctuation right before a name cuts it from the words before ("la CPAM, Lyon et…").
CUT = frozenset(",;:.!?()[]«»\"“”")


# After one capitalised word: its complement in lower case ("Maisons de santé").
COMMON_NOUN_AFTER = re.compile(r"[ \u00a0]+(?:de|du|des|d['’])[ \u00a0]*[a-zà-ÿ]{3,}")
# After a name: a distance from it, not a place of the territory ("Toulouse est à 1 heure").
NOT_PLACE_AFTER = re.compile(
    r"[ \u00a0]*(?:(?:est|sont|se trouve|se situe)[ \u00a0]+)?à[ \u00a0]+(?:environ[ \u00a0]+)?\d"
)


class PlaceMention(NamedTuple):
    """A place the text names: its span, the reference entries it may be (none: unknown),
    how it is listed (FULL, LIST, LOOSE, NAME), the level its phrase states ("epci" after
    "Communauté de communes") and the department of a postcode written after it. A named
    tuple: made a few times per sentence, at a third of a frozen dataclass's cost."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]
    listing: str
    level: str | None = None
    postcode_department: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def _department_of_postcode(code: str) -> str:
    if code.startswith("97"):
        return code[:3]
    if code.startswith("20"):  # Corsica: 200xx-201xx is 2A, 202xx-206xx 2B
        return "2A" if code < "20200" else "2B"
    return code[:2]


class _Stems(NamedTuple):
    """What the pass of `_territory_sentences` over a document's fold found."""

    held: set[int]  # the sentences (indices) that speak of a territory
    count_hits: list[int]  # every place of a needle of COUNT_NEEDLES, for `_count_starts`
    needles: set[str]  # the needles found at least once ("arrondissement" among them)


def _territory_sentences(plain: str, starts: list[int], ends: list[int]) -> _Stems:
    """The sentences (indices; `starts` and `ends` theirs, in text order) where a `territory`
    stem starts a word of the folded text and ends one (`_stem_check`): each needle of
    TERRITORY_NEEDLES found with str.find, its stems checked where it stands. A stem in a
    sentence already held is not checked (it could only hold it again), and a needle whose
    stems all start where it does skips to the end of a held sentence: a sentence of a
    release says "communes" or "territoire" several times. What the `_Finder` asks of the
    whole text ("communes" counted, "arrondissement" named) is read off the same finds:
    each of those str.find calls is a pass over the whole text."""
    held: set[int] = set()
    hits: list[int] = []
    needles: set[str] = set()
    for needle, checks, aligned, kept in TERRITORY_CHECKS:
        i = plain.find(needle)
        if i >= 0:
            needles.add(needle)
        while i >= 0:
            if kept:
                hits.append(i)
            k = -1
            for offset, check in checks:
                at = i - offset
                if at < 0:
                    continue
                k = bisect.bisect_right(ends, at)
                if k in held or k == len(ends) or starts[k] > at:
                    continue  # held already, or between two sentences
                if check.match(plain, at):
                    held.add(k)
            i = plain.find(needle, ends[k] if aligned and k in held else i + 1)
    return _Stems(held, hits, needles)


def territory_zones(doc: Document) -> list[tuple[Span, bool]]:
    """(span, is a list line): sentences that speak of a territory, and lines that are only a
    list of names, in text order."""
    sentences = doc.sentences
    return _zones(doc, folded(doc.text), [s.start for s in sentences],
                  [s.end for s in sentences])[0]


def _zones(doc: Document, plain: str, starts: list[int], ends: list[int]):
    """`territory_zones` of `doc` (`plain` its fold, `starts` and `ends` its sentences'), and
    the `_Stems` its needles found."""
    text = doc.text
    # LIST_START first (the test `_is_name_list` opens with): most lines fail it.
    lists = [line for line in doc.lines if LIST_START.match(text, line.start, line.end)
             and _is_name_list(text, line.start, line.end)]
    sentences = doc.sentences
    inside = set()
    for line in lists:
        lo = bisect.bisect_left(starts, line.start)
        hi = bisect.bisect_left(starts, line.end)
        inside.update(starts[lo:hi])
    # Sentences are in text order and do not overlap (as Document.sentence_of reads them):
    # the sentence of a stem is a bisection.
    stems = _territory_sentences(plain, starts, ends)
    found = [(sentences[k], False) for k in sorted(stems.held) if starts[k] not in inside]
    if lists:
        found = sorted(found + [(line, True) for line in lists], key=lambda z: z[0].start)
    return found, stems


def _is_name_list(text: str, start: int, end: int) -> bool:
    """A line of three names or more and nothing else ("Avignon, Sorgues, Le Pontet et
    Vedène."), of a line LIST_START matches (its caller tried that first)."""
    items, at = 0, BULLET_LEAD.match(text, start, end).end()
    while at < end:
        at = ITEM_LEAD.match(text, at, end).end()
        run = RUN.match(text, at, end)
        if run is None:
            return False
        items += 1
        at = run.end()
        bracket = BRACKET.match(text, at, end)
        at = bracket.end() if bracket else at
        separator = SEPARATOR.match(text, at, end)
        if separator is None or separator.end() == at:
            return items >= 3 and not text[at:end].strip(" \u00a0.;:…")
        at = separator.end()
    return items >= 3


class _Finder:
    def __init__(self, doc: Document, names: list[Span]) -> None:
        self.doc = doc
        self.text = doc.text
        self.names = names
        self.geo: Gazetteer = gazetteer()
        self.found: list[PlaceMention] = []
        starts = [s.start for s in doc.sentences]
        self.sentence_ends = [s.end for s in doc.sentences]
        self.sentence_starts = set(starts)
        self.excluded: list[tuple[int, int]] = []  # spans of excluded list items, sorted
        self.plain = folded(self.text)  # same offsets, lower case, no accents
        self.zones, stems = _zones(doc, self.plain, starts, self.sentence_ends)
        self.cities = [c for c in ARRONDISSEMENT_CITIES if c in self.plain]
        self.arrondissements = ARRONDISSEMENT_NEEDLE in stems.needles
        self.counts = _count_starts(self.plain, stems.count_hits)

    # -- where ---------------------------------------------------------------------------
    def run(self) -> list[PlaceMention]:
        # Names first: a place inside a CPTS's name is listed as NAME wherever else it shows.
        seen = set()
        for name in self.names:
            # A name repeated names the same places: its first mention is their evidence.
            written = self.text[name.start : name.end]
            if written not in seen:
                seen.add(written)
                cues = find_cues(self.plain, name.start, name.end)
                self._exclusions(cues, name.end)
                self._scan(name.start, name.end, NAME, cues)
        for zone, is_list in self.zones:
            if is_list:
                listing = FULL if self._after_full_cue(zone.start) else LIST
                self._list_from(zone.start, zone.end, listing)
                continue
            cues = find_cues(self.plain, zone.start, zone.end)
            if cues:  # most sentences have none
                self._exclusions(cues, zone.end)
                for cue in cues:
                    if cue.kind in ("full", "partial"):
                        self._list_from(cue.end, zone.end, FULL if cue.kind == "full" else LIST)
            # "4 villes constituent cette zone ; celle de la côte : Collioure, Port-Vendres…"
            count = self._may_count(zone) and COMMUNE_COUNT.search(self.text, zone.start, zone.end)
            if count:
                colon = COLON.search(self.text, count.end(), zone.end)
                if colon:
                    self._list_from(colon.end(), zone.end, FULL)
            self._scan(zone.start, zone.end, LOOSE, cues)
        return _outermost(self.found)

    def _may_count(self, zone: Span) -> bool:
        """Can COMMUNE_COUNT match in the zone: does a number of communes start there?"""
        i = bisect.bisect_left(self.counts, zone.start)
        return i < len(self.counts) and self.counts[i] < zone.end

    def _after_full_cue(self, offset: int) -> bool:
        """Does the sentence before this list line announce the whole territory ("est
        composée de 12 communes du Vaucluse")?"""
        i = bisect.bisect_right(self.sentence_ends, offset) - 1
        if i < 0:
            return False
        previous = self.doc.sentences[i]
        return bool(FULL_CUE.search(self.plain, previous.start, previous.end)
                    or COMMUNE_COUNT.search(self.text, previous.start, previous.end))

    def _list_items(self, at: int, end: int):
        """The items (arrondissement or name-run matches) of the list that starts at `at`:
        names joined by commas, dashes, "et", "ainsi que", each maybe with an article before
        it and a bracket or a postcode after it."""
        text = self.text
        at = LIST_OPEN.match(text, at, end).end()
        while at < end:
            at = ITEM_LEAD.match(text, at, end).end()
            item = ARRONDISSEMENT.match(text, at, end) or RUN.match(text, at, end)
            if item is None:
                return
            yield item
            at = item.end()
            postcode = POSTCODE.match(text, at, end)
            bracket = postcode or BRACKET.match(text, at, end)
            at = bracket.end() if bracket else at
            separator = SEPARATOR.match(text, at, end)
            if separator is None or separator.end() == at:
                return
            at = separator.end()

    def _list_from(self, at: int, end: int, listing: str) -> None:
        for item in self._list_items(at, end):
            if item.re is ARRONDISSEMENT:
                self._arrondissement(item, listing)
            else:
                self._segment(item.start(), item.end(), listing, strong=True)

    def _exclusions(self, cues: list[Cue], end: int) -> None:
        """Lists that a non-place cue opens ("les cantons d'Amikuze, Iholdy et Mauléon", "les
        rivières Isole et Ellé"): none of their names is a place of the territory."""
        for cue in cues:
            if cue.kind == "not_places":
                for item in self._list_items(cue.end, end):
                    bisect.insort(self.excluded, (item.start(), item.end()))

    def _scan(self, start: int, end: int, listing: str, cues: list[Cue]) -> None:
        """The places of text[start:end], given the cues found there (exclusions already
        recorded)."""
        # str.find first: most sentences name no arrondissement and no city that has them;
        # most documents neither, which one look at the whole text says.
        if self.arrondissements and self.plain.find("arrondissement", start, end) >= 0:
            for m in ARRONDISSEMENT.finditer(self.text, start, end):
                self._arrondissement(m, listing)
        if self.cities and any(self.plain.find(c, start, end) >= 0 for c in self.cities):
            for m in CITY_NUMBER.finditer(self.text, start, end):
                self._arrondissement(m, listing)
        # "sur la communauté de communes\n« Couesnon Marches de Bretagne »": the name may
        # start on the next line.
        for cue in cues:
            if cue.kind != "epci":
                continue
            lead = EPCI_LEAD.match(self.text, cue.end)
            if lead is None or self.text[cue.start - 1 : cue.start].isalpha():
                continue
            run = RUN.match(self.text, lead.end())
            if run is not None:
                self._epci(cue.start, run.end(), listing)
        loose = listing == LOOSE
        starts = self.sentence_starts
        for m in RUN.finditer(self.text, start, end):
            run = m.group()
            if run.isalnum():  # `_run_parts`, inlined
                if loose and (m.start() in starts or self._starts_sentence(m.start())):
                    # One word opening its sentence or line: `_names` keeps no one-word loose
                    # name there (its capital says nothing), whatever the lookups would say.
                    continue
                parts = _word(run).loose
            else:
                parts = _cut_run(run, False)
            # `_segment`, inlined: most runs of a sentence have no part that may be a name
            for part in parts:
                self._segment_part(m.start(), part, listing, False)

    # -- what ----------------------------------------------------------------------------
    def _excluded(self, start: int) -> bool:
        i = bisect.bisect_right(self.excluded, (start, len(self.text) + 1)) - 1
        if i >= 0 and self.excluded[i][0] <= start < self.excluded[i][1]:
            return True
        return self._phrase_before(start, NOT_PLACE_PHRASES)

    def _words(self, start: int, end: int) -> list[str]:
        """The folded words of text[start:end] (the lexicon's cue phrases hold no "St" and no
        ligature but "œ"), read off the document's fold: no Unicode work per call."""
        words = WORD.findall(self.plain, max(start, 0), end)
        if self.plain.find("œ", start, end) < 0:  # str.find: no copy of the slice to look in
            return words
        return [w.replace("œ", "oe") for w in words]

    def _phrase_before(self, start: int, phrases: frozenset[tuple[str, ...]]) -> bool:
        """Do the words right before `start` (prepositions aside) end with one of `phrases`?"""
        window = self.text[max(0, start - WINDOW) : start]
        if window.rstrip()[-1:] in CUT:  # str.rstrip strips what \s matches
            return False
        words = self._words(start - len(window), start)
        while words and words[-1] in PREPOSITIONS:
            words.pop()
        if not words or words[-1] not in PHRASE_ENDS:
            return False
        return any(tuple(words[-k:]) in phrases
                   for k in range(1, min(LONGEST_PHRASE, len(words)) + 1))

    def _phrase_opens(self, start: int, end: int) -> bool:
        """Does the run text[start:end] open with a non-place phrase ("Université Paris-Saclay",
        "Centre hospitalier de Die")?"""
        first = WORD.search(self.plain, start, end)
        if first is None or first.group().replace("œ", "oe") not in NOT_PLACE_FIRST_WORDS:
            return False  # most runs: no phrase starts with their first word
        words = self._words(start, end)
        return any(tuple(words[:k]) in NOT_PLACE_PHRASES
                   for k in range(1, min(LONGEST_PHRASE, len(words)) + 1))

    def _add(self, mention: PlaceMention) -> None:
        self.found.append(mention)

    def _arrondissement(self, m: re.Match[str], listing: str) -> None:
        if self._excluded(m.start()):
            return
        city = (m.group("city") or "").lower()  # "le 5e arrondissement" may not say whose
        cities = [city] if city else self._cities_named()
        places = [p for c in cities if (p := self.geo.arrondissement(c, int(m.group("n"))))]
        self._add(PlaceMention(m.start(), m.end(), m.group(), tuple(places), listing, "commune"))

    @cache  # noqa: B019 - one finder per document
    def _cities_named(self) -> list[str]:
        """Paris, Lyon or Marseille, when the text names one: "le 5e arrondissement" is
        theirs; with none or several named, it stays ambiguous among the three."""
        named = [c for c in ARRONDISSEMENT_CITIES if re.search(rf"\b{c}\b", self.text, re.I)]
        return named or list(ARRONDISSEMENT_CITIES)

    def _epci(self, start: int, end: int, listing: str) -> None:
        """An EPCI phrase "Communauté de communes du Val de Drôme": a strong mention (an
        unknown one too); a full list of one when a territory cue stands before it."""
        if self._excluded(start):
            return
        text = self.text[start:end]
        places = self.geo.epci_named(name_tokens(text), loose=True)
        if self._phrase_before(start, EPCI_TERRITORY_PHRASES):
            listing = FULL if listing != NAME else listing
        elif listing == FULL:
            listing = LIST
        self._add(PlaceMention(start, end, text, tuple(places), listing, "epci"))

    def _segment(self, start: int, end: int, listing: str, strong: bool) -> None:
        """Cut the run text[start:end] into the longest names the reference knows. A run with
        a capitalised word left over next to a name, or a region in it, is a name the
        reference does not know ("Vallée Borgne", "Marches de Bretagne", a person's name):
        none of its parts counts."""
        for part in _run_parts(self.text[start:end], strong):
            self._segment_part(start, part, listing, strong)

    def _segment_part(self, base: int, part: _Part, listing: str, strong: bool) -> None:
        """`_segment` of one part of a run (between its acronyms) that starts at `base`."""
        tokens, folded = part.tokens, part.keys  # offsets in the run: `base` added when read
        start, end = base + tokens[0][0], base + tokens[-1][1]
        # The context of the run (what stands before and after it) can only veto: for a loose
        # run, which mostly names nothing, it is looked at once a name is found.
        if strong and self._vetoed(start, end, len(tokens), listing):
            return
        found = self._names(base, part, listing, start)
        if found and (strong or not self._vetoed(start, end, len(tokens), listing)):
            self.found.extend(found)
        elif strong and any(
            not (f in CONNECTORS and t[2].islower()) for f, t in zip(folded, tokens, strict=True)
        ):  # a word that is not a small joining word: a place the reference does not know
            self._unknown([(base + lo, base + hi, w) for lo, hi, w in tokens], folded, listing)

    def _vetoed(self, start: int, end: int, n_words: int, listing: str) -> bool:
        """Is the run text[start:end] no place whatever it names, for what surrounds it?"""
        if self._excluded(start) or self._phrase_opens(start, end):
            return True
        if NOT_PLACE_AFTER.match(self.text, end):
            return True  # "Toulouse est à 1 heure"
        # "le nombre de Maisons de santé": a capitalised common noun
        return n_words == 1 and listing == LOOSE and bool(COMMON_NOUN_AFTER.match(self.text, end))

    def _names(self, base: int, part: _Part, listing: str, start: int) -> list[PlaceMention]:
        """The run part (at `base`, its first token at `start`) cut into the longest names the
        reference knows; none when a capitalised word is left over or a region is part of a
        longer name."""
        initial = self._starts_sentence(start)
        if not (part.rest_in_names if initial else part.in_names):
            return []  # a word that no name has would be left over: no lookup can help
        tokens, folded = part.tokens, part.keys
        spans, i = [], 0
        while i < len(tokens):
            if folded[i] in CONNECTORS and tokens[i][2].islower():
                i += 1
                continue
            match = self._longest(base, tokens, folded, i)
            if match is None:
                if folded[i] not in QUALIFIERS and not (i == 0 and initial):
                    return []  # a word left over: looking further would change nothing
                i += 1
                continue
            j, places, level = match
            if places is None and len(tokens) > j - i:
                return []  # a region inside a longer name
            if places is not None and not (i == 0 and j == 1 and initial and listing == LOOSE):
                spans.append((i, j, places, level))  # not "Celle-ci", "Son objectif"
            i = j
        return [self._mention(base + tokens[i][0], base + tokens[j - 1][1], places, listing, level)
                for i, j, places, level in spans]

    def _unknown(self, words, folded, listing: str) -> None:
        """Places the reference does not know, one per part of the run between its "et"
        ("Pays de Retz et du Pays de Pornic" is two)."""
        parts, current = [], []
        for word, key in zip(words, folded, strict=True):
            if key == "et" and word[2].islower():
                parts.append(current)
                current = []
            else:
                current.append((word, key))
        parts.append(current)
        for part in parts:
            while part and part[0][1] in CONNECTORS and part[0][0][2].islower():
                part = part[1:]
            if part:
                level = "epci" if part[0][1] == "pays" else None
                self._add(self._mention(part[0][0][0], part[-1][0][1], (), listing, level))

    def _starts_sentence(self, offset: int) -> bool:
        """Is the word at `offset` the first of its sentence or line (its capital says
        nothing: "Depuis Réalmont")?"""
        if offset in self.sentence_starts:
            return True
        before = self.text[offset - 4 if offset > 4 else 0 : offset].rstrip(" \t\u00a0")
        return not before or before[-1] in ".!?\n•–—«\"*"

    def _longest(self, base: int, tokens, folded, i):
        """(end token, places or None for a region, level) of the longest name from token i
        of a run part at `base`, or None. A qualifier ("Nord", "Grand") before more name only
        qualifies it."""
        before = MISSING  # the word before the name, looked at only when a name is known
        for j, found, known in _lookups(folded[i : i + MAX_NAME_TOKENS]):
            j += i
            if found is not None:
                return (j, *found) if found else None
            if known is not None:  # a commune or a department: which, the context says
                if before is MISSING:
                    before = self._before(base + tokens[i][0])
                key, article = known
                qualified = i > 0 and folded[i - 1] in QUALIFIERS
                written = self.text[base + tokens[i][0] : base + tokens[j - 1][1]]
                places = _candidates(key, article or before, qualified, written)
                if places:
                    return j, places, None
        return None

    def _before(self, offset: int) -> str | None:
        if not offset or self.text[offset - 1] not in BEFORE_GAP:
            return None  # BEFORE ends with one of these: most names have a space before
        m = BEFORE.search(self.text, max(0, offset - 12), offset)
        if m is None:
            return None
        word = m.group("word").lower()
        return "à" if word == "a" else word

    def _mention(self, start, end, places, listing, level) -> PlaceMention:
        postcode = POSTCODE.match(self.text, end)
        if not level:
            level = places[0].level if len(places) == 1 else _level_of(places)
        return PlaceMention(
            start, end, self.text[start:end], places if type(places) is tuple else tuple(places),
            listing, level,
            _department_of_postcode(postcode.group("code")) if postcode else None,
        )


@lru_cache(maxsize=65536)
def _lookups(folded: tuple[str, ...]) -> tuple:
    """The lookups of `_Finder._longest` from the first of `folded` (a run's folded tokens from
    there, at most MAX_NAME_TOKENS), longest name first: (end token, found, known) per name
    length where a lookup may answer. `found`: what the reference gives whatever the context
    (a region: (None, None); an EPCI or an arrondissement: (places, level); () ends the
    search with no name); `known`: (key, article) of a commune or department name, whose
    candidates need the words around it. The tokens of place names repeat from one release
    to the next, as words do: each sequence is looked up once per process."""
    geo = gazetteer()
    n = len(folded)
    first = 1 if folded[0] in ARTICLES and n > 1 else 0
    longest = geo.first_words.get(folded[first], 0)
    if not longest:
        return ()  # no name of the reference starts with this word
    steps = []
    for j in range(min(n, first + longest), 0, -1):
        if folded[j - 1] in CONNECTORS:
            continue
        key_tokens = folded[:j]
        article = None
        if len(key_tokens) > 1 and key_tokens[0] in ("le", "la", "les", "l"):
            article, key_tokens = key_tokens[0], key_tokens[1:]
        key = " ".join(key_tokens)
        if j == 1 and folded[0] in QUALIFIERS and n > 1 and (
            folded[1] not in CONNECTORS or folded[1] in OF
        ):  # "Nord Deux-Sèvres", "Cœur de Sologne"; not "le Nord et le Gard"
            steps.append((j, (), None))
            break
        if (key not in geo.lookup_keys and key_tokens[0] not in ARRONDISSEMENT_CITIES
                and CORE_DROPPED.isdisjoint(key_tokens)):
            continue  # no lookup below can answer (its EPCI core is the key itself)
        found = _context_free(geo, key, list(key_tokens))
        if found is not None:
            steps.append((j, found, None))
            break
        known = (key, article) if geo.knows(key) else None
        core = epci_core(key_tokens)
        if len(core) >= 2 and geo.knows_core(core):  # "Bassin de Pompey"
            places = geo.epci_named(list(key_tokens))
            if places:
                steps.append((j, None, known))
                steps.append((j, (tuple(places), "epci"), None))
                break
        if known is not None:
            steps.append((j, None, known))
    return tuple(steps)


def _context_free(geo: Gazetteer, key: str, key_tokens: list[str]):
    """What a key names before its context is looked at: a region, an EPCI named with its
    type ("Alès Agglomération"), an arrondissement ("Lyon 5e"); else None."""
    if geo.is_region(key):
        return None, None
    if key_tokens[-1] in EPCI_WORDS and len(key_tokens) > 1:
        places = geo.epci_named(key_tokens, loose=True)
        if places:
            return tuple(places), "epci"
    if len(key_tokens) == 2 and key_tokens[0] in ARRONDISSEMENT_CITIES:
        number = "".join(c for c in key_tokens[1] if c.isdigit())
        if number and key_tokens[1][0].isdigit():
            place = geo.arrondissement(key_tokens[0], int(number))
            if place:
                return (place,), "commune"
    return None


@lru_cache(maxsize=65536)
def _candidates(key: str, article: str | None, qualified: bool, written: str) -> tuple[Place, ...]:
    """Communes and the department a folded name may be, given the word before it. Cached:
    the same names come back with the same words before them."""
    geo = gazetteer()
    out: list[Place] = []
    department = geo.department(key)
    with_article = article in ARTICLE_WORDS
    if department is not None and (
        with_article
        or qualified
        or (article not in TOWN_WORDS and department.code not in geo.strict_departments)
    ):
        out.append(department)
    communes = geo.commune(key)
    # "la Vienne", "la Ville de", "Le Maire" are no towns: a commune takes an article only
    # when its name has one.
    if with_article:
        communes = [c for c in communes if c.article is not None]
    # "Sauve" is Sauve, not La Sauve; "Sables-d'Olonne" can only be Les Sables-d'Olonne.
    same = [c for c in communes if c.article == (article if article in ARTICLES else None)]
    out.extend(same or communes)
    # "Drôm" is not Drom: a writer drops accents, he does not add them.
    out = [p for p in out if not _accent_added(written, p.name)]
    if len(out) > 1:
        # "Loire" is the Loire, not Loiré: the accents as written decide when they can.
        exact = [p for p in out if _accented(p.name).endswith(_accented(written))]
        out = exact or out
    if len(out) == 2 and out[0].level == "department" and out[1].departments == (
        out[0].code,
    ) and out[0].code in geo.one_commune_departments:
        out = out[1:]  # Paris, the department, is Paris, the commune
    return tuple(out)


class _Part(NamedTuple):
    """A part of a run to look names up in: its tokens (offsets in the run, word), their
    folded keys, and whether every key (`in_names`), or every key but the first (a
    sentence's first word, `rest_in_names`), may be part of a name."""

    tokens: tuple[tuple[int, int, str], ...]
    keys: tuple[str, ...]
    in_names: bool
    rest_in_names: bool


def _run_parts(run: str, strong: bool) -> tuple[_Part, ...]:
    """The parts of a run that may name a place, in order: the run cut at its acronyms, a
    loose part kept only when one of its words may start a name of the reference and every
    word but its first may be part of one (else `_Finder._names` finds none there, whatever
    the lookups say)."""
    if run.isalnum():  # one word ("Elle", "CPTS", "Avignon"): most runs
        word = _word(run)
        return word.strong if strong else word.loose
    return _cut_run(run, strong)


@lru_cache(maxsize=65536)
def _cut_run(run: str, strong: bool) -> tuple[_Part, ...]:
    """`_run_parts` of a run of several words. All of it depends on the run's text alone, and
    the same runs come back ("La CPTS", a CPTS's name): each is cut once per process, its
    words folded once (a run of one word is its word's, `_word`: one cache, not two)."""
    texts = _tokens(run)
    words = tuple(map(_word, texts))
    if not strong and not any(map(_OPENS, words)):
        return ()  # "La CPTS", "Elle", "Assurance Maladie": no word starts a known name
    kept = _parts(texts, words, strong)
    if not kept:
        return ()  # "Communauté Professionnelle Territoriale de Santé": no offsets to find
    tokens = _offsets(run, texts)
    return tuple(_Part(tokens[lo:hi], *rest) for lo, hi, *rest in kept)


def _tokens(run: str) -> list[str]:
    """`TOKEN.findall(run)` of a RUN match: its tokens (words, small words, ordinals) are
    letters and digits only, and one joining character (JOIN) stands between two of them, so
    they are the run split at those characters (C string work, no regex pass)."""
    return run.replace("\u00a0", " ").replace("-", " ").replace("'", " ").replace(
        "’", " ").split(" ")


def _offsets(run: str, texts: list[str]) -> tuple[tuple[int, int, str], ...]:
    """The tokens `texts` of `run` (`_tokens`) with their offsets: one joining character
    between two tokens, each starts one past the end of the one before."""
    tokens, at = [], 0
    for text in texts:
        end = at + len(text)
        tokens.append((at, end, text))
        at = end + 1
    return tuple(tokens)


def _parts(texts, words, strong: bool) -> list[tuple]:
    """The parts of `_run_parts` from the run's tokens (`texts`) and what each word is
    (`_word`), as (first token, end token, keys, in_names, rest_in_names): the run cut at
    its acronyms ("UTEP du GHU Paris-Saclay": an acronym ends a name), each piece after a cut
    taken as a run of its own (`_run_bounds`), a loose one only when one of its words may
    start a name. One walk from left to right, the piece after an acronym cut again at the
    next one: no recursion, no slices of pieces that are cut again."""
    found, lo, hi = [], 0, len(texts)
    while True:
        cut = _acronym_at(words, lo, hi)
        if cut is None:
            return found + _whole(words, lo, hi, strong)
        bounds = _run_bounds(texts, lo, cut)
        if bounds and (strong or _opens(words, *bounds)):
            found += _whole(words, *bounds, strong)
        bounds = _run_bounds(texts, cut + 1, hi)
        if not bounds or not (strong or _opens(words, *bounds)):
            return found
        lo, hi = bounds


def _whole(words, lo: int, hi: int, strong: bool) -> list[tuple]:
    """words[lo:hi], a piece of a run with no acronym, as a part if it may name a place."""
    keys, starts, in_names = [], False, []
    for w in words[lo:hi]:
        keys.append(w.key)
        starts = starts or w.starts_name
        in_names.append(w.in_names)
    rest = all(in_names[1:])
    if not strong and not (starts and rest):
        return []  # "La CPTS", "Elle", "Santé": no word starts a name the reference knows
    return [(lo, hi, tuple(keys), all(in_names), rest)]


def _acronym_at(words, lo: int, hi: int) -> int | None:
    """The first of words[lo:hi] that is an acronym (a loop: no generator per run)."""
    for k in range(lo, hi):
        if words[k].acronym:
            return k
    return None


def _opens(words, lo: int, hi: int) -> bool:
    """Does one of words[lo:hi] start a name of the reference?"""
    for k in range(lo, hi):
        if words[k].opens:
            return True
    return False


def _run_bounds(texts, lo: int, hi: int) -> tuple[int, int] | None:
    """Which of the tokens texts[lo:hi] (those of a run cut at an acronym) `RUN.search` finds
    over their span: a run's tokens are capitalised words, small joining words (lower case)
    and ordinals (a digit first), so it starts at the first capitalised one and ends at the
    last one that is no joining word."""
    for first in range(lo, hi):
        if texts[first][0].isupper():
            break
    else:
        return None
    last = hi - 1
    while texts[last][0].islower():  # stops at `first` at the latest
        last -= 1
    return first, last + 1


class _Word(NamedTuple):
    """What the lookups make of one word of a run."""

    key: str  # folded, as the lookups read it ("St" is "saint")
    opens: bool  # its first folded word starts a name; not a small word, not an acronym
    acronym: bool  # all capitals ("CPTS", "ARS"): it ends a name
    starts_name: bool  # its key starts a name and is no small joining word
    in_names: bool  # may be part of a name `_longest` finds (an ordinal counts)
    # `_run_parts` of a run that is this word alone, loose and strong: none for an acronym,
    # nor for a loose word that starts no name.
    loose: tuple[_Part, ...]
    strong: tuple[_Part, ...]


_OPENS = operator.attrgetter("opens")


class _CharFolds(dict):
    """Code point → what `name_tokens` makes of the character alone: its lower-case ASCII
    letters and digits, a space for any other ASCII sign. slug.fold works character by
    character (NFKD decomposes each alone and never moves the ASCII it keeps), so the fold
    of a word is that of its characters: one str.translate, no normalisation per word."""

    def __missing__(self, code: int) -> str:
        char = chr(code).translate(APOSTROPHES).translate(LIGATURES)
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        self[code] = folded = NON_ALNUM.sub(" ", plain.lower())
        return folded


CHAR_FOLDS = _CharFolds()
"".join(map(chr, range(0x250))).translate(CHAR_FOLDS)  # Latin, the letters of French names


def _name_tokens(word: str) -> tuple[str, ...]:
    """`name_tokens(word)`, the same tokens."""
    if word.isascii() and word.isalnum():  # a TOKEN: name_tokens is its lower case
        low = word.lower()
        return (SAINTS.get(low, low),)
    plain = word.translate(CHAR_FOLDS)
    if plain.isalnum():  # one token, as most words with accents fold to
        return (SAINTS.get(plain, plain),)
    return tuple(SAINTS.get(t, t) for t in plain.split())


@lru_cache(maxsize=65536)
def _word(word: str) -> _Word:
    """What the lookups make of `word`. Capitalised words repeat from one release to the
    next: each is folded and looked at once per process."""
    if word.isascii() and word.isalnum():  # `_name_tokens` of a plain word, inlined
        low = word.lower()
        key = head = SAINTS.get(low, low)
    else:
        tokens = _name_tokens(word)
        key = tokens[0] if len(tokens) == 1 else " ".join(tokens)
        head = tokens[0] if tokens else ""
    openers = _openers()
    # ACRONYM's letters are all upper case: a word whose second is not is no acronym.
    acronym = word[1:2].isupper() and ACRONYM.fullmatch(word) is not None
    opens = not acronym and head in openers
    starts_name = key in openers
    in_names = _may_be_in_a_name(key)
    # Made a few times per new word: tuple.__new__ skips the named tuples' Python __new__.
    part = (tuple.__new__(_Part, (((0, len(word), word),), (key,), in_names, True)),)
    return tuple.__new__(_Word, (key, opens, acronym, starts_name, in_names,
                                 part if opens and starts_name else (), () if acronym else part))


@cache
def _openers() -> frozenset[str]:
    """The first words of the reference's names that are no small joining word: what a word
    must fold to to start a name (`_Word.opens`, `_Word.starts_name`)."""
    return frozenset(gazetteer().first_words.keys() - CONNECTORS)


@cache
def _in_names() -> frozenset[str]:
    """The words a name found by `_longest` may hold: those of the reference's names, the
    small and type words a lookup sets aside, and the qualifiers it skips."""
    return gazetteer().name_words | CONNECTORS | CORE_DROPPED | QUALIFIERS


def _may_be_in_a_name(folded: str) -> bool:
    """Can this folded word be part of a name `_longest` finds (an arrondissement's number
    counts as one)?"""
    words = _in_names()
    if folded in words:
        return True
    if folded and " " not in folded:  # one word: the test below of its only part
        return folded[:1].isdigit()
    return all(w in words or w[:1].isdigit() for w in folded.split())


def _outermost(found: list[PlaceMention]) -> list[PlaceMention]:
    """The mentions no other one contains, in text order (of two with the same span, the one
    found first: a name inside a CPTS's name is listed as NAME)."""
    order = sorted(range(len(found)), key=lambda i: (found[i].start, -found[i].end, i))
    kept, reach = [], -1
    for i in order:
        if found[i].end <= reach:
            continue  # inside an EPCI's name or a longer list item
        kept.append(found[i])
        reach = found[i].end
    return kept


NAME_GAPS = re.compile(r"[\s\-'’]+")


@lru_cache(maxsize=65536)
def _accented(name: str) -> str:
    """Lower case with accents kept, one space for any hyphen, apostrophe or space."""
    return NAME_GAPS.sub(" ", name.lower()).strip()


@lru_cache(maxsize=65536)
def _accent_added(written: str, official: str) -> bool:
    """Does `written` carry an accent where `official` has the plain letter (compared from
    the end, so an article or "St" in front does not matter)?"""
    a, b = _accented(written), _accented(official)
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y and x not in "œæ":
            plain_x = unicodedata.normalize("NFD", x)[0]
            if plain_x != x and plain_x == y:
                return True
            if unicodedata.normalize("NFD", y)[0] != plain_x:
                return False  # the names part here ("St" / "Saint"): nothing more to compare
    return False


def _level_of(places: tuple[Place, ...]) -> str | None:
    levels = {p.level for p in places}
    return levels.pop() if len(levels) == 1 else None


def reference_lookups() -> None:
    """Build the lookups this module derives from the reference (once per process, as the
    reference's own): a first document does not pay for them."""
    _in_names()
    _openers()


def clear_text_caches() -> None:
    """Empty the caches of what texts held (words, runs, name lookups; the bounded ones),
    for a benchmark of unseen text. The reference's lookups (unbounded) stay."""
    for value in list(globals().values()):
        parameters = getattr(value, "cache_parameters", None)
        mine = getattr(value, "__module__", None) == __name__  # not prefilter.folded's
        if parameters is not None and mine and parameters()["maxsize"] is not None:
            value.cache_clear()


def find_places(doc: Document, names: list[Span] = ()) -> list[PlaceMention]:
    """Every place `doc` names in its territory sentences and inside the CPTS names `names`
    (spans of the cpts_name facts), in text order; overlapping finds keep the longest."""
    return _Finder(doc, list(names)).run()
