"""French dates: find them with regexes, turn the matched substring into an ISO value.

`find_dates` is shared by the date extractors; `reference_date` gives the release's own date
(see extractors/text/dateline.py), which `document.py` stores as `Document.reference_date`.

Finding is done by the regexes below (DESIGN.md measured dateparser's `search_dates` slow and
wrong on these releases); turning a matched "14 octobre 2024" / "décembre 2020" into a date is
dateparser's job, on that substring only, cached because releases repeat the same dates.

Yearless dates ("Ce vendredi 22 décembre") take their year from the reference date only:
- with a weekday, the year (reference year -1, 0 or +1) whose calendar has that weekday on that
  day, nearest the reference first;
- without one, the candidate nearest the reference ("dernier" forbids dates after it,
  "prochain" dates before it);
- no reference date but a headline that states one year ("Signature de la CPTS du Pilat
  2025"): that year only, and with a weekday only if the calendar agrees ("Ce mercredi 2
  juillet" is 2025-07-02, a Wednesday); a headline stating no year or several: dropped;
- neither: the date is dropped (None), never guessed from today.
"Fin 2023", "1er semestre 2023", "dès 2019" are periods, not dates: they never match. A bare
year ("créée en 2019") is matched only when a caller asks for `years=True`, a yearless month
("Créée en février", "au mois de juin") only when it asks for `months=True`: it takes the
reference's year, or the year before when that month is still to come (a past event).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dateparser.date import DateDataParser

from extractors.lexicon import load_lexicon
from extractors.text.prefilter import (
    leading_run,
    matches_from,
    number_starts,
    occurrences,
    spans_holding,
    start_places,
)
from extractors.types import Precision, Span

_LEXICON = load_lexicon("dates_fr.json")
MONTHS: dict[str, int] = _LEXICON["months"]
WEEKDAYS: dict[str, int] = _LEXICON["weekdays"]
PAST_WORDS: tuple[str, ...] = tuple(_LEXICON["past_words"])
FUTURE_WORDS: tuple[str, ...] = tuple(_LEXICON["future_words"])


def _alternation(words: list[str]) -> str:
    # Longest first so "septembre" is not cut to "sept".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH = _alternation(list(MONTHS))
WEEKDAY = _alternation(list(WEEKDAYS))
SP = r"[\s\u00a0\u202f]+"  # one or more spaces of any kind, NBSP and narrow NBSP included

DATE = re.compile(
    rf"""
    (?<![\w/.-])
    (?:
        # "lundi 14 octobre 2024", "1er décembre 2023", "22 décembre", "1^er^ mars", "3 févr. 2022"
        (?:(?P<weekday>{WEEKDAY}){SP}(?:[*_]+)?)?
        (?P<day>[0-3]?\d)(?:er|ᵉʳ|\^\{{?er\}}?\^?)?{SP}
        (?P<month>{MONTH})\.?
        (?:{SP}(?P<year>(?:19|20)\d\d))?
      |
        # "24/06/2021", "05.04.2022", "5/4/2022": numeric day first, as in France
        (?P<nday>[0-3]?\d)[/.](?P<nmonth>[01]?\d)[/.](?P<nyear>(?:19|20)\d\d)
      |
        # "2022-04-05" or "2022-04": ISO, day optional
        (?P<iyear>(?:19|20)\d\d)-(?P<imonth>[01]\d)(?:-(?P<iday>[0-3]\d))?
      |
        # "décembre 2020", "en septembre 2022": month precision
        (?P<mmonth>{MONTH})\.?{SP}(?P<myear>(?:19|20)\d\d)
    )
    (?![\w/-])
    """,
    re.VERBOSE | re.IGNORECASE,
)

BARE_YEAR = re.compile(
    r"""
    (?<![\w/.,-])
    (?P<byear>(?:19|20)\d\d)   # "en 2019": only used when the caller asks for years
    (?![\w/-]|[,.]\d)          # not "2019,5" nor "2019.04"
    """,
    re.VERBOSE,
)


# Full month names only: "en sept ans" is not September.
FULL_MONTHS = [w for w in MONTHS if not any(o != w and o.startswith(w) for o in MONTHS)]
YEARLESS_MONTH = re.compile(
    rf"""
    (?<!\w)
    (?:en|au{SP}mois{SP}de|mois{SP}de){SP}      # "en février", "au mois de juin"
    (?P<ymonth>{_alternation(FULL_MONTHS)})
    (?![\w-]|\.?{SP}?\d)                        # not "en mars 2023" (a full date) nor "juin 2"
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Every alternative of DATE holds a year in digits or a month name; BARE_YEAR holds a year,
# YEARLESS_MONTH a month. Most sentences hold neither: these cheap searches (a literal one,
# and the places where a month's name opens a word, found once per document) skip them, and
# a sentence that holds only one is not searched for the other.
YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
MONTH_HEADS = frozenset(map(leading_run, MONTHS))
# A DATE starts with a weekday, a month (whole words) or a number: it is tried there only
# (prefilter.matches_from), not at every position of a sentence.
DATE_HEADS = frozenset(map(leading_run, [*MONTHS, *WEEKDAYS]))


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in the text: [start, end) covers exactly the matched words."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: Precision
    weekday: int | None = None

    @property
    def iso(self) -> str:
        return iso(self.date, self.precision)


