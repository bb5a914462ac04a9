"""The release's own date: a dateline, a "Publié le" line or a dated header line.

Only the first lines count, and the date must end its line: "Ce jeudi 7 décembre 2023, Sabine
LAFFAY..." opens the body of a release without a dateline and is an event, not its date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.dates import SP, DateMatch, find_dates

DATELINE_PREFIX = re.compile(
    rf"""
    [\s*_]*
    (?:
        # "Lyon, lundi 14 octobre 2024", "Bordeaux, le 24 juin 2021", "Saint-Étienne, 3 mai 2022"
        (?P<place>[A-ZÀ-Ý][\w'’.-]*
            (?:[ -](?:[dl][’']|sur|en|les|de|du|la|le|[A-ZÀ-Ý])[\w'’.-]*){{0,4}})  # "-en-Provence"
        [\s*_]*,{SP}(?:le{SP})?
      |
        # "Publié le 05/04/2022", "Mis à jour le 3 mai 2022", "Date de publication : 2022-04"
        (?i:publié|publiée|mis[ ]en[ ]ligne|mis[ ]à[ ]jour|date(?:[ ]de[ ]publication)?)
        (?:{SP}le)?[\s:]*
      |
        # "Offre de soins 22 décembre 2023": a short header label before the date
        (?P<label>[A-ZÀ-Ý][\w'’ -]{{0,40}}?)[\s:–-]+
      |
        # the date alone on its line
    )
    [*_]*
    """,
    re.VERBOSE,
)

# A header label never starts a sentence about an event ("Ce jeudi 7 décembre 2023, ...").
EVENT_START = re.compile(r"^\s*(?:ce|cet|cette|le|la|les|depuis|dès|en|au|du)\b", re.IGNORECASE)

DATELINE_MAX_LINES = 15  # non-empty lines


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int
    end: int
    place: str | None
    date: DateMatch


def find_dateline(text: str) -> Dateline | None:
    """The release's own date: a dateline, a "Publié le" line or a dated header line.

    Only the first lines count; a date inside the body is an event, not the release date.
    """
    for n, line in enumerate(re.finditer(r"[^\n]+", text)):
        if n >= DATELINE_MAX_LINES:
            break
        found = _dateline_in(text, line.start(), line.end())
        if found:
            return found
    return None


def _dateline_in(text: str, start: int, end: int) -> Dateline | None:
    # The date must end its line: "Ce jeudi 7 décembre 2023, Sabine LAFFAY..." is an event.
    dates = find_dates(text, start, end)
    if not dates or text[dates[-1].end : end].strip(" \t*_.\u00a0\u202f"):
        return None
    date = dates[-1]
    prefix = DATELINE_PREFIX.fullmatch(text, start, date.start)
    if prefix is None:
        return None
    label = prefix.group("label")
    if label is not None and EVENT_START.match(label):
        return None
    lead = len(prefix.group()) - len(prefix.group().lstrip(" \t*_"))
    return Dateline(start + lead, date.end, prefix.group("place"), date)
