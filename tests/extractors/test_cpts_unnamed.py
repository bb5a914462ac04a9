"""A release about one CPTS that never names it: one record, named from its title or territory.

Every sentence here is invented for the test (patterns of ERROR-PATTERNS.md, category A).
"""

from __future__ import annotations

import pytest

import extractors
from extractors.assemble.assemble import assemble
from extractors.kinds import cpts_name
from extractors.text.document import build_document


def records(text: str, title: str | None = None):
    doc = build_document("t", text, title=title)
    return assemble(doc, extractors.extract_all(doc)).cpts


def named(text: str, title: str | None = None) -> list[tuple[str, str]]:
    doc = build_document("t", text, title=title)
    seen = {}
    for f in cpts_name.extract(doc):
        assert doc.text[f.start : f.end] == f.text
        seen.setdefault(str(f.value), f.attrs["name_source"])
    return list(seen.items())


CASES = [
    pytest.param(
        "Signé mardi à Ussel, le contrat donne enfin des moyens à la CPTS, qui fédère 74 soignants "
        "sur les 22 communes de la Haute-Corrèze.",
        None,
        [("CPTS de la Haute-Corrèze", "territory")],
        id="communes-of-an-area",
    ),
    pytest.param(
        "Une CPTS est née cette année dans le Ribéracois. Elle couvre 31 communes et 19 400 "
        "habitants.",
        None,
        [("CPTS du Ribéracois", "territory")],
        id="une-cpts-nee-dans",
    ),
    pytest.param(
        "Les soignants du Pays de Lure se sont organisés. La CPTS compte déjà 90 adhérents.",
        None,
        [("CPTS du Pays de Lure", "territory")],
        id="soignants-du-pays",
    ),
    pytest.param(
        "Les professionnels de santé du sud de la Bresse ont fondé une CPTS en mars 2024.",
        None,
        [("CPTS du sud de la Bresse", "territory")],
        id="oriented-part-of-an-area",
    ),
    pytest.param(
        "Réunis à Lesneven, une quinzaine de soignants de Plouider ont lancé l'idée. Les "
        "professionnels veulent créer une CPTS sur le territoire des Abers.",
        None,
        [("CPTS des Abers", "territory")],
        id="closest-place-to-the-cpts",
    ),
    pytest.param(
        "Située au nord du département de l'Aube, la CPTS rassemble 120 professionnels.",
        None,
        [("CPTS du nord de l'Aube", "territory")],
        id="part-of-a-department",
    ),
    pytest.param(
        "La communauté a signé son contrat avec l'Assurance maladie. Cette CPTS couvre "
        "18 communes.",
        "CPTS Val de Sèvre : les soignants s'organisent",
        [("CPTS Val de Sèvre", "title")],
        id="page-title-names-it",
    ),
    pytest.param(
        "Les soignants de la Vallée de la Bruche s'organisent\n\nLa CPTS a été créée en mai. "
        "Elle réunit 45 professionnels.",
        None,
        [("CPTS de la Vallée de la Bruche", "title")],
        id="title-line-gives-the-territory",
    ),
    pytest.param(
        "Baptisée Entre Vienne et Gartempe et déjà forte de 64 adhérents, elle a vu le jour "
        "jeudi. Les communautés professionnelles territoriales de santé sont soutenues par l'ARS.",
        None,
        [("CPTS Entre Vienne et Gartempe", "text")],
        id="name-given-by-a-naming-verb",
    ),
]

