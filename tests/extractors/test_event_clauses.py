"""event_clauses: each date belongs to the signing or creation verb of its own clause."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.kinds.event_clauses import VERBS, clause_event
from extractors.text.dates import find_dates

REFERENCE = dt.date(2025, 6, 1)

# (sentence, the date as written, event) — every sentence invented for this table.
CASES = [
    pytest.param(
        "C'est le 4 mars 2025 que la CPTS des Coteaux du Lizon et l'Assurance Maladie ont "
        "contractualisé.",
        "4 mars 2025",
        "signature",
        id="cleft-verb-after-the-date",
    ),
    pytest.param(
        "Ce 3 avril 2024, la communauté de santé du Pays de Lunel se constitue officiellement "
        "en CPTS.",
        "3 avril 2024",
        "creation",
        id="reflexive-present-main-clause",
    ),
    pytest.param(
        "Réunis le 12 octobre 2022 en assemblée générale, les fondateurs ont officiellement "
        "constitué la CPTS Rives de la Vienne.",
        "12 octobre 2022",
        "creation",
        id="adjunct-lends-its-date-creation-beats-assembly",
    ),
    pytest.param(
        "Née en juin 2023, la CPTS a attendu mars 2024 pour signer son ACI.",
        "mars 2024",
        "signature",
        id="infinitive-after-pour",
    ),
    pytest.param(
        "Née en juin 2023, la CPTS a attendu mars 2024 pour signer son ACI.",
        "juin 2023",
        "creation",
        id="participle-apposition",
    ),
    pytest.param(
        "Après une réunion publique le 5 mai 2022, la CPTS s'est constituée le 19 septembre 2022.",
        "19 septembre 2022",
        "creation",
        id="second-date-own-verb",
    ),
    pytest.param(
        "La CPTS du Ségala a vu le jour en mars 2024, après plusieurs années de travail.",
        "mars 2024",
        "creation",
        id="voir-le-jour",
    ),
    pytest.param(
        "Elle a signé l'ACI (accord conventionnel interprofessionnel) avec la CPAM en mai 2023.",
        "mai 2023",
        "signature",
        id="parenthesis-inside-the-clause",
    ),
    pytest.param(
        "Le 2 février 2022, nous avons franchi une étape en créant une association pour porter "
        "le projet.",
        "2 février 2022",
        "creation",
        id="gerund-creates-the-association",
    ),
    pytest.param(
        "Dans l'Yonne, la CPTS Puisaye est officiellement lancée ce mardi 8 mars 2022 à Toucy.",
        "mardi 8 mars 2022",
        "officialisation",
        id="official-launch",
    ),
    pytest.param(
        "La CPTS des Collines a paraphé son contrat avec l'ARS et la caisse primaire le 9 mai "
        "2023.",
        "9 mai 2023",
        "signature",
        id="funders-as-counterparty",
    ),
    pytest.param(
        "La communauté de la Vallée Verte est née en 2021.",
        "2021",
        "creation",
        id="year-after-en",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Après une réunion publique le 5 mai 2022, la CPTS s'est constituée le 19 septembre 2022.",
        "5 mai 2022",
        id="date-of-another-event-before",
    ),
    pytest.param(
        "Les soignants du Val de Brenne signeront à leur tour leur contrat le 15 février 2026.",
        "15 février 2026",
        id="future",
    ),
    pytest.param("La CPTS devrait être créée en juin 2025.", "juin 2025", id="modal-conditional"),
    pytest.param(
        "La CPTS va signer son contrat le 3 juillet 2025.", "3 juillet 2025", id="aller-future"
    ),
    pytest.param(
        "Le 2 juin 2023, la CPTS a signé une convention de partenariat avec la Ligue contre le "
        "cancer.",
        "2 juin 2023",
        id="partnership",
    ),
    pytest.param(
        "Le mardi 4 avril 2023, une convention a été conclue entre la CPTS et le club de rugby.",
        "mardi 4 avril 2023",
        id="counterparty-not-a-funder",
    ),
    pytest.param("La CPTS sera inaugurée le 8 décembre 2025.", "8 décembre 2025", id="inaugural"),
    pytest.param(
        "Dès le 28 janvier 2021, un centre de vaccination a pu voir le jour grâce aux soignants.",
        "28 janvier 2021",
        id="creation-of-something-else",
    ),
    pytest.param(
        "Le 3 mars 2023, la CPTS a créé un poste de coordinatrice.",
        "3 mars 2023",
        id="creates-a-post",
    ),
    pytest.param(
        "Le 6 décembre dernier, la CPTS a tenu son assemblée générale.",
        "6 décembre",
        id="general-assembly",
    ),
    pytest.param(
        "Il est fondé entre les adhérents une association régie par la loi du 1er juillet 1901.",
        "1er juillet 1901",
        id="date-of-a-law",
    ),
    pytest.param(
        "Née d'une réflexion engagée fin 2019, la CPTS réunit trente soignants.",
        "2019",
        id="year-of-a-period",
    ),
    pytest.param("En 2016, la loi a créé les CPTS.", "2016", id="generic-cpts"),
    pytest.param(
        "La CPTS a officiellement lancé son application le 12 janvier 2024.",
        "12 janvier 2024",
        id="launch-of-something-else",
    ),
    pytest.param(
        "La CPTS, constituée de 40 professionnels, a fêté ses deux ans le 3 mai 2024.",
        "3 mai 2024",
        id="constituer-is-composition",
    ),
    pytest.param(
        "La soirée de lancement du 3 mai 2024 a réuni 80 soignants de la CPTS.",
        "3 mai 2024",
        id="launch-evening",
    ),
]


def _event(sentence: str, written: str):
    dates = [
        d
        for d in find_dates(
            sentence, 0, len(sentence), reference=REFERENCE, years=True, months=True
        )
        if sentence[d.start : d.end] == written
    ]
    assert dates, f"{written!r} is not a date of the sentence"
    date = dates[0]
    return clause_event(
        sentence, 0, len(sentence), date.start, date.end, year_only=date.precision == "year"
    )


@pytest.mark.parametrize(("sentence", "written", "event"), CASES)
def test_clause_event(sentence: str, written: str, event: str) -> None:
    found = _event(sentence, written)
    assert found is not None and found.event == event


@pytest.mark.parametrize(("sentence", "written"), NEGATIVE_CASES)
def test_no_clause_event(sentence: str, written: str) -> None:
    assert _event(sentence, written) is None


def test_every_lemma_has_its_past_participle() -> None:
    for form in (
        "signé",
        "contractualisée",
        "conventionnés",
        "paraphée",
        "conclue",
        "créées",
        "constitué",
        "fondée",
        "née",
        "vu le jour",
        "officialisée",
        "lancée",
    ):
        assert VERBS[form][2] == "past", form
    assert VERBS["signeront"][2] == "future"
