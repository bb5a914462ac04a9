"""A varied release text → the bytes of a .txt, .html or .pdf file.

PDF pages are laid out by hand (our own line wrapping, one `text()` call per line): fpdf2's
`multi_cell` measures every glyph and made a release cost ~110 ms, this costs ~20 ms, which is
what lets N = 10 000 (2 500 PDFs) build in about a minute. Wrapped lines are realistic too: the
pipeline must join them back, as it does for real PDFs.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import random
import re
import textwrap
from functools import cache
from pathlib import Path

from fpdf import FPDF

FIXED_CREATION_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
PAGE_TOP, LINE_HEIGHT, PAGE_LINES, WRAP_CHARS = 22.0, 5.0, 50, 100
BOLD = re.compile(r"\*\*(.+?)\*\*")
BULLET = re.compile(r"^\s*(?:[-•]|\uf0b7|)\s+")


@cache
def find_font() -> str:
    """A Unicode TTF on this machine (accents must survive PDF → text)."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = sorted(Path("/usr/share/fonts").rglob("*.ttf")) if Path("/usr/share/fonts").exists() \
        else []
    if not found:
        import fpdf

        found = sorted(Path(fpdf.__file__).parent.rglob("*.ttf"))
    if not found:
        raise FileNotFoundError("no TTF font found for the PDF part of the benchmark corpus")
    return str(found[0])


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; a block holding a bullet list gives one per item."""
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.split("\n")
        if any(BULLET.match(line) for line in lines[1:]):
            out.extend(" ".join(line.split()) for line in lines if line.strip())
        elif block.strip():
            out.append(" ".join(block.split()))
    return out


def to_txt(text: str) -> bytes:
    return text.encode("utf-8")


def to_pdf(text: str, n_pages: int) -> bytes:
    """Lay the release out on exactly `n_pages` A4 pages, with a page footer."""
    lines: list[str] = []
    for para in paragraphs(BOLD.sub(r"\1", text)):
        lines.extend(textwrap.wrap(para, WRAP_CHARS, break_on_hyphens=False) or [""])
        lines.append("")
    per_page = math.ceil(len(lines) / n_pages)
    if per_page > PAGE_LINES:
        raise ValueError(f"release too long for {n_pages} pages ({len(lines)} lines)")
    pdf = FPDF(format="A4")
    # fpdf2 stamps the current time into the file: a fixed date keeps corpora reproducible.
    pdf.set_creation_date(FIXED_CREATION_DATE)
    pdf.set_auto_page_break(False)
    pdf.add_font("body", "", find_font())
    for page in range(n_pages):
        pdf.add_page()
        pdf.set_font("body", size=10)
        y = PAGE_TOP
        for line in lines[page * per_page : (page + 1) * per_page]:
            if line:
                pdf.text(18, y, line)
            y += LINE_HEIGHT
        pdf.set_font("body", size=8)
        pdf.text(95, 287, f"Page {page + 1}/{n_pages}")
    return bytes(pdf.output())


def to_html(text: str, rng: random.Random) -> bytes:
    """A press-release web page: cookie banner, navigation, article, aside and footer."""
    paras = paragraphs(text)
    title = paras[0] if paras else "Communiqué de presse"
    body = "\n".join(_html_block(p) for p in paras[1:])
    site = rng.choice(["ARS Auvergne-Rhône-Alpes", "ARS Nouvelle-Aquitaine", "Assurance Maladie"])
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{html.escape(title[:90])} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/themes/custom/ars/css/style.css">
<script src="/core/misc/drupal.js"></script>
</head>
<body class="page-node-type-communique">
<div id="cookie-banner" class="cookies" role="dialog">
<p>Ce site utilise des cookies pour mesurer son audience et améliorer votre expérience.</p>
<button>Tout accepter</button> <button>Tout refuser</button> <a href="/cookies">Personnaliser</a>
</div>
<header class="site-header">
<a class="logo" href="/">{site}</a>
<nav aria-label="Menu principal"><ul>
<li><a href="/">Accueil</a></li><li><a href="/actualites">Actualités</a></li>
<li><a href="/offre-de-soins">Offre de soins</a></li><li><a href="/presse">Espace presse</a></li>
<li><a href="/contact">Nous contacter</a></li>
</ul></nav>
<nav class="breadcrumb"><a href="/">Accueil</a> › <a href="/presse">Presse</a> › Communiqué</nav>
</header>
<main>
<article class="node-communique">
<h1>{html.escape(title)}</h1>
{body}
</article>
<aside class="related"><h2>À lire aussi</h2><ul>
<li><a href="/cpts">Les CPTS en questions</a></li>
<li><a href="/exercice-coordonne">L’exercice coordonné</a></li></ul></aside>
</main>
<footer class="site-footer">
<p>{site} – 241 rue Garibaldi – CS 93383 – 69418 Lyon cedex 03</p>
<ul><li><a href="/mentions-legales">Mentions légales</a></li>
<li><a href="/accessibilite">Accessibilité : partiellement conforme</a></li>
<li><a href="/plan-du-site">Plan du site</a></li></ul>
</footer>
</body>
</html>
"""
    return page.encode("utf-8")


def _html_block(paragraph: str) -> str:
    inner = BOLD.sub(r"<strong>\1</strong>", html.escape(paragraph, quote=False))
    if BULLET.match(paragraph):
        return f"<ul><li>{BULLET.sub('', inner, count=1)}</li></ul>"
    if len(paragraph) < 110 and not paragraph.rstrip().endswith((".", ";", ",")):
        return f"<h2>{inner}</h2>"
    return f"<p>{inner}</p>"
