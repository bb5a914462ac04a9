"""What a fetch reports: per source, its status and what became of each item it listed."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

# Item outcomes. "new"/"updated" put a file in the inbox; the others did not.
NEW, UPDATED = "new", "updated"
UNCHANGED = "unchanged"  # listed again as changed, but a 304 or the same bytes
KNOWN = "known"  # fetched on an earlier run: not requested again
DUPLICATE = "duplicate"  # same bytes as a file already in the inbox
NOT_RELEVANT = "not_relevant"  # not about a CPTS by its title, summary, link text or URL
DEFERRED = "deferred"  # over the source's max_items: left for the next run
FORBIDDEN = "forbidden"  # robots.txt forbids it: never requested
GIVEN_UP = "given_up"  # failed on MAX_ATTEMPTS runs: not requested again until it changes
FAILED = "failed"
ITEM_OUTCOMES = (NEW, UPDATED, UNCHANGED, KNOWN, DUPLICATE, NOT_RELEVANT, DEFERRED, FORBIDDEN,
                 GIVEN_UP, FAILED)
# A listed item that fails on this many runs in a row (a dead link in a feed) is not asked
# again every day; a new feed date or lastmod for it gives it a new chance.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ItemOutcome:
    url: str
    outcome: str
    message: str = ""
    file: str | None = None  # relative to the inbox, for new and updated items


@dataclass
class SourceReport:
    url: str
    name: str | None = None
    kind: str | None = None
    status: str = "ok"  # ok | not_modified | failed
    message: str = ""
    transient: bool = False  # failed for a reason that may pass (5xx, timeout, no connection)
    items: list[ItemOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(i.outcome for i in self.items)
        return {k: found[k] for k in ITEM_OUTCOMES if found[k]}

    @property
    def failures(self) -> list[ItemOutcome]:
        return [i for i in self.items if i.outcome == FAILED]

    @property
    def label(self) -> str:
        return self.name or self.url

    def line(self) -> str:
        """One line for the terminal and the logs."""
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts().items())
        what = self.message if self.status == "failed" else (counts or self.message or "nothing")
        return f"{self.status:<12} {self.label}: {what}"

    def as_dict(self) -> dict:
        return {**asdict(self), "counts": self.counts()}
