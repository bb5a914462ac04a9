"""The grammar of one CPTS name, read token by token from a position in the text.

A name starts with a capitalised word or a number (after an optional article: "du", "de l’"),
may hold connectors and a few lower-case words ("Soins pluriprofessionnels de Vaulx-en-Velin",
"du pays Châtelleraudais"), and ends at punctuation, a verb or tool word from the lexicon, an
institution ("ARS", "CPAM"), " et " before a lower-case word, or the end of the line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from extractors.lexicon import load_lexicon

LEXICON = load_lexicon("cpts_names.json")
START_CONNECTORS = frozenset(LEXICON["start_connectors"])
STOP_WORDS = frozenset(LEXICON["stop_words"])
NEVER_IN_NAME = frozenset(LEXICON["never_in_name"])
NAME_ADJECTIVES = frozenset(LEXICON["name_adjectives"])
COUNT_NOUNS = tuple(LEXICON["count_noun_prefixes"])
PLACE_ENDINGS = tuple(LEXICON["place_adjective_endings"])
# Capitalised words that open a new phrase after a dash, never the second part of a name.
DASH_NEVER_BEFORE = frozenset(
    {"un", "une", "le", "la", "les", "l", "des", "ce", "cette"}
    | set(LEXICON["dash_never_before"])
    | STOP_WORDS
)
LIST_WORDS = frozenset({"et", *(w.split()[0] for w in LEXICON["list_or"])})

# How many lower-case words or connectors may sit between two capitalised words of one name.
MAX_GAP = 3

# Spaces allowed inside a name: space, tab, NBSP, narrow NBSP (never a line break).
SPACES = re.compile(r"[ \t\u00a0\u202f]*")

TOKEN = re.compile(
    r"""
    [^\W_]+               # a word or a number ("Drôme", "8")
    (?:[-’'][^\W_]+)*     # hyphenated or elided parts ("Vaulx-en-Velin", "Presqu'île", "18-36")
    [’']?                 # an apostrophe left dangling by a stray space ("Ard’ Drôm")
    """,
    re.VERBOSE,
)

ELIDED_TOOL_WORD = re.compile(
    r"""
    ^(?:s|n|qu|c|j)[’']   # "s’engage", "n’a", "qu’elle": a verb phrase, never a name
    """,
    re.VERBOSE,
)


DASH = re.compile(
    r"""
    [\u2013\u2014](?=[ \t\u00a0\u202f])   # a spaced en or em dash: "Sud Sarthe – Pays fléchois"
    """,
    re.VERBOSE,
)


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    word: str  # lower case, without a dangling apostrophe
    dash: bool  # a spaced en or em dash


# Spaces, then a token or a spaced dash: one step of `_Tokens._read`.
_NEXT = re.compile(
    rf"""
    {SPACES.pattern}
    (?:(?P<token>{TOKEN.pattern})|{DASH.pattern})
    """,
    re.VERBOSE,
)


class _Tokens(list[_Tok]):
    """The tokens of a name from a position, read as far as they are asked for: a name
    rarely needs more than its first few tokens of the 24 it may hold. `has(k)` instead of
    `k < len(tokens)`: the same answer as for the list of all of them."""

    __slots__ = ("_limit", "_open", "_pos", "_text")

    def __init__(self, text: str, pos: int, limit: int = 24) -> None:
        super().__init__()
        self._text, self._pos, self._limit, self._open = text, pos, limit, True

    def has(self, k: int) -> bool:
        """Is there a token `k`?"""
        return k < len(self) or (self._open and self._read(k))

    def _read(self, k: int) -> bool:
        text, pos, limit, match = self._text, self._pos, self._limit, _NEXT.match
        while len(self) <= k:
            if len(self) >= limit:
                self._open = False
                break
            m = match(text, pos)
            if m is None:
                self._open = False
                break
            word = m.group("token")
            if word is None:  # a dash, never a name's first token
                if not self:
                    self._open = False
                    break
                pos = m.end()
                dash = text[pos - 1]
                self.append(_Tok(pos - 1, pos, dash, dash, True))
                continue
            start, pos = m.span("token")
            # An elided article or preposition ("l’", "d'") glued to the word it introduces
            # ("l’Ondaine") is a token of its own. TOKEN puts a word character after an inner
            # apostrophe, so a third character starts the word introduced.
            if len(word) > 2 and word[1] in "’'" and word[0] in "ldLD":
                self.append(_word_tok(start, start + 2, word[:2]))
                self.append(_word_tok(start + 2, pos, word[2:]))
            else:
                self.append(_word_tok(start, pos, word))
        self._pos = pos
        return k < len(self)


def _word_tok(start: int, end: int, text: str) -> _Tok:
    # The word as the lexicon holds it: lower case, without a dangling apostrophe.
    return _Tok(start, end, text, text.lower().rstrip("’'"), False)


def _word(tok: _Tok) -> str:
    return tok.word


def _is_dash(tok: _Tok) -> bool:
    return tok.dash


def _is_cap(tok: _Tok) -> bool:
    head = tok.text[0]
    return head.isupper() and tok.text.rstrip("’'") not in NEVER_IN_NAME


def _is_stop(tok: _Tok) -> bool:
    if _is_dash(tok):
        return False
    if tok.text[0].isupper() or tok.text[0].isdigit():
        return tok.text.rstrip("’'") in NEVER_IN_NAME
    return _word(tok) in STOP_WORDS or bool(ELIDED_TOOL_WORD.match(tok.text))


Parsed = tuple[str, int, int, int]  # connector as written, span start, core start, core end


def _closes_name(toks: _Tokens, j: int) -> bool:
    """Is the number at `j` part of the name ("CPTS Lyon 8 couvre", "CPTS Paris 14 et ...")
    rather than a count ("la CPTS du Chablais 60 000 habitants", "CPTS Velay 12 communes")?"""
    if not toks.has(j + 1):
        return True
    after = toks[j + 1]
    if after.text[0].isdigit():
        return False
    return not _word(after).startswith(COUNT_NOUNS) or after.text[0].isupper()


def _place_adjective(toks: _Tokens, j: int) -> bool:
    """Is the lower-case word at `j` an adjective of place closing the name ("Pays manceau",
    "Perche sarthois"): right after a capitalised word, then nothing more of the name?"""
    tok = toks[j]
    if not tok.text[0].islower() or _is_stop(tok) or not _word(tok).endswith(PLACE_ENDINGS):
        return False
    if len(_word(tok)) < 5 or not _is_cap(toks[j - 1]):
        return False
    nxt = toks[j + 1] if toks.has(j + 1) else None
    return nxt is None or _is_stop(nxt) or _word(nxt) in LIST_WORDS or _is_dash(nxt)


# "Pilat 2025" in a headline: a year is when, never part of the name.
YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")


def _is_year(tok: _Tok) -> bool:
    return bool(YEAR.match(tok.text))


def _shouts(tok: _Tok) -> bool:
    """A word in capitals ("PROJET", "VACHON"): a heading or a surname after a name written in
    lower case, never its next word."""
    word = tok.text.rstrip("’'")
    return len(word) >= 3 and word.isalpha() and word.isupper()


def _place_en(toks: _Tokens, first: int, j: int) -> bool:
    """Is "en" at `j` inside a place name ("Val en Durance")? Right after the one capitalised
    word the name has so far, before one capitalised word that ends the name ("la CPTS Sud
    Gironde en Nouvelle-Aquitaine" places a longer name)."""
    if _word(toks[j]) != "en" or j != first + 1 or not toks.has(j + 1):
        return False
    nxt = toks[j + 1]
    after = toks[j + 2] if toks.has(j + 2) else None
    return (
        _is_cap(nxt)
        and _word(nxt) not in DASH_NEVER_BEFORE
        and not _is_year(nxt)
        and (after is None or not after.text[0].isupper())
    )


def _joins_place(toks: _Tokens, j: int) -> bool:
    """Does "et" at `j` join a second place to the name ("Pays d'Aubagne et de l'Étoile",
    "Vallée de l'Ouche et du Morvan"): "et", an article, then a capitalised word? "et de la
    CPTS ..." starts another name ("CPTS" is never in a name)."""
    if _word(toks[j]) != "et":
        return False
    k = j + 1
    while toks.has(k) and k - j <= 2:
        if " ".join(_word(t) for t in toks[j + 1 : k + 1]) not in START_CONNECTORS:
            break
        k += 1
    if not (j + 1 < k and toks.has(k) and _is_cap(toks[k])):
        return False
    # "présidente de la CPTS Centre 21 et de Lilian VACHON, directeur": a person, not a place
    return not (toks.has(k + 1) and _shouts(toks[k + 1]) and not _shouts(toks[k]))


def parse_name(
    text: str, pos: int, *, plural: bool = False, adjectives: bool = False
) -> Parsed | None:
    """Read one name starting at `pos` (None when no name starts there)."""
    toks = _Tokens(text, pos)
    i = 0
    while adjectives and toks.has(i) and toks[i].text.lower() in NAME_ADJECTIVES:
        i += 1
    conn_start, n_conn = i, 0
    # "du", "des", "de", "d’", "de la", "de l’": the article is kept as written
    while (
        toks.has(i)
        and n_conn < 2
        and " ".join(_word(t) for t in toks[conn_start : i + 1]) in START_CONNECTORS
    ):
        i, n_conn = i + 1, n_conn + 1
    connector = text[toks[conn_start].start : toks[i - 1].end] if n_conn else ""
    first = i
    if n_conn and toks.has(i + 1) and not toks[i].text[0].isupper() and not _is_stop(toks[i]):
        i += 1  # "du pays Châtelleraudais": one lower-case word may open the name
    if not toks.has(i) or _is_stop(toks[i]):
        return None
    if not (
        _is_cap(toks[i]) or (toks[i].text[0].isdigit() and not n_conn and _closes_name(toks, i))
    ):
        return None
    if _is_year(toks[i]):
        return None
    last, gap = i, 0
    mixed = not _shouts(toks[i])
    j = i
    while toks.has(j := j + 1):
        tok = toks[j]
        if _place_en(toks, i, j):
            gap += 1  # "Roches en Vercors", "Val en Durance": "en" joins two parts of a place
            continue
        if _is_stop(tok) or _is_year(tok) or (mixed and _shouts(tok)):
            break
        if _word(tok) in LIST_WORDS and (
            plural or not toks.has(j + 1) or not (_is_cap(toks[j + 1]) or _joins_place(toks, j))
        ):
            break
        if _is_dash(tok):
            # "Sud Sarthe – Pays fléchois": a spaced dash joins two capitalised parts
            nxt = toks[j + 1] if toks.has(j + 1) else None
            if gap or nxt is None or not _is_cap(nxt) or _word(nxt) in DASH_NEVER_BEFORE:
                break
            continue
        if gap == 0 and _place_adjective(toks, j):
            last = j
            break
        if _is_cap(tok) and gap <= MAX_GAP:
            last, gap = j, 0
        elif tok.text[0].isdigit() and gap == 0 and _closes_name(toks, j):
            last = j
        elif tok.text[0].isupper() or tok.text[0].isdigit():
            break
        else:
            gap += 1
            if gap > MAX_GAP:
                break
    return connector, toks[conn_start].start, toks[first].start, toks[last].end