# Territories written as a common noun of place, then its proper name; ordinals as adjectives.
CASES += [
    pytest.param(
        "La huitième communauté professionnelle territoriale de santé du département vient "
        "d'être lancée autour du lac de Vassivière.",
        None,
        [("CPTS du lac de Vassivière", "territory")],
        id="ordinal-and-a-lake",
    ),
    pytest.param(
        "Les professionnels de santé de la presqu'île de Crozon ont créé une CPTS. Elle couvre "
        "10 communes.",
        None,
        [("CPTS de la presqu'île de Crozon", "territory")],
        id="peninsula-written-in-lower-case",
    ),
    pytest.param(
        "Ce 3 avril 2024, la communauté de santé du Lodévois se constitue officiellement en CPTS.",
        None,
        [("CPTS du Lodévois", "territory")],
        id="community-of-health-becoming-a-cpts",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "La CPTS est un dispositif créé par la loi de 2016 pour organiser les soins d'un "
        "territoire.",
        id="definition-of-a-cpts",
    ),
    pytest.param(
        "Les CPTS du Finistère se réunissent. Les professionnels de santé du Pays de Morlaix "
        "étaient présents.",
        id="plural-cpts-only",
    ),
    pytest.param(
        "La communauté de communes du Pays de Lure finance la maison de santé.",
        id="communaute-de-communes",
    ),
    pytest.param(
        "La CPTS organise une soirée de formation le 12 mars.",
        id="no-territory-no-title",
    ),
    pytest.param(
        "Qu'est-ce qu'une CPTS ? Une CPTS aide les soignants d'un territoire à mieux travailler "
        "ensemble.",
        id="question-heading-generic",
    ),
    pytest.param(
        "Baptisée Rose des Vents, la nouvelle salle de réunion de la mairie a été inaugurée.",
        id="naming-verb-in-a-text-without-cpts",
    ),
]

BUGS_CAUGHT = [
    # The facts of a release about one unnamed CPTS used to be lost with no owner.
    pytest.param(
        "Une CPTS est née cette année dans le Ribéracois. Elle couvre 31 communes et 19 400 "
        "habitants.",
        {"name": "CPTS du Ribéracois", "communes": 31, "population": 19400},
        id="facts-owned-by-built-name",
    ),
    pytest.param(
        "Les professionnels de santé du nord du Lot ont co-construit une communauté "
        "professionnelle territoriale de santé (CPTS). Elle regroupe 12 communes.",
        {"name": "CPTS du nord du Lot", "communes": 12},
        id="full-form-indefinite-with-territory",
    ),
]


@pytest.mark.parametrize(("text", "title", "expected"), CASES)
def test_unnamed_cpts_is_named(text: str, title: str | None, expected: list) -> None:
    assert named(text, title) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_built_name(text: str) -> None:
    assert [n for n in named(text) if n[1] != "text"] == []


@pytest.mark.parametrize(("text", "expected"), BUGS_CAUGHT)
def test_built_name_owns_the_facts(text: str, expected: dict) -> None:
    (record,) = records(text)
    assert record.name_source == "territory"
    assert {k: getattr(record, k) for k in expected} == expected


def test_named_cpts_keeps_text_source() -> None:
    (record,) = records("La CPTS du Pays Mellois couvre 24 communes.")
    assert (record.name, record.name_source) == ("CPTS du Pays Mellois", "text")


# A CPTS whose name is written in lower case: read as written, up to a verb or punctuation.
LOWERCASE_CASES = [
    pytest.param(
        "La CPTS du bout du monde est née début 2023. Elle compte 170 membres et couvre 10 "
        "communes.",
        {"name": "CPTS du bout du monde", "professionals": 170, "communes": 10},
        id="name-up-to-the-verb",
    ),
    pytest.param(
        "La CPTS des trois rivières, qui fédère 80 soignants, a signé son contrat le 3 mai 2024.",
        {"name": "CPTS des trois rivières", "professionals": 80},
        id="name-up-to-the-comma",
    ),
    pytest.param(
        "La CPTS de l’estuaire s’est constituée en 2022 et réunit 45 professionnels de santé.",
        {"name": "CPTS de l'estuaire", "professionals": 45},
        id="elided-article-and-reflexive-verb",
    ),
]

LOWERCASE_NEGATIVE_CASES = [
    pytest.param("La CPTS du territoire compte 80 soignants.", id="common-noun-territoire"),
    pytest.param("La communauté de santé est un concept ancien.", id="community-of-health-alone"),
    pytest.param(
        "La CPTS de demain devra organiser les soins non programmés.", id="common-noun-demain"
    ),
    pytest.param(
        "La CPTS est un dispositif souple. La CPTS des professionnels libéraux est une idée "
        "ancienne.",
        id="generic-sentence",
    ),
]


@pytest.mark.parametrize(("text", "expected"), LOWERCASE_CASES)
def test_lowercase_name_is_read_as_written(text: str, expected: dict) -> None:
    (record,) = records(text)
    assert record.name_source == "text"
    assert {k: getattr(record, k) for k in expected} == expected


@pytest.mark.parametrize("text", LOWERCASE_NEGATIVE_CASES)
def test_common_noun_after_cpts_is_no_name(text: str) -> None:
    assert [r.name for r in records(text)] == []
