"""`fetch` end to end against a publisher on 127.0.0.1: what lands in the inbox, what is
reported, and what is never asked twice. No test reaches the internet; each is bounded."""

from __future__ import annotations

import json

import pytest

from flows.fetch.follow import fetch_all
from flows.fetch.sources import Source, SourcesFile
from flows.fetch.state import STATE_FILE
from flows.read.discover import discover
from flows.read.sidecar import read_sidecar
from tests.flows.fetch.conftest import FAST
from tests.flows.fetch.server import Route, atom, page, pdf, release, rss, sitemap

pytestmark = pytest.mark.timeout(60)

RELEASE = ["La CPTS du Val Test a signé son accord conventionnel le 12 mars 2024.",
           "Elle couvre 40 000 habitants répartis sur 25 communes."]


def run(site, client, inbox, *sources):
    return fetch_all(SourcesFile(tuple(sources), FAST), inbox, client)


def outcomes(report):
    return {i.url.rsplit("/", 1)[-1]: i.outcome for i in report.items}


def test_rss_feed_keeps_cpts_items_and_writes_sidecars(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([
        ("Signature de l'ACI de la CPTS du Val Test", site.url("/actu/cpts-val"),
         "Tue, 12 Mar 2024 10:00:00 GMT"),
        ("Campagne de vaccination antigrippale", site.url("/actu/grippe"),
         "Mon, 11 Mar 2024 10:00:00 GMT"),
    ]), "application/rss+xml", etag='"v1"')
    site.routes["/actu/cpts-val"] = Route(release("Signature de l'ACI", RELEASE))
    site.routes["/actu/grippe"] = Route(release("Grippe", ["Vaccinez-vous."]))
    [report] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert report.status == "ok" and report.kind == "feed"
    assert outcomes(report) == {"cpts-val": "new", "grippe": "not_relevant"}
    assert site.count("/actu/grippe") == 0  # judged by its title, never downloaded
    [entry] = discover([tmp_path])  # the sidecar and the state file are not inputs
    meta = read_sidecar(entry.path)
    assert meta.url == site.url("/actu/cpts-val")
    assert meta.title == "Signature de l'ACI de la CPTS du Val Test"
    assert meta.published == "2024-03-12" and meta.feed == site.url("/rss.xml")
    assert entry.source.startswith("127.0.0.1/") and entry.source.endswith(".html")


def test_second_run_asks_nothing_again(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([("CPTS du Val : signature", site.url("/a/cpts-1"),
                                          "Tue, 12 Mar 2024 10:00:00 GMT")]),
                                    "application/rss+xml", etag='"feed-1"')
    site.routes["/a/cpts-1"] = Route(release("CPTS", RELEASE))
    run(site, client, tmp_path, Source(site.url("/rss.xml")))
    [again] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert again.status == "not_modified"
    feed_hits = [h for h in site.hits if h.path == "/rss.xml"]
    assert feed_hits[-1].headers.get("if-none-match") == '"feed-1"'
    assert site.count("/a/cpts-1") == 1


def test_feed_without_etag_lists_known_items_without_fetching_them(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([("CPTS du Val : signature", site.url("/a/cpts-1"),
                                          "Tue, 12 Mar 2024 10:00:00 GMT")]),
                                    "application/rss+xml")
    site.routes["/a/cpts-1"] = Route(release("CPTS", RELEASE))
    run(site, client, tmp_path, Source(site.url("/rss.xml")))
    [again] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert outcomes(again) == {"cpts-1": "known"}
    assert site.count("/a/cpts-1") == 1


