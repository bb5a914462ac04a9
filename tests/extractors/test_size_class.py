"""Size class (1-4) of a CPTS: stated outright, or as the grid bucket of this CPTS's territory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import size_class
from extractors.text.document import build_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _found(text: str) -> list[tuple]:
    doc = build_document("t", text)
    facts = size_class.extract(doc)
    for f in facts:
        assert doc.text[f.start : f.end] == f.text
    return [(f.value, f.text) for f in facts]


CASES = [
    pytest.param(
        "La CPTS Porte Drome Ardèche est de taille 2 (entre 40 et 80 000 habitants).",
        [(2, "taille 2")],
        id="de-taille-2",
    ),
    pytest.param(
        "Le Pays Voironnais, CPTS de taille 3, percevra jusqu’à 450 000 € par an.",
        [(3, "taille 3")],
        id="cpts-de-taille-3",
    ),
    pytest.param(
        "Classée en taille II, la CPTS du Trièves signe son ACI.",
        [(2, "taille II")],
        id="roman-numeral",
    ),
    pytest.param(
        "La CPTS Grand Lyon Nord est une CPTS de taille 4.",
        [(4, "taille 4")],
        id="est-une-cpts-de-taille",
    ),
    pytest.param(
        "(382 500 euros au maximum par an pour un bassin comptant de 40 000 à 80 000 habitants "
        "comme celui de la CPTS Sud Ard’Drôm)",
        [(2, "de 40 000 à 80 000 habitants")],
        id="bucket-comme-celui-de",
    ),
    pytest.param(
        "Un montant de 287 500 € est prévu pour les territoires de moins de 40 000 habitants, ce "
        "qui est le cas de la CPTS du Diois.",
        [(1, "moins de 40 000 habitants")],
        id="bucket-upper-bound",
    ),
    pytest.param(
        "soit 580 000 € pour un bassin de plus de 175 000 habitants comme celui de la CPTS "
        "Toulouse Nord.",
        [(4, "plus de 175 000 habitants")],
        id="bucket-lower-bound",
    ),
    pytest.param(
        "pour un territoire comptant entre 80 et 175 000 habitants, à l’image de la CPTS du "
        "Roannais.",
        [(3, "entre 80 et 175 000 habitants")],
        id="bucket-short-thousands",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Le financement va de 287 500 € pour une CPTS de taille 1 à 580 000 € pour une CPTS de "
        "taille 4.",
        id="generic-grid",
    ),
    pytest.param("Les CPTS de taille 2 perçoivent jusqu’à 382 500 € par an.", id="les-cpts-de"),
    pytest.param("Une CPTS de taille 3 peut percevoir 450 000 €.", id="une-cpts-de-generic"),
    pytest.param(
        "Le montant varie de 287 500 € (< à 40 000 habitants) à 580 000 € (> à 175 000 habitants).",
        id="thresholds-without-cpts",
    ),
    pytest.param(
        "382 500 euros pour un bassin comptant de 40 000 à 80 000 habitants.",
        id="bucket-alone",
    ),
    pytest.param("Des blouses de taille 25 ont été distribuées.", id="not-a-class"),
    pytest.param(
        "pour un bassin de 45 000 à 70 000 habitants comme celui de la CPTS X",
        id="not-a-bucket",
    ),
]

XFAIL_CASES = [
    pytest.param(
        "La CPTS couvre 47 000 habitants, ce qui la classe parmi les CPTS moyennes.",
        [(2, "")],
        id="from-population",
        marks=pytest.mark.xfail(reason="class is not inferred from a population", strict=False),
    ),
]

BUGS_CAUGHT = [
    pytest.param("Les CPTS de taille 2 perçoivent 382 500 €.", [], id="elided-generic-left"),
]


@pytest.mark.parametrize(("text", "expected"), CASES + BUGS_CAUGHT)
def test_size_class(text: str, expected: list[tuple]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_size_class(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(("text", "expected"), XFAIL_CASES)
def test_size_class_xfail(text: str, expected: list[tuple]) -> None:
    assert [v for v, _ in _found(text)] == [v for v, _ in expected]


GOLD_SIZES = {
    "000_c1c9569514ed623f": [2],
    "001_69d9c9131c617f1b": [2],
    "002_50d2bab3bf767c5d": [],
    "003_af397daad21d5121": [],
    "004_de4d97111982b108": [],
}


@pytest.mark.parametrize("stem", sorted(GOLD_SIZES))
def test_seed_corpus(stem: str) -> None:
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text("utf-8"))
    expected = [c["size_class"] for c in gold["cpts"] if c.get("size_class")]
    assert expected == GOLD_SIZES[stem]
    found = [v for v, _ in _found((CORPUS / f"{stem}.txt").read_text("utf-8"))]
    assert found == expected
