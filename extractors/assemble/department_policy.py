"""Which departments a CPTS covers, and which the document speaks of.

A CPTS's departments are the "territory" department facts attributed to it; without any, the
document's dominant departments: every department whose context mentions (any role but
"territory") are at least half as many as those of the most mentioned one, so a single "MSA
Ardèche Drôme Loire" does not add Ardèche to a Drôme release. A department written right next
to a CPTS name is that CPTS's territory too, whatever role its extractor gave it ("la CPTS du
Centre Corse, en Haute-Corse (2B), et la CPTS de l'Extrême-Sud, en Corse-du-Sud (2A)"; "Dans
le Calvados, la CPTS « Bessin »"). The document row lists the dominant departments plus every
CPTS territory department.

A line that is only a department ("Département du Val-de-Marne (94) :", "Hauts-de-Seine") heads
the CPTS listed under it, up to the next such line: each is in that department. The fallback
to the document's departments takes only context mentions whose sentence names no other CPTS:
"comme en Sarthe où la CPTS de la Couronne Mancelle ..." is that CPTS's department, not one of
the CPTS the release is about.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from extractors.text.headings import MAX_HEADING
from extractors.types import Document, Fact, FactKind

# Between a CPTS name and the department after it: ", en ", " (", ", dans la ".
AFTER_NAME = re.compile(
    r"""
    [\s\u00a0\u202f»"”]*[,(–—]?[\s\u00a0\u202f]*          # a comma, bracket or dash
    (?:(?:en|dans\s+(?:le|la|les|l[’'])|dans\s+l[’'])[\s\u00a0\u202f]*)?  # "en", "dans le"
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Before a CPTS name: "Dans le Calvados, la CPTS ..." (a place phrase opening the clause).
BEFORE_NAME = re.compile(r"[\s\u00a0\u202f]*,[\s\u00a0\u202f]*(?:la|le|l[’'])?[\s\u00a0\u202f]*")
PLACE_BEFORE = re.compile(r"(?:\bdans\s+(?:le|la|les)\s+|\bdans\s+l[’']|\ben\s+)$", re.IGNORECASE)


# "rencontre inter-CPTS du Loiret avec nos voisins de la CPTS ...": the writing CPTS (nous,
# nos) or its neighbours share the sentence's department.
SHARED = re.compile(
    r"(?<!\w)(?:nous|nos|notre|voisin|voisins|voisine|voisines|inter-CPTS)(?!\w)", re.IGNORECASE
)
# "Saône-et-Loire", "Côte-d'Or", "Haute-Loire" as written ("Saône et Loire" too): several words.
COMPOUND = re.compile(r"\w[\s\u00a0'’-]+\w")
# What a department heading line may hold besides the department itself.
HEADING_REST = re.compile(
    r"[\s\u00a0\u202f*_#•:–—().-]*(?:(?:département|dép\.|dpt)s?[\s\u00a0\u202f]*"
    r"(?:du|de\s+la|de\s+l[’']|des|de|d[’'])?)?[\s\u00a0\u202f*_#•:–—().\d-]*",
    re.IGNORECASE,
)


def dominant_departments(facts: list[Fact]) -> tuple[str, ...]:
    """The document's departments (DominantDepartments gives those of each CPTS)."""
    return _dominant(_by_category(_counted(facts)))


def _counted(facts: list[Fact]) -> list[Fact]:
    """The department mentions that count: a neighbour ("voisin de Lorient, dans le
    Morbihan") is neither territory nor context."""
    return [
        f for f in facts if f.kind == FactKind.DEPARTMENT and f.attrs.get("role") != "neighbour"
    ]


# A department mention's category: (in an institution's list, a territory fact).
Category = tuple[bool, bool]


def _category(f: Fact) -> Category:
    return f.attrs.get("list") == "true", f.attrs.get("role") == "territory"


def _by_category(departments: list[Fact]) -> dict[Category, Counter[str]]:
    counts: dict[Category, Counter[str]] = {}
    for f in departments:
        counts.setdefault(_category(f), Counter())[str(f.value)] += 1
    return counts


def _dominant(counts: dict[Category, Counter[str]]) -> tuple[str, ...]:
    # An institution's list of its departments ("MSA ... dans l'Allier, le Cantal, la
    # Haute-Loire et le Puy-de-Dôme") speaks only when nothing else does.
    kept = {c: n for c, n in counts.items() if not c[0] and n} or counts
    # Territory facts already speak for their own CPTS; the context decides for the others.
    kept = {c: n for c, n in kept.items() if not c[1] and n} or kept
    total: Counter[str] = Counter()
    for n in kept.values():
        total.update(n)
    if not total:
        return ()
    top = max(total.values())
    return tuple(sorted(code for code, n in total.items() if 2 * n >= top))


class DominantDepartments:
    """The dominant departments of every CPTS `key` of a document.

    A department mention counts for `key` unless its sentence names other CPTS and not `key`
    (and shares nothing, SHARED): the mentions are counted once, those of sentences naming no
    CPTS apart, the others under each CPTS their sentence names, so each key costs its own
    sentences (a call per key re-read every fact: keys × facts on a long release)."""

    def __init__(self, doc: Document, facts: list[Fact]) -> None:
        named = _named_sentences(doc, facts)
        shared = {
            start for start in named if SHARED.search(doc.text, start, doc.sentence_of(start).end)
        }
        self._common: dict[Category, Counter[str]] = {}
        self._own: dict[str, dict[Category, Counter[str]]] = {}
        for f in _counted(facts):
            start = doc.sentence_of(f.start).start
            if start not in named or start in shared:
                targets = [self._common]
            else:
                targets = [self._own.setdefault(key, {}) for key in named[start]]
            for counts in targets:
                counts.setdefault(_category(f), Counter())[str(f.value)] += 1

    def of(self, key: str) -> tuple[str, ...]:
        own = self._own.get(key, {})
        counts = {
            c: self._common.get(c, Counter()) + own.get(c, Counter())
            for c in {*self._common, *own}
        }
        return _dominant(counts)


def adjacent_departments(doc: Document, facts: list[Fact]) -> dict[str, set[str]]:
    """CPTS key → departments written right next to one of its names."""
    names = [f for f in facts if f.kind == FactKind.CPTS_NAME]
    by_end = sorted(names, key=lambda f: f.end)
    ends = [f.end for f in by_end]
    by_start = sorted(names, key=lambda f: f.start)
    starts = [f.start for f in by_start]
    found: dict[str, set[str]] = {}
    backwards = None  # the text reversed, for the reach before a department
    for dep in (f for f in facts if f.kind == FactKind.DEPARTMENT):
        # Only a name within a few words of the department can be "right next to" it; looking
        # at those alone keeps this linear in the text's length (not departments × names).
        backwards = doc.text[::-1] if backwards is None else backwards
        lo = len(doc.text) - _reach(backwards, len(doc.text) - dep.start, AFTER_NAME_REACH)
        hi = _reach(doc.text, dep.end, BEFORE_NAME_REACH)
        after = by_end[bisect.bisect_left(ends, lo) : bisect.bisect_right(ends, dep.start)]
        before = by_start[bisect.bisect_left(starts, dep.end) : bisect.bisect_right(starts, hi)]
        for name in after:
            if AFTER_NAME.fullmatch(doc.text, name.end, dep.start):
                found.setdefault(_key(name), set()).add(str(dep.value))
        for name in before:
            if BEFORE_NAME.fullmatch(doc.text, dep.end, name.start) and PLACE_BEFORE.search(
                doc.text, max(0, dep.start - 12), dep.start
            ):
                found.setdefault(_key(name), set()).add(str(dep.value))
    return found


# The most characters other than blanks and quotes that AFTER_NAME ("(dans les ", "– en ")
# and BEFORE_NAME (", la ") can hold between a name and a department.
AFTER_NAME_WORDS = 16
BEFORE_NAME_WORDS = 6


def _gap(words: int) -> re.Pattern[str]:
    """A gap of at most `words` visible characters and any blanks and quotes (as the gap
    patterns take any number of them): it ends at the next visible character."""
    blank = r"\s»\"”"
    return re.compile(rf"(?:[{blank}]*[^{blank}]){{0,{words}}}[{blank}]*")


AFTER_NAME_REACH = _gap(AFTER_NAME_WORDS)
BEFORE_NAME_REACH = _gap(BEFORE_NAME_WORDS)


def _reach(text: str, at: int, gap: re.Pattern[str]) -> int:
    """How far from `at` the `gap` reaches (in the text reversed, how far back): one match
    in the engine, not a Python loop per character."""
    return gap.match(text, at).end()


def _key(name: Fact) -> str:
    return str(name.attrs.get("key") or name.value)


def _named_sentences(doc: Document, facts: list[Fact]) -> dict[int, set[str]]:
    """Start of each sentence naming CPTS → the keys of the CPTS it names."""
    named: dict[int, set[str]] = {}
    for f in facts:
        if f.kind == FactKind.CPTS_NAME:
            named.setdefault(doc.sentence_of(f.start).start, set()).add(_key(f))
    return named


def name_departments(facts: list[Fact]) -> dict[str, set[str]]:
    """CPTS key → the department its name spells in full, when that name is compound.

    "CPTS Centre Saône-et-Loire", "CPTS Cœur de Meurthe-et-Moselle", "CPTS Sud Eure-et-Loir"
    name their department; a one-word department name ("CPTS Rhône Centre", "CPTS Littoral en
    Nord", "CPTS Gers Est") is also a river, a compass point or a region, and a number
    ("CPTS 38-73", "CPTS Lyon 3", "CPTS Centre 21") is never read as a code inside a name.
    """
    found: dict[str, set[str]] = {}
    names = [f for f in facts if f.kind == FactKind.CPTS_NAME]
    # Only a name starting at most its own length before the department can hold it: the
    # names starting in that reach, by bisection, rather than every name per department.
    order = sorted(range(len(names)), key=lambda i: names[i].start)
    starts = [names[i].start for i in order]
    longest = max((f.end - f.start for f in names), default=0)
    for dep in (f for f in facts if f.kind == FactKind.DEPARTMENT):
        if dep.attrs.get("form") != "name" or not COMPOUND.search(dep.text):
            continue
        reach = order[
            bisect.bisect_left(starts, dep.end - longest) : bisect.bisect_right(starts, dep.start)
        ]
        for name in (names[i] for i in sorted(reach)):  # in the order of `facts`, as before
            if name.start <= dep.start and dep.end <= name.end:
                found.setdefault(str(name.attrs.get("key") or name.value), set()).add(
                    str(dep.value)
                )
    return found


def heading_departments(doc: Document, facts: list[Fact]) -> dict[str, set[str]]:
    """CPTS key → the department of the heading line it is listed under."""
    # A heading is a short line: grouping the department mentions by line once, and skipping
    # long lines, keeps this linear on a long line full of codes.
    line_starts = [ln.start for ln in doc.lines]
    by_line: dict[int, list[Fact]] = {}
    for dep in (f for f in facts if f.kind == FactKind.DEPARTMENT):
        index = bisect.bisect_right(line_starts, dep.start) - 1
        if index >= 0 and dep.start < doc.lines[index].end:
            by_line.setdefault(index, []).append(dep)
    headings: list[tuple[int, str]] = []
    for index, mentions in by_line.items():
        line = doc.lines[index]
        if line.end - line.start > MAX_HEADING or len({str(f.value) for f in mentions}) != 1:
            continue
        rest = doc.text[line.start : line.end]
        for mention in sorted(mentions, key=lambda f: f.start, reverse=True):
            rest = rest[: mention.start - line.start] + " " + rest[mention.end - line.start :]
        if HEADING_REST.fullmatch(rest):
            headings.append((line.start, str(mentions[0].value)))
    if not headings:
        return {}
    headings = sorted(set(headings))
    heading_starts = [start for start, _ in headings]
    found: dict[str, set[str]] = {}
    for name in (f for f in facts if f.kind == FactKind.CPTS_NAME):
        under = bisect.bisect_left(heading_starts, name.start)  # headings starting before it
        if under:
            found.setdefault(str(name.attrs.get("key") or name.value), set()).add(
                headings[under - 1][1]
            )
    return found
