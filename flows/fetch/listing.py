"""What a followed URL lists: a feed (RSS/Atom), a sitemap, or a listing page → `Item`s.

The kind is guessed from the content when the sources file does not say it: an XML document
whose root is <urlset>/<sitemapindex> is a sitemap, one feedparser reads entries from is a
feed, and HTML is a page. A response that is none of them is an error the report names.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser

from flows.fetch.links import page_links
from flows.fetch.sources import Source


class ListingError(Exception):
    """The followed URL does not serve what its kind needs; `str()` says what it serves."""


@dataclass(frozen=True)
class Item:
    url: str
    title: str | None = None
    summary: str | None = None  # feed summary, or link text on a listing page
    published: dt.date | None = None  # as the feed or the sitemap gives it
    marker: str | None = None  # changes when the publisher says the item changed


@dataclass(frozen=True)
class Listing:
    kind: str
    items: tuple[Item, ...]
    sitemaps: tuple[str, ...] = ()  # a sitemap index names other sitemaps


XML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<")
HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.I)
SITEMAP_ROOT = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)\b")
FEED_ROOT = re.compile(rb"<(?:\w+:)?(rss|feed|RDF)\b")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def guess_kind(content: bytes, content_type: str) -> str | None:
    head = content[:4096]
    if SITEMAP_ROOT.search(head):
        return "sitemap"
    if content_type in FEED_TYPES or FEED_ROOT.search(head):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml") or HTML_START.search(head):
        return "page"
    return None


TRACKING = re.compile(r"^(utm_\w+|xtor|at_\w+|fbclid|gclid|mc_[ce]id)$", re.I)
GZIP_MAGIC = b"\x1f\x8b"
MAX_UNZIPPED = 50_000_000  # a sitemap is at most 50 MB uncompressed (sitemaps.org)


def clean_url(url: str) -> str:
    """The item's URL without its fragment and campaign parameters: a feed that tags its links
    "?utm_source=rss" must not make a known release look new."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def read_listing(source: Source, content: bytes, content_type: str, url: str) -> Listing:
    if content[:2] == GZIP_MAGIC:  # sitemap.xml.gz, served as bytes rather than encoded
        content = _gunzip(content)
    kind = source.kind or guess_kind(content, content_type)
    if kind is None:
        what = content_type or "content of unknown type"
        raise ListingError(f"serves {what}: neither a feed, a sitemap nor an HTML page")
    if kind == "feed":
        return Listing("feed", read_feed(content, url))
    if kind == "sitemap":
        return read_sitemap(content, source)
    return Listing("page", read_page(content, url, source))


def read_feed(content: bytes, url: str = "") -> tuple[Item, ...]:
    if not XML_START.match(content[:1024]):
        raise ListingError("not a feed: the response is not XML")
    parsed = feedparser.parse(content)  # bytes: feedparser reads them, it fetches nothing
    if not parsed.entries and not parsed.get("version"):
        raise ListingError("not a feed: no RSS or Atom root element")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or _first_alternate(entry)
        link = urljoin(url, link) if link else link
        if not link or urlsplit(link).scheme not in ("http", "https"):
            continue
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a
        # deprecation warning.
        published = _struct_date(entry.get("published_parsed")
                                 or dict.get(entry, "updated_parsed"))
        marker = dict.get(entry, "updated") or entry.get("published")
        summary = _plain(entry.get("summary") or "")
        title = _plain(entry.get("title") or "") or None
        items.append(Item(clean_url(link), title, summary or None, published, marker))
    if parsed.bozo and not items:  # broken XML that yields nothing usable is no feed
        raise ListingError(f"not a readable feed: {parsed.get('bozo_exception', 'bad XML')}")
    return tuple(items)


def read_sitemap(content: bytes, source: Source) -> Listing:
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise ListingError(f"not a readable sitemap: {exc}") from None
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        locs = [_text(child, "loc") for child in root]
        return Listing("sitemap", (), tuple(loc for loc in locs if loc))
    if tag != "urlset":
        raise ListingError(f"not a sitemap: root element <{tag}>")
    pattern = re.compile(source.pattern) if source.pattern else None
    items = []
    for child in root:
        loc = _text(child, "loc")
        if not loc or urlsplit(loc).scheme not in ("http", "https"):
            continue
        if pattern and not pattern.search(loc):
            continue
        lastmod = _text(child, "lastmod")
        items.append(Item(clean_url(loc), None, None, _iso_date(lastmod), lastmod))
    return Listing("sitemap", tuple(items))


def read_page(content: bytes, url: str, source: Source) -> tuple[Item, ...]:
    from flows.read.html import declared_charset
    from flows.read.text import decode_text

    html = decode_text(content, declared=declared_charset(content)).text
    pattern = re.compile(source.pattern) if source.pattern else None
    own = urlsplit(url)
    items = []
    for link in page_links(html, url):
        target = urlsplit(link.url)
        if (target.netloc, target.path) == (own.netloc, own.path):
            continue  # the page itself, or an anchor on it
        if pattern and not pattern.search(link.url):
            continue
        items.append(Item(clean_url(link.url), link.text or None, None))
    return tuple(items)


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as handle:
            data = handle.read(MAX_UNZIPPED + 1)
    except (OSError, EOFError) as exc:
        raise ListingError(f"not a readable gzip file: {exc}") from None
    if len(data) > MAX_UNZIPPED:
        raise ListingError(f"more than {MAX_UNZIPPED // 1_000_000} MB once uncompressed")
    return data


def _first_alternate(entry) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _struct_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except (ValueError, AttributeError):
        return None


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _text(element: ET.Element, name: str) -> str | None:
    for child in element:
        if child.tag.rsplit("}", 1)[-1] == name and child.text:
            return child.text.strip()
    return None


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(text).split())

