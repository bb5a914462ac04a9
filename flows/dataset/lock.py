"""One writer per output folder: an advisory lock on <out>/.lock (flock, released by the OS
when its holder dies, so a killed run never leaves a stale lock behind).

The lock object is a per-process singleton and not thread-local: the CLI takes it before the
flow starts (so "locked" is a one-line error, not a failed flow run) and the flow, which may
run on another thread, takes it again without blocking on itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from flows.errors import CptsFactsError

LOCK_FILE = ".lock"


class OutputLockedError(CptsFactsError):
    pass


def _lock(out_dir: Path) -> FileLock:
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CptsFactsError(
            f"output folder is not writable: {out_dir} ({exc.strerror or exc})"
        ) from exc
    path = Path(out_dir).absolute() / LOCK_FILE
    return FileLock(str(path), is_singleton=True, thread_local=False)


@contextmanager
def output_lock(out_dir: Path, *, wait: bool) -> Iterator[None]:
    """Hold the lock of `out_dir`; without `wait`, fail at once if another run holds it."""
    lock = _lock(out_dir)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise OutputLockedError(
                f"another run is writing to {out_dir} (lock {lock.lock_file} is held); "
                "wait for it or pass --wait"
            ) from None
        print(f"cpts-facts: waiting for the lock {lock.lock_file}", file=sys.stderr, flush=True)
        lock.acquire()
    except OSError as exc:
        raise CptsFactsError(
            f"output folder is not writable: {out_dir} ({exc.strerror or exc})"
        ) from exc
    try:
        yield
    finally:
        lock.release()
