"""Cheap necessary conditions that let an extractor skip a sentence before its big regex runs.

A lexicon alternation (hundreds of case- and accent-tolerant phrases, each behind a
look-behind) costs a few microseconds per character: the regex engine tries every phrase at
every position. Each phrase, though, contains a run of letters that must appear in the text
as such, up to case and accents ("prévention" for "actions de prévention*"). `fold` maps a text
to lower case without accents ONE character for one character, so offsets are kept, and a
plain alternation of those runs over the folded text (no IGNORECASE: the engine then skips
to the possible first letters) says which sentences can match at all. The real pattern then
runs on those sentences only, so what is found does not change.

>>> cues = GatedAlternation([(p, f"(?:{re.escape(p)})") for p in ["accès aux soins", "SAS"]], re.I)
>>> [keyword(p) for p in ["accès au médecin traitant", "(SAS)", "vaccin*", "#"]]
['traitant', 'sas', 'vaccin', '']
>>> PhraseGate(["communes", "villes"]).may_match(fold("12 COMMUNES"))
True
>>> cues.search("Améliorer l'ACCÈS AUX SOINS.").group()
'ACCÈS AUX SOINS'
>>> cues.search("Réduire les délais.") is None
True
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import AnyStr

from extractors.types import Span

# Characters that IGNORECASE matching treats as another letter without a case mapping to it
# (Python's re "ignorecase fixes"): dotless i, long s, Kelvin sign, ...
_SPECIAL = {"ı": "i", "ſ": "s", "\u212a": "k", "İ": "i"}

# Letters of Latin scripts (the French lexicons use nothing else) and the specials above.
_FOLD_RANGE = range(0x250)


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    lowered = unicodedata.normalize("NFD", ch)[0].lower()
    return lowered if len(lowered) == 1 else ch


_FOLD_TABLE = {
    cp: folded
    for cp in (*_FOLD_RANGE, *map(ord, _SPECIAL))
    if (folded := _fold_char(chr(cp))) != chr(cp)
}


# _FOLD_TABLE as a string indexed by code point, over the Basic Multilingual Plane: str.translate
# with a dict raises and clears a KeyError for each character the dict lacks, once a string holds
# one non-ASCII character (a French text does in its first line); an index never misses there.
# A character past the table is left as it is, as one the dict lacks.
_FOLD_BMP = "".join(_FOLD_TABLE.get(cp, chr(cp)) for cp in range(0x10000))


# _FOLD_BMP over Latin-1 as a bytes table: each of its characters folds to another (bytes()
# would refuse a fold past 255).
_FOLD_LATIN1 = bytes(ord(_FOLD_BMP[cp]) for cp in range(0x100))


def fold(text: str) -> str:
    """Lower case, accents dropped, same length: `fold(t)[i]` is the fold of `t[i]`.

    >>> fold("Élaboré À l’HÔPITAL")
    'elabore a l’hopital'
    """
    if text.isascii():
        return text.lower()  # on ASCII, exactly _FOLD_TABLE
    # str.translate looks each character up on its own once a string holds a non-ASCII one
    # (~30 ns a character, 0.2 ms a release). A French text is Latin-1 but for a few "’", "œ",
    # "€": it is folded as bytes at C speed, those few ("?" there) one by one after.
    latin = text.encode("latin-1", "replace").translate(_FOLD_LATIN1).decode("latin-1")
    if latin.count("?") > len(text) // 16:  # a text of another script: one by one anyway
        return text.translate(_FOLD_BMP)
    parts = []
    done = 0
    at = latin.find("?")
    while at >= 0:
        ch = text[at]
        if ch != "?":
            code = ord(ch)
            parts += (latin[done:at], _FOLD_BMP[code] if code < 0x10000 else ch)
            done = at + 1
        at = latin.find("?", at + 1)
    if not parts:
        return latin
    parts.append(latin[done:])
    return "".join(parts)


@functools.lru_cache(maxsize=4)
def folded(text: str) -> str:
    """`fold(text)`, computed once per document text however many extractors ask for it."""
    return fold(text)


# A run of letters or digits in a lexicon phrase: everything else ("...", spaces, hyphens,
# apostrophes, "#" for digits, "*" for a prefix) is matched loosely by the phrase patterns.
RUN = re.compile(r"[^\W_]+")


def keyword(phrase: str) -> str:
    """The folded longest run of letters of `phrase` ('' when it has none)."""
    runs = RUN.findall(phrase.replace("#", " "))
    return fold(max(runs, key=len)) if runs else ""


def leading_run(phrase: str) -> str | None:
    """The fold of the run of letters `phrase` starts with; None when it starts otherwise
    (a space, a bracket, "#" for digits).

    >>> [leading_run(p) for p in ["Accès aux soins", "l'ARS", "(SAS)", "# communes"]]
    ['acces', 'l', None, None]
    """
    m = RUN.match(phrase)
    return fold(m.group()) if m else None


class PhraseGate:
    """Where, in folded text, some phrase of a list could occur: one of the phrases' keywords
    is there (looked up in the shared `KEYWORDS`, see KeywordIndex). Use it as a necessary
    condition before a pattern that needs a phrase. `extra`: a regex source, searched in the
    folded text too, for what the pattern may match instead of a phrase (digits are their
    own fold)."""

    def __init__(self, phrases: list[str], extra: str | None = None) -> None:
        words = {keyword(p) for p in phrases}
        # A phrase without letters could match anywhere: then the gate lets everything pass.
        self.always = "" in words or not words
        self.keywords = frozenset(words - {""})
        self._extra = re.compile(extra) if extra else None
        KEYWORDS.add(self.keywords)

    def may_match(self, folded_text: str, start: int = 0, end: int = sys.maxsize) -> bool:
        if self.always:
            return True
        if start < 0:
            start = 0  # as the re module reads a negative pos
        if self._extra is not None and self._extra.search(folded_text, start, end):
            return True
        return bool(KEYWORDS.which(self.keywords, folded_text[start:end]))

    def may_match_in(self, present: Collection[str]) -> bool:
        """`may_match` for a window whose keywords (`KEYWORDS.present`) are `present`. A
        sentence's are found once for every gate that asks about it; a gate with an `extra`
        pattern needs the window itself (`may_match`)."""
        if self._extra is not None:
            raise ValueError("a gate with an extra pattern reads its window: use may_match")
        return self.always or not self.keywords.isdisjoint(present)


class KeywordIndex:
    """Which keywords of every gate (GatedAlternation, PhraseGate) a folded text holds.

    Testing each gate's keywords with `in`, or with a regex alternation of them, cost a
    substring search per keyword and per call, for gates of up to a hundred keywords asked
    about every clause, and several gates ask about the same sentence in a row. A
    keyword is a run of letters, so it never holds white space: it occurs in a text only
    inside one of the text's white-space separated tokens. The keywords of a token are looked
    up once, among its substrings; a window's keywords are those of its tokens, kept for the
    next alternations asked about the same window.
    """

    MAX_TOKENS = 100_000  # tokens remembered (a worker's vocabulary; cleared when exceeded)
    MAX_WINDOWS = 512  # the last windows asked about: every sentence and clause of a release
    # A gate of this many keywords or fewer tests them one by one in a window that no gate
    # has asked about yet: cheaper than splitting the window into tokens.
    FEW = 12

    def __init__(self) -> None:
        self._by_head: dict[str, list[str]] = {}  # keywords by their first three letters
        self._short: set[str] = set()  # keywords of one or two letters
        self._odd: set[str] = set()  # keywords with white space (none today): tested with `in`
        self._of_token: dict[str, tuple[str, ...]] = {}
        self._of_window: dict[str, frozenset[str]] = {}

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            if any(ch.isspace() for ch in word):
                self._odd.add(word)
            elif len(word) < 3:
                self._short.add(word)
            elif word not in self._by_head.get(word[:3], ()):
                self._by_head.setdefault(word[:3], []).append(word)
        self._of_token.clear()
        self._of_window.clear()

    def _in_token(self, token: str) -> tuple[str, ...]:
        # A token never seen: its keywords, from those that start at each of its letters.
        if len(self._of_token) >= self.MAX_TOKENS:
            self._of_token.clear()
        found = {w for w in self._short if w in token}
        by_head = self._by_head
        for i in range(len(token) - 2):
            words = by_head.get(token[i:i + 3])
            if words:
                found.update(w for w in words if token.startswith(w, i))
        self._of_token[token] = words = tuple(found)
        return words

    def which(self, words: frozenset[str], window: str) -> Collection[str]:
        """Those of `words`, registered keywords, that occur in `window` (a folded text)."""
        present = self._of_window.get(window)
        if present is None:
            if len(words) <= self.FEW:
                return [word for word in words if word in window]
            present = self.present(window)
        return words & present

    def present(self, window: str) -> frozenset[str]:
        """The keywords that occur in `window` (a folded text)."""
        found = self._of_window.get(window)
        if found is None:
            if len(self._of_window) >= self.MAX_WINDOWS:
                # Cleared whole, as the token cache is: one step, so that two threads
                # extracting in one process (a Dask worker's threads) never evict the same key.
                self._of_window.clear()
            found = self._of_window[window] = self._present(window)
        return found

    def _present(self, window: str) -> frozenset[str]:
        found: set[str] = set()
        of_token = self._of_token
        for token in window.split():
            words = of_token.get(token)
            if words is None:
                words = self._in_token(token)
            if words:
                found.update(words)
        if self._odd:
            found.update(word for word in self._odd if word in window)
        return frozenset(found)


KEYWORDS = KeywordIndex()


class GatedAlternation:
    """`re.compile("|".join(sources), flags)` for `search` and `finditer`, made cheap.

    Each alternative comes with the lexicon phrase it was built from. A call first folds the
    searched window and keeps only the alternatives whose keyword occurs in it, in their
    original order; the others cannot match anywhere in the window, so the first alternative
    that matches at a position, hence every match, is the same as with the full alternation.
    The kept alternatives run one by one (each compiled once, see `_matches`): compiling one
    alternation per subset of them cost more than the matching itself on unseen texts.
    """

    MAX_CACHED = 4096

    def __init__(self, branches: list[tuple[str, str]], flags: int = 0,
                 starts_with_phrase: bool = False, word_start: bool = False) -> None:
        """`starts_with_phrase`: every source matches its phrase from the phrase's first
        character, one character for one (as `phrase_pattern` writes it); then a match can
        only start where the fold of the text starts with the fold of the phrase's first
        word, and the engine is sent there instead of trying every position before.
        `word_start` (with it): a source whose phrase starts with a letter or digit matches
        only after a character that is neither (phrase_pattern's look-behind), so a first
        word of ASCII letters is looked for where a word starts ("sse" of "SSE" is not tried
        in each "professionnelle")."""
        self.pattern = "|".join(source for _, source in branches)  # the full alternation
        self.flags = flags
        self._sources = tuple(source for _, source in branches)
        self._anchors = tuple(
            _anchor(phrase, word_start) if starts_with_phrase else None for phrase, _ in branches
        )
        self._word_anchored = any(type(a) is bytes for a in self._anchors)
        by_keyword: dict[str, list[int]] = {}
        always: list[int] = []
        for i, (phrase, _) in enumerate(branches):
            word = keyword(phrase)
            (by_keyword.setdefault(word, []) if word else always).append(i)
        self._by_keyword = {word: tuple(ids) for word, ids in by_keyword.items()}
        self._keywords = frozenset(by_keyword)
        self._always = tuple(always)
        KEYWORDS.add(self._keywords)
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._branches: dict[int, re.Pattern[str] | None] = {}
        self._plans: dict[tuple[int, ...], _Plan] = {}
        self._by_words: dict[frozenset[str], _Plan | None] = {}

    @property
    def keywords(self) -> frozenset[str]:
        """The keywords its gate looks for (a window holding none of them has no match but
        those of the alternatives without letters)."""
        return self._keywords

    def _chosen(self, words: Collection[str]) -> list[int]:
        """The branches that may match in a window holding `words` of this gate's keywords."""
        chosen = [*self._always]
        for word in words:
            chosen.extend(self._by_keyword[word])
        return chosen

    def may_match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """False when no alternative can match in `string[pos:endpos]`: none holds a keyword
        that its fold holds."""
        if self._always:
            return True
        return bool(KEYWORDS.which(self._keywords, fold_window(string, pos, endpos)))

    def may_match_in(self, present: Collection[str]) -> bool:
        """`may_match` for a window whose keywords (`KEYWORDS.present`) are `present`."""
        return bool(self._always) or not self._keywords.isdisjoint(present)

    def _narrowed(self, chosen: list[int] | tuple[int, ...]) -> re.Pattern[str]:
        key = tuple(sorted(chosen))
        pattern = self._compiled.get(key)
        if pattern is None:
            if len(self._compiled) >= self.MAX_CACHED:
                self._compiled.clear()
            source = "|".join(self._sources[i] for i in key)
            pattern = self._compiled[key] = re.compile(source, self.flags)
        return pattern

    def _branch(self, i: int) -> re.Pattern[str] | None:
        """Alternative `i` compiled alone (once), or None when it may match the empty string."""
        if i not in self._branches:
            source = self._sources[i]
            try:
                width = re._parser.parse(source, self.flags).getwidth()  # type: ignore[attr-defined]
                empty = width[0] == 0
            except Exception:  # a private helper of re: unknown means "maybe empty"
                empty = True
            self._branches[i] = None if empty else re.compile(source, self.flags)
        return self._branches[i]

    def _plan(self, chosen: list[int]) -> _Plan | None:
        """How to run the `chosen` branches (None: there are none): in order, each with its
        anchor; or, when one of them may match the empty string, the alternation of them all.
        Kept per set of chosen branches."""
        if not chosen:
            return None
        key = tuple(sorted(chosen)) if len(chosen) > 1 else tuple(chosen)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= self.MAX_CACHED:
                self._plans.clear()
            branches = [self._branch(i) for i in key]
            if any(b is None for b in branches):
                plan = (self._narrowed(key), ())
            else:
                plan = (None, tuple(zip(branches, [self._anchors[i] for i in key], strict=True)))
            self._plans[key] = plan  # type: ignore[assignment]
        return plan

    def _matches(
        self, string: str, pos: int, endpos: int, first_only: bool,
        present: Collection[str] | None = None,
    ) -> Iterator[re.Match[str]]:
        """The matches of the alternation of the chosen branches, leftmost first.

        At the leftmost position where some branch matches, the alternation takes the first
        branch (in order) that matches there, and that branch's own match: so running each
        branch alone and keeping the leftmost match (lowest branch on ties) finds the same
        matches, without compiling one alternation per subset of branches. Branches that may
        match the empty string fall back to the compiled alternation.
        """
        if pos < 0:
            pos = 0  # as the re module reads a negative pos
        if present is None:
            words = KEYWORDS.which(self._keywords, fold_window(string, pos, endpos))
        else:
            words = self._keywords.intersection(present)
        # The plan depends on the set of keywords only: a sentence's set comes back for each of
        # its clauses and in every release that repeats it.
        key = words if type(words) is frozenset else frozenset(words)
        plan = self._by_words.get(key, _NO_PLAN)
        if plan is _NO_PLAN:
            if len(self._by_words) >= self.MAX_CACHED:
                self._by_words.clear()
            plan = self._by_words[key] = self._plan(self._chosen(key))
        if plan is None:
            return
        pattern, pairs = plan
        if pattern is not None:
            if first_only:
                m = pattern.search(string, pos, endpos)
                if m is not None:
                    yield m
            else:
                yield from pattern.finditer(string, pos, endpos)
            return

        # The fold of the whole string: the window's is its slice [pos:endpos]. A word start
        # anchor (bytes) is looked for in the string's letters, " word" found at i being the
        # word at string[i] (see `_letters`).
        folded_string = fold_window(string)
        letters = _letters(string) if self._word_anchored else b""

        def next_match(branch: re.Pattern[str], anchor: str | bytes | None, start: int,
                       before: int | None = None) -> re.Match[str] | None:
            if anchor is None:
                return branch.search(string, start, endpos)
            # A match starts only where the phrase's first word is written: trying those
            # places alone spares a scan of every position after each of them.
            if type(anchor) is bytes:
                haystack: str | bytes = letters
                end = endpos + 1  # the anchor's space stands before its word
            else:
                haystack, end = folded_string, endpos
            if before is not None:  # an anchor found at i starts the match at string[i]
                end = min(end, before + len(anchor) - 1)
            found = haystack.find(anchor, start, end)  # type: ignore[arg-type]
            while found >= 0:
                m = branch.match(string, found, endpos)
                if m is not None:
                    return m
                found = haystack.find(anchor, found + 1, end)  # type: ignore[arg-type]
            return None

        if len(pairs) == 1:  # the same steps as below, for one branch
            branch, anchor = pairs[0]
            m = next_match(branch, anchor, pos)
            while m is not None:
                yield m
                if first_only:
                    return
                m = next_match(branch, anchor, m.end())
            return
        if first_only:
            # Only the leftmost match counts: each branch is looked at before the leftmost
            # start found so far only (on a tie the earlier branch, looked at first, wins).
            best = None
            for branch, anchor in pairs:
                m = next_match(branch, anchor, pos, None if best is None else best.start())
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is not None:
                yield best
            return
        nexts = [next_match(branch, anchor, pos) for branch, anchor in pairs]
        while True:
            best: re.Match[str] | None = None
            for m in nexts:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            if first_only:
                return
            cut = best.end()
            for k, m in enumerate(nexts):
                if m is not None and m.start() < cut:
                    nexts[k] = next_match(*pairs[k], cut)

    # `present`, when the caller has it: the keywords of `fold(string[pos:endpos])`
    # (KEYWORDS.present), or any set that holds the same ones of this gate's keywords.
    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize,
               present: Collection[str] | None = None) -> re.Match[str] | None:
        return next(self._matches(string, pos, endpos, True, present), None)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize,
        present: Collection[str] | None = None,
    ) -> Iterator[re.Match[str]]:
        return self._matches(string, pos, endpos, False, present)

    def finditer_each(
        self, string: str, spans: Iterable[tuple[int, int]], presents: Iterable[Collection[str]],
    ) -> list[list[re.Match[str]]]:
        """`[list(self.finditer(string, s, e, p)) for (s, e), p in zip(spans, presents)]`.

        For the sentences of a release, most of which hold a keyword and no match: each
        branch let through looks for its anchor with one `find` in a loop, without the
        generator, plan and fold look-ups `_matches` makes per call. Where a branch matches
        does not depend on where the search started, so a span's matches are picked from all
        of them as `_matches` picks them: the leftmost (the lower branch on a tie), then the
        leftmost from its end."""
        letters = _letters(string) if self._word_anchored else b""
        out: list[list[re.Match[str]]] = []
        for (pos, endpos), present in zip(spans, presents, strict=True):
            pos = max(pos, 0)  # as the re module reads a negative pos
            chosen = self._chosen(self._keywords.intersection(present))
            found: list[tuple[int, int, re.Match[str]]] = []
            for i in chosen:
                branch, anchor = self._branch(i), self._anchors[i]
                if branch is None:  # may match the empty string: the plain way
                    out.append(list(self.finditer(string, pos, endpos, present)))
                    break
                if anchor is None:
                    m = branch.search(string, pos, endpos)
                    while m is not None:
                        found.append((m.start(), i, m))
                        m = branch.search(string, m.start() + 1, endpos)
                    continue
                # As next_match reads an anchor: " word" of _letters found at j is string[j].
                haystack: str | bytes = letters if type(anchor) is bytes else fold_window(string)
                end = endpos + 1 if type(anchor) is bytes else endpos
                at = haystack.find(anchor, pos, end)  # type: ignore[arg-type]
                while at >= 0:
                    if (m := branch.match(string, at, endpos)) is not None:
                        found.append((at, i, m))
                    at = haystack.find(anchor, at + 1, end)  # type: ignore[arg-type]
            else:
                kept: list[re.Match[str]] = []
                if found:
                    found.sort(key=lambda c: (c[0], c[1]))
                    cut = -1
                    for at, _, m in found:
                        if at >= cut:
                            kept.append(m)
                            cut = m.end()
                out.append(kept)
        return out


