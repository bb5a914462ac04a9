"""published_on: the release's own date, from its first lines only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import published_on
from extractors.text.document import build_document
from tests.extractors.spans import checked_facts

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

CASES = [
    pytest.param(
        "COMMUNIQUÉ DE PRESSE\n\nRennes, le 5 mars 2024\n\nLa CPTS du Pays de Brocéliande...",
        "2024-03-05",
        "day",
        "Rennes",
        id="dateline-le",
    ),
    pytest.param(
        "COMMUNIQUÉ DE PRESSE\nMarseille, jeudi 1er février 2024\nLa CPTS Marseille 13...",
        "2024-02-01",
        "day",
        "Marseille",
        id="weekday-premier",
    ),
    pytest.param(
        "Communiqué\nSaint-Denis, le 3\u00a0juillet\u00a02023\nÀ La Réunion, la CPTS Nord...",
        "2023-07-03",
        "day",
        "Saint-Denis",
        id="nbsp-compound-city",
    ),
    pytest.param(
        "Offre de soins 22 décembre 2023\n\nCe vendredi 22 décembre, la CPAM du Rhône...",
        "2023-12-22",
        "day",
        None,
        id="header-label",
    ),
    pytest.param(
        "Actualités\nPublié le 05/04/2022\nLa CPTS de l'Agglomération Troyenne...",
        "2022-04-05",
        "day",
        None,
        id="publie-le",
    ),
    pytest.param(
        "date 2022-04\nCréation de la CPTS du Sud Gironde",
        "2022-04",
        "month",
        None,
        id="iso-month-precision",
    ),
    pytest.param(
        "Vannes : la CPTS de l'Arc Sud Bretagne signe son accord\n\nSanté | Publié le "
        "07/03/2024 à 11h05\n\nCe mardi 5 mars, les soignants...",
        "2024-03-07",
        "day",
        None,
        id="publie-le-after-rubric-with-time",
    ),
    pytest.param(
        "Le Télégramme\nPar Yann GUÉGAN.  Publié le 02/02/2023 à 18:40, modifié le 03/02/2023 "
        "à 08:12\n\nLa CPTS du Pays de Morlaix...",
        "2023-02-02",
        "day",
        None,
        id="publie-le-after-author-then-update",
    ),
    pytest.param(
        "Mis à jour le 12 juin 2023\nPublié le 9 juin 2023 à 7 h\nLa CPTS Sud Vendée...",
        "2023-06-09",
        "day",
        None,
        id="update-line-first-is-skipped",
    ),
    pytest.param(
        "La Dépêche du Midi\nAriège | Santé\n\nLe 04/10/2022 à 19:45\n\nLa CPTS des Portes "
        "d'Ariège Pyrénées...",
        "2022-10-04",
        "day",
        None,
        id="le-date-and-time-web-header",
    ),
    pytest.param(
        "Paris Normandie – Évreux\nLe 3 février 2021\nCPTS : le projet avance\nLa CPTS...",
        "2021-02-03",
        "day",
        None,
        id="le-date-alone-second-line",
    ),
    pytest.param(
        "Vivre à Villeurbanne – n° 245 – Décembre 2023\nÉdito\n\nLa CPTS de Villeurbanne...",
        "2023-12",
        "month",
        None,
        id="magazine-issue-header",
    ),
    pytest.param(
        "Le Petit Journal | Mars 2022\n\nLe 1er mars, la CPTS du Comminges...",
        "2022-03",
        "month",
        None,
        id="masthead-starting-with-le",
    ),
    pytest.param(
        "CPTS Sud Manche\nPublié le 2 mai 2024 par l'équipe de coordination · Actualités\n\n"
        "Notre communauté...",
        "2024-05-02",
        "day",
        None,
        id="publie-le-par-author",
    ),
    pytest.param(
        "Communiqué de presse | Besançon, le 14 mars 2023\n\nLa CPTS du Grand Besançon...",
        "2023-03-14",
        "day",
        "Besançon",
        id="kind-bar-dateline",
    ),
    pytest.param(
        "COMMUNIQUÉ – Ajaccio, jeudi 5 octobre 2023\n\nLa CPTS du Pays Ajaccien...",
        "2023-10-05",
        "day",
        "Ajaccio",
        id="kind-dash-dateline-weekday",
    ),
    pytest.param(
        "LA LETTRE\nCPTS du Pays de Lorient – La lettre des adhérents n° 12 – Septembre 2023\n\n"
        "Édito",
        "2023-09",
        "month",
        None,
        id="newsletter-long-masthead",
    ),
    pytest.param(
        "Le Journal du Causse\nArticle paru dans Le Journal du Lot, mars 2025\n\nLa CPTS...",
        "2025-03",
        "month",
        None,
        id="paru-dans-a-paper-month",
    ),
    pytest.param(
        "Publié dans la lettre n° 12 le 4 mars 2025\nLa CPTS du Val d'Arve...",
        "2025-03-04",
        "day",
        None,
        id="publie-dans-a-newsletter-le",
    ),
    pytest.param(
        "Une CPTS pour la vallée\n\n3 octobre 2023 à 17h05 par Jeanne Martin\n\nLa CPTS...",
        "2023-10-03",
        "day",
        None,
        id="byline-date-time-author",
    ),
    pytest.param(
        "Santé\nPropos recueillis par Paul DURAND - 12 mars 2023 à 08:00 | mis à jour le "
        "13 mars 2023 à 10:12\n\nLa présidente de la CPTS...",
        "2023-03-12",
        "day",
        None,
        id="byline-author-first-date-not-update",
    ),
    pytest.param(
        "Titre\nPar Louise Bernard, le 5 juin 2024\n\nLa CPTS...",
        "2024-06-05",
        "day",
        None,
        id="byline-par-author-le",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "ACCÈS AUX SOINS\n\nCe jeudi 7 décembre 2023, la directrice de la CPAM a signé "
        "l'accord avec la CPTS.",
        id="event-in-body",
    ),
    pytest.param(
        "Développement de CPTS dans la Haute-Loire\n\nCommuniqué de presse\nOffre de soins\n"
        "La CPTS Velay Sud, créée en septembre 2022, couvre 66 500 habitants.",
        id="no-dateline",
    ),
    pytest.param("", id="empty"),
    pytest.param("Contact presse : 04 27 86 55 55", id="phone"),
    pytest.param(
        "Notre CPTS signe son contrat territorial avec l'ARS en mars 2024\n\nLa CPTS...",
        id="long-headline-ending-on-a-month",
    ),
    pytest.param(
        "Santé\n\nLa liste des médecins qui acceptent de nouveaux patients, tenue par la "
        "coordinatrice, mise à jour le 3 mai 2024\n",
        id="update-inside-a-sentence",
    ),
    pytest.param(
        "Titre\nLa CPTS a publié le 3 mars 2023 son projet de santé.", id="publie-in-a-sentence"
    ),
    pytest.param(
        "Titre\n\nLe 7 décembre 2023 à 10h, la CPTS a signé son contrat.", id="le-date-event"
    ),
    pytest.param("Titre\n\nLe projet est prévu pour mars 2024", id="event-title-with-month"),
    pytest.param(
        "Titre\nLe 3 mai 2024 par décision du conseil, la CPTS a été créée.", id="par-not-author"
    ),
    pytest.param(
        "Titre\nLa CPTS a été créée le 3 mai 2024 par Jeanne Martin", id="creation-by-a-person"
    ),
    pytest.param(
        "Titre\nLe dossier publié dans la revue, les soignants l'ont lu le 3 mars 2024",
        id="publie-dans-a-sentence",
    ),
]

XFAIL_CASES = [
    pytest.param(
        "Texte\n" * 30 + "Publié le 05/04/2022",
        "2022-04-05",
        id="footer-publication",
        marks=pytest.mark.xfail(
            reason="web pages may put 'Publié le' at the bottom; only the first 15 lines are read",
            strict=False,
        ),
    ),
]

BUGS_CAUGHT = [
    pytest.param("Titre (69)\n\nOffre de soins 22 décembre 2023\n", "2023-12-22", id="lazy-label"),
    pytest.param(
        "Ouest-France  Marie DUVAL.  Publié le 21/11/2022 à 06h30\n\nAbonnez-vous\n",
        "2022-11-21",
        id="time-after-publication-date",
    ),
    # A page showing only its update date: that date is the release's (no other says more).
    pytest.param(
        "Actualité\nMis à jour le 13/10/2023 à 08h00\nLa CPTS...", "2023-10-13", id="update-only"
    ),
    pytest.param(
        "Accueil > Actualités\n\nMis à jour le 27 février 2025\n\nLe Département soutient...",
        "2025-02-27",
        id="update-only-long-date",
    ),
    # ... but a "Publié le" line wins, even below the update line.
    pytest.param(
        "Mis à jour le 04/06/2024\n\nPublié le 02/06/2024\n\nLa CPTS Cœur d'Hérault...",
        "2024-06-02",
        id="publication-beats-update",
    ),
    pytest.param(
        "URPS Infirmiers Grand Est\n\nCOMMUNIQUÉ DE PRESSE – Nancy, le 2 décembre 2024\n\nLes CPTS "
        "ont signé le 28 novembre.",
        "2024-12-02",
        id="kind-and-dateline-on-one-line",
    ),
]


def test_publication_line_gives_yearless_dates_their_year() -> None:
    doc = build_document(
        "t", "Santé | Publié le 12/10/2023 à 17h30\n\nLes soignants ont signé vendredi 6 octobre."
    )
    assert doc.reference_date is not None and doc.reference_date.year == 2023


def _facts(text: str):
    return checked_facts(published_on.extract, text)


@pytest.mark.parametrize(("text", "value", "precision", "place"), CASES)
def test_published_on(text: str, value: str, precision: str, place: str | None) -> None:
    (fact,) = _facts(text)
    assert (fact.value, fact.qualifier, fact.attrs.get("place")) == (value, precision, place)


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_published_on(text: str) -> None:
    assert _facts(text) == []


@pytest.mark.parametrize(("text", "value"), XFAIL_CASES + BUGS_CAUGHT)
def test_known_limits_and_bugs(text: str, value: str) -> None:
    assert [f.value for f in _facts(text)] == [value]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_corpus_matches_gold(path: Path) -> None:
    gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text("utf-8"))
    facts = _facts(path.read_text("utf-8"))
    assert [f.value for f in facts] == ([gold["published_on"]] if gold["published_on"] else [])
