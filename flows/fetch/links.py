"""The links of an HTML page: absolute http(s) URL and visible text, in page order."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

SKIPPED = {"script", "style", "noscript", "template"}


@dataclass(frozen=True)
class Link:
    url: str
    text: str


class _Links(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[Link] = []
        self._open: list[tuple[str, list[str]]] = []  # (href, text parts) of open <a>
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skip += 1
        elif tag == "base" and self.base:
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href.strip())
        elif tag == "a":
            a = dict(attrs)
            self._open.append((a.get("href") or "", [a.get("title") or ""]))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._open:
            href, parts = self._open.pop()
            self._add(href, " ".join(" ".join(parts).split()))

    def handle_data(self, data: str) -> None:
        if not self._skip:
            for _, parts in self._open:
                parts.append(data)

    def _add(self, href: str, text: str) -> None:
        href = href.strip()
        if not href:
            return
        url = urldefrag(urljoin(self.base, href))[0]
        if urlsplit(url).scheme in ("http", "https"):
            self.links.append(Link(url, text))


def page_links(html: str, base_url: str) -> list[Link]:
    parser = _Links(base_url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; anything it still chokes on ends the list
        pass
    seen, links = set(), []
    for link in parser.links:
        if link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def is_pdf_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")
