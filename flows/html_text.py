"""HTML page → its main text and title, without navigation, cookie banners, scripts or share
buttons (trafilatura), decoded with the charset the page declares.

trafilatura drops the page's own byline ("Publié le 05/04/2022 à 18:42" in a <time> or a meta
paragraph), and with it the release's date that yearless dates of the body need. When the main
text has no dateline of its own, the publication line is put back on top of the text, exactly
as the page shows it (so the published_on fact has a real span): the first visible "Publié le
…" phrase, else the visible text of the first <time> element when it is a date on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from trafilatura.utils import load_html

from extractors.dateline import find_dateline
from flows.text_decode import decode_text

# Where a page names its encoding: <meta charset>, the http-equiv form, or an XML declaration.
# Browsers look only near the top of the file, and so do we.
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)   # <meta charset=x>, http-equiv form
       | <\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)     # <?xml encoding="x"?>""",
    re.IGNORECASE | re.VERBOSE,
)
SNIFF_BYTES = 4096
BYLINE_MAX_CHARS = 300  # an element holding the byline is short; the article body is not
INVISIBLE = {"script", "style", "noscript", "template", "head", "title"}


@dataclass(frozen=True)
class HtmlText:
    text: str  # "" when the page has no main content
    title: str | None
    notes: tuple[str, ...]


def html_text(data: bytes) -> HtmlText:
    """Main content of the page; raises `NotText` (a `BadInputError`) for binary content."""
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
    text = (getattr(result, "text", None) or "").strip()
    if text and find_dateline(text) is None:
        line = publication_line(decoded.text)
        if line:
            text = f"{line}\n\n{text}"
    title = getattr(result, "title", None)
    if not title:
        metadata = trafilatura.extract_metadata(decoded.text)
        title = getattr(metadata, "title", None)
    return HtmlText(text, title.strip() if title else None, decoded.notes)


def declared_charset(data: bytes) -> str | None:
    match = DECLARED_CHARSET.search(data[:SNIFF_BYTES])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


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
        found = find_dateline(words)
        if (
            found
            and found.place is None
            and words[found.start : found.end]
            .lower()
            .startswith(("publi", "date de publication", "mis en ligne"))
        ):
            return words[found.start : found.end]
        if tag == "time" and found and (found.start, found.end) == (0, len(words)):
            time_texts.append(words)
    return time_texts[0] if time_texts else None
