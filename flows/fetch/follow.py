"""One followed source, start to end: list its items, keep those about a CPTS, download the
new ones into the inbox. Every problem becomes part of the `SourceReport`; only a bug raises,
and `fetch_all` turns even that into a failed source so that the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from flows.errors import CptsFactsError
from flows.fetch import outcomes as o
from flows.fetch.http import FetchError, ForbiddenError, PoliteClient
from flows.fetch.links import is_pdf_url, page_links
from flows.fetch.listing import Item, Listing, ListingError, read_listing
from flows.fetch.relevance import about_cpts, release_pdf, url_words
from flows.fetch.save import content_extension, file_for, save
from flows.fetch.sources import Source, SourcesFile
from flows.fetch.state import FetchState, load_state
from flows.read.sidecar import Provenance

MAX_CHILD_SITEMAPS = 10
MAX_PDFS_PER_PAGE = 3
LOCK_FILE = ".cpts-facts-fetch.lock"


def fetch_all(config: SourcesFile, inbox: Path, client: PoliteClient | None = None,
              on_report: Callable[[o.SourceReport], None] | None = None) -> list[o.SourceReport]:
    """Follow every source of `config` into `inbox`, one after the other."""
    inbox = Path(inbox)
    try:
        inbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CptsFactsError(f"cannot use {inbox} as the inbox: {exc.strerror}") from None
    own = client is None
    client = client or PoliteClient(config.settings)
    reports = []
    try:
        with inbox_lock(inbox):
            state = load_state(inbox)
            for source in config.sources:
                report = follow_guarded(source, client, state)
                reports.append(report)
                if on_report is not None:
                    on_report(report)
    finally:
        if own:
            client.close()
    return reports


def inbox_lock(inbox: Path, timeout: float = 0):
    """One fetch per inbox at a time: two would download the same items twice."""
    lock = FileLock(str(Path(inbox) / LOCK_FILE), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise CptsFactsError(f"another fetch is writing to {inbox}") from None
    return _Held(lock)


class _Held:
    def __init__(self, lock: FileLock) -> None:
        self.lock = lock

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def follow_guarded(source: Source, client: PoliteClient, state: FetchState) -> o.SourceReport:
    try:
        return follow_source(source, client, state)
    except Exception as exc:  # a bug must cost one source, not the run
        report = o.SourceReport(source.url, source.name, source.kind)
        report.status = "failed"
        report.message = f"unexpected error: {exc.__class__.__name__}: {exc}"
        return report


def follow_source(source: Source, client: PoliteClient, state: FetchState) -> o.SourceReport:
    report = o.SourceReport(source.url, source.name, source.kind)
    known = state.sources.get(source.url, {})
    pending = known.get("pending", False)  # items left over last time: list them again
    try:
        response = client.get(
            source.url,
            etag=None if pending else known.get("etag"),
            last_modified=None if pending else known.get("last_modified"),
        )
    except FetchError as exc:
        report.transient = exc.transient
        return _failed(report, str(exc))
    if response.not_modified:
        report.status, report.message = "not_modified", "unchanged since the last run (HTTP 304)"
        return report
    try:
        listing = read_listing(source, response.content, response.content_type,
                               response.final_url)
    except ListingError as exc:
        return _failed(report, f"{response.final_url} {exc}")
    report.kind = listing.kind
    items = list(listing.items)
    for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
        items += _child_sitemap(source, client, child, report)
    deferred = _follow_items(source, _newest_first(items), client, state, report)
    state.sources[source.url] = {
        "etag": response.etag, "last_modified": response.last_modified, "kind": listing.kind,
        "checked_at": _now(), "pending": deferred,
    }
    state.save()
    if not items:
        report.message = f"the {listing.kind} lists no item"
    return report


def _child_sitemap(source: Source, client: PoliteClient, url: str,
                   report: o.SourceReport) -> list[Item]:
    try:
        response = client.get(url)
        listing: Listing = read_listing(
            Source(url, "sitemap", pattern=source.pattern), response.content,
            response.content_type, response.final_url)
    except (FetchError, ListingError) as exc:
        report.items.append(o.ItemOutcome(url, o.FAILED, f"sitemap: {exc}"))
        return []
    return list(listing.items)


def _newest_first(items: list[Item]) -> list[Item]:
    seen, unique = set(), []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    # Undated items keep their listed order, after the dated ones (a feed lists newest first).
    return sorted(unique, key=lambda i: (i.published is None, -(i.published or dt.date.min)
                                         .toordinal()))


def _follow_items(source: Source, items: list[Item], client: PoliteClient, state: FetchState,
                  report: o.SourceReport) -> bool:
    budget, deferred = source.max_items, False
    for item in items:
        if not source.all_items and not about_cpts(item.title, item.summary, url_words(item.url)):
            report.items.append(o.ItemOutcome(item.url, o.NOT_RELEVANT))
            continue
        known = state.items.get(item.url)
        if known is not None and known.get("failures") and not _changed(known, item):
            if known["failures"] >= o.MAX_ATTEMPTS:
                report.items.append(o.ItemOutcome(item.url, o.GIVEN_UP, (
                    f"failed on {known['failures']} runs, last: {known.get('error')}")))
                continue
        elif known is not None and not _changed(known, item):
            if known.get("marker") is None and item.marker:
                known["marker"] = item.marker
            report.items.append(o.ItemOutcome(item.url, o.KNOWN, file=known.get("file")))
            continue
        if budget <= 0:
            deferred = True
            report.items.append(o.ItemOutcome(item.url, o.DEFERRED,
                                              f"over max_items = {source.max_items}"))
            continue
        budget -= 1
        outcome = download(item, source, client, state, None if _failed_only(known) else known)
        report.items.append(outcome)
        _count_failure(state, item, outcome)
        if outcome.outcome == o.NEW and outcome.file and outcome.file.endswith(".html"):
            if source.follow_pdfs:
                _linked_pdfs(item, source, client, state, report)
        state.save()
    return deferred


def _failed_only(known: dict | None) -> bool:
    return known is not None and not known.get("sha256")


def _count_failure(state: FetchState, item: Item, outcome: o.ItemOutcome) -> None:
    """Failures of an item never fetched are counted across runs (see MAX_ATTEMPTS)."""
    known = state.items.get(item.url)
    if outcome.outcome == o.FAILED and (known is None or _failed_only(known)):
        failures = 1 if known is None or _changed(known, item) else known.get("failures", 0) + 1
        state.items[item.url] = {"failures": failures, "error": outcome.message,
                                 "marker": item.marker}


def _changed(known: dict, item: Item) -> bool:
    """The publisher says the item changed: its feed date or sitemap lastmod moved on."""
    return bool(item.marker and known.get("marker") and item.marker != known["marker"])


def download(item: Item, source: Source, client: PoliteClient, state: FetchState,
             known: dict | None, linked_from: str | None = None) -> o.ItemOutcome:
    try:
        response = client.get(item.url, etag=(known or {}).get("etag"),
                              last_modified=(known or {}).get("last_modified"))
    except ForbiddenError as exc:
        return o.ItemOutcome(item.url, o.FORBIDDEN, str(exc))
    except FetchError as exc:
        return o.ItemOutcome(item.url, o.FAILED, str(exc))
    if response.not_modified:
        known["marker"] = item.marker or known.get("marker")
        return o.ItemOutcome(item.url, o.UNCHANGED, "HTTP 304", known.get("file"))
    extension = content_extension(response.content, response.content_type)
    if extension is None:
        what = response.content_type or "no content type"
        return o.ItemOutcome(item.url, o.FAILED,
                             f"wrong content type: {what} (neither HTML, PDF nor text)")
    sha = hashlib.sha256(response.content).hexdigest()
    if known is not None and known.get("sha256") == sha:
        known.update(marker=item.marker or known.get("marker"), etag=response.etag,
                     last_modified=response.last_modified)
        return o.ItemOutcome(item.url, o.UNCHANGED, "same bytes as before", known.get("file"))
    first = state.hashes().get(sha)
    if first is not None and first != item.url:
        state.items[item.url] = {"file": None, "sha256": sha, "duplicate_of": first,
                                 "marker": item.marker, "fetched_at": _now()}
        return o.ItemOutcome(item.url, o.DUPLICATE, f"same bytes as {first}",
                             state.items[first].get("file"))
    path = _path_for(state.folder, known, item.url, extension)
    version = (known or {}).get("version", 0) + 1 if known and known.get("file") else 1
    provenance = Provenance(
        file=path.name, url=item.url, final_url=response.final_url, fetched_at=_now(),
        sha256=sha, feed=source.url, source_name=source.name, title=item.title,
        published=item.published.isoformat() if item.published else None,
        linked_from=linked_from, etag=response.etag, last_modified=response.last_modified,
        content_type=response.content_type or None, version=version,
    )
    save(path, response.content, provenance)
    relative = path.relative_to(state.folder).as_posix()
    state.items[item.url] = {
        "file": relative, "sha256": sha, "final_url": response.final_url, "etag": response.etag,
        "last_modified": response.last_modified, "marker": item.marker,
        "fetched_at": provenance.fetched_at, "version": version,
    }
    outcome = o.UPDATED if version > 1 else o.NEW
    return o.ItemOutcome(item.url, outcome, f"version {version}" if version > 1 else "", relative)


def _path_for(inbox: Path, known: dict | None, url: str, extension: str) -> Path:
    # A changed page replaces its file (same name, next version): the dataset then holds the
    # page as it is now, and `serve --prune` drops the rows of the old version.
    if known and known.get("file") and Path(known["file"]).suffix == extension:
        return inbox / known["file"]
    return file_for(inbox, url, extension)


def _linked_pdfs(page: Item, source: Source, client: PoliteClient, state: FetchState,
                 report: o.SourceReport) -> None:
    """The PDF a release page links as the release itself (or its press kit)."""
    path = state.folder / state.items[page.url]["file"]
    from flows.read.html import declared_charset
    from flows.read.text import decode_text

    data = path.read_bytes()
    html = decode_text(data, declared=declared_charset(data)).text
    base = state.items[page.url].get("final_url") or page.url
    pdfs = [link for link in page_links(html, base) if is_pdf_url(link.url)
            and (release_pdf(link.text, url_words(link.url))
                 or about_cpts(link.text, url_words(link.url)))]
    for link in pdfs[:MAX_PDFS_PER_PAGE]:
        known = state.items.get(link.url)
        if known is not None and not _failed_only(known):
            report.items.append(o.ItemOutcome(link.url, o.KNOWN, file=known.get("file")))
            continue
        pdf = Item(link.url, page.title or link.text or None, link.text or None, page.published)
        report.items.append(download(pdf, source, client, state, None, linked_from=page.url))


def _failed(report: o.SourceReport, message: str) -> o.SourceReport:
    report.status, report.message = "failed", message
    return report


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