def iso(date: dt.date, precision: Precision) -> str:
    if precision is Precision.DAY:
        return date.isoformat()
    if precision is Precision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}"


def find_dates(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    reference: dt.date | None = None,
    years: bool = False,
    months: bool = False,
    headline_year: int | None = None,
) -> list[DateMatch]:
    """Every date in text[start:end], offsets into `text`; yearless ones need `reference`
    (or, without one, the `headline_year`)."""
    end = len(text) if end is None else end
    found: list[DateMatch] = []
    has_year = _has_year(text, start, end)
    has_month = _has_month(text, start, end)
    if not has_year and not has_month:
        return found
    try:
        for m in date_matches(text, start, end):
            parsed = _parse(m, text, reference, headline_year)
            if parsed:
                found.append(parsed)
        if years and has_year:
            taken = [(d.start, d.end) for d in found]
            for m in BARE_YEAR.finditer(text, start, end):
                if not any(s <= m.start() < e for s, e in taken):
                    year = dt.date(int(m.group("byear")), 1, 1)
                    found.append(DateMatch(m.start(), m.end(), m.group(), year, Precision.YEAR))
        if months and has_month and reference is not None:
            taken = [(d.start, d.end) for d in found]
            for m in YEARLESS_MONTH.finditer(text, start, end):
                if not any(s <= m.start("ymonth") < e for s, e in taken):
                    month = MONTHS[m.group("ymonth").lower()]
                    year = reference.year - (month > reference.month)
                    found.append(
                        DateMatch(
                            m.start("ymonth"),
                            m.end("ymonth"),
                            m.group("ymonth"),
                            dt.date(year, month, 1),
                            Precision.MONTH,
                        )
                    )
    except (ValueError, OverflowError):
        return sorted(found, key=lambda d: d.start)
    return sorted(found, key=lambda d: d.start)


def date_matches(text: str, start: int = 0, end: int = sys.maxsize) -> Iterator[re.Match[str]]:
    """`DATE.finditer(text, start, end)`."""
    starts = _date_starts(text)
    within = starts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
    return matches_from(DATE, text, within, start, end)


def spans_with_dates(text: str, spans: Sequence[Span]) -> list[Span]:
    """Those of `spans` (sorted, disjoint: a document's sentences) where `find_dates` may find
    a date: they hold a year's digits or a month's name (its first gate). Read from where
    those lie in the text, found once: the sentences of a release without either are most."""
    found = itertools.chain(((at, at + 4) for at in _year_starts(text)),
                            ((at, at + 1) for at in _month_starts(text)))
    return [spans[i] for i in spans_holding(spans, found)]


def _has_year(text: str, start: int, end: int) -> bool:
    """`YEAR_DIGITS.search(text, start, end) is not None`."""
    starts = _year_starts(text)
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and starts[i] + 4 <= end  # a later year ends later still


@functools.lru_cache(maxsize=4)
def _year_starts(text: str) -> list[int]:
    # Asked per sentence, YEAR_DIGITS (which opens with an alternation, so the engine tries it
    # at every character) cost more than the rest of find_dates: here "19" and "20" are found
    # once per document at C speed, overlapping ones included, and then the two digits after.
    return sorted(
        at
        for century in ("19", "20")
        for at in occurrences(text, century)
        if at + 4 <= len(text) and text[at + 2 : at + 4].isdecimal()
    )


def _has_month(text: str, start: int, end: int) -> bool:
    starts = _month_starts(text)
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


