"""A release about one CPTS that never gives it a proper name: where it is, what to call it.

French releases often say only "la CPTS", "cette communauté" or "une CPTS est née dans le
Ribéracois": the reader knows which CPTS it is from the page title or from the territory the
text gives. Such a release still has one CPTS, named here the way a reader would name it:
- from the page title when the title names it ("CPTS Val de Sèvre : les soignants
  s'organisent"), name_source "title";
- else from the territory the text gives ("les professionnels de santé du Pays de Lure",
  "une CPTS sur le secteur de la Côte Rocheuse", "les 22 communes de la Haute-Corrèze",
  "au nord du département du Lot"), name_source "territory" (or "title" when that territory
  is read in the title line).

The references that make the CPTS definite ("la CPTS", "cette CPTS", "notre communauté") are
its mentions; a sentence about CPTS in general ("La CPTS est un dispositif ...") is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.kinds.cpts_grammar import LEXICON, parse_name
from extractors.kinds.scope import GENERIC, sentence_scope
from extractors.text.phrases import alternatives
from extractors.types import Document, Span

_LEX = LEXICON["unnamed"]

# "la CPTS", "cette CPTS", "notre communauté", "la future CPTS": one definite CPTS.
DEFINITE = re.compile(
    rf"""
    (?<![\w’'])(?i:{alternatives(_LEX["determiners"])})\s+     # la, cette, notre, de la ...
    (?:(?i:{alternatives(_LEX["adjectives"])})\s+)?            # future, nouvelle, jeune
    (?P<head>CPTS\b
      |(?i:communaut[ée](?:\s+professionnelle\s+territoriale\s+de\s+sant[ée])?)
       (?!\s*(?i:{alternatives(_LEX["other_communities"])})))  # not "communauté de communes"
    """,
    re.VERBOSE,
)

# "une CPTS" (or written in full): definite only beside the territory that names it.
INDEFINITE = re.compile(
    r"""
    (?<![\w’'])(?:une|d['’]une)\s+
    (?P<head>CPTS\b|communaut[ée]\s+professionnelle\s+territoriale\s+de\s+sant[ée])
    """,
    re.VERBOSE | re.IGNORECASE,
)

# What introduces a territory: "sur le secteur de", "les professionnels de santé du",
# "les 22 communes de la", "au centre du département du".
TERRITORY_LEAD = re.compile(
    rf"""
    (?<![\w’'])(?:
      (?:{alternatives(_LEX["territory_nouns"])})               # territoire, secteur, bassin de vie
      |(?:{alternatives(_LEX["people"])})                       # professionnels (de santé)
      |\d+\s+communes                                           # les 22 communes
      |(?:dans|autour)\s*(?=\s(?:le|la|les|du|de\s+la|des|l['’]))  # "née dans le Ribéracois"
    )
    (?=\s*(?:du|des|de\s+la|de\s+l['’]|de|d['’]|le|la|les|l['’])(?:\s|(?<=['’])))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "au nord du Lot", "au centre du département du Tarn": a part of a named area.
ORIENTED = re.compile(
    r"""
    (?<![\w’'])(?P<part>nord|sud|est|ouest|centre|cœur|coeur)(?:[- ](?:est|ouest))?\s+
    (?:du\s+département\s+|de\s+la\s+région\s+)?
    (?=(?:du|de\s+la|de\s+l['’]|des|d['’])(?:\s|(?<=['’])))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# "autour du lac de Vassivière", "de la presqu'île de Crozon": a common noun of place, written
# in lower case, then the proper name it governs.
_PROPER = r"[A-ZÀ-Ý][\w'’-]*"
COMMON_PLACE = re.compile(
    rf"""
    \s*(?P<article>du|des|de\s+la|de\s+l['’]|le|la|les|l['’])\s*
    (?P<core>(?:{alternatives(_LEX["place_nouns"])})
      \s+(?:du|des|de\s+la|de\s+l['’]|de|d['’])\s*{_PROPER}
      (?:\s+(?:(?:et\s+)?(?:du|de|des|de\s+la|d['’]|l['’])\s*)?{_PROPER}){{0,3}})
    (?![\w'’-])
    """,
    re.VERBOSE,
)

# "dans le Ribéracois", "autour de la Bresse": the article the name takes as "du", "de la".
ARTICLE = re.compile(r"\s*(?P<article>les|le|la|l['’])(?:\s+|(?<=['’]))(?=[^\W\d_])", re.I)
AS_CONNECTOR = {"le": "du", "la": "de la", "les": "des", "l'": "de l'"}

# "la CPTS du bout du monde": a name follows that the grammar could not read (lower case);
# that CPTS is named, so no name is built for it from elsewhere: it is read as written.
UNREAD_NAME = re.compile(
    rf"\s+(?:du|des|de\s+la|de\s+l['’])\s*(?!(?:{alternatives(_LEX['lowercase_name_not_first'])})"
    r"(?!\w))\w", re.I)
LOWERCASE_CONNECTOR = re.compile(r"\s+(?P<connector>du|des|de\s+la|de\s+l['’])\s*", re.I)
LOWERCASE_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\S")
LOWERCASE_STOPS = frozenset(_LEX["lowercase_name_stops"])
LOWERCASE_NOT_FIRST = frozenset(_LEX["lowercase_name_not_first"])
PARTICLES = frozenset({"du", "de", "des", "la", "le", "les", "l'", "d'", "et"})
ELIDED_STOPS = ("s'", "n'", "qu'")
LOWERCASE_MAX_WORDS = 5

# A territory is a place, never a date, a body or a document ("du 1er janvier", "de l'ARS").
NOT_A_PLACE = frozenset(_LEX["not_places"])


@dataclass(frozen=True, slots=True)
class Unnamed:
    name: str  # "CPTS du Pays de Quimperlé"
    source: str  # title | territory
    anchors: tuple[Span, ...]  # the references to it ("la CPTS", "cette communauté")


def _articles(connector: str) -> str:
    return connector if connector.endswith(("’", "'")) else connector + " "


def _place(text: str, pos: int) -> tuple[str, int, int] | None:
    """(name words, start, end) of the place starting at `pos`: "du Pays de Quimperlé"."""
    common = COMMON_PLACE.match(text, pos)
    if common:  # "autour du lac de Vassivière"
        written = " ".join(common.group("article").lower().replace("’", "'").split())
        connector = AS_CONNECTOR.get(written, written)
        words = f"{_articles(connector)}{common.group('core')}"
        return words, common.start("article"), common.end()
    oriented = ORIENTED.match(text, pos)
    lead = ""
    if oriented:
        lead = f"{oriented.group('part').lower()} "
        pos = oriented.end()
    article = ARTICLE.match(text, pos)
    parsed = parse_name(text, article.end() if article else pos)
    if parsed is None:
        return None
    connector, start, core_start, end = parsed
    if article and not connector:
        # "née dans le Ribéracois" → "CPTS du Ribéracois"
        written = article.group("article").lower().replace("’", "'")
        connector, start = AS_CONNECTOR[written], article.start()
    core = text[core_start:end]
    if not connector or core.split()[0].strip("’'") in NOT_A_PLACE or core.isupper():
        return None
    if lead:
        # "au nord du Lot" → "du nord du Lot": the part takes "du", the area keeps its own.
        words = f"du {lead}{_articles(connector)}{core}"
        return words, oriented.start(), end
    return f"{_articles(connector)}{core}", start, end


def territories(text: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Places given as the territory between `lo` and `hi`, in reading order."""
    found = []
    for m in TERRITORY_LEAD.finditer(text, lo, hi):
        place = _place(text, m.end())
        if place and place[2] <= hi:
            found.append(place)
    for m in ORIENTED.finditer(text, lo, hi):
        place = _place(text, m.start())
        if place and place[2] <= hi:
            found.append(place)
    return sorted(set(found), key=lambda p: p[1])


def _generic(doc: Document, offset: int) -> bool:
    return sentence_scope(doc.slice(doc.sentence_of(offset))) == GENERIC


def _title_line(doc: Document) -> Span | None:
    """The first line when it reads as a title: short, not ending like a sentence."""
    if not doc.lines:
        return None
    first = doc.lines[0]
    line = doc.slice(first).strip()
    if len(line) > 160 or line.endswith((".", ":", ";", ",")):
        return None
    return first


# "Baptisée Entre Loire et sucs, elle a vu le jour jeudi": the name given to the CPTS.
BAPTISED = re.compile(
    rf"(?<![\w’'])(?i:{alternatives(_LEX['naming_verbs'])})[ \t\u00a0]+(?:[«\"“][ \t\u00a0]*)?"
)
# The text must speak of a CPTS for a name it gives to be one.
SPEAKS_OF_CPTS = re.compile(r"\bCPTS\b|communaut[ée]s?\s+professionnelles?", re.IGNORECASE)


def _baptised(doc: Document) -> tuple[str, Span] | None:
    """The name a release gives its CPTS with a naming verb ("baptisée", "dénommée")."""
    if not SPEAKS_OF_CPTS.search(doc.text):
        return None
    for m in BAPTISED.finditer(doc.text):
        parsed = parse_name(doc.text, m.end())
        if parsed is None or parsed[0]:
            continue
        _, _, start, end = parsed
        return " ".join(f"CPTS {doc.text[start:end]}".split()), Span(start, end)
    return None


def lowercase_name(text: str, head_end: int) -> tuple[str, Span] | None:
    """ "la CPTS du bout du monde est née": the name written in lower case after a CPTS head,
    up to a verb, a pronoun, a conjunction or punctuation; None for a common noun phrase ("la
    CPTS du territoire") or a name the grammar reads."""
    connector = LOWERCASE_CONNECTOR.match(text, head_end)
    if connector is None:
        return None
    words: list[str] = []
    end = connector.end()
    for token in LOWERCASE_TOKEN.finditer(text, connector.end(), connector.end() + 80):
        word = token.group().lower().replace("’", "'")
        if not token.group()[0].isalpha() or word in LOWERCASE_STOPS:
            break
        if word.startswith(ELIDED_STOPS) or len(words) == LOWERCASE_MAX_WORDS:
            break
        if not words and (not token.group()[0].islower() or word in LOWERCASE_NOT_FIRST):
            return None
        words.append(token.group())
        end = token.end()
        if "\n" in text[connector.end() : end]:
            return None
    while words and words[-1].lower() in PARTICLES:
        words.pop()
    if not words:
        return None
    joined = " ".join(connector.group("connector").split())  # "de  la" → "de la"
    name = f"CPTS {_articles(joined)}{' '.join(words)}".replace("’", "'")
    return name, Span(connector.start("connector"), end)


def find(doc: Document, title_name: str | None = None) -> Unnamed | None:
    """The one CPTS of a release that never names it, or None.

    `title_name` is a CPTS name read in the page title kept outside the text (HTML <title>,
    PDF metadata): the release is about that CPTS.
    """
    text = doc.text
    definite = [
        Span(m.start("head"), m.end("head"))
        for m in DEFINITE.finditer(text)
        if not _generic(doc, m.start()) and not UNREAD_NAME.match(text, m.end())
    ]
    indefinite = []
    for m in INDEFINITE.finditer(text):
        sentence = doc.sentence_of(m.start())
        if territories(text, sentence.start, sentence.end) and not _generic(doc, m.start()):
            indefinite.append(Span(m.start("head"), m.end("head")))
    anchors = tuple(sorted(definite + indefinite, key=lambda s: s.start))
    baptised = _baptised(doc)
    if baptised is not None:
        name, span = baptised
        return Unnamed(name, "text", anchors or (span,))
    written = {}
    for m in DEFINITE.finditer(text):
        if m.group("head") == "CPTS" and not _generic(doc, m.start()):
            found = lowercase_name(text, m.end("head"))
            if found:
                written.setdefault(found[0], []).append(Span(m.start("head"), m.end("head")))
    if len(written) == 1:  # one name as written: that is the release's CPTS
        ((name, heads),) = written.items()
        return Unnamed(name, "text", tuple(sorted({*anchors, *heads}, key=lambda s: s.start)))
    if not anchors:
        return None
    if title_name:
        return Unnamed(title_name, "title", anchors)
    title = _title_line(doc)
    candidates = []
    for sentence in doc.sentences:
        near = [a.start for a in anchors if sentence.start <= a.start < sentence.end]
        for words, start, _ in territories(text, sentence.start, sentence.end):
            in_title = title is not None and title.start <= start < title.end
            rank = 0 if near else 1 if in_title else 2
            # Beside "la CPTS", the place closest to it is its territory ("une dizaine de
            # soignants de Lingolsheim ... créer une CPTS sur le secteur de X" → X).
            distance = min((abs(start - a) for a in near), default=start)
            candidates.append((rank, distance, words, "title" if in_title else "territory"))
    if not candidates:
        return None
    _, _, words, source = min(candidates)
    return Unnamed(" ".join(f"CPTS {words}".replace("’", "'").split()), source, anchors)
