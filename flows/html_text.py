"""HTML page → its main text and title, without navigation, cookie banners, scripts or share
buttons (trafilatura), decoded with the charset the page declares."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

from flows.text_decode import decode_text

# Where a page names its encoding: <meta charset>, the http-equiv form, or an XML declaration.
# Browsers look only near the top of the file, and so do we.
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)   # <meta charset=x>, http-equiv form
       | <\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)     # <?xml encoding="x"?>""",
    re.IGNORECASE | re.VERBOSE,
)
SNIFF_BYTES = 4096


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
