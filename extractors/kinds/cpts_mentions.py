"""Find where a CPTS is named: raw mentions, before variants are merged (see cpts_name.py).

Heads of a mention: "CPTS", the full "Communauté professionnelle territoriale de santé", a
quoted name after them, "sur le territoire de X" (a CPTS named after its territory), "celles de
X et de Y" (CPTS named in passing) and an acronym given in brackets after a name ("(SPVV)").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.kinds.cpts_grammar import LEXICON, NEVER_IN_NAME, PLACE_ENDINGS, Parsed, parse_name
from extractors.text.phrases import literal_pattern
from extractors.text.prefilter import fold_window, occurrences, starting_with

BLOCKING_BEFORE = frozenset(LEXICON["blocking_words_before"])
# "des CPTS yvelinoises": a plural adjective of place agreeing with "CPTS".
PLURAL_PLACE_ENDINGS = (
    *(f"{e}s" for e in PLACE_ENDINGS if not e.endswith("s")),
    *("ennes", "onnes", "oises", "aises"),
)
# "le projet de CPTS du Pays Ajaccien": one named project, not a common noun.
NAMED_PROJECT = re.compile(
    r"(?:^|[\s(])(?:"
    + "|".join(
        literal_pattern(p) for p in LEXICON["named_project_before"]
    )
    + r")\s*$",
    re.IGNORECASE,
)

# The look-behind comes after the literal, which `re` then finds by a fast literal search
# instead of trying the look-behind at every position of the release.
CPTS_WORD = re.compile(
    r"""
    CPTS                  # the acronym, upper case only ("les cpts" in a URL is not a name)
    (?<![-‐‑\w]CPTS)      # a word of its own; "rencontre inter-CPTS du Loiret": a prefixed
    \b                    # word, never a name
    """,
    re.VERBOSE,
)

FULL_FORM = re.compile(
    r"""
    \b(?P<head>communaut[ée](?P<plural>s)?)\s+   # "Communauté(s)"
    professionnel(?:le)?s?\s+(?:et\s+)?          # "professionnelle(s)", "… et territoriales"
    territoriale?s?\s+                           # "territoriale(s)"
    de\s+sant[ée]                                # "de santé" ("de sante" in some PDFs)
    (?:\s*\(\s*CPTS\s*\))?                       # optionally followed by its acronym
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Where a match of FULL_FORM, TERRITORY, PASSING can start, folded: each is looked for
# there only (prefilter.starting_with), not at every position of the release.
FULL_FORM_HEADS = ("communaut",)

QUOTED = re.compile(
    r"""
    (?:[ \t\u00a0\u202f]*[«“]             # opening guillemet or curly quote
      |[ \t\u00a0\u202f]+")               # a straight quote opens only after a space:
                                           # 'notre CPTS", explique' closes a quotation
    [ \t\u00a0\u202f]*
    (?P<core>[^\W_](?:(?![.!?]\s)[^«»"“”\n]){1,79}?)   # a name, not a sentence
    [ \t\u00a0\u202f]*
    [»"”]                                  # closing guillemet or quote
    """,
    re.VERBOSE,
)

# "La CPTS (communauté professionnelle territoriale de santé) Camargue Gardoise": the name
# comes after the acronym's expansion.
EXPANSION = re.compile(
    r"""
    [ \t\u00a0\u202f]*\(\s*communaut[ée]\s+professionnelle\s+territoriale\s+de\s+sant[ée]\s*\)
    """,
    re.VERBOSE | re.IGNORECASE,
)

ACRONYM = re.compile(
    r"""
    [ \t\u00a0\u202f]*\(
    (?P<acronym>[A-Z][A-Z0-9]{1,7})        # "(SPVV)" right after a name is that CPTS's acronym
    \)
    """,
    re.VERBOSE,
)

TERRITORY = re.compile(
    r"""
    (?:\bCPTS\b\)?                          # a CPTS ("une CPTS", "(CPTS)")
      |territoriales?\s+de\s+sant[ée])        # or one written in full
    [ \t\u00a0\u202f]+
    (?:[^\W\d_]+[ \t\u00a0\u202f]+){0,2}?  # a couple of words ("nouvelle", "bi-...")
    (?:sur|pour)\s+le\s+territoire\s+       # "sur le territoire ..."
    """,
    re.VERBOSE | re.IGNORECASE,
)
TERRITORY_HEADS = ("cpts", "territorial")

PASSING = re.compile(
    r"""
    \b(?:celles?|ceux)[ \t\u00a0\u202f]+   # "après celles de Sud Gironde et des Graves"
    """,
    re.VERBOSE | re.IGNORECASE,
)
PASSING_HEADS = ("celle", "ceux")

