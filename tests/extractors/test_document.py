"""Lines and sentences of a release: which line breaks are layout, which bullets end an item.

Sentences invented for the test (ERROR-PATTERNS.md, category E; issue 13, point 5).
"""

from __future__ import annotations

import pytest

from extractors.text.document import build_document, without_list_marker

WRAPPED_PAGE = "\n".join(
    [
        "La communauté professionnelle territoriale de santé du Comminges a signé son accord",
        "conventionnel interprofessionnel avec l'ARS Occitanie et la CPAM de la Haute-Garonne le",
        "3 mars 2024, après deux années de travail des professionnels de santé du territoire qui",
        "se sont réunis chaque mois autour d'un projet de santé commun à quarante-deux communes",
        "du piémont pyrénéen, de Saint-Gaudens à Montréjeau, pour un bassin de 45 000 habitants.",
        "Le projet de santé prévoit des actions de prévention et de dépistage dans les communes",
        "les plus éloignées des cabinets médicaux, ainsi qu'une organisation commune des soins",
        "non programmés avec les pharmaciens, les infirmiers et les masseurs-kinésithérapeutes.",
    ]
)

CASES = [
    # (raw text, source is a PDF, the lines expected after normalisation)
    pytest.param(
        "Naissance de la CPTS du Val de Sioule et de ses 40 professionnels de santé libéraux\n"
        "Le 14 mai 2024, l'ARS et la CPAM ont signé le contrat.",
        False,
        [
            "Naissance de la CPTS du Val de Sioule et de ses 40 professionnels de santé libéraux",
            "Le 14 mai 2024, l'ARS et la CPAM ont signé le contrat.",
        ],
        id="web-title-never-glued-to-the-body",
    ),
    pytest.param(
        "Création de la première communauté professionnelle territoriale de santé du Comminges\n"
        "Toulouse, le 3 mars 2024\n"
        "L'ARS et la CPAM ont signé le contrat de la CPTS du Comminges ce lundi à Toulouse.",
        True,
        [
            "Création de la première communauté professionnelle territoriale de santé du Comminges",
            "Toulouse, le 3 mars 2024",
            "L'ARS et la CPAM ont signé le contrat de la CPTS du Comminges ce lundi à Toulouse.",
        ],
        id="pdf-dateline-is-a-line-of-its-own",
    ),
    pytest.param(
        "La CPTS Garonne Sud a fêté ses deux ans avec les élus et les soignants du territoire.\n"
        "Crédit photo : CPTS Garonne Sud\n"
        "Autre temps fort, la journée de prévention organisée au mois de mai dans les écoles.",
        True,
        [
            "La CPTS Garonne Sud a fêté ses deux ans avec les élus et les soignants du territoire.",
            "Crédit photo : CPTS Garonne Sud",
            "Autre temps fort, la journée de prévention organisée au mois de mai dans les écoles.",
        ],
        id="pdf-short-line-ended-there",
    ),
]

NEGATIVE_CASES = [
    # PDF layout that must still be joined back into sentences.
    pytest.param(WRAPPED_PAGE, True, id="pdf-wrapped-paragraph"),
    pytest.param(WRAPPED_PAGE, False, id="text-cut-at-a-fixed-width"),
]


@pytest.mark.parametrize(("raw", "paged", "expected"), CASES)
def test_lines_kept(raw: str, paged: bool, expected: list[str]) -> None:
    doc = build_document("t", raw, paged=paged)
    assert [doc.slice(line) for line in doc.lines] == expected


@pytest.mark.parametrize(("raw", "paged"), NEGATIVE_CASES)
def test_wrapped_lines_joined(raw: str, paged: bool) -> None:
    doc = build_document("t", raw, paged=paged)
    # two paragraphs: a line ending a sentence ("45 000 habitants.") ends one
    paragraphs = [" ".join(raw.split("\n")[:5]), " ".join(raw.split("\n")[5:])]
    assert [doc.slice(line) for line in doc.lines] == paragraphs


BUGS_CAUGHT = [
    pytest.param(
        "• CPTS Val d'Aure, créée en mars 2021, 21 000 habitants • CPTS Comminges Sud, créée en "
        "mai 2022, 34 000 habitants",
        [
            "• CPTS Val d'Aure, créée en mars 2021, 21 000 habitants",
            "• CPTS Comminges Sud, créée en mai 2022, 34 000 habitants",
        ],
        id="flattened-bullets-are-one-sentence-each",
    ),
    pytest.param(
        "Publié le 11 juillet 2024 à 08h29\nLa CPTS Morvan Sud signe son contrat.",
        ["Publié le 11 juillet 2024 à 08h29", "La CPTS Morvan Sud signe son contrat."],
        id="published-line-alone",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), BUGS_CAUGHT)
def test_sentences(raw: str, expected: list[str]) -> None:
    doc = build_document("t", raw)
    assert [doc.slice(s) for s in doc.sentences] == expected


def test_long_run_of_spaces_is_linear() -> None:
    # r"[ \t]+\n" rescanned a run of spaces from each of its starts: 80 000 spaces took 28 s.
    assert build_document("t", " " * 200_000 + "x").text == "x"


# A stored sentence is quoted as a reader would quote it: the list sign is layout (and a
# leading "- " made 3,600 CSV cells of one run start like a spreadsheet formula).
LIST_MARKER_CASES = [
    ("- 12 communes du Vexin adhèrent.", "12 communes du Vexin adhèrent."),
    ("• Favoriser l'accès aux soins", "Favoriser l'accès aux soins"),
    ("•Favoriser l'accès aux soins", "Favoriser l'accès aux soins"),
    ("  – la prévention", "la prévention"),
    ("3) Les parcours pluriprofessionnels", "Les parcours pluriprofessionnels"),
    ("12. Signature du contrat ACI", "Signature du contrat ACI"),
]
LIST_MARKER_NEGATIVE_CASES = [
    "-5 % de passages aux urgences",
    "2024. Une année de signatures",
    "La CPTS - créée en 2021 - réunit 80 professionnels.",
    "*Sous réserve de validation",
]


@pytest.mark.parametrize(("sentence", "stored"), LIST_MARKER_CASES)
def test_list_markers_are_not_part_of_a_stored_sentence(sentence, stored):
    assert without_list_marker(sentence) == stored


@pytest.mark.parametrize("sentence", LIST_MARKER_NEGATIVE_CASES)
def test_text_that_only_looks_like_a_list_marker_stays(sentence):
    assert without_list_marker(sentence) == sentence
