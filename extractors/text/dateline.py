"""The release's own date: a dateline, a "Publié le" line or a dated header line.

Only the first lines count, and the date must end its line: "Ce jeudi 7 décembre 2023, Sabine
LAFFAY..." opens the body of a release without a dateline and is an event, not its date.
A "Publié le" cue is explicit enough to sit anywhere in its line, with the time after it
("Santé | Publié le 12/10/2023 à 17h30", "Ouest-France  E. LEROY.  Publié le 14/09/2021 à
07h15, mis à jour à 08h02", "Publié le 14 février 2025 par l'équipe de coordination"). An
update date ("Mis à jour le 27 février 2025") is the release's date only when the first lines
hold no other: a "Publié le" line or a dateline always wins over it, wherever it sits among the
first lines (a news page that shows only its update date has no other). A web header may be the
date alone with its article and time ("Le 18/06/2021 à 05:00"); a masthead may carry an issue
number before a month ("Yerres Mag – n° 112 – Avril 2024", "CPTS Val d'Orléans Sud – Lettre
d'information n° 9 – Avril 2024": month precision); a dateline may follow the kind of document
on its line ("COMMUNIQUÉ DE PRESSE – Toulouse, le 2 décembre 2024": `kind` and `place`).
A press byline dates the page too: the source it appeared in ("Article paru dans Le Journal du
Lot, mars 2025", "Publié dans la lettre n° 12 le 4 mars 2025") or its author beside the date
("16 septembre 2021 à 18h31 par Jeanne Martin", "Propos recueillis par Jeanne MARTIN - 01 févr.
2022 à 19:00 | mis à jour le 02 févr. 2022": the first date, not the update).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from extractors.text.dates import SP, DateMatch, find_dates
from extractors.text.headings import reads_as_heading
from extractors.types import Precision

DATELINE_PREFIX = re.compile(
    rf"""
    [\s*_]*
    (?:
        # "COMMUNIQUÉ DE PRESSE – Toulouse, le 2 décembre 2024": the kind of document, set apart
        # by a spaced dash, bar or colon, before the dateline
        (?:(?P<kind>[A-ZÀ-Ý][\w'’]*(?:[ ][\w'’]+){{0,5}})[ \t\u00a0]*(?:[–—|:]|[ ]-)[ \t\u00a0]*)?
        # "Lyon, lundi 14 octobre 2024", "Bordeaux, le 24 juin 2021", "Saint-Étienne, 3 mai 2022"
        (?P<place>[A-ZÀ-Ý][\w'’.-]*
            (?:[ -](?:[dl][’']|sur|en|les|de|du|la|le|[A-ZÀ-Ý])[\w'’.-]*){{0,4}})  # "-en-Provence"
        [\s*_]*,{SP}(?:le{SP})?
      |
        # "Publié le 05/04/2022", "Mis en ligne le 3 mai 2022", "Date de publication : 2022-04"
        (?i:publié|publiée|mis[ ]en[ ]ligne|date(?:[ ]de[ ]publication)?)
        (?:{SP}le)?[\s:]*
      |
        # "Le 27 juin 2019", "Le 18/06/2021 à 05:00": the date alone on its line, with its article
        (?i:le){SP}
      |
        # "Offre de soins 22 décembre 2023", "Yerres Mag – n° 112 – Avril 2024": a short header
        # label (a rubric, a magazine name and issue number) before the date
        # (a label over LABEL_MAX characters needs a dash or bar before the date)
        (?P<label>[A-ZÀ-Ý][\w'’ °|–—-]{{0,90}}?)(?P<sep>[\s:|–—-]+)
      |
        # the date alone on its line
    )
    [*_]*
    """,
    re.VERBOSE,
)

# "Publié le 12/10/2023 à 17h30" anywhere in a header line: the cue, then the date (found by
# find_dates), then an optional time; whatever follows must not be a word of the same sentence.
PUBLISHED_CUE = re.compile(
    rf"""
    (?<!\w)
    (?:publié|publiée|(?:date{SP}de{SP})?publication|mis{SP}en{SP}ligne)  # "Mis en ligne le"
    (?:{SP}le|{SP}:|(?:{SP})?:)?(?:{SP})?                                  # "le", "Publication : "
    [*_]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
PUBLISHED_TIME = re.compile(
    rf"""
    (?:{SP}|,(?:{SP})?|{SP}-{SP})(?:à{SP})?    # " à ", ", ", " - "
    [0-2]?\d(?:{SP})?(?:h|:)(?:{SP})?(?:[0-5]\d)?  # "17h30", "09:05", "8 h"
    (?![\w:])
    """,
    re.VERBOSE | re.IGNORECASE,
)
# What may follow a "Publié le" date on its line: nothing, a separator, an update note.
# "par l'équipe de coordination": the author, as CPTS and news sites write it under the title.
PUBLISHED_TAIL = re.compile(
    r"[\s*_.]*(?:$|[,|–—(·•-]|mis\b|modifié|actualisé|par\b)", re.IGNORECASE
)
# "Article paru dans Le Journal du Lot, mars 2025", "Publié dans la lettre n° 12 le 4 mars 2025":
# the publication the page appeared in, then its date.
PUBLISHED_IN_CUE = re.compile(
    rf"""
    (?<!\w)(?:publié|publiée|paru|parue)(?:{SP}dans|{SP}sur){SP}
    [^.,;:!?\n]{{1,80}}?                                 # "Concours pluripro", "la lettre n° 12"
    (?:,|{SP}le|{SP}du|{SP}[|–—-])(?:{SP})?[*_]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# An author's byline: a capitalised name after "par", beside the date on its own line.
AUTHOR = r"par[ \t\u00a0]+[A-ZÀ-Ý][\w'’.-]*(?:[ \t\u00a0]+[A-ZÀ-Ýa-zà-ÿ][\w'’.-]*){0,4}"
AUTHOR_AFTER = re.compile(
    rf"[ \t\u00a0]*(?:[,|–—-][ \t\u00a0]*)?{AUTHOR}[ \t\u00a0]*(?:$|[|–—,]|-[ ])"
)
AUTHOR_BEFORE = re.compile(
    rf"[\s*_•-]*(?i:(?:propos[ \t\u00a0]+)?recueillis[ \t\u00a0]+)?(?i:p){AUTHOR[1:]}"
    r"[ \t\u00a0]*(?:[,|–—]|-[ ])[ \t\u00a0]*(?:le[ \t\u00a0]+)?"
)

# "Mis à jour le 13/10/2023": an update, never the release's date.
UPDATE_CUE = re.compile(
    rf"(?:mis{SP}à{SP}jour|mise{SP}à{SP}jour|modifié|actualisé)(?:{SP}le|(?:{SP})?:)?(?:{SP})?[*_]*$",
    re.IGNORECASE,
)

# A header label never starts a sentence about an event ("Ce jeudi 7 décembre 2023, ...").
EVENT_START = re.compile(r"^\s*(?:ce|cet|cette|le|la|les|depuis|dès|en|au|du)\b", re.IGNORECASE)

SET_APART = re.compile(r"[|–—:]|\s-\s")

DATELINE_MAX_LINES = 15  # non-empty lines
LABEL_MAX = 40  # a longer header label ("CPTS ... – Lettre d'information n° 9 – ") needs a dash


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int
    end: int
    place: str | None
    date: DateMatch
    update: bool = False  # "Mis à jour le ...": kept only when no other line dates the release
    kind: str | None = None  # "COMMUNIQUÉ DE PRESSE" before the place


# Document building (reference date) and published_on both ask for it: computed once per text.
@functools.lru_cache(maxsize=8)
def find_dateline(text: str) -> Dateline | None:
    """The release's own date: a dateline, a "Publié le" line or a dated header line.

    Only the first lines count; a date inside the body is an event, not the release date.
    An update line ("Mis à jour le 27 février 2025") counts only when no other line does.
    """
    update = None
    for n, line in enumerate(re.finditer(r"[^\n]+", text)):
        if n >= DATELINE_MAX_LINES:
            break
        found = _line_date(text, line.start(), line.end())
        if found and not found.update:
            return found
        update = update or found
    return update


def _line_date(text: str, start: int, end: int) -> Dateline | None:
    """What the line text[start:end] says of the release's date, read three ways in turn;
    its dates are found once for the three."""
    dates = find_dates(text, start, end)
    if not dates:
        return None
    return (
        _published_in(text, start, end, dates)
        or _byline_in(text, start, end, dates)
        or _dateline_in(text, start, end, dates)
    )


def _published_in(text: str, start: int, end: int, dates: list[DateMatch]) -> Dateline | None:
    """ "Publié le 12/10/2023 à 17h30" anywhere in the line; the span runs from the cue."""
    for date in dates:
        cue = PUBLISHED_CUE.search(text, max(start, date.start - 40), date.start)
        cue = cue or PUBLISHED_IN_CUE.search(text, max(start, date.start - 120), date.start)
        if cue is None:
            continue
        stop = date.end
        time = PUBLISHED_TIME.match(text, stop, end)
        if time:
            stop = time.end()
        if PUBLISHED_TAIL.match(text, stop, end):
            return Dateline(cue.start(), stop, None, date)
    return None


def _byline_in(text: str, start: int, end: int, dates: list[DateMatch]) -> Dateline | None:
    """ "16 septembre 2021 à 18h31 par Jeanne Martin", "Par Jeanne Martin - 01 févr. 2022"."""
    date = dates[0]  # "... | mis à jour le 02 févr. 2022": the update comes second
    time = PUBLISHED_TIME.match(text, date.end, end)
    stop = time.end() if time else date.end
    lead = text[start : date.start]
    if not lead.strip(" \t*_\u00a0") or re.fullmatch(r"[\s*_]*le[\s\u00a0]+", lead, re.I):
        if AUTHOR_AFTER.match(text, stop, end):
            return Dateline(date.start, stop, None, date)
        return None
    author = AUTHOR_BEFORE.fullmatch(text, start, date.start)
    if author and PUBLISHED_TAIL.match(text, stop, end):
        return Dateline(start + len(lead) - len(lead.lstrip(" \t*_•-")), stop, None, date)
    return None


def _dateline_in(text: str, start: int, end: int, dates: list[DateMatch]) -> Dateline | None:
    # The date must end its line: "Ce jeudi 7 décembre 2023, Sabine LAFFAY..." is an event.
    date = dates[-1]
    # A web article's header may give the time after the date: "Le 18/06/2021 à 05:00".
    time = PUBLISHED_TIME.match(text, date.end, end)
    stop = time.end() if time else date.end
    if text[stop:end].strip(" \t*_.\u00a0\u202f"):
        return None
    update = UPDATE_CUE.search(text, start, date.start)
    if update:
        # "Mis à jour le 27 février 2025": the cue opens its line (after a bullet or a label)
        lead = text[start : update.start()].strip(" \t*_|–—-:\u00a0\u202f")
        if len(lead) > LABEL_MAX:
            return None
        return Dateline(update.start(), stop, None, date, update=True)
    prefix = DATELINE_PREFIX.fullmatch(text, start, date.start)
    if prefix is None:
        return None
    label = prefix.group("label")
    # ... unless a dash or bar sets the date apart: "Le Petit Bleu – Mars 2023" is a masthead.
    if label is not None and EVENT_START.match(label) and not SET_APART.search(prefix["sep"]):
        return None
    if label is not None and len(label) > LABEL_MAX and not SET_APART.search(prefix["sep"]):
        return None
    lead = len(prefix.group()) - len(prefix.group().lstrip(" \t*_"))
    return Dateline(start + lead, stop, prefix.group("place"), date, kind=prefix.group("kind"))


def is_dateline_line(line: str) -> bool:
    """Is this line, on its own, the release's date ("Bordeaux, le 24 juin 2021", "Publié le
    11 juillet 2024 à 08h29")?

    >>> is_dateline_line("Bordeaux, le 24 juin 2021")
    True
    >>> is_dateline_line("du décret du 16 août 1901.")
    False
    """
    line = line.strip()
    # A dateline opens with its place, its cue or its date; a wrapped line ending in a date
    # ("… et du décret du 16 août 1901.") opens in lower case.
    if not line or len(line) > DATELINE_LINE_MAX or line[0].islower():
        return False
    if not any(c.isdigit() for c in line):
        return False
    try:
        if line[0].isdigit():
            # "16 août 1901." may end a wrapped sentence; a dated byline names its author
            dates = find_dates(line, 0, len(line))
            return bool(dates) and _byline_in(line, 0, len(line), dates) is not None
        found = _line_date(line, 0, len(line))
    except (ValueError, IndexError):
        return False
    return found is not None


# A dateline line is short: "Saint-Étienne-du-Rouvray, le mercredi 24 septembre 2025".
DATELINE_LINE_MAX = 80


def reference_date(text: str) -> tuple[dt.date, Precision] | None:
    """The release's own date and its precision, or None when its first lines state none."""
    try:
        line = find_dateline(text)
    except (ValueError, IndexError):
        return None
    return (line.date.date, line.date.precision) if line else None


_HEADLINE_YEAR = re.compile(r"(?<![\w/.,-])((?:19|20)\d\d)(?![\w/-]|[,.]\d)")


def headline_year(text: str, title: str | None = None) -> int | None:
    """The one year the release's headline states (the page title, else a first line that reads
    as a heading: short, capitalised, no final punctuation), or None when it states none or
    several ("Rapport 2019-2024"). A release that gives no date of its own is read in it."""
    candidates = [title or ""]
    first = re.search(r"[^\n]+", text)
    if first:
        candidates.append(first.group())
    years = set()
    for line in (c.strip() for c in candidates):
        if reads_as_heading(line):
            years.update(int(y) for y in _HEADLINE_YEAR.findall(line))
    return years.pop() if len(years) == 1 else None