LIST_SEPARATOR = re.compile(
    r"""
    [ \t\u00a0\u202f]*
    (?:,[ \t\u00a0\u202f]*(?:(?:et|ou)[ \t\u00a0\u202f]+)?   # ", " or ", et " or ", ou "
      |et[ \t\u00a0\u202f]+                                 # " et "
      |ou(?:[ \t\u00a0\u202f]+encore)?[ \t\u00a0\u202f]+)   # " ou ", " ou encore "
    """,
    re.VERBOSE,
)

# "Après le Queyras, doté d'une CPTS depuis 2020, …": an area named by the CPTS it has.
# ENDOWED_TAIL is how its every match ends: looked for first, by its participle and "CPTS",
# rather than ENDOWED by an article at every position ("équipe", a team, is in most releases).
ENDOWED_TAIL = r"(?:dotée?s?|pourvue?s?|équipée?s?)[ \t\u00a0]+d['’]une[ \t\u00a0]+CPTS\b"
ENDOWED = re.compile(
    rf"""
    (?<![\w’'])(?P<article>le|la|les|l['’])[ \t\u00a0]*
    (?P<place>(?P<core>[A-ZÀ-Ý][^\W\d_]*(?:[-’' \t][A-ZÀ-Ýa-zà-ÿ][^\W\d_]*){{0,3}}?))
    [ \t\u00a0]*,[ \t\u00a0]*(?:déjà[ \t\u00a0]+)?
    {ENDOWED_TAIL}
    """,
    re.VERBOSE,
)
ENDOWED_TAIL_RE = re.compile(ENDOWED_TAIL)

# The fold of the start of each participle of ENDOWED_TAIL: its every match starts at one.
ENDOWED_WORDS = ("dote", "pourvu", "equipe")

BRACKETED = re.compile(r"[ \t\u00a0\u202f]*\([^()\n]{1,200}\)")

ORDINAL_OR_COUNT = re.compile(
    r"""
    ^(?:\d+(?:\^?e|\^?er|ème|ᵉ|è)?     # "7e", "7^e", "23"
      |\w+ième|première|premier|dernière)$   # written ordinals
    """,
    re.VERBOSE,
)