# A GatedAlternation's way to run some of its branches: (their alternation, ()) or
# (None, each branch with its anchor).
_Plan = tuple[re.Pattern[str] | None, tuple[tuple[re.Pattern[str], str | bytes | None], ...]]
_NO_PLAN = object()  # a set of keywords not planned yet


def _anchor(phrase: str, word_start: bool) -> str | bytes | None:
    """Where a match of `phrase` may start: its folded first word (`leading_run`); for a
    `word_start` phrase whose first word is ASCII letters, that word after a space in
    `_letters` (digits and other scripts are spaces there, so those words stay plain)."""
    run = leading_run(phrase)
    if word_start and run is not None and run.isascii() and run.isalpha():
        return f" {run}".encode()
    return run


class GatedPattern:
    """A compiled `pattern` behind a `PhraseGate`, for `search`, `match` and `finditer`.

    Every match of `pattern` must hold one of `phrases`, written as the phrase patterns write
    them (or match `extra`, see PhraseGate): then a window whose fold holds none of their
    keywords has no match, and is answered without running the pattern. For patterns that are
    more than an alternation of phrases (GatedAlternation), whose scan at every position, one
    phrase after another, costs tens of microseconds per sentence.
    """

    def __init__(self, pattern: re.Pattern[str], phrases: list[str],
                 extra: str | None = None) -> None:
        self.pattern = pattern
        self.gate = PhraseGate(phrases, extra)

    def _open(self, string: str, pos: int, endpos: int) -> bool:
        return self.gate.always or self.gate.may_match(fold_window(string, pos, endpos))

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pattern.search(string, pos, endpos) if self._open(string, pos, endpos) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pattern.match(string, pos, endpos) if self._open(string, pos, endpos) else None

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self._open(string, pos, endpos):
            return self.pattern.finditer(string, pos, endpos)
        return iter(())


