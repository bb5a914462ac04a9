"""What an output folder already holds: state.json, and the plan of what a run must process.

A document is known by the SHA-256 of its bytes, so a renamed or moved file is the same
document and is not processed again; new or changed bytes are a new document. A new
`extractors.__version__` makes every document stale. Files whose reading failed are retried
on every run, since a read error is often transient (a file still being copied, a lock).

A file is also known by its path: a path whose bytes changed (a release corrected, a download
finished after a run read half of it) replaces the document it held, unless another path
still holds that document's bytes. So a path has one documents row, its latest version's.

With `settle_seconds`, a file changed (content or metadata) less than that long ago is left
for a later run: it may still be being written (`cpts-facts serve` sets it).
"""

from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from flows.read.discover import Entry, display_name
from flows.read.ingest import doc_id_of, file_sha256

STATE_FILE = "state.json"
STATE_FORMAT = 1
# Statuses worth another try on the next run: the file may be readable then.
# A dead worker may have been killed for another file's memory: worth a new try.
RETRY_STATUSES = frozenset({"unreadable", "worker_crashed"})


@dataclass(frozen=True)
class Seen:
    """One discovered file: its doc_id as ingest will compute it, and its stat identity."""

    entry: Entry
    doc_id: str
    sha256: str | None  # None when the bytes could not be read, or the file is empty
    size: int | None = None
    mtime_ns: int | None = None


@dataclass
class Plan:
    todo: list[Seen] = field(default_factory=list)  # first file of each document to process
    skipped: list[Seen] = field(default_factory=list)  # known documents, unchanged
    duplicates: list[tuple[Seen, str]] = field(default_factory=list)  # (copy, first source)
    unsettled: list[Entry] = field(default_factory=list)  # changed too recently: next run
    # doc_ids of the previous version of a path now holding other bytes: their rows go
    replaced: set[str] = field(default_factory=set)
    # doc_ids an unsettled path held before: kept (even by --prune) until it settles
    waiting: set[str] = field(default_factory=set)

    @property
    def seen(self) -> list[Seen]:
        return [*self.todo, *self.skipped, *(s for s, _ in self.duplicates)]


def load_state(folder: Path | None) -> dict:
    path = None if folder is None else Path(folder) / STATE_FILE
    if path is None or not path.is_file():
        return {"format": STATE_FORMAT, "documents": {}, "files": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _file_key(path: Path) -> str:
    # JSON cannot hold the surrogates of a file name that is not UTF-8.
    return display_name(str(Path(path).absolute()))


def fingerprint(entry: Entry, cache: dict) -> Seen:
    """`entry` hashed as ingest will (`doc_id_of`); `cache` (path → sha256, size, mtime) skips
    rereading. Ingest reads the file again: that read notices a file changed in between."""
    unread = Seen(entry, doc_id_of(None, entry.path), None)
    if entry.error:
        return unread
    try:
        info = os.stat(entry.path)
    except OSError:
        return unread
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return unread
    key = _file_key(entry.path)
    known = cache.get(key)
    if (known and known.get("sha256") and known["size"] == info.st_size
            and known["mtime_ns"] == info.st_mtime_ns):
        sha = known["sha256"]
    else:
        try:
            sha, size = file_sha256(entry.path)
        except OSError:
            return unread
        if not size:  # emptied since stat()
            return unread
    return Seen(entry, doc_id_of(sha, entry.path), sha, info.st_size, info.st_mtime_ns)


def settled(entry: Entry, settle_seconds: float, now: float) -> bool:
    """Whether nothing changed in `entry` (bytes, size, name, mode) for `settle_seconds`:
    the later of mtime and ctime, since a copy that keeps the original's mtime (cp -p,
    unzip) or a rename still moves ctime."""
    if entry.error or settle_seconds <= 0:
        return True
    try:
        info = os.stat(entry.path)
    except OSError:
        return True  # ingest will say why
    return now - max(info.st_mtime, info.st_ctime) >= settle_seconds


def _previous_id(record: dict | None) -> str | None:
    """The doc_id a path held at the previous run (states before "doc_id": from its hash)."""
    if not record:
        return None
    return record.get("doc_id") or (record.get("sha256") or "")[:16] or None


def plan_run(entries: list[Entry], state: dict, version: str, incremental: bool,
             settle_seconds: float = 0.0, now: float | None = None) -> Plan:
    """Which files to process. Without `incremental`, every distinct document is processed.
    `now`: the clock `settle_seconds` is measured on (time.time())."""
    documents, cache = state.get("documents", {}), state.get("files", {})
    plan, first_source = Plan(), {}
    now = time.time() if now is None else now
    for entry in entries:
        before = _previous_id(cache.get(_file_key(entry.path)))
        if not settled(entry, settle_seconds, now):
            plan.unsettled.append(entry)
            if before:
                plan.waiting.add(before)
            continue
        seen = fingerprint(entry, cache)
        if before and before != seen.doc_id:
            plan.replaced.add(before)
        if seen.doc_id in first_source and seen.sha256 is not None:
            plan.duplicates.append((seen, first_source[seen.doc_id]))
            continue
        first_source.setdefault(seen.doc_id, entry.source)
        known = documents.get(seen.doc_id)
        fresh = (
            incremental
            and known is not None
            and known.get("extractor_version") == version
            and known.get("status") not in RETRY_STATUSES
        )
        (plan.skipped if fresh else plan.todo).append(seen)
    plan.replaced -= {s.doc_id for s in plan.seen} | plan.waiting
    return plan


def next_state(
    state: dict, plan: Plan, processed: dict[str, dict], kept_ids: set[str], version: str
) -> dict:
    """The state after a run: `processed` (doc_id → documents row) replaces what it covers."""
    old_docs = state.get("documents", {})
    sources: dict[str, list[str]] = {}
    sha_of: dict[str, str | None] = {}
    for seen in plan.seen:
        sources.setdefault(seen.doc_id, []).append(seen.entry.source)
        sha_of.setdefault(seen.doc_id, seen.sha256)
    documents = {}
    for doc_id in sorted(kept_ids | set(processed)):
        if doc_id in processed:
            row = processed[doc_id]
            record = {
                "sha256": sha_of.get(doc_id),
                "extractor_version": version,
                "status": row.get("status"),
                "processed_at": str(row.get("processed_at")),
            }
        else:
            record = dict(old_docs.get(doc_id, {}))
        record["sources"] = sources.get(doc_id) or record.get("sources", [])
        documents[doc_id] = record
    old_files = state.get("files", {})
    # An unsettled path keeps its record: its next version replaces what it held.
    files = {key: old_files[key] for key in map(_file_key, (e.path for e in plan.unsettled))
             if key in old_files}
    files.update({
        _file_key(s.entry.path): {
            "sha256": s.sha256, "size": s.size, "mtime_ns": s.mtime_ns, "doc_id": s.doc_id,
        }
        for s in plan.seen
    })
    return {"format": STATE_FORMAT, "extractor_version": version,
            "documents": documents, "files": files}
