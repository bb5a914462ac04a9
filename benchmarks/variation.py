"""One seed release + a random generator → a plausible, different release (same structure).

Names, departments and people are swapped through the seed's slot table in one regex pass, so
a replacement is never itself rewritten. Counts and euro amounts are rescaled and rewritten in
the seed's own thousands style. Dates move by a whole number of weeks, which keeps every
weekday word ("Ce jeudi 7 décembre") true without re-deriving it, and stay within 2019–2025.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from benchmarks import vocab

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
MONTH_ALT = "|".join(MONTHS)
FIRST_DAY, LAST_DAY = dt.date(2019, 1, 1), dt.date(2025, 12, 31)

DAY_MONTH_YEAR = re.compile(
    rf"""
    \b(1er|\d{{1,2}})\s+({MONTH_ALT})   # "1er décembre", "24 juin"
    (?:\s+(20\d\d))?                    # the year is often omitted after the dateline
    |\b({MONTH_ALT})\s+(20\d\d)         # "décembre 2020" (no day)
    """,
    re.VERBOSE,
)

NUMBER = r"\d{1,3}(?:[ \u00a0.]\d{3})+|\d+"
COUNT = re.compile(rf"(?<![\d,.])({NUMBER})(\s+)(habitants|communes|professionnels)")
EURO = re.compile(rf"(?<![\d,.])({NUMBER})(\s*)(€|euros)")
# Thresholds of the national grid ("< à 40 000 habitants", "entre 40 et 80 000") stay put.
THRESHOLD_BEFORE = ("à ", "et ", "< ", "> ")


def vary(text: str, slots: dict[str, str], rng: random.Random) -> str:
    text = replace_slots(text, slots, rng)
    text = shift_dates(text, rng)
    text = COUNT.sub(lambda m: _rescale_count(m, text, rng), text)
    text = EURO.sub(lambda m: _rescale_euros(m, rng), text)
    return shuffle_paragraphs(text, rng)


def replace_slots(text: str, slots: dict[str, str], rng: random.Random) -> str:
    if not slots:
        return text
    values = _draw_slot_values(slots, rng)
    literals = sorted(slots, key=len, reverse=True)
    # Department names must not match inside "Auvergne-Rhône-Alpes" or "Haute-Loire".
    parts = [
        rf"(?<![-\w]){re.escape(lit)}(?![-\w])" if slots[lit].startswith("dept:")
        else re.escape(lit)
        for lit in literals
    ]
    pattern = re.compile("|".join(parts))
    return pattern.sub(lambda m: _render(m.group(0), values[slots[m.group(0)]]), text)


def _draw_slot_values(slots: dict[str, str], rng: random.Random) -> dict[str, object]:
    values: dict[str, object] = {}
    used: set[str] = set()
    for slot in sorted(set(slots.values())):
        kind = slot.split(":")[0]
        while True:
            if kind in ("cpts", "cpts_de"):
                name, article = rng.choice(vocab.TERRITORIES)
                name += rng.choice(vocab.QUALIFIERS)
                value: object = (name, article)
                key = name
            elif kind == "person":
                value = (rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.SURNAMES))
                key = " ".join(value)
            elif kind == "town":
                value = key = rng.choice(vocab.TOWNS)
            else:  # dept:<article>:n
                value = key = rng.choice(vocab.DEPARTMENTS[slot.split(":")[1]])
            if key not in used:
                break
        used.add(key)
        values[slot] = (kind, value)
    return values


def _render(original: str, drawn: object) -> str:
    kind, value = drawn
    if kind == "cpts":
        return value[0]
    if kind == "cpts_de":
        name, article = value
        return f"{article}{name}" if article.endswith("’") else f"{article} {name}"
    if kind == "person":
        first, last = value
        surname_upper = original.split()[-1].isupper()
        return f"{first} {last.upper() if surname_upper else last}"
    return value


def shift_dates(text: str, rng: random.Random) -> str:
    found = [d for m in DAY_MONTH_YEAR.finditer(text) if (d := _parse(m, text)) is not None]
    if not found:
        return text
    low = -((min(found) - FIRST_DAY).days // 7)
    high = (LAST_DAY - max(found)).days // 7
    weeks = rng.randint(low, high) if low <= high else 0
    delta = dt.timedelta(weeks=weeks)
    return DAY_MONTH_YEAR.sub(lambda m: _shifted(m, text, delta), text)


def _parse(m: re.Match, text: str) -> dt.date | None:
    try:
        if m.group(4):
            return dt.date(int(m.group(5)), MONTHS.index(m.group(4)) + 1, 15)
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        year = int(m.group(3)) if m.group(3) else _reference_year(text)
        return dt.date(year, MONTHS.index(m.group(2)) + 1, day)
    except ValueError:
        return None


def _reference_year(text: str) -> int:
    # A date written without its year belongs to the release's year: its first full date.
    m = re.search(rf"(?:{MONTH_ALT})\s+(20\d\d)", text)
    return int(m.group(1)) if m else 2023


def _shifted(m: re.Match, text: str, delta: dt.timedelta) -> str:
    old = _parse(m, text)
    if old is None:
        return m.group(0)
    new = old + delta
    if m.group(4):
        return f"{MONTHS[new.month - 1]} {new.year}"
    day = "1er" if new.day == 1 else str(new.day)
    year = f" {new.year}" if m.group(3) else ""
    return f"{day} {MONTHS[new.month - 1]}{year}"


def _rescale_count(m: re.Match, text: str, rng: random.Random) -> str:
    if text[max(0, m.start() - 2) : m.start()] in THRESHOLD_BEFORE:
        return m.group(0)
    value = _to_int(m.group(1))
    new = max(3, round(value * rng.uniform(0.5, 1.8)))
    if m.group(3) == "habitants" and new >= 1000:
        new = round(new, -2)
    return f"{_format_like(new, m.group(1))}{m.group(2)}{m.group(3)}"


def _rescale_euros(m: re.Match, rng: random.Random) -> str:
    value = _to_int(m.group(1))
    new = max(2500, round(value * rng.uniform(0.7, 1.3) / 2500) * 2500)
    return f"{_format_like(new, m.group(1))}{m.group(2)}{m.group(3)}"


def _to_int(number: str) -> int:
    return int(re.sub(r"\D", "", number))


def _format_like(value: int, original: str) -> str:
    sep = next((c for c in original if not c.isdigit()), " ")
    return f"{value:,}".replace(",", sep)


# Only paragraphs this long move: headings, bullets and contact lines stay where they are.
MOVABLE_MIN_CHARS = 150


def shuffle_paragraphs(text: str, rng: random.Random, head: int = 3) -> str:
    """Swap a few body paragraphs; the title and dateline stay in place."""
    pieces = re.split(r"(\n[ \t]*\n)", text)
    paragraphs = pieces[0::2]
    filled = [i for i, p in enumerate(paragraphs) if p.strip()]
    body = [i for i in filled[head:] if len(paragraphs[i]) >= MOVABLE_MIN_CHARS]
    for _ in range(min(3, len(body) // 2)):
        a, b = rng.sample(body, 2)
        paragraphs[a], paragraphs[b] = paragraphs[b], paragraphs[a]
    pieces[0::2] = paragraphs
    return "".join(pieces)
