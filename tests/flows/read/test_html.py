"""flows/read/html.py: the page's own publication line survives trafilatura's boilerplate cut."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.kinds import published_on, signed_on
from extractors.text.document import build_document
from flows.read.html import html_text, publication_line
from tests.conftest import TEST_DATA

PAGE = TEST_DATA / "press_page_publication_time.html"


def test_publication_line_is_put_back_on_top_as_the_page_writes_it():
    page = html_text(PAGE.read_bytes())
    assert page.text.startswith("Publié le 17/05/2023 à 07:30\n")
    assert "mis à jour" not in page.text.split("\n")[0]
    assert "cookies" not in page.text and "Les plus lus" not in page.text


def test_the_published_on_fact_spans_the_restored_line():
    doc = build_document("t", html_text(PAGE.read_bytes()).text)
    (fact,) = published_on.extract(doc)
    assert (fact.value, fact.text) == ("2023-05-17", "Publié le 17/05/2023 à 07:30")
    assert doc.reference_date == dt.date(2023, 5, 17)
    # ... so the yearless "Ce mardi 16 mai" of the body gets its year.
    assert "2023-05-16" in {f.value for f in signed_on.extract(doc)}


@pytest.mark.parametrize(
    ("html", "line"),
    [
        pytest.param(
            '<p class="date">Mis en ligne le 3 février 2022</p>',
            "Mis en ligne le 3 février 2022",
            id="mis-en-ligne-paragraph",
        ),
        pytest.param(
            '<span>Actualité</span> <time datetime="2021-09-14">14 septembre 2021</time>',
            "14 septembre 2021",
            id="bare-time-element",
        ),
        pytest.param("<p>Mis à jour le 13/10/2023</p>", None, id="update-is-not-a-publication"),
        pytest.param(
            "<script>var d = 'Publié le 01/01/2020';</script>", None, id="script-is-invisible"
        ),
    ],
)
def test_publication_line(html: str, line: str | None):
    assert publication_line(f"<html><body><div>{html}</div></body></html>") == line


def test_a_page_whose_text_has_its_dateline_is_left_alone():
    html = (
        "<html><body><article><p>Rennes, le 5 mars 2024</p><p>"
        + "La CPTS du Pays de Brocéliande signe son accord avec l'ARS Bretagne. " * 8
        + '</p></article><p class="meta"><time datetime="2024-03-06">Publié le 06/03/2024'
        "</time></p></body></html>"
    )
    text = html_text(html.encode()).text
    assert text.startswith("Rennes, le 5 mars 2024")


CPTS_SITE = TEST_DATA / "cpts_site_news_page.html"


def test_a_cpts_site_keeps_its_name_title_and_publication_line():
    """A CPTS's own news page names the CPTS only in <title> and its logo ("notre
    communauté" in the body): the site name and the publication line go back on top."""
    from extractors.kinds import cpts_name

    text = html_text(CPTS_SITE.read_bytes()).text
    assert text.split("\n\n")[:3] == [
        "CPTS des Coteaux du Lauragais",  # the site's name: it names a CPTS
        "Nous avons signé !",  # the <h1>, which trafilatura dropped
        "Publié le 3 octobre 2024",  # the byline, without its author
    ]
    assert "cookies" not in text and "Mentions légales" not in text
    doc = build_document("t", text)
    assert [f.value for f in published_on.extract(doc)] == ["2024-10-03"]
    assert {f.value for f in signed_on.extract(doc)} == {"2024-09-26"}
    assert {f.value for f in cpts_name.extract(doc)} == {"CPTS des Coteaux du Lauragais"}


@pytest.mark.parametrize(
    ("html", "lines"),
    [
        pytest.param(
            "<title>Une nouvelle CPTS dans le Gers – La Dépêche</title>",
            ["Une nouvelle CPTS dans le Gers"],
            id="news-site-name-dropped",
        ),
        pytest.param(
            '<title>Actualités</title><meta property="og:site_name" content="CPTS Rance '
            'Émeraude"><h1>Signature de notre ACI</h1>',
            ["CPTS Rance Émeraude", "Signature de notre ACI"],
            id="og-site-name-then-h1",
        ),
        pytest.param("<p>Pas de titre</p>", [], id="no-title"),
    ],
)
def test_header_lines(html: str, lines: list[str]):
    from flows.read.html import header_lines

    assert header_lines(f"<html><head>{html}</head><body></body></html>") == lines


DATE_PARAGRAPH_PAGE = (
    TEST_DATA / "cpam_news_page_date_paragraph.html"
)


def test_a_date_paragraph_under_a_long_title_stays_its_own_line():
    """A CPAM news page: <h1> (over 60 characters, no final stop) then <p class="date">Publié
    le 6 février 2024</p>. Each block of the page is its own paragraph of the text, so the
    title is not joined to the date line as a wrapped line, and the yearless "le 30 janvier
    dernier" of the chapo gets its year."""
    text = html_text(DATE_PARAGRAPH_PAGE.read_bytes()).text
    assert text.split("\n\n")[:2] == [
        "Les professionnels de santé du Pays de Morlaix s'engagent avec l'Assurance Maladie",
        "Publié le 6 février 2024",
    ]
    assert "cookies" not in text and "Mentions légales" not in text
    doc = build_document("t", text)
    assert [f.value for f in published_on.extract(doc)] == ["2024-02-06"]
    assert {f.value for f in signed_on.extract(doc)} == {"2024-01-30"}
    # list items stay adjacent lines: the lead-in logic sees one list
    assert "affection de longue durée ;\n- organisation des soins" in text


def test_a_publication_byline_beats_an_update_line_of_the_text():
    html = (
        "<html><body><article><h1>La CPTS du Grand Narbonne signe son ACI</h1>"
        "<p>Mis à jour le 12/03/2024</p><p>"
        + "La CPTS du Grand Narbonne a signé son contrat avec l'ARS Occitanie. "
        * 8
        + '</p></article><p class="meta"><time datetime="2024-03-06">Publié le 06/03/2024'
        "</time></p></body></html>"
    )
    doc = build_document("t", html_text(html.encode()).text)
    assert [f.value for f in published_on.extract(doc)] == ["2024-03-06"]


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_a_page_nested_deeper_than_the_parser_holds_keeps_its_text(depth):
    body = ("<p>La CPTS du Lac réunit 12 communes.</p><script>var x = '<p>caché</p>';</script>"
            "<ul><li>Prévention</li><li>Soins non programmés</li></ul>")
    page = f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    result = html_text(page.encode())
    assert result.text.splitlines() == [
        "La CPTS du Lac réunit 12 communes.", "", "Prévention", "", "Soins non programmés"]
    assert any(f"nested {depth + 4} deep" in note for note in result.notes)


def test_a_shallow_page_without_an_article_stays_empty():
    # The streamed reader is for depth only: a menu-only page must not become "text".
    page = "<html><body><nav><a href='/'>Accueil</a> <a href='/x'>Contact</a></nav></body></html>"
    assert html_text(page.encode()).text == ""
