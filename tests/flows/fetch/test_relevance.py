"""Which items are about a CPTS, judged from the words the publisher shows before download."""

from __future__ import annotations

import pytest

from flows.fetch.relevance import about_cpts, release_pdf, url_words

CASES = [
    "Signature de l'ACI de la CPTS du Val de Sèvre",
    "La communauté professionnelle territoriale de santé du Grand Nord est née",
    "Trois Communautés Professionnelles Territoriales de Santé signent",
    "LES C.P.T.S. DU DÉPARTEMENT",
    "Deux nouvelles CPTS dans l'Aisne",
    url_words("https://www.example.org/actualites/signature-cpts-val-de-sevre"),
    url_words("https://www.example.org/fr/communaute-professionnelle-territoriale-de-sante-x"),
]

NEGATIVE_CASES = [
    "Campagne de vaccination contre la grippe",
    "Les maisons de santé pluriprofessionnelles du territoire",
    "Le contrat local de santé est signé",
    url_words("https://www.example.org/actualites/acptsx-2024"),
    url_words("https://www.example.org/cptsomething"),
    "",
]


@pytest.mark.parametrize("text", CASES)
def test_about_cpts(text):
    assert about_cpts(text)


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_not_about_cpts(text):
    assert not about_cpts(text)


def test_any_of_several_texts_is_enough():
    assert about_cpts(None, "Actualité", "la CPTS signe")
    assert not about_cpts(None, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("Communiqué de presse (PDF, 200 Ko)", True),
    ("Télécharger le dossier de presse", True),
    (url_words("https://x.example/docs/cp-signature-aci.pdf"), True),
    ("Plan d'accès", False),
    (url_words("https://x.example/docs/menu-cantine.pdf"), False),
])
def test_release_pdf(text, expected):
    assert release_pdf(text) is expected
