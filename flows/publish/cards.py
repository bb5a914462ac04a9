"""The evidence card of one CPTS in the report: one line per fact kind, the chosen value first.

A release names its CPTS seven times and counts its members, then its doctors and its nurses:
listing every occurrence in text order buries the value the cpts table kept. Each line shows
the value the cpts row holds, linked to its first occurrence in the text; repeats and values
that were not retained (sub-counts of one profession, departments merely mentioned) are
folded under it, each still linked to its place in the text.
"""

from __future__ import annotations

import datetime as dt
import functools
from html import escape

from extractors.types import FactKind
from flows.dataset.csv_dialects import is_empty_cell, split_list

# Card order: who, how big, when, where, who leads, money, missions.
CARD_KINDS = (
    FactKind.CPTS_NAME, FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS,
    FactKind.SIZE_CLASS, FactKind.SIGNED_ON, FactKind.DEPARTMENT, FactKind.PRESIDENT,
    FactKind.AMOUNT, FactKind.MISSION,
)
# The cpts column holding the value chosen among a kind's facts. Amounts and missions keep
# every value they state, so all of their values are "chosen".
CHOSEN_FIELD = {
    "cpts_name": "name", "population": "population", "communes": "communes",
    "professionals": "professionals", "size_class": "size_class", "signed_on": "signed_on",
    "department": "departments", "president": "president",
}
COUNT_KINDS = ("population", "communes", "professionals", "amount")
QUALIFIER_SIGNS = {"at_least": "≥ ", "at_most": "≤ ", "approx": "≈ "}
# What a value other than the chosen one is, as a reader would call it.
NOT_RETAINED = {"professionals": "sub-count or other figure, not the members total",
                "department": "mentioned, not a department of this CPTS"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@functools.lru_cache(maxsize=8192)
def escape_repeated(text: str) -> str:
    """`escape(text, quote=True)` of a text that comes back page after page: a kind, a status,
    a CPTS's name, its key, a count, a mention's words (a release names its CPTS seven times).
    Escaped once each: less than half the escape() calls at 10,000 documents. Bounded, as
    the texts of a run are not; a text seen once costs a little more than escape() alone."""
    return escape(text, quote=True)


def chosen_values(kind: str, row: dict) -> list[str] | None:
    """The values of `kind` the cpts `row` holds, as facts.value writes them; None when every
    value of the kind is kept (amounts, missions)."""
    field = CHOSEN_FIELD.get(kind)
    if field is None:
        return None
    value = row.get(field)
    if is_empty_cell(value):
        return []
    if kind == "department":
        return split_list(value)
    if isinstance(value, dt.date):
        return [value.isoformat()]
    if kind in ("population", "communes", "professionals", "size_class"):
        return [str(int(value))]
    return [str(value)]


def _same(kind: str, fact_value: str, chosen: str) -> bool:
    if kind == "signed_on":  # "2023-12" states the month of the chosen "2023-12-01"
        return chosen.startswith(fact_value)
    if kind in ("cpts_name", "president"):
        return fact_value.casefold() == chosen.casefold()
    return fact_value == chosen


def shown_value(kind: str, value: object, qualifier: object = None) -> str:
    text = str(value)
    if kind in COUNT_KINDS and text.isdigit():
        text = f"{int(text):,}".replace(",", "\u202f") + (" €" if kind == "amount" else "")
    sign = QUALIFIER_SIGNS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return sign + text


def _link(row_id: object, fact: dict, anchor) -> str:
    return (f"<a href='#{anchor('fact', row_id)}' title='{_mention_html(fact)}'>"
            f"{_shown_html(fact['kind'], fact['value'], fact.get('qualifier'))}</a>")


def _mention_html(fact: dict) -> str:
    """The fact's words as the text has them, escaped."""
    return escape_repeated(str(fact.get("text") or ""))


# typed: 1, 1.0 and True are equal keys but not the same text.
@functools.lru_cache(maxsize=8192, typed=True)
def _shown_html(kind: str, value: object, qualifier: object) -> str:
    # A kind's values repeat (department codes, missions, the CPTS's name in each mention).
    return _e(shown_value(kind, value, qualifier))


def kind_line(kind: str, occurrences: list[tuple[object, dict]], row: dict, anchor) -> str:
    """One line of a card: `occurrences` are (facts row label, fact) of one kind, text order."""
    by_value: dict[str, list[tuple[object, dict]]] = {}
    for row_id, fact in occurrences:
        by_value.setdefault(str(fact["value"]), []).append((row_id, fact))
    chosen = chosen_values(kind, row)
    if chosen is None:
        retained = list(by_value)
    else:
        retained = [v for c in chosen for v in by_value if _same(kind, v, c)]
        retained = list(dict.fromkeys(retained))
    heads = []
    for value in retained:
        (first_id, first), *repeats = by_value[value]
        heads.append(_link(first_id, first, anchor)
                     + (f" <span class='muted'>×{len(repeats) + 1}</span>" if repeats else ""))
    if not heads:
        heads.append("<span class='muted'>not retained</span>" if not chosen
                     else f"{_e(', '.join(chosen))} <span class='muted'>(no evidence)</span>")
    folded = []
    for value in retained:
        for n, (row_id, fact) in enumerate(by_value[value][1:], start=2):
            folded.append(f"<li>{_link(row_id, fact, anchor)} <span class='muted'>mention {n}"
                          f": “{_mention_html(fact)}”</span></li>")
    others = [v for v in by_value if v not in retained]
    not_retained = _e(NOT_RETAINED.get(kind, "not retained"))
    for value in others:
        for row_id, fact in by_value[value]:
            folded.append(f"<li class='other'>{_link(row_id, fact, anchor)} <span class='muted'>"
                          f"“{_mention_html(fact)}” · {not_retained}</span></li>")
    n_other = sum(len(by_value[v]) for v in others)
    details = ""
    if folded:
        parts = [f"{len(folded) - n_other} more mention(s)" if len(folded) > n_other else "",
                 f"{n_other} other value(s)" if n_other else ""]
        details = (f"<details><summary>{_e(' · '.join(p for p in parts if p))}</summary>"
                   f"<ul>{''.join(folded)}</ul></details>")
    kind_html = escape_repeated(kind)
    return (f"<div class='fact-line' data-kind='{kind_html}'><span class='kind k-{kind_html}'>"
            f"{kind_html}</span> <span class='chosen'>{', '.join(heads)}</span>{details}</div>")


def _place(place: dict) -> str:
    written = f" title='as written: “{_e(place.get('text') or '')}”'"
    if place.get("status") == "resolved":
        return (f"<span class='place'{written}>{_e(place['name'])} "
                f"<code>{_e(place['insee_code'])}</code></span>")
    if place.get("status") == "ambiguous":
        codes = " | ".join(split_list(place.get("candidates")))
        return (f"<span class='place ambiguous'{written}>{_e(place.get('text'))} "
                f"<span class='muted'>ambiguous: {_e(codes)}</span></span>")
    return (f"<span class='place unknown'{written}>{_e(place.get('text'))} "
            f"<span class='muted'>not in the INSEE reference</span></span>")


def places_line(row: dict, places: list[dict]) -> str:
    """The CPTS's places with their INSEE codes, and what they imply, beside what the text
    states."""
    implied = []
    inferred = split_list(row.get("departments_inferred"))
    if inferred:
        implied.append(f"departments {', '.join(inferred)}")
    if not is_empty_cell(row.get("population_reference")):
        implied.append(f"legal population {shown_value('population', row['population_reference'])}"
                       f" over {int(row['communes_reference'])} communes listed")
    note = f" <span class='muted'>({_e('; '.join(implied))})</span>" if implied else ""
    return (f"<div class='fact-line' data-kind='place'><span class='kind k-place'>places</span>"
            f" <span class='chosen'>{', '.join(_place(p) for p in places)}</span>{note}</div>")


def cpts_card(doc_id: str, row: dict, facts: dict, anchor,
              places: list[dict] | None = None) -> str:
    """The card of the cpts `row`; `facts`: facts row label → fact of its document; `anchor`
    builds element ids as the report does; `places`: the rows of places for this CPTS."""
    # The CPTS's facts by kind in one pass, not one pass per kind. A FactKind hashes as its
    # value does, so the lookup below finds exactly the facts `==` would.
    by_kind: dict[object, list[tuple[object, dict]]] = {}
    for i, f in facts.items():
        if f["cpts_key"] == row["cpts_key"]:
            by_kind.setdefault(f["kind"], []).append((i, f))
    lines = []
    for kind in CARD_KINDS:
        occurrences = by_kind.get(kind)
        if occurrences:
            lines.append(kind_line(kind.value, occurrences, row, anchor))
        if kind == FactKind.DEPARTMENT and places:
            lines.append(places_line(row, places))
    body = "".join(lines) or "<span class='muted'>no fact attributed</span>"
    return (f"<div class='cpts-card' id='{anchor('ev', doc_id, row['cpts_key'])}'>"
            f"<strong>{escape_repeated(str(row['name']))}</strong> "
            f"<code>{escape_repeated(str(row['cpts_key']))}</code> "
            f"<span class='status'>{escape_repeated(str(row['status']))}</span>{body}</div>")
