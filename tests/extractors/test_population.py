"""Population covered by a CPTS, on sentences in the style of ARS / CPAM releases and the press."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import population
from tests.extractors.spans import checked_facts

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _facts(text: str):
    return checked_facts(population.extract, text)


def _main(text: str) -> list[tuple]:
    """(value, qualifier, text) of the facts that are a CPTS's own population."""
    return [(f.value, f.qualifier, f.text) for f in _facts(text) if "scope" not in f.attrs]


CASES = [
    pytest.param(
        "La CPTS Croix-Rousse Presqu'île couvre une population de 97 000 habitants, répartis sur "
        "3 arrondissements.",
        [(97000, "exact", "97 000 habitants")],
        id="couvre-une-population",
    ),
    pytest.param(
        "Au service de près de 47 000 habitants répartis sur 35 communes, elle entend agir.",
        [(47000, "approx", "près de 47 000 habitants")],
        id="au-service-de-pres-de",
    ),
    pytest.param(
        "La CPTS couvre 17 communes du sud de l’Ardèche et concerne plus de 45 500 habitants.",
        [(45500, "at_least", "plus de 45 500 habitants")],
        id="plus-de-lower-bound",
    ),
    pytest.param(
        "  • CPTS du Brivadois, territoire couvrant près de 24 000 habitants",
        [(24000, "approx", "près de 24 000 habitants")],
        id="bullet-territoire-couvrant",
    ),
    pytest.param(
        "regroupant 49 communes pour une population globale d'environ 90.000 habitants.",
        [(90000, "approx", "environ 90.000 habitants")],
        id="dot-thousands-environ",
    ),
    pytest.param(
        "La CPTS du Grand Briançonnais rayonne sur un bassin de vie de 62.000 habitants.",
        [(62000, "exact", "62.000 habitants")],
        id="bassin-de-vie",
    ),
    pytest.param(
        "Le territoire de la CPTS s'étend du Vercors à la vallée, soit 120 000 personnes.",
        [(120000, "exact", "120 000 personnes")],
        id="soit-personnes",
    ),
    pytest.param(
        "Forte de ses 38\u202f500 habitants, la CPTS Sud Gironde entend attirer des médecins.",
        [(38500, "exact", "38\u202f500 habitants")],
        id="narrow-nbsp-ses",
    ),
    pytest.param(
        "Son territoire, qui compte quelque 52 000 hab., est marqué par la ruralité.",
        [(52000, "approx", "quelque 52 000 hab.")],
        id="hab-abbreviation",
    ),
    pytest.param(
        "La future CPTS des Monts du Lyonnais couvrira environ trente mille habitants.",
        [(30000, "approx", "environ trente mille habitants")],
        id="words-thousands",
    ),
    pytest.param(
        "La CPTS, qui dessert une population de 28 000, compte 40 adhérents.",
        [(28000, "exact", "28 000")],
        id="population-de-without-noun",
    ),
    pytest.param(
        "La CPTS Val de Saône couvre 75\u00a0000 habitants(1) sur deux départements.",
        [(75000, "exact", "75\u00a0000 habitants")],
        id="footnote-after-noun",
    ),
    pytest.param(
        "Cette CPTS, la plus grande du Var, rassemble plus de 180 000 habitants de la métropole.",
        [(180000, "at_least", "plus de 180 000 habitants")],
        id="plus-de-not-in-grid",
    ),
    pytest.param(
        "Depuis janvier, la population couverte par la CPTS est passée de 41.000 à 96.000 "
        "habitants.",
        [(96000, "exact", "96.000 habitants")],
        id="change-keeps-today-figure",
    ),
    pytest.param(
        "Selon la CPTS du Val d'Allier – qui couvre plus de 45 000 habitants – ce sont plus de "
        "500 personnes qui ont été orientées.",
        [(45000, "at_least", "plus de 45 000 habitants")],
        id="two-bounds-one-population",
    ),
]

