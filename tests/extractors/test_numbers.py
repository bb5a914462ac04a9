"""French number phrases: what `iter_counts` finds in a sentence and how it reads it."""

from __future__ import annotations

import doctest

import pytest

from extractors.kinds import communes, population, professionals, size_class
from extractors.text import numbers
from extractors.text.document import build_document
from extractors.text.numbers import iter_counts, parse_count
from extractors.types import Qualifier

A, E, L, M = Qualifier.APPROX, Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.AT_MOST

# (sentence, expected [(matched text, value, qualifier)] in order)
CASES = [
    pytest.param("répartis sur 35 communes", [("35", 35, E)], id="plain-digits"),
    pytest.param(
        "un bassin de vie de 62.000 habitants", [("62.000", 62000, E)], id="dot-thousands"
    ),
    pytest.param("concerne 45 500 habitants", [("45 500", 45500, E)], id="space-thousands"),
    pytest.param("soit 45\u00a0500 habitants", [("45\u00a0500", 45500, E)], id="nbsp-thousands"),
    pytest.param("1\u202f200 professionnels", [("1\u202f200", 1200, E)], id="narrow-nbsp"),
    pytest.param("plus de 1 200 000 euros", [("plus de 1 200 000", 1200000, L)], id="millions"),
    pytest.param("onze communes du Diois", [("onze", 11, E)], id="word-onze"),
    pytest.param("huit membres fondateurs", [("huit", 8, E)], id="word-huit"),
    pytest.param("trois cents professionnels", [("trois cents", 300, E)], id="word-hundreds"),
    pytest.param("quarante-cinq adhérents", [("quarante-cinq", 45, E)], id="hyphenated-words"),
    pytest.param("vingt et un médecins", [("vingt et un", 21, E)], id="vingt-et-un"),
    pytest.param("quatre-vingt-dix communes", [("quatre-vingt-dix", 90, E)], id="quatre-vingt-dix"),
    pytest.param("compte une vingtaine d'adhérents", [("une vingtaine", 20, A)], id="vingtaine"),
    pytest.param("une centaine de soignants", [("une centaine", 100, A)], id="centaine"),
    pytest.param("un millier d'habitants", [("un millier", 1000, A)], id="millier"),
    pytest.param(
        "une bonne trentaine de libéraux", [("une bonne trentaine", 30, A)], id="bonne-trentaine"
    ),
    pytest.param("près de 47 000 habitants", [("près de 47 000", 47000, A)], id="pres-de"),
    pytest.param(
        "près d’une centaine", [("près d’une centaine", 100, A)], id="pres-d-elided-curly"
    ),
    pytest.param("environ 90.000 habitants", [("environ 90.000", 90000, A)], id="environ"),
    pytest.param("presque 300 adhérents", [("presque 300", 300, A)], id="presque"),
    pytest.param("quelque 300 personnes", [("quelque 300", 300, A)], id="quelque"),
    pytest.param("autour de 60 000 habitants", [("autour de 60 000", 60000, A)], id="autour-de"),
    pytest.param(
        "approximativement 15 000", [("approximativement 15 000", 15000, A)], id="approx-adverb"
    ),
    pytest.param("plus de 45 500 habitants", [("plus de 45 500", 45500, L)], id="plus-de"),
    pytest.param(
        "plus d'une centaine d'adhérents", [("plus d'une centaine", 100, L)], id="plus-d-une"
    ),
    pytest.param("au moins 40 membres", [("au moins 40", 40, L)], id="au-moins"),
    pytest.param("au-delà de 175 000 habitants", [("au-delà de 175 000", 175000, L)], id="au-dela"),
    pytest.param(
        "pas moins de 120 professionnels", [("pas moins de 120", 120, L)], id="pas-moins-de"
    ),
    pytest.param("moins de 40 000 habitants", [("moins de 40 000", 40000, M)], id="moins-de"),
    pytest.param("jusqu’à 80 000 habitants", [("jusqu’à 80 000", 80000, M)], id="jusqu-a-curly"),
    pytest.param("au plus 12 communes", [("au plus 12", 12, M)], id="au-plus"),
    pytest.param("près  de  47 000", [("près  de  47 000", 47000, A)], id="doubled-spaces"),
    pytest.param("12 communes[2] et 40 adhérents (1)", [("12", 12), ("40", 40)], id="footnotes"),
    pytest.param(
        "deux mille deux cents habitants",
        [("deux mille deux cents", 2200, E)],
        id="words-thousands",
    ),
    pytest.param("47 000¹ habitants", [("47 000", 47000, E)], id="superscript-footnote"),
]