# Texts longer than this are folded once as a whole (a document); shorter ones per call.
_WHOLE_FOLD_MIN = 512


@functools.lru_cache(maxsize=256)
def _folded_short(text: str) -> str:
    # A sentence is often asked about by several gates in a row (genericity.py's verdicts).
    return fold(text)


# The windows of the last long text asked about, by (start, end): every extractor asks the
# gates about the same sentences and clauses (missions asks the gated alternations of every
# concept about one clause in a row), and the same window object comes back each time, its
# hash computed once for the keyword index's lookups. One slot, replaced whole (threads never
# mix two texts' windows).
_WINDOWS: list[tuple[str | None, str, dict[tuple[int, int], str]]] = [(None, "", {})]
_MAX_WINDOWS = 8192


def fold_window(string: str, pos: int = 0, endpos: int = sys.maxsize) -> str:
    """`fold(string[pos:endpos])`, sliced from the cached fold of a whole document."""
    if pos < 0:
        pos = 0  # as the re module reads a negative pos
    if len(string) >= _WHOLE_FOLD_MIN:
        last, whole, windows = _WINDOWS[0]
        if last is not string:
            whole, windows = folded(string), {}
            _WINDOWS[0] = (string, whole, windows)
        key = (pos, endpos)
        window = windows.get(key)
        if window is None:
            if len(windows) >= _MAX_WINDOWS:
                windows.clear()
            window = windows[key] = whole[pos:endpos]
        return window
    if pos == 0 and endpos >= len(string):
        return _folded_short(string)
    return fold(string[pos:endpos])


