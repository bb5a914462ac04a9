"""The hand-maintained department table agrees with ISO 3166-2:FR as shipped by pycountry.

The CSV stays (it adds the article and whether the bare name is ambiguous, which no library
knows), but its codes and names are checked against the library so a typo cannot hide.
"""

from __future__ import annotations

import pycountry
import pytest

from extractors.lexicon import load_table

# pycountry's spelling → the one French releases use.
ALIASES = {"Guyane (française)": "Guyane"}


def iso_departments() -> dict[str, str]:
    found = {}
    for sub in pycountry.subdivisions.get(country_code="FR"):
        code = sub.code.split("-")[1]
        if code == "75C":  # Paris, a "collectivity with special status" since 2019
            code = "75"
        if (code[:2].isdigit() and code[-1].isdigit()) or code in ("2A", "2B"):
            found[code] = ALIASES.get(sub.name, sub.name)
    return found


def lexicon() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for row in load_table("departments.csv"):
        names.setdefault(row["code"], set()).add(row["name"])
    return names


def test_same_codes_as_iso():
    assert set(lexicon()) == set(iso_departments())


@pytest.mark.parametrize(("code", "name"), sorted(iso_departments().items()))
def test_iso_name_is_in_the_lexicon(code, name):
    assert name in lexicon()[code]
