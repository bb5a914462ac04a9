"""Per-file time and memory budgets, enforced in the process that extracts the file.

Extraction is linear in a document's length, but a 20 MB text still takes minutes and a small
PDF whose streams inflate can take gigabytes: one file must never hold the run. While a file is
extracted, a watchdog thread samples the clock and the process's resident memory. Past a
budget it raises `OverBudget` in the extracting thread (between two Python instructions), and
the file becomes a row with status `timeout` or `too_large`. Code stuck inside a C library
(pdfium inflating a stream) cannot be interrupted that way: when `hard` is set (a worker
process of the local pool), the watchdog leaves a verdict file naming the file and ends the
process after a grace period; the pool's owner reads the verdict (flows/run/runners.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flows.settings import DEFAULTS, RunSettings

GRACE_S = 5.0
SAMPLE_S = 0.05
RAISE_AGAIN_S = 0.5
# Where a worker ended by its watchdog leaves its verdict (set by the pool for its workers).
VERDICTS_ENV = "CPTS_FACTS_VERDICTS"


@dataclass(frozen=True)
class Budget:
    """Limits for one file; None is no limit."""

    seconds: float | None = DEFAULTS.file_seconds
    memory_mb: int | None = DEFAULTS.file_memory_mb

    @classmethod
    def of(cls, settings: RunSettings) -> Budget:
        return cls(settings.file_seconds, settings.file_memory_mb)

    @property
    def unlimited(self) -> bool:
        return self.seconds is None and self.memory_mb is None


class OverBudget(BaseException):
    """Raised in the extracting thread; the watchdog sets `status` and `message`.

    A BaseException, so that the extractors' "any error becomes the row's message" handlers
    do not take the budget's stop for a bug of their own."""

    status = "timeout"
    message = "stopped: over the per-file budget"


def rss_mb() -> float:
    """Resident memory of this process, in MB (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


@contextlib.contextmanager
def enforced(budget: Budget, source: str, *, hard: bool = False) -> Iterator[None]:
    """Run the block under `budget`; raises `OverBudget` (with status and message) past it."""
    if budget.unlimited:
        yield
        return
    done, seen, lock = threading.Event(), threading.Event(), threading.Lock()
    # The stop is raised by its type, never an instance: a class of its own carries the verdict,
    # so whichever raise reaches the block reads the same status and message.
    stop = type("OverBudget", (OverBudget,), {})
    target = threading.get_ident()
    started = time.monotonic()
    baseline = rss_mb()

    def over() -> dict[str, str] | None:
        elapsed, grown = time.monotonic() - started, rss_mb() - baseline
        if budget.seconds is not None and elapsed > budget.seconds:
            return {"status": "timeout", "message": (
                f"extraction stopped after {budget.seconds:g} s, the per-file time budget "
                "(--file-seconds)")}
        if budget.memory_mb is not None and grown > budget.memory_mb:
            return {"status": "too_large", "message": (
                f"extraction stopped after it took {grown:,.0f} MB, over the per-file memory "
                f"budget of {budget.memory_mb:,} MB (--file-memory-mb)")}
        return None

    def watch() -> None:
        while not done.wait(SAMPLE_S):
            found = over()
            if found is not None:
                break
        else:
            return
        stop.status, stop.message = found["status"], found["message"]
        given_up = time.monotonic() + GRACE_S
        while True:
            with lock:
                if done.is_set() or seen.is_set():
                    return
                _raise_in(target, stop)
            # A raise that lands in a gc callback or a __del__ is printed and swallowed there
            # (CI met one in a test library's gc callback): the file then ran to its end, its
            # budget ignored. Raised again until the block is seen stopping.
            if done.wait(RAISE_AGAIN_S) or seen.is_set():
                return
            if hard and time.monotonic() > given_up:
                _leave_verdict(source, {"status": stop.status, "message": stop.message})
                os._exit(EXIT_OVER_BUDGET)

    watchdog = threading.Thread(target=watch, name="cpts-facts-budget", daemon=True)
    watchdog.start()
    try:
        yield
    except OverBudget:
        seen.set()
        raise
    finally:
        with lock:
            done.set()
            _raise_in(target, None)  # raised but not yet delivered: the block ended first
        watchdog.join()


def _raise_in(thread_id: int, kind: type[BaseException] | None) -> None:
    """Raise `kind` in the thread `thread_id` at its next instruction (None cancels)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(kind) if kind is not None else None)


EXIT_OVER_BUDGET = 75


def _leave_verdict(source: str, verdict: dict[str, str]) -> None:
    folder = os.environ.get(VERDICTS_ENV)
    if not folder:
        return
    path = Path(folder) / f"{os.getpid()}.json"
    with contextlib.suppress(OSError):
        path.write_text(json.dumps({"source": source, **verdict}), encoding="utf-8")


def read_verdicts(folder: Path) -> dict[str, dict[str, str]]:
    """source → verdict left by workers their watchdog ended."""
    found = {}
    for path in Path(folder).glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            record = json.loads(path.read_text(encoding="utf-8"))
            found[record["source"]] = record
    return found
