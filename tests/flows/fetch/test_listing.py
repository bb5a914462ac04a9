"""Feed, sitemap and page → items, without a server: the parsing rules on their own."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from flows.fetch.listing import ListingError, clean_url, guess_kind, read_listing
from flows.fetch.sources import Source
from tests.flows.fetch.server import atom, rss, sitemap

BASE = "https://www.example.org"


@pytest.mark.parametrize(("url", "expected"), [
    (f"{BASE}/actu/cpts?utm_source=rss&utm_medium=feed", f"{BASE}/actu/cpts"),
    (f"{BASE}/actu/cpts?id=12&xtor=RSS-1#haut", f"{BASE}/actu/cpts?id=12"),
    (f"{BASE}/actu/cpts?page=2", f"{BASE}/actu/cpts?page=2"),
])
def test_clean_url(url, expected):
    assert clean_url(url) == expected


@pytest.mark.parametrize(("content", "ctype", "kind"), [
    (rss([]), "application/xml", "feed"),
    (atom([]), "text/xml", "feed"),
    (sitemap([]), "application/xml", "sitemap"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "", "page"),
    (b"%PDF-1.4", "application/pdf", None),
])
def test_guess_kind(content, ctype, kind):
    assert guess_kind(content, ctype) == kind


def test_feed_items_carry_title_summary_date_and_a_clean_absolute_link():
    content = rss([("La CPTS <b>du Val</b> signe", "/actu/cpts-val?utm_source=rss",
                    "Tue, 12 Mar 2024 10:00:00 GMT")])
    [item] = read_listing(Source(f"{BASE}/rss.xml"), content, "application/rss+xml",
                          f"{BASE}/rss.xml").items
    assert item.url == f"{BASE}/actu/cpts-val"
    assert item.title == "La CPTS du Val signe"
    assert item.published == dt.date(2024, 3, 12) and item.marker


def test_a_gzipped_sitemap_is_read():
    content = gzip.compress(sitemap([(f"{BASE}/presse/cpts-val", "2024-03-12")]))
    listing = read_listing(Source(f"{BASE}/sitemap.xml.gz"), content, "application/x-gzip",
                           f"{BASE}/sitemap.xml.gz")
    assert listing.kind == "sitemap"
    assert [i.published for i in listing.items] == [dt.date(2024, 3, 12)]


def test_a_sitemap_index_names_its_sitemaps():
    content = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
               b'sitemap/0.9"><sitemap><loc>https://www.example.org/s1.xml</loc></sitemap>'
               b"</sitemapindex>")
    listing = read_listing(Source(BASE), content, "application/xml", BASE)
    assert listing.sitemaps == (f"{BASE}/s1.xml",) and not listing.items


def test_a_broken_gzip_is_reported():
    with pytest.raises(ListingError, match="gzip"):
        read_listing(Source(BASE), b"\x1f\x8b\x08broken", "application/gzip", BASE)