# Nothing at all must come out (no fact of any scope).
NEGATIVE_CASES = [
    pytest.param(
        "pouvant aller de 287 500 € (< à 40 000 habitants) à 580 000 € (> à 175 000 habitants) "
        "par an",
        id="grid-threshold-signs",
    ),
    pytest.param(
        "Le financement dépend de la taille : moins de 40 000 habitants, de 40 000 à 80 000 "
        "habitants, plus de 80 000 habitants.",
        id="size-grid-bounds",
    ),
    pytest.param(
        "382 500 euros au maximum par an pour un bassin comptant de 40 000 à 80 000 habitants "
        "comme celui de la CPTS Sud Ard’Drôm",
        id="range-de-a",
    ),
    pytest.param("La CPTS est de taille 2 (entre 40 et 80 000 habitants).", id="range-entre-et"),
    pytest.param(
        "CPTS de l’Ondaine, territoire couvrant des communes de la Loire et de la Haute-Loire, "
        "dont 21 000 habitants de Haute-Loire,",
        id="partial-dont",
    ),
    pytest.param(
        "À terme, la CPTS couvrira plus de 300 000 habitants de la métropole.",
        id="projection",
    ),
    pytest.param(
        "Sur le territoire, 12 000 habitants sont sans médecin traitant.",
        id="without-doctor",
    ),
    pytest.param("On compte 12 000 patients sans médecin traitant.", id="patients"),
    pytest.param("96 % des Drômois sont ou seront couverts prochainement.", id="percent"),
    pytest.param("Le département compte 520 000 habitants.", id="department-total"),
    pytest.param("Le pays compte 68 millions d'habitants.", id="country-lowercase-pays"),
    pytest.param(
        "Le Pays, dans le département, compte 48 000 habitants.", id="pays-and-departement"
    ),
    pytest.param("Valence, ville de 64 000 habitants, accueille la soirée.", id="town-total"),
    pytest.param(
        "Une CPTS de plus de 175 000 habitants peut percevoir jusqu'à 580 000 €.",
        id="generic-cpts-threshold",
    ),
    pytest.param("Près de 200 personnes ont assisté à la soirée.", id="personnes-no-cue"),
    pytest.param("Les 12 000 habitants de plus de 75 ans seront suivis.", id="age-group"),
    pytest.param(
        "Le territoire est composé des communes de Montbrison (16.000 habitants), Savigneux et "
        "Champdieu.",
        id="town-population-in-brackets",
    ),
    pytest.param(
        "Dans la commune, 8,2 % de la population (soit 3 120 habitants) vit dans un quartier "
        "prioritaire.",
        id="share-soit",
    ),
    pytest.param(
        "Le territoire compte moins de 40 médecins généralistes pour 100 000 habitants.",
        id="rate-per-round-base",
    ),
]

# Emitted only as evidence with attrs scope "generic" (assemble gives them to no CPTS).
GENERIC_CASES = [
    pytest.param("Ces 4 communautés desservent ensemble 310 000 habitants.", 310000,
                 id="ces-4-communautes-in-digits"),
    pytest.param("Ces CPTS couvrent à elles toutes 900 000 habitants.", 900000,
                 id="ces-cpts-without-a-number"),
    pytest.param("Ces deux CPTS couvrent ensemble 150 000 habitants.", 150000, id="ces-deux-cpts"),
    pytest.param(
        "Les 23 CPTS du Rhône couvrent désormais 1 500 000 habitants.",
        1500000,
        id="les-23-cpts",
    ),
]

XFAIL_CASES = [
    pytest.param(
        "Ces deux CPTS couvrent respectivement 40 000 et 55 000 habitants.",
        [(40000, "exact")],
        id="respectivement",
        marks=pytest.mark.xfail(reason="'respectivement' lists are not split", strict=False),
    ),
]

BUGS_CAUGHT = [
    pytest.param(
        "La CPTS de l’Est Lyonnais couvre 17 communes et 45 000 habitants.",
        [(45000, "exact", "45 000 habitants")],
        id="not-a-range-after-et",
    ),
    pytest.param(
        "La CPTS couvre un territoire de 1,2 million d'habitants.",
        [(1200000, "exact", "1,2 million d'habitants")],
        id="decimal-million",
    ),
]


# A figure of a territorial unit is kept with the unit (assemble checks the CPTS's name); the
# country ("le pays", lowercase) and a département are not.
TERRITORY_UNIT_CASES = [
    pytest.param("Le Pays compte seize communes, 48 000 habitants, dont 9 000 à Landerneau.",
                 48000, "Pays", id="pays-with-a-detail"),
    pytest.param("La Métropole compte 420 000 habitants.", 420000, "Métropole", id="metropole"),
]


@pytest.mark.parametrize(("text", "value", "unit"), TERRITORY_UNIT_CASES)
def test_territory_unit(text: str, value: int, unit: str) -> None:
    assert [(f.value, f.attrs.get("territory_unit")) for f in _facts(text)] == [(value, unit)]


@pytest.mark.parametrize(("text", "expected"), CASES + BUGS_CAUGHT)
def test_population(text: str, expected: list[tuple]) -> None:
    assert _main(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_population(text: str) -> None:
    assert _facts(text) == []


@pytest.mark.parametrize(("text", "value"), GENERIC_CASES)
def test_total_of_several_cpts_is_generic(text: str, value: int) -> None:
    facts = _facts(text)
    assert [(f.value, f.attrs.get("scope")) for f in facts] == [(value, "generic")]


@pytest.mark.parametrize(("text", "expected"), XFAIL_CASES)
def test_population_xfail(text: str, expected: list[tuple]) -> None:
    assert [(v, q) for v, q, _ in _main(text)] == expected


GOLD_POPULATIONS = {
    "000_c1c9569514ed623f": [47000],
    "001_69d9c9131c617f1b": [45500],
    "002_50d2bab3bf767c5d": [36000, 66500, 24000, 16000],
    "003_af397daad21d5121": [90000],
    "004_de4d97111982b108": [97000, 51800],
}


@pytest.mark.parametrize("stem", sorted(GOLD_POPULATIONS))
def test_seed_corpus(stem: str) -> None:
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text("utf-8"))
    expected = [c["population"] for c in gold["cpts"] if c["population"]]
    assert expected == GOLD_POPULATIONS[stem]
    found = [v for v, _, _ in _main((CORPUS / f"{stem}.txt").read_text("utf-8"))]
    assert found == expected
