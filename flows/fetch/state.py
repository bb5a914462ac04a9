"""What this inbox was already given: `.cpts-facts-fetch.json`, rebuilt from sidecars if lost.

An item is known by its URL (as the publisher lists it) and by the SHA-256 of its bytes: the
same PDF linked from two pages is downloaded once. Each followed URL keeps its ETag and
Last-Modified, so an unchanged feed costs a 304. The file is rewritten (atomically) after each
item, so a run killed midway loses at most the item it was on; and since the sidecar is written
before the file it describes, the sidecars alone say everything that reached the inbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from flows.read.atomic import PARTIAL_SUFFIX, atomic_write
from flows.read.sidecar import SUFFIX, read_sidecar

STATE_FILE = ".cpts-facts-fetch.json"
STATE_FORMAT = 1


@dataclass
class FetchState:
    folder: Path
    sources: dict[str, dict] = field(default_factory=dict)  # followed URL → etag, last_modified
    items: dict[str, dict] = field(default_factory=dict)  # item URL → file, sha256, marker...

    def hashes(self) -> dict[str, str]:
        """sha256 → URL of the item whose file holds those bytes."""
        return {r["sha256"]: url for url, r in self.items.items()
                if r.get("sha256") and r.get("file")}

    def save(self) -> None:
        data = {"format": STATE_FORMAT, "sources": self.sources, "items": self.items}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write(self.folder / STATE_FILE, text)


def load_state(folder: Path) -> FetchState:
    """The inbox's fetch state. Call it holding the inbox lock (flows/fetch/follow.py): the
    half-written files of a killed run are removed here, since no other fetch can be writing."""
    folder = Path(folder)
    for partial in folder.rglob(f".*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)
    state = FetchState(folder)
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if isinstance(data, dict) and data.get("format") == STATE_FORMAT:
        state.sources = dict(data.get("sources") or {})
        state.items = dict(data.get("items") or {})
    _add_sidecars(state)
    return state


def _add_sidecars(state: FetchState) -> None:
    """Files whose sidecar the state does not know (a lost state file, a run killed between
    writing a file and saving the state) are known again, so they are not fetched twice."""
    for sidecar in sorted(state.folder.rglob(f"*{SUFFIX}")):
        if any(part.startswith(".") for part in sidecar.relative_to(state.folder).parts):
            continue
        stem = sidecar.name[: -len(SUFFIX)]
        for candidate in sidecar.parent.glob(f"{stem}.*"):
            if candidate == sidecar:
                continue
            meta = read_sidecar(candidate)
            if meta is None:
                continue
            known = state.items.get(meta.url)
            if known is None or known.get("sha256") != meta.sha256:
                state.items[meta.url] = {
                    "file": candidate.relative_to(state.folder).as_posix(),
                    "sha256": meta.sha256, "etag": meta.etag,
                    "last_modified": meta.last_modified, "marker": None,
                    "fetched_at": meta.fetched_at, "version": meta.version,
                }
