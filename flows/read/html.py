"""HTML page → its main text and title, without navigation, cookie banners, scripts or share
buttons (trafilatura), decoded with the charset the page declares.

trafilatura drops the page's own byline ("Publié le 05/04/2022 à 18:42" in a <time> or a meta
paragraph), and with it the release's date that yearless dates of the body need. When the main
text has no dateline of its own, the publication line is put back on top of the text, exactly
as the page shows it (so the published_on fact has a real span): the first visible "Publié le
…" phrase, else the visible text of the first <time> element when it is a date on its own.

trafilatura may also drop the page's own title (<h1>, else <title> minus its site-name suffix)
and the site's name, which on a CPTS's own site is the only place the CPTS is named ("C'est
signé ! – CPTS Val de Loire Orléanais" while the body says "notre communauté"). The title goes
back on top when the main text lacks it, and the site name too when it names a CPTS, each as
its own line, the way a printed release shows its letterhead and headline.
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass

import trafilatura
import trafilatura.metadata
from trafilatura.utils import load_html

from extractors.text.dateline import find_dateline
from flows.read.deep_html import streamed_text
from flows.read.text import decode_text

# Where a page names its encoding: <meta charset>, the http-equiv form, or an XML declaration.
# Browsers look only near the top of the file, and so do we.
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)   # <meta charset=x>, http-equiv form
       | <\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)     # <?xml encoding="x"?>""",
    re.IGNORECASE | re.VERBOSE,
)
SNIFF_BYTES = 4096
# "C'est signé ! – CPTS Val de Loire Orléanais", "Actualités | CPTS Sud Toulousain": the last
# spaced dash or bar of a <title> separates the page's title from the site's name.
TITLE_SEPARATOR = re.compile(r"\s+[–—|·-]\s+")
# A site name that names a CPTS: its letterhead is worth keeping.
NAMES_CPTS = re.compile(r"\bCPTS\b|communaut[ée]\s+professionnelle\s+territoriale", re.IGNORECASE)
TITLE_MAX_CHARS = 200
LIST_ITEM = re.compile(r"[-•*·▪]\s")  # trafilatura writes <li> as "- item"
# How a page's own publication line starts ("Publié le", "Date de publication :").
PUBLICATION_CUES = ("publi", "date de publication", "mis en ligne")
BYLINE_MAX_CHARS = 300  # an element holding the byline is short; the article body is not
INVISIBLE = {"script", "style", "noscript", "template", "head", "title"}
# Beyond this depth libxml2 stops building the tree (trafilatura then finds nothing).
PARSER_MAX_DEPTH = 255


# The page's date as htmldate finds it: trafilatura asks for it with the title (one call,
# `with_metadata`), and it was half the time of reading a page (tree copied and cleaned,
# dateparser over the free text). Nothing here reads it: the release's date is the byline
# put back on top of the text (publication_line) and read by the extractors. htmldate works
# on a copy of the tree, so skipping it leaves the text and the title as they were.
_WITHOUT_DATE = contextvars.ContextVar("cpts_facts_without_page_date", default=False)
_find_date = trafilatura.metadata.find_date


def _page_date(*args, **kwargs):
    return None if _WITHOUT_DATE.get() else _find_date(*args, **kwargs)


trafilatura.metadata.find_date = _page_date


@dataclass(frozen=True)
class HtmlText:
    text: str  # "" when the page has no main content
    title: str | None
    notes: tuple[str, ...]


def html_text(data: bytes) -> HtmlText:
    """Main content of the page; raises `NotText` (a `BadInputError`) for binary content."""
    token = _WITHOUT_DATE.set(True)
    try:
        return _html_text(data)
    finally:
        _WITHOUT_DATE.reset(token)