def test_changed_atom_entry_is_a_new_version_of_the_same_file(site, client, tmp_path):
    def feed(updated):
        return atom([("La CPTS du Val Test signe", site.url("/p/cpts-val"), updated)])

    site.routes["/atom.xml"] = Route(feed("2024-03-12T10:00:00Z"), "application/atom+xml")
    site.routes["/p/cpts-val"] = Route(release("CPTS", RELEASE), etag='"p1"')
    [first] = run(site, client, tmp_path, Source(site.url("/atom.xml")))
    assert first.kind == "feed" and outcomes(first) == {"cpts-val": "new"}
    # The feed says the entry changed, but the page answers 304: nothing new is written.
    site.routes["/atom.xml"].body = feed("2024-03-13T10:00:00Z")
    [same] = run(site, client, tmp_path, Source(site.url("/atom.xml")))
    assert outcomes(same) == {"cpts-val": "unchanged"}
    assert site.hits[-1].headers.get("if-none-match") == '"p1"'
    # Now the page itself changed.
    site.routes["/atom.xml"].body = feed("2024-03-14T10:00:00Z")
    site.routes["/p/cpts-val"] = Route(release("CPTS", [*RELEASE, "Mise à jour."]), etag='"p2"')
    [changed] = run(site, client, tmp_path, Source(site.url("/atom.xml")))
    assert outcomes(changed) == {"cpts-val": "updated"}
    [entry] = discover([tmp_path])
    assert read_sidecar(entry.path).version == 2
    assert "Mise à jour." in entry.path.read_text(encoding="utf-8")


def test_sitemap_follows_the_pattern_newest_first_within_max_items(site, client, tmp_path):
    site.routes["/sitemap.xml"] = Route(sitemap([
        (site.url("/presse/2023-cpts-nord"), "2023-01-05"),
        (site.url("/presse/2024-cpts-sud"), "2024-06-01"),
        (site.url("/presse/2024-cpts-est"), "2024-02-01"),
        (site.url("/emploi/cpts-recrute"), "2024-07-01"),
    ]), "application/xml")
    for slug in ("2023-cpts-nord", "2024-cpts-sud", "2024-cpts-est"):
        site.routes[f"/presse/{slug}"] = Route(release("CPTS", [*RELEASE, slug]))
    source = Source(site.url("/sitemap.xml"), pattern="/presse/", max_items=2)
    [report] = run(site, client, tmp_path, source)
    assert report.kind == "sitemap"
    assert outcomes(report) == {"2024-cpts-sud": "new", "2024-cpts-est": "new",
                                "2023-cpts-nord": "deferred"}
    [later] = run(site, client, tmp_path, source)
    assert outcomes(later)["2023-cpts-nord"] == "new"


def test_listing_page_and_the_pdf_its_release_page_links(site, client, tmp_path):
    links = ("<ul><li><a href='/actu/cpts-lac'>La CPTS du Lac signe son ACI</a></li>"
             "<li><a href='/actu/travaux'>Travaux à l'hôpital</a></li>"
             "<li><a href='mailto:presse@example.org'>Contact</a></li></ul>")
    site.routes["/actualites"] = Route(page("Actualités", "<p>Nos actualités</p>", links))
    site.routes["/actu/cpts-lac"] = Route(page(
        "La CPTS du Lac signe son ACI", "<p>Lire le communiqué.</p>",
        "<a href='/docs/cp-cpts-lac.pdf'>Communiqué de presse (PDF)</a>"
        "<a href='/docs/plan-acces.pdf'>Plan d'accès</a>"))
    site.routes["/docs/cp-cpts-lac.pdf"] = Route(pdf(" ".join(RELEASE)), "application/pdf")
    [report] = run(site, client, tmp_path, Source(site.url("/actualites")))
    assert report.kind == "page"
    assert outcomes(report) == {"cpts-lac": "new", "travaux": "not_relevant",
                                "cp-cpts-lac.pdf": "new", "": "not_relevant"}  # "" is "/"
    assert site.count("/docs/plan-acces.pdf") == 0
    pdf_entry = next(e for e in discover([tmp_path]) if e.source.endswith(".pdf"))
    meta = read_sidecar(pdf_entry.path)
    assert meta.linked_from == site.url("/actu/cpts-lac")
    assert meta.title == "La CPTS du Lac signe son ACI"