@functools.lru_cache(maxsize=4)
def _month_starts(text: str) -> list[int]:
    # A month's name opens a word, wherever it stands in a date.
    return sorted(start_places(text, MONTH_HEADS, after="word"))


@functools.lru_cache(maxsize=4)
def _date_starts(text: str) -> list[int]:
    # Found once per document, whatever how many sentences ask.
    return sorted(start_places(text, DATE_HEADS, number_starts(text), after="word", whole=True))


def _calendar(year: str, month: str, day: int | None = None) -> dt.date | None:
    """The date of an already matched, complete date: "1 décembre 2023" (`day` 1), or
    "décembre 2020" (no `day`: the first of the month); `month` as written, `year` its digits.

    A valid calendar date of a month of the lexicon is computed here: dateparser, whose
    answer this was, gives the same date for every one (checked for every spelling of MONTHS
    in lower, upper and title case, every day of 1900, 1904, 2000, 2023-2025 and 2099, the
    first, last and other days of every month of every year 1900-2099, and every month of
    those years), at a millisecond or more per date not yet cached: most of the cost of
    normalising a release. Anything else (day 0, "31 février", a month written otherwise or
    in mixed case, a year in other digits) is still dateparser's answer.
    """
    number = MONTHS.get(month.lower())
    checked = year.isascii() and (month.islower() or month.istitle() or month.isupper())
    if number is not None and checked and (day is None or day >= 1):
        try:
            return dt.date(int(year), number, day or 1)
        except ValueError:
            pass
    return _dateparser(f"{month} {year}" if day is None else f"{day} {month} {year}")


@functools.lru_cache(maxsize=4096)
def _dateparser(words: str) -> dt.date | None:
    """dateparser on an already matched, complete date ("1 décembre 2023", "décembre 2020")."""
    found = _DATE_PARSER.get_date_data(words)
    return found.date_obj.date() if found and found.date_obj else None


_DATE_PARSER = DateDataParser(
    languages=["fr"],
    settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]},
)


def _parse(
    m: re.Match[str], text: str, reference: dt.date | None, headline_year: int | None = None
) -> DateMatch | None:
    g = m.groupdict()
    weekday = WEEKDAYS.get(g["weekday"].lower()) if g["weekday"] else None
    try:
        if g["month"]:
            month, day = MONTHS[g["month"].lower()], int(g["day"])
            if g["year"]:
                # The weekday and "1er" are the regex's business; dateparser gets plain words.
                date = _calendar(g["year"], g["month"].rstrip("."), day)
                if date is None:
                    return None
            else:
                if reference is None and headline_year is not None:
                    date = _in_year(month, day, weekday, headline_year)
                else:
                    date = _resolve(month, day, weekday, _direction(text, m.end()), reference)
                if date is None:
                    return None
            precision = Precision.DAY
        elif g["nday"]:
            date = dt.date(int(g["nyear"]), int(g["nmonth"]), int(g["nday"]))
            precision = Precision.DAY
        elif g["iyear"]:
            day = int(g["iday"] or 1)
            date = dt.date(int(g["iyear"]), int(g["imonth"]), day)
            precision = Precision.DAY if g["iday"] else Precision.MONTH
        else:
            date = _calendar(g["myear"], g["mmonth"].rstrip("."))
            if date is None:
                return None
            precision = Precision.MONTH
    except ValueError:  # 31 février, month 13...
        return None
    return DateMatch(m.start(), m.end(), m.group(), date, precision, weekday)


def _direction(text: str, end: int) -> int:
    after = text[end : end + 12].lower().lstrip(" \u00a0\u202f")
    if after.startswith(PAST_WORDS):
        return -1
    if after.startswith(FUTURE_WORDS):
        return 1
    return 0


def _in_year(month: int, day: int, weekday: int | None, year: int) -> dt.date | None:
    # The headline's year is the only one the text gives: a weekday that disagrees with it
    # means the date is of another year, which nothing in the text states.
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if weekday is None or date.weekday() == weekday else None


def _resolve(
    month: int, day: int, weekday: int | None, direction: int, reference: dt.date | None
) -> dt.date | None:
    if reference is None:
        return None
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 29 février of a common year
            continue
    if direction < 0:
        candidates = [c for c in candidates if c <= reference]
    elif direction > 0:
        candidates = [c for c in candidates if c >= reference]
    if weekday is not None:
        matching = [c for c in candidates if c.weekday() == weekday]
        candidates = matching or candidates
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - reference).days), c))
