"""Held-out development sets: releases the extractors were not written against.

Each set (tests/corpus/<set>/releases/, gold-annotated per GOLD_FORMAT.md in <set>/gold/, the
traps of each file explained in its "notes") runs through the pure pipeline (no Prefect):
discover → extract_files (validated) → evaluate. The per-family table is
printed (`pytest -s` to see it) and floors are asserted: the overall F1 measured when the set
was last improved minus OVERALL_MARGIN, and per family about 0.10 under what was measured (a
family holds 11–75 facts, so one fact moves it by several points; the overall floor is the tight
one). Improvements pass; regressions fail. When the extractors improve, raise the floors (never
lower them to make a failing change pass: look at what broke).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.heldout_eval import assert_floors, check_set_files, evaluate_set

HERE = Path(__file__).resolve().parent
OVERALL_MARGIN = 0.03
FAMILIES = (
    "published_on", "cpts", "population", "communes", "professionals", "signed_on",
    "departments", "amount", "mission",
)


@dataclass(frozen=True)
class HeldOutSet:
    folder: str
    title: str
    releases: int
    sizes: tuple[int, int]  # bounds of a release's length in characters
    measured_overall_f1: float
    family_floors: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FAMILIES, 0.90))


SETS = (
    # 12 realistic releases from regions and sources the seeds do not cover (ARS, CPAM, local
    # press, one HTML page with web boilerplate; Bretagne, Occitanie, Grand Est, Hauts-de-France,
    # Normandie, PACA, Île-de-France, Centre-Val de Loire, Corse, La Réunion, Pays de la Loire,
    # Bourgogne-Franche-Comté).
    # First run, 2026-11-24 at commit a424cd1: published_on 0.857  cpts 0.885  population 0.941
    # communes 1.000  professionals 0.903  signed_on 0.688  departments 0.941  amount 0.637
    # mission 0.781  overall (micro) F1 0.814.
    HeldOutSet("heldout", "Held-out set (tests/corpus/heldout)", 12, (1_500, 5_000), 1.000),
    # Blind: 15 releases written without reading the extractors or tests/corpus/heldout/ — ARS
    # and CPAM/CGSS releases, local dailies (Sud Ouest, L'Est Républicain, Le Progrès,
    # Nice-Matin, La Voix du Nord, a five-line Télégramme brief), a department-council news item,
    # a mayor's editorial in a municipal magazine, a CPTS's own web page (HTML with menus, name
    # only in title/logo/footer) and a ~6 000-character release, 2019-2025, from 14 regions.
    # The notes explain the judgement calls (avenant vs ACI date, association creation, project
    # validation, dates without a year, numbers in words / with NBSP, narrow NBSP or dots,
    # several CPTS per text).
    # First (blind) run, 2026-11-24 at commit 0923cc9: published_on 0.846  cpts 0.958
    # population 1.000  communes 1.000  professionals 0.970  signed_on 0.640  departments 0.957
    # amount 0.698  mission 0.729  overall 0.837 (amount kind accuracy 0.909); 0.996 after
    # rounds 2-3.
    HeldOutSet(
        "heldout_blind", "Blind held-out set (tests/corpus/heldout_blind)", 15, (300, 7_000),
        0.996,
        dict.fromkeys(FAMILIES, 0.90) | {
            "departments": 0.85,
            "amount": 0.90,  # measured 1.000 after the attribution/amount-kind work
            "mission": 0.89,  # measured 0.993 after the mission-intent/attribution work
        },
    ),
    # Second blind set: 12 releases written without reading the extractors, their tests or the
    # two sets above — ARS Bretagne and ARS Guyane releases, a CPAM "actualités" web page (HTML
    # with cookie banner, menus and footer), a MSA release, a URPS release about two CPTS with
    # near-identical names, a department-council item funding a coordinator's salary, a CPTS
    # newsletter, a Q&A interview, a local daily's feature with quotes, a five-line brief, a
    # weekly's article about a MSP opening that mentions a CPTS in passing, and a CPAM/ARS
    # annual review of five CPTS of one department, 2023-2025. The notes explain relative dates
    # ("le mois dernier" -> null, "le 14 décembre dernier" in a January review), year-only
    # creation dates, "k€" / "M€", numbers in words, with NBSP / narrow NBSP / dots, names with
    # a saint, an apostrophe or a number, money that is not CPTS money.
    # First (blind) run, 2026-11-24 at commit d31c0b5: published_on 0.778  cpts 0.947
    # population 0.897  communes 0.800  professionals 0.727  signed_on 0.706  departments 0.821
    # amount 0.809  mission 0.734  overall 0.803 (amount kind accuracy 0.789); 0.991 after the
    # round-3 fixes, every family 1.000 but amount (0.933).
    HeldOutSet(
        "heldout_blind2", "Blind held-out set 2 (tests/corpus/heldout_blind2)", 12, (300, 7_000),
        0.991,
        dict.fromkeys(FAMILIES, 0.90) | {"amount": 0.83},
    ),
)
IDS = [s.folder for s in SETS]


@pytest.fixture(scope="module", params=SETS, ids=IDS)
def scored(request):
    """(set, report, tables): each set evaluated once for the module."""
    held = request.param
    report, tables = evaluate_set(HERE / held.folder / "releases", HERE / held.folder / "gold")
    return held, report, tables


@pytest.mark.parametrize("held", SETS, ids=IDS)
def test_set_is_complete(held):
    folder = HERE / held.folder
    check_set_files(folder / "releases", folder / "gold", held.releases, held.sizes)


def test_scores_hold_the_floor(scored):
    held, report, tables = scored
    assert_floors(
        held.title, report, tables,
        overall_floor=held.measured_overall_f1 - OVERALL_MARGIN, family_floors=held.family_floors,
    )