def test_same_bytes_at_two_urls_are_kept_once(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([
        ("CPTS du Val (1)", site.url("/a/cpts-un"), "Tue, 12 Mar 2024 10:00:00 GMT"),
        ("CPTS du Val (2)", site.url("/b/cpts-deux"), "Mon, 11 Mar 2024 10:00:00 GMT"),
    ]), "application/rss+xml")
    site.routes["/a/cpts-un"] = site.routes["/b/cpts-deux"] = Route(release("CPTS", RELEASE))
    [report] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert outcomes(report) == {"cpts-un": "new", "cpts-deux": "duplicate"}
    assert len(discover([tmp_path])) == 1
    [again] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert outcomes(again) == {"cpts-un": "known", "cpts-deux": "known"}


MISBEHAVING = [
    # (path, route, expected outcome, words of the reported message)
    ("/m/cpts-absent", None, "failed", "HTTP 404"),
    ("/m/cpts-flaky", Route(release("CPTS", RELEASE), fail_first=1), "new", ""),
    ("/m/cpts-down", Route(b"", fail_first=99), "failed", "HTTP 500"),
    ("/m/cpts-loop", Route(b"", 302, status=302,
                           headers={"Location": "/m/cpts-loop2"}), "failed", "redirect loop"),
    ("/m/cpts-slow", Route(release("CPTS", RELEASE), delay=2.5), "failed", "timed out"),
    ("/m/cpts-huge", Route(stream_bytes=50_000_000), "failed", "larger than the limit"),
    # One byte every 0.2 s never trips the read timeout; the response deadline stops it.
    ("/m/cpts-trickle", Route(stream_bytes=1000, trickle=0.2), "failed", "took longer than"),
    ("/m/cpts-image", Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"), "failed",
     "wrong content type"),
    ("/m/cpts-fake.pdf", Route(b"<html>not a pdf</html>", "application/pdf"), "failed",
     "wrong content type"),
    ("/prive/cpts-secret", Route(release("CPTS", RELEASE)), "forbidden", "robots.txt"),
]


def test_every_misbehaviour_ends_as_a_reported_outcome(site, client, tmp_path):
    for path, route, _, _ in MISBEHAVING:
        if route is not None:
            site.routes[path] = route
    site.routes["/m/cpts-loop2"] = Route(b"", status=302, headers={"Location": "/m/cpts-loop"})
    items = [(f"CPTS {p}", site.url(p), "Tue, 12 Mar 2024 10:00:00 GMT") for p, *_ in MISBEHAVING]
    site.routes["/rss.xml"] = Route(rss(items), "application/rss+xml")
    [report] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    by_url = {i.url: i for i in report.items}
    for path, _, outcome, words in MISBEHAVING:
        item = by_url[site.url(path)]
        assert item.outcome == outcome, (path, item)
        assert words in item.message, (path, item.message)
    assert site.count("/prive/cpts-secret") == 0
    assert site.count("/m/cpts-flaky") == 2  # 500, then 200
    assert len(discover([tmp_path])) == 1


@pytest.mark.parametrize(("route", "kind", "words"), [
    (Route(b"this is not XML at all", "application/rss+xml"), "feed", "not XML"),
    (Route(b"<?xml version='1.0'?><rss><channel><item>", "application/rss+xml"), "feed",
     "not a readable feed"),
    (Route(b"\x89PNG\r\n\x1a\n", "image/png"), None, "neither a feed"),
    (Route(b"<urlset><url><loc>", "application/xml"), "sitemap", "not a readable sitemap"),
])
def test_a_source_that_is_not_what_it_should_be_fails_alone(site, client, tmp_path, route,
                                                             kind, words):
    site.routes["/bad"] = route
    site.routes["/rss.xml"] = Route(rss([("CPTS du Val", site.url("/a/cpts"),
                                          "Tue, 12 Mar 2024 10:00:00 GMT")]),
                                    "application/rss+xml")
    site.routes["/a/cpts"] = Route(release("CPTS", RELEASE))
    bad, good = run(site, client, tmp_path, Source(site.url("/bad"), kind),
                    Source(site.url("/rss.xml")))
    assert bad.status == "failed" and words in bad.message
    assert good.status == "ok" and outcomes(good) == {"cpts": "new"}