def window_keywords(string: str, pos: int = 0, endpos: int = sys.maxsize) -> frozenset[str]:
    """The keywords of `string[pos:endpos]` (KEYWORDS.present of its fold). Asked of a
    sentence, they are found once: every gate asking about it after that (a count pattern's,
    size class's, the mission concepts') is a set test (`may_match_in`) instead
    of a search for each of its words in the sentence."""
    return KEYWORDS.present(fold_window(string, pos, endpos))


def occurrences(
    text: AnyStr, literal: AnyStr, start: int = 0, end: int = sys.maxsize
) -> Iterator[int]:
    """Every position where `literal` lies in `text[start:end]`, overlapping ones included."""
    i = text.find(literal, start, end)
    while i >= 0:
        yield i
        i = text.find(literal, i + 1, end)


def spans_holding(spans: Sequence[Span], found: Iterable[tuple[int, int]]) -> list[int]:
    """The indexes, in order, of the `spans` (sorted, disjoint: a document's sentences) that
    hold a whole (start, end) of `found`: a gate answered for every sentence from where its
    words lie in the whole text, found once, not by a look at each sentence."""
    starts = [span.start for span in spans]
    held = set()
    for at, end in found:
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and end <= spans[i].end:
            held.add(i)
    return sorted(held)


@functools.lru_cache(maxsize=4)
def number_starts(text: str) -> list[int]:
    """Where each run of digits (`\\d+`) of `text` starts (once per document)."""
    # `\d` tested by the regex engine at every character cost 25 ns each. The only decimal
    # digits of Latin-1 are 0-9: marked "0" in its bytes, every other byte a space, the runs
    # are found by `find` at C speed; a digit past Latin-1 ("?" there, as every other
    # character past it) is marked one by one.
    encoded = text.encode("latin-1", "replace")
    marks = encoded.translate(_DIGIT_MARKS)
    at = encoded.find(b"?")
    if at >= 0:
        marks = bytearray(marks)
        while at >= 0:
            if text[at].isdecimal():  # what `\d` matches in a str pattern
                marks[at] = 0x30
            at = encoded.find(b"?", at + 1)
    starts = []
    at = marks.find(b"0")
    while at >= 0:
        starts.append(at)
        end = marks.find(b" ", at)
        at = -1 if end < 0 else marks.find(b"0", end)
    return starts


