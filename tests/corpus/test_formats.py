"""The same release gives the same facts as text, as a web page and as a PDF.

Each seed (corpus/) and each real page (../shared/realdev/, read at test time, never copied)
is turned into what a new user would feed the pipeline: an HTML page (<h1> title, one <p> per
line), the same page with its bullet items flattened onto the line before them (HTML without
<li>, many PDFs), and a PDF printed from it (fpdf2, a Unicode font, lines wrapped at a fixed
width). The CPTS names, their counts and dates and the release date must not move between
formats: a fact that moves to a neighbouring CPTS is the worst error an analyst can meet.
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import pytest
from fpdf import FPDF

from benchmarks.render import FIXED_CREATION_DATE, find_font
from flows.read.discover import discover
from flows.run.process import process_file
from tests.conftest import ROOT

REALDEV = next(
    (d for d in (p / "shared" / "realdev" / "docs" for p in ROOT.parents) if d.is_dir()),
    None,
)
BULLET = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)])\s+")
PDF_WIDTH, PDF_LINES = 95, 50

# Known differences, each with its reason; they must keep differing (strict xfail).
XFAIL = {
    ("b022", "pdf"): "a paragraph without a final full stop whose last line fills the column "
    "is read as wrapped into the next paragraph (pdfium gives no blank line between them)",
    ("c013", "pdf"): "a document host's repeated title lines, wrapped, join the heading below",
    ("c004", "flat"): "a footnote flattened onto a date line becomes a dated header",
}


def to_html(text: str, *, flat: bool = False) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title, body = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
    paragraphs: list[str] = []
    for line in body:
        if flat and paragraphs and BULLET.match(line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    ps = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><main><article>{heading}\n{ps}\n"
        "</article></main></body></html>"
    )


def to_pdf(text: str) -> bytes:
    """Each line a paragraph wrapped at a fixed width, as a browser prints a web page."""
    lines: list[str] = []
    for paragraph in (line for line in text.split("\n") if line.strip()):
        lines += textwrap.wrap(" ".join(paragraph.split()), PDF_WIDTH, break_on_hyphens=False)
        lines.append("")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_CREATION_DATE)
    pdf.set_auto_page_break(False)
    pdf.add_font("body", "", find_font())
    for first in range(0, len(lines), PDF_LINES):
        pdf.add_page()
        pdf.set_font("body", size=10)
        for k, line in enumerate(lines[first : first + PDF_LINES]):
            if line:
                pdf.text(15, 22.0 + 5.0 * k, line)
    return bytes(pdf.output())


def facts(path: Path) -> tuple:
    (entry,) = discover([path])
    result = process_file(entry)
    assembly = result.assembly
    assert assembly is not None, (result.status, result.message, result.ingested.message)
    return (
        assembly.published_on,
        sorted(
            (c.name, c.population, c.communes, c.professionals, c.signed_on)
            for c in assembly.cpts
        ),
    )


def _sources() -> list[Path]:
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    return seeds + (sorted(REALDEV.glob("*.txt")) if REALDEV else [])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], tuple]:
    import warnings

    out = tmp_path_factory.mktemp("formats")
    found = {}
    for source in _sources():
        text = source.read_text(encoding="utf-8")
        files = {
            "txt": (out / f"{source.stem}.txt", text.encode("utf-8")),
            "html": (out / f"{source.stem}.html", to_html(text).encode("utf-8")),
            "flat": (out / f"{source.stem}_flat.html", to_html(text, flat=True).encode("utf-8")),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a glyph the font lacks (an emoji) is dropped
            files["pdf"] = (out / f"{source.stem}.pdf", to_pdf(text))
        for fmt, (path, data) in files.items():
            path.write_bytes(data)
            found[source.stem, fmt] = facts(path)
    return found


CASES = [
    pytest.param(
        source.stem,
        fmt,
        id=f"{source.stem[:4]}-{fmt}",
        marks=[pytest.mark.xfail(reason=XFAIL[source.stem, fmt], strict=True)]
        if (source.stem, fmt) in XFAIL
        else [],
    )
    for source in _sources()
    for fmt in ("html", "flat", "pdf")
]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_same_facts_in_every_format(rendered, stem: str, fmt: str) -> None:
    assert rendered[stem, fmt] == rendered[stem, "txt"]


BUGS_CAUGHT = [
    # Bullets flattened onto one line moved each CPTS's population onto its neighbour.
    pytest.param(
        "Deux CPTS ont signé :\n• CPTS Val d'Aure, créée en mars 2021, dont le périmètre couvre "
        "21 000 habitants\n• CPTS Comminges Sud, créée en mai 2022, dont le périmètre couvre "
        "34 000 habitants",
        id="flattened-bullets-keep-their-owner",
    ),
    # A PDF joined title, dateline and first paragraph and lost the release date.
    pytest.param(
        "Création de la première Communauté professionnelle territoriale de santé du "
        "Comminges\nToulouse, le 3 mars 2024\nL'ARS et la CPAM ont signé le contrat de la CPTS "
        "du Comminges, qui couvre 45 000 habitants.",
        id="pdf-keeps-the-dateline",
    ),
]


@pytest.mark.parametrize("text", BUGS_CAUGHT)
def test_bugs_caught(tmp_path, text: str) -> None:
    txt = tmp_path / "release.txt"
    txt.write_text(text, encoding="utf-8")
    expected = facts(txt)
    assert expected[1], "the text itself must name its CPTS"
    for name, data in (
        ("release.html", to_html(text).encode()),
        ("flat.html", to_html(text, flat=True).encode()),
        ("release.pdf", to_pdf(text)),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert facts(path) == expected, name
