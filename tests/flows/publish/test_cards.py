"""Report cards: one line per fact kind, the value the cpts row kept first, the rest folded."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flows.publish.cards import cpts_card, kind_line


def _anchor(*parts):
    return "-".join(str(p) for p in parts)


def _facts(kind, *values):
    """(row label, fact) in text order; a value "16|16 masseurs-kinés" carries its text."""
    out = []
    for i, item in enumerate(values):
        value, _, text = str(item).partition("|")
        out.append((i, {"kind": kind, "value": value, "qualifier": None, "cpts_key": "k",
                        "text": text or value}))
    return out


def _chosen(html: str) -> list[str]:
    head = re.search(r"<span class='chosen'>(.*?)</span>(?:<details|</div>)", html).group(1)
    return re.findall(r">([^<>]+)</a>", head)


def _folded(html: str) -> list[str]:
    details = re.search(r"<details>.*</details>", html)
    return re.findall(r">([^<>]+)</a>", details.group(0)) if details else []


ROW = {"name": "CPTS Sud Ard’Drôme", "cpts_key": "k", "status": "signed", "population": 47000,
       "communes": None, "professionals": 62, "signed_on": dt.date(2023, 12, 1),
       "departments": ["07"], "president": "Sinot Khim", "size_class": 2}

CASES = [
    pytest.param("cpts_name", ["CPTS Sud Ard’Drôme"] * 7, ["CPTS Sud Ard’Drôme"],
                 ["CPTS Sud Ard’Drôme"] * 6, id="seven-mentions-one-line"),
    pytest.param("professionals", ["16|16 masseurs-kinésithérapeutes", "62", "10|10 infirmiers"],
                 ["62"], ["16", "10"], id="sub-counts-folded-total-first"),
    pytest.param("department", ["26|Drômois", "07|Ardèche", "07|Ardèche"], ["07"], ["07", "26"],
                 id="mentioned-department-folded"),
    pytest.param("signed_on", ["2023-12|décembre 2023", "2024-01-15"], ["2023-12"],
                 ["2024-01-15"], id="month-precision-is-the-chosen-date"),
    pytest.param("president", ["SINOT KHIM|Dr Sinot KHIM"], ["SINOT KHIM"], [],
                 id="name-case-insensitive"),
    pytest.param("mission", ["parcours", "prevention", "parcours"], ["parcours", "prevention"],
                 ["parcours"], id="missions-all-kept-repeats-folded"),
    pytest.param("communes", ["17", "19"], [], ["17", "19"], id="nothing-chosen"),
]


@pytest.mark.parametrize(("kind", "values", "chosen", "folded"), CASES)
def test_kind_line(kind, values, chosen, folded):
    html = kind_line(kind, _facts(kind, *values), ROW, _anchor)
    assert _chosen(html) == chosen
    assert sorted(_folded(html)) == sorted(folded)
    # Every occurrence stays reachable: one link per fact.
    assert html.count("href='#fact-") == len(values)


def test_sub_counts_are_labelled_as_such():
    html = kind_line("professionals", _facts("professionals", "62", "16|16 kinés"), ROW, _anchor)
    assert "not the members total" in html and "“16 kinés”" in html


def test_card_has_one_line_per_kind_in_reading_order():
    facts = dict(_facts("mission", "parcours") + [
        (i + 10, f) for i, (_, f) in enumerate(_facts("population", "47000", "47000"))])
    facts[20] = {"kind": "population", "value": "9", "qualifier": None, "cpts_key": "other",
                 "text": "9"}
    html = cpts_card("d", ROW, facts, _anchor)
    assert re.findall(r"data-kind='(\w+)'", html) == ["population", "mission"]
    assert "href='#fact-20'" not in html  # another CPTS's fact
    assert html.startswith("<div class='cpts-card' id='ev-d-k'>")


def test_card_without_facts():
    assert "no fact attributed" in cpts_card("d", ROW, {}, _anchor)


PLACES = [
    {"cpts_key": "k", "insee_code": "07019", "level": "commune", "name": "Aubenas",
     "status": "resolved", "candidates": [], "text": "Aubenas"},
    {"cpts_key": "k", "insee_code": None, "level": "commune", "name": "Valence",
     "status": "ambiguous", "candidates": ["16392", "26362", "82186"], "text": "Valence"},
    {"cpts_key": "k", "insee_code": None, "level": None, "name": None, "status": "unknown",
     "candidates": [], "text": "Pays d'Ardèche"},
]


def test_card_lists_the_places_with_their_codes():
    row = {**ROW, "departments_inferred": ["07"], "population_reference": 48123,
           "communes_reference": 17}
    html = cpts_card("d", row, dict(_facts("population", "47000")), _anchor, PLACES)
    assert re.findall(r"data-kind='(\w+)'", html) == ["population", "place"]
    line = html[html.index("data-kind='place'"):]
    assert "Aubenas <code>07019</code>" in line
    assert "ambiguous: 16392 | 26362 | 82186" in line
    assert "Pays d&#x27;Ardèche" in line and "not in the INSEE reference" in line
    assert "departments 07" in line and "48\u202f123 over 17 communes listed" in line


def test_card_without_places_has_no_places_line():
    html = cpts_card("d", ROW, dict(_facts("population", "47000")), _anchor, [])
    assert "data-kind='place'" not in html