_DIGIT_MARKS = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))


# Bytes of ASCII lower-case letters kept, every other byte a space: splits a folded text into
# its runs of letters at C speed.
_LETTERS_ONLY = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))


@functools.lru_cache(maxsize=4)
def _letters(text: str) -> bytes:
    """`fold(text)` one byte per character: ASCII letters kept, any other character a space;
    and a space before and after it."""
    return b" " + fold_window(text).encode("ascii", "replace").translate(_LETTERS_ONLY) + b" "


@functools.lru_cache(maxsize=4)
def words_of(text: str) -> frozenset[str]:
    """The runs of ASCII letters of `fold(text)`, each whole (a letter of another script, a
    digit or a sign ends a run). Computed once per document text however many ask for it.

    >>> sorted(words_of("La Haute-Loire, 2ème (Côte-d’Or)"))
    ['cote', 'd', 'eme', 'haute', 'la', 'loire', 'or']
    """
    return frozenset(_letters(text).decode().split())


def runs_of(phrase: str) -> frozenset[str]:
    """The folded runs of letters of `phrase` that `words_of` can hold (ASCII letters only).

    A pattern that matches each run of a phrase whole, between characters that are not
    letters (as `first_letter_alternation` of departments' `_loose` writes a name), cannot
    match in a text whose `words_of` lack one of them.
    """
    runs = (fold(run) for run in RUN.findall(phrase))
    return frozenset(run for run in runs if run.isascii() and run.isalpha())