def _html_text(data: bytes) -> HtmlText:
    decoded = decode_text(data, declared=declared_charset(data))
    # favor_precision + fast (no readability/justext fallback): on a page without an article,
    # the fallbacks return the menu and the cookie banner, which is worse than nothing.
    result = trafilatura.bare_extraction(
        decoded.text,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
    )
    text = block_lines(getattr(result, "text", None) or "")
    notes = decoded.notes
    if not text:
        deep = streamed_text(decoded.text)
        if deep.max_depth > PARSER_MAX_DEPTH and deep.text:
            text = block_lines(deep.text)
            notes = (*notes, f"elements nested {deep.max_depth} deep: read as the page's "
                     "whole visible text, menus included")
    if text:
        header = [line for line in header_lines(decoded.text) if not _contains(text, line)]
        own = find_dateline(text)
        if own is None or own.update:  # a "Publié le" byline beats a "Mis à jour le" line
            line = publication_line(decoded.text)
            if line:
                header.append(line)
        if header:
            text = "\n\n".join([*header, text])
    title = getattr(result, "title", None)
    if not title:
        metadata = trafilatura.extract_metadata(decoded.text)
        title = getattr(metadata, "title", None)
    return HtmlText(text, title.strip() if title else None, notes)


def block_lines(text: str) -> str:
    """trafilatura's lines, one per block of the page (<h1>, <p class="date">, <li>...), set
    apart by blank lines: a page's line is never a wrapped line, and document.py would join a
    long title to the "Publié le 3 octobre 2023" paragraph under it. List items stay adjacent
    (they are never joined: they start with their bullet)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and not (LIST_ITEM.match(line) and LIST_ITEM.match(out[-1])):
            out.append("")
        out.append(line)
    return "\n".join(out)


def declared_charset(data: bytes) -> str | None:
    match = DECLARED_CHARSET.search(data[:SNIFF_BYTES])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def _contains(text: str, line: str) -> bool:
    return " ".join(line.split()).casefold() in " ".join(text.split()).casefold()


def _visible_words(element) -> str:
    return " ".join(element.text_content().split())


def header_lines(page: str) -> list[str]:
    """The site's name when it names a CPTS, then the page's own title (<h1>, else <title>
    minus the site name), as the page writes them."""
    try:
        tree = load_html(page)
    except (ValueError, TypeError):
        return []
    if tree is None:
        return []
    full = next((_visible_words(t) for t in tree.iter("title")), "")
    parts = TITLE_SEPARATOR.split(full) if full else []
    site = parts[-1] if len(parts) >= 2 else None
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:site_name":
            site = " ".join((meta.get("content") or "").split()) or site
    heading = next((w for h in tree.iter("h1") if (w := _visible_words(h))), None)
    if heading is None and parts:
        heading = " – ".join(parts[:-1]) if site and parts[-1] == site else full
    lines = []
    if site and NAMES_CPTS.search(site) and len(site) <= TITLE_MAX_CHARS:
        lines.append(site)
    if heading and len(heading) <= TITLE_MAX_CHARS and heading != site:
        lines.append(heading)
    return lines


def publication_line(page: str) -> str | None:
    """The page's own "Publié le 05/04/2022 à 18:42" (or <time> date), as the page writes it."""
    try:
        tree = load_html(page)
    except (ValueError, TypeError):
        return None
    if tree is None:
        return None
    time_texts = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in INVISIBLE or any(a.tag in INVISIBLE for a in element.iterancestors()):
            continue
        words = " ".join(element.text_content().split())
        if not words or len(words) > BYLINE_MAX_CHARS:
            continue
        if tag != "time" and not any(cue in words.lower() for cue in PUBLICATION_CUES):
            # Neither kept below: a date line that is no <time> must start with a cue. Most
            # elements are skipped here, before the date search (a quarter of a page's time).
            continue
        found = find_dateline(words)
        if (
            found
            and found.place is None
            and words[found.start : found.end].lower().startswith(PUBLICATION_CUES)
        ):
            return words[found.start : found.end]
        if tag == "time" and found and (found.start, found.end) == (0, len(words)):
            time_texts.append(words)
    return time_texts[0] if time_texts else None
