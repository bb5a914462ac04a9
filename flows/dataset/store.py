"""Snapshots: every run writes a complete dataset into a fresh folder, then switches to it.

    out/.snapshots/<run_id>/   documents.parquet ... text/ run.json state.json runs.jsonl
    out/current -> .snapshots/<run_id>
    out/documents.parquet -> current/documents.parquet   (and so on for every public name)

The switch is one `os.replace` of the `current` symlink, atomic on POSIX: a reader (or a run
killed at any point) sees the previous snapshot or the new one, whole. The public names are
symlinks through `current`, created once, so they never point at a half-written file.
Call everything here under the output lock (flows.dataset.lock).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.errors import CptsFactsError

SNAPSHOTS = ".snapshots"
CURRENT = "current"
# Test hook: sleep this many seconds between writing a snapshot and switching to it, after
# touching <snapshot>/.ready, so a test can kill the run at the worst moment.
PAUSE_ENV = "CPTS_FACTS_PAUSE_BEFORE_SWITCH"


def current_snapshot(out_dir: Path) -> Path | None:
    link = Path(out_dir) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def new_snapshot(out_dir: Path) -> Path:
    run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    folder = Path(out_dir) / SNAPSHOTS / run_id
    try:
        (folder / "text").mkdir(parents=True)
    except OSError as exc:
        raise CptsFactsError(
            f"output folder is not writable: {out_dir} ({exc.strerror or exc})"
        ) from exc
    return folder


def link_texts(previous: Path | None, snapshot: Path, doc_ids: list[str]) -> None:
    """Carry the texts of kept documents over: hard links cost no space and no copy."""
    if previous is None:
        return
    for doc_id in doc_ids:
        src, dst = previous / "text" / f"{doc_id}.txt", snapshot / "text" / f"{doc_id}.txt"
        if dst.exists() or not src.is_file():
            continue
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)


def switch(out_dir: Path, snapshot: Path) -> None:
    """Make `snapshot` the current dataset (atomic), then make sure the public links exist."""
    out_dir = Path(out_dir)
    pause = os.environ.get(PAUSE_ENV)
    if pause:
        (snapshot / ".ready").touch()
        time.sleep(float(pause))
    _link(out_dir / CURRENT, Path(SNAPSHOTS) / snapshot.name)
    _public_links(out_dir, snapshot)


def _link(path: Path, target: Path) -> None:
    """Make `path` a symbolic link to `target` in one step: a link made beside it, renamed over
    it, so a reader finds the old link or the new one."""
    tmp = path.with_name(f".{path.name}.link.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _public_links(out_dir: Path, snapshot: Path) -> None:
    names = {p.name for p in snapshot.iterdir() if not p.name.startswith(".")}
    for name in sorted(names):
        public, target = out_dir / name, Path(CURRENT) / name
        if public.is_symlink() and Path(os.readlink(public)) == target:
            continue
        if public.is_dir() and not public.is_symlink():
            # A folder written before snapshots existed (text/): moved aside, then dropped.
            aside = out_dir / SNAPSHOTS / f".legacy-{name}-{uuid.uuid4().hex[:8]}"
            public.rename(aside)
            shutil.rmtree(aside, ignore_errors=True)
        _link(public, target)
    for public in out_dir.iterdir():
        # A link to a file the new snapshot does not have (report.html after --no-report).
        if public.is_symlink() and os.readlink(public).startswith(CURRENT + "/"):
            if public.name not in names:
                public.unlink()


def prune(out_dir: Path, keep: set[Path]) -> None:
    """Drop every snapshot but `keep` (current and previous: a reader may still be in it),
    including the half-written ones of runs that were killed."""
    root = Path(out_dir) / SNAPSHOTS
    kept = {p.resolve() for p in keep if p is not None}
    for folder in root.iterdir() if root.is_dir() else []:
        if folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def discard(snapshot: Path) -> None:
    shutil.rmtree(snapshot, ignore_errors=True)


@contextmanager
def writing(snapshot: Path, out_dir: Path | str) -> Iterator[None]:
    """Guard a block that writes `snapshot`: whatever fails in it removes the snapshot, so the
    previous dataset stays current, and an OSError (disk full, folder gone) becomes one line
    naming `out_dir`. (A `DatasetWriter` inside closes its own files first.)"""
    try:
        yield
    except OSError as exc:
        discard(snapshot)
        raise CptsFactsError(f"cannot write the dataset to {out_dir}: {exc}") from exc
    except BaseException:
        discard(snapshot)
        raise


def refresh_links(out_dir: Path) -> None:
    """Give every file of the current snapshot its public link (one written into the snapshot
    after its switch, as `cpts-facts report` does, has none yet)."""
    snapshot = current_snapshot(out_dir)
    if snapshot is not None:
        _public_links(Path(out_dir), snapshot)