def test_unreachable_and_missing_sources_are_reported(site, client, tmp_path):
    reports = run(site, client, tmp_path, Source(site.url("/nothing-here.xml")),
                  Source("http://127.0.0.1:9/closed.xml"))
    assert [r.status for r in reports] == ["failed", "failed"]
    assert "HTTP 404" in reports[0].message
    assert "cannot connect" in reports[1].message


def test_requests_say_who_we_are(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([]), "application/rss+xml")
    run(site, client, tmp_path, Source(site.url("/rss.xml")))
    agents = {h.headers.get("user-agent") for h in site.hits}
    [agent] = agents
    assert agent.startswith("cpts-facts/")
    assert [h.path for h in site.hits[:2]] == ["/robots.txt", "/rss.xml"]


def test_a_run_killed_after_writing_files_does_not_fetch_them_again(site, client, tmp_path):
    site.routes["/rss.xml"] = Route(rss([("CPTS du Val", site.url("/a/cpts"),
                                          "Tue, 12 Mar 2024 10:00:00 GMT")]),
                                    "application/rss+xml")
    site.routes["/a/cpts"] = Route(release("CPTS", RELEASE))
    run(site, client, tmp_path, Source(site.url("/rss.xml")))
    (tmp_path / STATE_FILE).unlink()  # as if killed before the state was saved
    [again] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert outcomes(again) == {"cpts": "known"}
    assert site.count("/a/cpts") == 1
    state = json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))
    assert site.url("/a/cpts") in state["items"]


def test_a_dead_link_is_given_up_after_a_few_runs_until_it_changes(site, client, tmp_path):
    def feed(date):
        return rss([("CPTS du Val", site.url("/a/cpts-mort"), date)])

    site.routes["/rss.xml"] = Route(feed("Tue, 12 Mar 2024 10:00:00 GMT"), "application/rss+xml")
    seen = [outcomes(run(site, client, tmp_path, Source(site.url("/rss.xml")))[0])["cpts-mort"]
            for _ in range(4)]
    assert seen == ["failed", "failed", "failed", "given_up"]
    assert site.count("/a/cpts-mort") == 3
    site.routes["/a/cpts-mort"] = Route(release("CPTS", RELEASE))
    site.routes["/rss.xml"].body = feed("Wed, 13 Mar 2024 10:00:00 GMT")
    [report] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert outcomes(report) == {"cpts-mort": "new"}


def test_half_written_files_of_a_killed_run_are_cleaned(site, client, tmp_path):
    (tmp_path / "127.0.0.1").mkdir()
    partial = tmp_path / "127.0.0.1" / ".x.html.abc.part"
    partial.write_bytes(b"<html>half")
    site.routes["/rss.xml"] = Route(rss([]), "application/rss+xml")
    run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert not partial.exists()


def test_a_sitemap_index_is_followed_to_its_sitemaps(site, client, tmp_path):
    site.routes["/sitemap-index.xml"] = Route((
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/s1.xml')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/s-absent.xml')}</loc></sitemap></sitemapindex>").encode(),
        "application/xml")
    site.routes["/s1.xml"] = Route(sitemap([(site.url("/p/cpts-val"), "2024-03-12")]),
                                   "application/xml")
    site.routes["/p/cpts-val"] = Route(release("CPTS", RELEASE))
    [report] = run(site, client, tmp_path, Source(site.url("/sitemap-index.xml")))
    assert report.kind == "sitemap"
    assert outcomes(report) == {"cpts-val": "new", "s-absent.xml": "failed"}


def test_a_site_can_turn_cpts_facts_away_by_name(site, client, tmp_path):
    site.routes["/robots.txt"] = Route(b"User-agent: cpts-facts\nDisallow: /\n\n"
                                       b"User-agent: *\nDisallow:\n", "text/plain")
    site.routes["/rss.xml"] = Route(rss([]), "application/rss+xml")
    [report] = run(site, client, tmp_path, Source(site.url("/rss.xml")))
    assert report.status == "failed" and "robots.txt" in report.message
    assert site.count("/rss.xml") == 0