PLURAL_BEFORE = re.compile(
    r"""
    (?:^|\s)(?:les|des|aux|ces|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\s*$
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The last letters of PLURAL_BEFORE's words, in lower case ("ſ" is an "s" to IGNORECASE).
PLURAL_LAST_LETTERS = frozenset("sxeqtfſ")


def _plural_before(head: str) -> bool:
    """`PLURAL_BEFORE.search(head)`, searched only when `head`, blanks stripped, ends with the
    last letter of one of its words ("la CPTS", "une CPTS" are not)."""
    tail = head.rstrip()  # str.isspace is re's \s
    return (tail[-1:].lower() in PLURAL_LAST_LETTERS and tail != ""
            and PLURAL_BEFORE.search(head) is not None)


BARE_DEPARTMENT_CODE = re.compile(r"^(?:\d{2,3}|2[AB])$")


@dataclass(frozen=True, slots=True)
class RawMention:
    start: int  # evidence span in Document.text
    end: int
    connector: str  # article or preposition as written before the core ("du", "de l’", "")
    core: str  # the name itself as written ("Pays Châtelleraudais")
    via: str  # cpts | full | quoted | acronym | territory | passing | weak (after "une", "chaque")
    group: int | None = None  # start of a plural phrase naming several CPTS
    acronym: str | None = None


# Characters before a "CPTS" read to find the word in front of it.
LOOK_BACK = 200


def _blocked(text: str, start: int) -> bool:
    """Is the "CPTS" at `start` a common noun ("chaque CPTS", "7e CPTS", "projet de CPTS")?"""
    # Only the last word matters: a bounded look-back keeps a long line of mentions linear.
    line_start = text.rfind("\n", max(0, start - LOOK_BACK), start) + 1
    before = text[max(line_start, start - LOOK_BACK) : start].rstrip(' \t\u00a0\u202f*«"“')
    # The last word: re.search(r"(\S+)$", before) (`before` holds no line break), then
    # what follows its last apostrophe.
    if not before or before[-1].isspace():
        return False
    word = before.rsplit(None, 1)[-1].lower()
    word = word[max(word.rfind("’"), word.rfind("'")) + 1 :]
    if word in {"de", "une"} and NAMED_PROJECT.search(before[-40:]):
        return False
    return word in BLOCKING_BEFORE or bool(ORDINAL_OR_COUNT.match(word))


# "la CPTS Orsay, Bures et Gometz": after a singular head, bare town names listed with commas
# and a final "et" are one name (the towns the CPTS is named after).
LIST_NAME_SEPARATOR = re.compile(r"[ \t\u00a0]*,[ \t\u00a0]*")
LIST_NAME_LAST = re.compile(r"[ \t\u00a0]+et[ \t\u00a0]+")


def _list_form_end(text: str, first: Parsed) -> int | None:
    """The end of "Orsay, Bures et Gometz" when `first` ("Orsay") opens such a list."""
    if first[0]:
        return None  # "du Val Vert, de la Loue et …": places of a territory, not a name
    end, items = first[3], 0
    while True:
        comma = LIST_NAME_SEPARATOR.match(text, end)
        last = None if comma else LIST_NAME_LAST.match(text, end)
        if not comma and not last:
            return None
        item = parse_name(text, (comma or last).end(), plural=True)
        core = text[item[2] : item[3]] if item else ""
        if item is None or item[0] or core.isupper() or " " in core.strip():
            return None
        end, items = item[3], items + 1
        if last:
            return end if items >= 2 else None


def _names_after(text: str, pos: int, *, plural: bool, adjectives: bool) -> list[Parsed]:
    names: list[Parsed] = []
    parsed = parse_name(text, pos, plural=plural, adjectives=adjectives)
    if parsed and not plural:
        whole = _list_form_end(text, parsed)
        if whole is not None:
            return [(parsed[0], parsed[1], parsed[2], whole)]
    while parsed:
        names.append(parsed)
        # "des CPTS de Châteauroux (361 professionnels), Giennois-Berry (263) et ...": each
        # name of a list may carry its figures in brackets before the next one.
        aside = BRACKETED.match(text, parsed[3]) if plural else None
        sep = LIST_SEPARATOR.match(text, aside.end() if aside else parsed[3])
        if not plural or not sep:
            break
        parsed = parse_name(text, sep.end(), plural=True)
    return names


def _plural_adjective(core: str) -> bool:
    """ "Yvelinoises", "Bretonnes": one word agreeing with a plural "CPTS" qualifies them."""
    word = core.lower()
    return " " not in word and word.endswith(PLURAL_PLACE_ENDINGS)


# What a name or a quoted name after a head opens with, after blanks: a word (parse_name's
# first token), a quote (QUOTED) or a dash (never a first token, but read by the tokens).
# Nothing else can follow a head that names a CPTS: the costlier reads are skipped.
NAME_OPENS = re.compile(r"[ \t\u00a0\u202f]*(?:[^\W_]|[«“\"\u2013\u2014])")


def _after_head(text: str, head_start: int, pos: int, via: str, plural: bool) -> list[RawMention]:
    quoted = QUOTED.match(text, pos)
    if quoted:
        core = quoted.group("core")
        return [
            RawMention(head_start, quoted.end(), "", core, "weak" if via == "weak" else "quoted")
        ]
    names = _names_after(text, pos, plural=plural, adjectives=via in {"full", "weak"})
    if (
        plural
        and len(names) == 1
        and (names[0][0] or _plural_adjective(text[names[0][2] : names[0][3]]))
    ):
        return []  # "les CPTS du Rhône", "des CPTS yvelinoises": CPTS of an area, not one CPTS
    group = head_start if len(names) > 1 else None
    mentions = []
    for k, (conn, span_start, s, e) in enumerate(names):
        core = text[s:e]
        if BARE_DEPARTMENT_CODE.match(core):
            continue  # "Cartographie MSP et CPTS 43": the CPTS of department 43
        acr = ACRONYM.match(text, e)
        acronym = (
            acr.group("acronym") if acr and acr.group("acronym") not in NEVER_IN_NAME else None
        )
        start = head_start if k == 0 else span_start
        mentions.append(RawMention(start, e, conn, core, via, group, acronym))
    return mentions


def full_forms(text: str) -> Iterator[re.Match[str]]:
    """`FULL_FORM.finditer(text)`."""
    return starting_with(FULL_FORM, text, FULL_FORM_HEADS, after="word")


def territory_phrases(text: str) -> Iterator[re.Match[str]]:
    """`TERRITORY.finditer(text)` ("territoriale" may close a longer word)."""
    return starting_with(TERRITORY, text, TERRITORY_HEADS)


def passing_phrases(text: str) -> Iterator[re.Match[str]]:
    """`PASSING.finditer(text)`."""
    return starting_with(PASSING, text, PASSING_HEADS, after="word")


def has_endowed_tail(text: str) -> bool:
    """`ENDOWED_TAIL_RE.search(text) is not None`, the tail tried where the fold of `text`
    starts with one of `ENDOWED_WORDS` ("équipe", "dotation" are in most releases), not at
    every position."""
    folded = fold_window(text)
    return any(ENDOWED_TAIL_RE.match(text, at) for word in ENDOWED_WORDS
               for at in occurrences(folded, word))


def find_mentions(text: str) -> list[RawMention]:
    """Every raw CPTS mention in reading order (a name written in full or after "CPTS")."""
    found: list[RawMention] = []
    full_spans = []
    for m in full_forms(text):
        full_spans.append((m.start(), m.end()))
        via = "weak" if _blocked(text, m.start()) else "full"
        found += _after_head(text, m.start(), m.end(), via, bool(m.group("plural")))
    for m in CPTS_WORD.finditer(text):
        # full forms come in reading order and never overlap: the last one starting at or
        # before this word is the only one that can hold it
        i = bisect.bisect_right(full_spans, (m.start(), float("inf"))) - 1
        if i >= 0 and full_spans[i][0] <= m.start() < full_spans[i][1]:
            continue
        expansion = EXPANSION.match(text, m.end())
        pos = expansion.end() if expansion else m.end()
        if not NAME_OPENS.match(text, pos):
            continue  # "la CPTS.", "les CPTS (…)": `_after_head` finds nothing there
        # "disposer d’une CPTS du Pays X" names a CPTS only if the text names it elsewhere too
        via = "weak" if _blocked(text, m.start()) else "cpts"
        plural = _plural_before(text[max(0, m.start() - 12) : m.start()])
        found += _after_head(text, m.start(), pos, via, plural)
    for m in territory_phrases(text):
        for conn, _, s, e in _names_after(text, m.end(), plural=False, adjectives=False)[:1]:
            if conn:
                found.append(RawMention(s, e, conn, text[s:e], "territory"))
    for m in passing_phrases(text):
        line_end = text.find("\n", m.end())
        if (
            "CPTS"
            not in text[text.rfind("\n", 0, m.start()) + 1 : line_end if line_end >= 0 else None]
        ):
            continue  # "celles de ..." names CPTS only where the line speaks of CPTS
        names = [(conn, s, e) for conn, _, s, e in
                 _names_after(text, m.end(), plural=True, adjectives=False)
                 # "dont celle de l'hôpital Antoine-Béclère": a common noun opens no CPTS name
                 if conn and not text[s].islower()]
        # "celles du Trégor et du Kreiz-Breizh, créées en 2021": one plural phrase, whose
        # clause speaks of every CPTS it names (a group, as "les CPTS de A et de B").
        plural = m.group().strip().lower() in ("celles", "ceux")
        group = m.start() if plural and len(names) > 1 else None
        for conn, s, e in names:
            found.append(RawMention(s, e, conn, text[s:e], "passing", group))
    # ENDOWED needs "CPTS" and one of its participles: its tail.
    for m in ENDOWED.finditer(text) if "CPTS" in text and has_endowed_tail(text) else ():
        parsed = parse_name(text, m.start("place"))
        if parsed and not parsed[0] and parsed[3] == m.end("core"):
            article = m.group("article").lower().replace("’", "'")
            conn = {"le": "du", "la": "de la", "les": "des", "l'": "de l'"}[article]
            found.append(RawMention(parsed[2], parsed[3], conn, text[parsed[2] : parsed[3]],
                                    "passing"))  # fmt: skip
    found += _acronym_mentions(text, found)
    return sorted(_dedupe(found), key=lambda r: (r.start, r.end))


def _acronym_mentions(text: str, found: list[RawMention]) -> list[RawMention]:
    # Once per acronym, not once per mention that gives it: a long release repeats its
    # names, and a scan of the whole text per mention was quadratic. The repeats were equal
    # mentions, which _dedupe dropped anyway.
    extra = []
    for acronym in dict.fromkeys(m.acronym for m in found if m.acronym):
        for m in re.finditer(rf"\b{re.escape(acronym)}\b", text):
            extra.append(
                RawMention(m.start(), m.end(), "", m.group(), "acronym", acronym=acronym)
            )
    return extra


def _dedupe(found: list[RawMention]) -> list[RawMention]:
    """Drop a mention whose span lies inside another one (a territory phrase inside a name)."""
    kept: list[RawMention] = []
    reach = -1  # every kept mention starts at or before r, so one reaching r's end holds it
    for r in sorted(found, key=lambda r: (r.start, -(r.end - r.start))):
        if r.end <= reach:
            continue
        kept.append(r)
        reach = r.end if reach < r.end else reach
    return kept
