"""president: the president of a CPTS, patterns first, spaCy NER only as a hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import president
from tests.extractors.spans import checked_facts

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

CASES = [
    pytest.param(
        "La CPTS Porte de Drôme Ardèche, présidée par le Dr Philippe MONDON, réunit près de "
        "50 professionnels.",
        "Philippe Mondon",
        id="presidee-par-dr-caps",
    ),
    pytest.param(
        "avec le Dr Sinot KHIM, médecin et présidente de la CPTS, en présence du bureau",
        "Sinot Khim",
        id="apposition-et",
    ),
    pytest.param(
        "**Dr Julien KAMGA**, médecin généraliste, président de la CPTS, ont signé",
        "Julien Kamga",
        id="markdown-two-appositions",
    ),
    pytest.param(
        "Marie Dupont, infirmière libérale et présidente de la CPTS du Grand Annecy, a "
        "présenté le projet.",
        "Marie Dupont",
        id="nurse",
    ),
    pytest.param(
        "Le président de la CPTS, Jean-Luc Martin, a rappelé les enjeux.",
        "Jean-Luc Martin",
        id="title-then-name",
    ),
    pytest.param(
        "La présidente de la CPTS du Pays de Morlaix, Mme Anne-Sophie LE GALL, salue "
        "l'engagement des pharmaciens.",
        "Anne-Sophie Le Gall",
        id="breton-surname",
    ),
    pytest.param(
        "La CPTS Sud Isère, présidée par Mme Anne DE LA TOUR, regroupe 120 professionnels.",
        "Anne de La Tour",
        id="particle",
    ),
    pytest.param(
        "La CPTS du Tonnerrois, présidée par Karim BENALI, kinésithérapeute, couvre 30 communes.",
        "Karim Benali",
        id="presidee-no-title",
    ),
    pytest.param(
        "Thomas Nguyen, pharmacien, président de la communauté professionnelle territoriale "
        "de santé du Chinonais",
        "Thomas Nguyen",
        id="long-org-name",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Haute Savoie, président de la CPTS du Chablais, s'est félicité de l'accord.",
        id="place-before-title-ner-says-no-person",
    ),
    pytest.param(
        "Le président de la CPTS Sud Gironde, Pôle Santé, a rappelé les enjeux.",
        id="structure-after-title-ner-says-no-person",
    ),
    pytest.param(
        "Benoît ELLEBOODE, Directeur Général de l'ARS Nouvelle-Aquitaine, a salué la CPTS.",
        id="director",
    ),
    pytest.param(
        "Jean Dupont, président du conseil départemental, a salué la CPTS.", id="departement"
    ),
    pytest.param(
        "La présidente de la Région, Marie Martin, salue la création de la CPTS.", id="region"
    ),
    pytest.param(
        "Paul Durand, président de l'URPS médecins, était aux côtés de la CPTS.", id="urps"
    ),
    pytest.param(
        "Annoncé dans le cadre du projet présidentiel « Ma Santé 2022 », le déploiement des CPTS",
        id="presidential",
    ),
    pytest.param(
        "Faciliter l’accès à un médecin traitant ; Coordonner les parcours.", id="ner-trap"
    ),
    pytest.param(
        "Sabine LAFFAY, directrice départementale de l’Ardèche de l’ARS, a signé avec la CPTS.",
        id="directrice",
    ),
    pytest.param("Le président de la République a annoncé le déploiement des CPTS.", id="republic"),
]

XFAIL_CASES = [
    pytest.param(
        "Le bureau de la CPTS, présidé depuis 2021 par le Dr Hélène Roux, compte 8 membres.",
        "Hélène Roux",
        id="date-inside",
        marks=pytest.mark.xfail(
            reason="only 'présidée par' directly followed by the name", strict=False
        ),
    ),
    pytest.param(
        "Le Dr MARTIN, président de la CPTS",
        "Martin",
        id="surname-only",
        marks=pytest.mark.xfail(
            reason="a surname without first name is not a 'Firstname Lastname' value", strict=False
        ),
    ),
]

BUGS_CAUGHT = [
    pytest.param(
        "**Maryline LAMBERT**, directrice de la CPAM de la Vienne et **Dr Julien KAMGA**, "
        "médecin généraliste, président de la CPTS",
        "Julien Kamga",
        id="dr-read-as-first-name",
    ),
]


def _facts(text: str):
    return checked_facts(president.extract, text)


@pytest.mark.parametrize(("text", "name"), CASES)
def test_president(text: str, name: str) -> None:
    assert [f.value for f in _facts(text)] == [name]


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_president(text: str) -> None:
    assert _facts(text) == []


@pytest.mark.parametrize(("text", "name"), XFAIL_CASES + BUGS_CAUGHT)
def test_known_limits_and_bugs(text: str, name: str) -> None:
    assert [f.value for f in _facts(text)] == [name]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Philippe MONDON", "Philippe Mondon"),
        ("Yann LE GALL", "Yann Le Gall"),
        ("Anne DE LA TOUR", "Anne de La Tour"),
        ("Mehdi D’ALMEIDA", "Mehdi d’Almeida"),
    ],
)
def test_title_case(raw: str, expected: str) -> None:
    assert president.title_case(raw) == expected


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_corpus_matches_gold(path: Path) -> None:
    gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text("utf-8"))
    expected = {c["president"] for c in gold["cpts"] if c.get("president")}
    assert {f.value for f in _facts(path.read_text("utf-8"))} == expected