def starting_with(
    pattern: re.Pattern[str], string: str, heads: Iterable[str], more: Iterable[int] = (),
    *, after: str = "", whole: bool = False,
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(string)` for a pattern that never matches the empty string and whose
    every match starts where the fold of `string` starts with one of `heads` (folded words),
    or at one of the positions `more` (see `start_places` for `after` and `whole`).

    A pattern that opens with a look-behind, a word boundary or a case-insensitive letter
    costs a step of the regex engine at every position of a release; the places where its
    first word is written are a few dozen, found by a substring search of the folded text
    (for a word, of its letters: " a " finds the word "à" and not each letter a).
    """
    return matches_from(pattern, string, sorted(start_places(string, heads, more, after=after,
                                                             whole=whole)))


def start_places(
    string: str, heads: Iterable[str], more: Iterable[int] = (), *, after: str = "",
    whole: bool = False,
) -> set[int]:
    """Where the fold of `string` starts with one of `heads`, and the positions `more`.

    `after`: "word" when no match starts right after a letter or a digit, "letter" when none
    starts right after a letter (the pattern opens with a look-behind that says so); places
    that follow one are left out. `whole` (with `after`): each head is a whole word where a
    match starts (a character other than a letter or digit follows it, inside the match).
    """
    starts: set[int] = set(more)
    words = [head for head in heads if after and head.isascii() and head.isalpha()]
    if whole:
        present = words_of(string)
        words = [head for head in words if head in present]
    for head in heads:
        if not (after and head.isascii() and head.isalpha()):
            starts.update(occurrences(fold_window(string), head))
    if len(words) > _FEW_WORDS:
        # _letters(string)[i] is the character before string[i]: not a letter there, nor
        # after the head for a whole word.
        starts.update(m.start() for m in _words_pattern(frozenset(words), whole).finditer(
            _letters(string)))
    else:
        for head in words:
            needle = f" {head}{' ' if whole else ''}".encode()
            starts.update(occurrences(_letters(string), needle))
    if after == "word":
        return {at for at in starts if not (at and string[at - 1].isalnum())}
    if after == "letter":
        return {at for at in starts if not (at and string[at - 1].isalpha())}
    return starts


# Up to this many words are looked for one by one; more in one regex (its literal first
# character, the space, is found at C speed).
_FEW_WORDS = 8


@functools.lru_cache(maxsize=64)
def _words_pattern(words: frozenset[str], whole: bool) -> re.Pattern[bytes]:
    alternation = first_letter_alternation(sorted(words, key=len, reverse=True), re.escape)
    return re.compile(f" (?:{alternation}){'(?= )' if whole else ''}".encode())


def matches_from(
    pattern: re.Pattern[str], string: str, starts: Iterable[int], pos: int = 0,
    endpos: int = sys.maxsize,
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(string, pos, endpos)` when every match starts at one of `starts`
    (increasing): each is tried in turn with `match` (whose look-behinds see the text before
    it), the next one after the end of a match."""
    done = max(pos, 0)
    for at in starts:
        if at >= endpos:
            return  # every later start is past the window too
        if at >= done and (m := pattern.match(string, at, endpos)) is not None:
            yield m
            done = m.end()


def first_letter_alternation(phrases: list[str], pattern_of: Callable[[str], str]) -> str:
    """Regex source with the effect of `"|".join(map(pattern_of, phrases))`, grouped by first
    letter so the engine tries one group at a position instead of every phrase.

    `pattern_of` must build a phrase character by character (pattern_of(p) ==
    pattern_of(p[0]) + pattern_of(p[1:])) and match, for a letter, only characters of the
    same `fold` (tests/extractors/test_speed_regressions.py checks the lexicons). Phrases of
    different groups then never match at the same position, so moving a group does not change
    which phrase wins; inside a group the given order is kept.

    >>> first_letter_alternation(["Loire", "Ain", "Lot"], re.escape)
    'L(?:oire|ot)|A(?:in)'
    """
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        head = phrase[:1]
        key = fold(head) if head.isalnum() else pattern_of(head)
        groups.setdefault(key, []).append(phrase)
    out = []
    for members in groups.values():
        heads = {pattern_of(p[:1]) for p in members}
        if len(heads) == 1 and members[0][:1].isalnum():
            # One single-character element in front of every member: factor it out.
            rest = "|".join(pattern_of(p[1:]) for p in members)
            out.append(f"{heads.pop()}(?:{rest})")
        else:
            # Several spellings of the first character: a look-ahead on them guards the group.
            guard = "|".join(sorted(heads))
            out.append(f"(?=(?:{guard}))(?:{'|'.join(pattern_of(p) for p in members)})")
    return "|".join(out)
