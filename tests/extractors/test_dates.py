"""French date parsing: `find_dates` on real-style sentences and `reference_date` on headers."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.text.dateline import reference_date
from extractors.text.dates import find_dates

REF = dt.date(2023, 12, 22)  # a Friday

CASES = [
    pytest.param("Lyon, lundi 14 octobre 2024", None, "2024-10-14", id="weekday-and-year"),
    pytest.param("le contrat signé le 1er décembre 2023", None, "2023-12-01", id="premier-er"),
    pytest.param("signée le 1^er^ mars 2022 à Annecy", None, "2022-03-01", id="premier-markdown"),
    pytest.param("mise à jour : 24/06/2021", None, "2021-06-24", id="numeric-slash"),
    pytest.param("Publié le 05/04/2022", None, "2022-04-05", id="numeric-leading-zero"),
    pytest.param("date 2022-04", None, "2022-04", id="iso-month"),
    pytest.param("créée en décembre 2020 dont le périmètre", None, "2020-12", id="month-year"),
    pytest.param(
        "Ce vendredi 22 décembre, l'Assurance Maladie", REF, "2023-12-22", id="yearless-weekday"
    ),
    pytest.param(
        "le mardi 2 janvier, la CPTS du Grésivaudan",
        REF,
        "2024-01-02",
        id="yearless-weekday-next-year",
    ),
    pytest.param(
        "Le 3 mars dernier, les élus du Pays de Gex", REF, "2023-03-03", id="dernier-is-past"
    ),
    pytest.param("le 15 janvier prochain à Mâcon", REF, "2024-01-15", id="prochain-is-future"),
    pytest.param("le 10 décembre, à Vannes", REF, "2023-12-10", id="yearless-nearest"),
    pytest.param("Quimper, le 3\u00a0février\u00a02022", None, "2022-02-03", id="nbsp"),
    pytest.param("le 3\u202fmars\u202f2022", None, "2022-03-03", id="narrow-nbsp"),
    pytest.param("le  12  avril  2023", None, "2023-04-12", id="double-spaces"),
    pytest.param("le 7 aout 2023", None, "2023-08-07", id="no-accent"),
    pytest.param("jeudi 3 févr. 2022", None, "2022-02-03", id="abbreviated-month"),
    pytest.param("LE 14 OCTOBRE 2024", None, "2024-10-14", id="all-caps"),
]

NEGATIVE_CASES = [
    pytest.param("Ce vendredi 22 décembre, la CPAM a signé", None, id="yearless-without-reference"),
    pytest.param("devraient aboutir au 1er semestre 2023", None, id="semester"),
    pytest.param("couvrir l'ensemble du département d'ici fin 2023", None, id="fin-year"),
    pytest.param("Dès 2019, l'ARS a soutenu le projet", None, id="bare-year"),
    pytest.param("51,2 % de la population", None, id="decimal"),
    pytest.param("Tél : 04 27 86 55 55", None, id="phone"),
    pytest.param("le 31 février 2022", None, id="impossible-day"),
    pytest.param("près de 47 000 habitants répartis sur 35 communes", None, id="counts"),
    pytest.param("la CPTS du 7e arrondissement", REF, id="arrondissement"),
]

REFERENCE_CASES = [
    pytest.param(
        "COMMUNIQUÉ DE PRESSE\n\nLyon, lundi 14 octobre 2024\n\nAccès",
        "2024-10-14",
        id="dateline-weekday",
    ),
    pytest.param("Titre\n\nBordeaux, le 24 juin 2021\n\nTexte", "2021-06-24", id="dateline-le"),
    pytest.param(
        "Titre (69)\n\nOffre de soins 22 décembre 2023\n\nCe vendredi",
        "2023-12-22",
        id="header-label",
    ),
    pytest.param("Accueil\nPublié le 05/04/2022\nLa CPTS", "2022-04-05", id="publie-le"),
    pytest.param("date 2022-04\nLa CPTS du Val de Saône", "2022-04-01", id="bare-iso-month"),
    pytest.param(
        "**Clermont-Ferrand, le 12 janvier 2022**\nTexte", "2022-01-12", id="bold-dateline"
    ),
    pytest.param("Aix-en-Provence, mardi 4 avril 2023\nLa CPTS", "2023-04-04", id="compound-city"),
    pytest.param("COMMUNIQUÉ DE PRESSE – 12 janvier 2022\nTexte", "2022-01-12", id="dash-header"),
    pytest.param("Le Courrier picard\nLe 15/03/2022 à 06:00\nTexte", "2022-03-15", id="le-time"),
    pytest.param("Bulletin – n° 58 – Juin 2022\nTexte", "2022-06-01", id="issue-month"),
]

NEGATIVE_REFERENCE_CASES = [
    pytest.param(
        "ACCÈS AUX SOINS\n\nCe jeudi 7 décembre 2023, Sabine LAFFAY, directrice, a signé.",
        id="event-not-dateline",
    ),
    pytest.param("Titre\n\nLe 7 décembre 2023, la CPTS a été créée.", id="event-sentence"),
    pytest.param("Titre\n" + "Ligne\n" * 20 + "Lyon, le 3 mai 2022\n", id="too-far-down"),
    pytest.param("Titre\n\nLa CPTS a été créée le 3 mai 2022 à Annecy.", id="date-mid-line"),
    pytest.param("", id="empty"),
]

XFAIL_CASES = [
    pytest.param(
        "le 3 mars 2022 et le 5",
        "2022-03-05",
        id="elided-month",
        marks=pytest.mark.xfail(
            reason="a second day sharing the month of the first is not resolved", strict=False
        ),
    ),
    pytest.param(
        "le premier décembre 2023",
        "2023-12-01",
        id="day-in-words",
        marks=pytest.mark.xfail(reason="days written in words are not matched", strict=False),
    ),
]

BUGS_CAUGHT = [
    pytest.param("le septembre 2022", "2022-09", id="sept-prefix-of-septembre"),
    pytest.param("le **jeudi 24 juin 2021** la création", "2021-06-24", id="markdown-bold"),
    pytest.param("créée en janv. 2020 par des libéraux", "2020-01", id="abbreviated-month-year"),
]


@pytest.mark.parametrize(("sentence", "reference", "expected"), CASES)
def test_finds_date(sentence: str, reference: dt.date | None, expected: str) -> None:
    found = find_dates(sentence, reference=reference)
    assert [d.iso for d in found] == [expected]
    assert all(sentence[d.start : d.end] == d.text for d in found)


@pytest.mark.parametrize(("sentence", "reference"), NEGATIVE_CASES)
def test_finds_no_date(sentence: str, reference: dt.date | None) -> None:
    assert find_dates(sentence, reference=reference) == []


@pytest.mark.parametrize(("text", "expected"), REFERENCE_CASES)
def test_reference_date(text: str, expected: str) -> None:
    ref = reference_date(text)
    assert ref is not None and ref[0].isoformat() == expected


@pytest.mark.parametrize("text", NEGATIVE_REFERENCE_CASES)
def test_no_reference_date(text: str) -> None:
    assert reference_date(text) is None


@pytest.mark.parametrize(("sentence", "expected"), XFAIL_CASES + BUGS_CAUGHT)
def test_known_limits_and_bugs(sentence: str, expected: str) -> None:
    assert expected in [d.iso for d in find_dates(sentence)]


YEARLESS_MONTH_CASES = [
    # reference 2023-12-22: a past month of the same year, or of the year before
    pytest.param("La CPTS a été créée en octobre, à Morlaix", "2023-10", id="same-year"),
    pytest.param("constituée au mois de décembre par 30 soignants", "2023-12", id="mois-de"),
    pytest.param("Créée en juin 2021, la CPTS", "2021-06", id="with-year-is-a-full-date"),
]


@pytest.mark.parametrize(("sentence", "expected"), YEARLESS_MONTH_CASES)
def test_yearless_month_on_request(sentence: str, expected: str) -> None:
    assert [d.iso for d in find_dates(sentence, reference=REF)] in ([], [expected])
    assert [d.iso for d in find_dates(sentence, reference=REF, months=True)] == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("en sept ans de travail", id="sept-is-seven"),
        pytest.param("en mars 2", id="month-then-number"),
        pytest.param("fin février, la CPTS", id="no-en"),
    ],
)
def test_no_yearless_month(sentence: str) -> None:
    assert find_dates(sentence, reference=REF, months=True) == []
    assert find_dates("La CPTS a été créée en octobre", months=True) == []  # no reference


def test_bare_years_only_on_request() -> None:
    assert [d.iso for d in find_dates("créée en 2019 à Dieppe", years=True)] == ["2019"]
    assert find_dates("créée en 2019 à Dieppe") == []


def test_weekday_picks_year() -> None:
    # 22 December was a Thursday in 2022 and a Friday in 2023: the weekday decides.
    found = find_dates("ce jeudi 22 décembre", reference=dt.date(2023, 1, 10))
    assert [d.iso for d in found] == ["2022-12-22"]


def test_calendar_dates_agree_with_dateparser() -> None:
    """A valid date of a month of the lexicon is computed without dateparser
    (dates._calendar): both give the same date, as checked over every day of several years
    when the shortcut was written; a sample of that check, and what stays dateparser's."""
    from extractors.text import dates

    parse = dates._dateparser.__wrapped__
    for year in ("2000", "2024"):
        for key, month in dates.MONTHS.items():
            for word in (key, key.title(), key.upper()):
                for day in (1, 28):
                    got = dates._calendar(year, word, day)
                    assert got == parse(f"{day} {word} {year}") == dt.date(int(year), month, day)
                assert dates._calendar(year, word) == parse(f"{word} {year}")
    assert dates._calendar("2023", "février", 29) is None  # dateparser's answer
    assert dates._calendar("2024", "février", 29) == dt.date(2024, 2, 29)