# Text where no count must be found.
NEGATIVE_CASES = [
    pytest.param("51,2 % de la population", id="decimal-percent"),
    pytest.param("soit 68,4 des Ardéchois", id="decimal-comma"),
    pytest.param("96 % des Drômois", id="percent"),
    pytest.param("96% des Drômois", id="percent-glued"),
    pytest.param("la 7^e CPTS du département", id="caret-ordinal"),
    pytest.param("le 1^{er} arrondissement", id="braced-ordinal"),
    pytest.param("la 9ᵉ CPTS", id="superscript-ordinal"),
    pytest.param("la 3e CPTS du département", id="plain-ordinal"),
    pytest.param("la 2ème vague", id="eme-ordinal"),
    pytest.param("la troisième CPTS", id="word-ordinal"),
    pytest.param("le 28/06/2024", id="date-slashes"),
    pytest.param("une CPTS, un projet", id="articles"),
    pytest.param("quelques communes", id="quelques-vague"),
    pytest.param("des centaines de patients", id="plural-approx-noun"),
    pytest.param("51,2 % des Ardéchois", id="decimal-percentage-not-a-million"),
]

XFAIL_CASES: list = []

BUGS_CAUGHT = [
    pytest.param("1,2 million d'habitants", [("1,2 million", 1200000, E)], id="decimal-million"),
    pytest.param(
        "soit 1,1 million d’euros par an", [("1,1 million", 1100000, E)], id="million-euros"
    ),
    pytest.param("2 millions de patients", [("2 millions", 2000000, E)], id="plural-millions"),
    pytest.param("12 communes[2]", [("12", 12, E)], id="footnote-number-is-not-a-count"),
    pytest.param(
        "en 2023 150 adhérents", [("2023", 2023, E), ("150", 150, E)], id="year-then-count"
    ),
]


def _found(sentence: str) -> list[tuple]:
    return [(c.text, c.value, c.qualifier) for c in iter_counts(sentence)]


@pytest.mark.parametrize(("sentence", "expected"), CASES + BUGS_CAUGHT + XFAIL_CASES)
def test_counts(sentence: str, expected: list[tuple]) -> None:
    found = _found(sentence)
    assert [f[: len(e)] for f, e in zip(found, expected, strict=False)] == expected
    assert len(found) == len(expected)


@pytest.mark.parametrize("sentence", NEGATIVE_CASES)
def test_no_count(sentence: str) -> None:
    assert _found(sentence) == []


def test_offsets_point_into_the_text() -> None:
    text = "Au service de près de 47 000 habitants répartis sur 35 communes."
    for c in iter_counts(text):
        assert text[c.start : c.end] == c.text


@pytest.mark.parametrize("odd", ["", "   ", "\f", "%%%", "0", "٣٤ communes", "é" * 500, "1" * 400])
def test_total_on_odd_text(odd: str) -> None:
    iter_counts(odd)
    parse_count(odd)


def test_doctests() -> None:
    assert doctest.testmod(numbers).failed == 0


ODD_DOCUMENTS = [
    pytest.param("", id="empty"),
    pytest.param("\f\f\n\n", id="page-breaks"),
    pytest.param("habitants communes professionnels taille", id="nouns-only"),
    pytest.param("couvre les communes de " + "Saint Jean, " * 300 + "et Die", id="long-list"),
    pytest.param("1 " * 2000 + "habitants", id="digit-soup"),
    pytest.param("près de près de plus de de 000 000 habitants taille V", id="garbled"),
]


@pytest.mark.parametrize("text", ODD_DOCUMENTS)
def test_count_extractors_are_total(text: str) -> None:
    doc = build_document("odd", text)
    for module in (population, communes, professionals, size_class):
        for fact in module.extract(doc):
            assert doc.text[fact.start : fact.end] == fact.text
