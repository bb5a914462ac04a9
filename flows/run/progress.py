"""A process-wide progress hook: the CLI draws a bar, the flow reports phases and files done.

Prefect flow parameters must be serialisable, so a callback cannot travel as a parameter; the
flow calls `phase()` and `advance()` and whoever set a listener (the CLI) hears them. The start
of every phase is kept whatever listens, so the summary can give the time of each.

Files count twice over: `advance()` when a batch's tables are back in the flow (or a file
needs no extraction), and `extracted()` as the workers finish each file, long before their
batch of a hundred comes back. The listener hears the larger of the two, never a step back.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Protocol

# The phases of a run, in order (the flow's own start is the CLI's "starting Prefect").
STARTING = "starting Prefect"
LOADING = "starting workers, loading the language model"
EXTRACTING = "extracting"
VALIDATING = "validating"
WRITING = "writing tables"
REPORT = "report"


class Listener(Protocol):
    def phase(self, name: str) -> None: ...

    def advance(self, n: int) -> None: ...


_listener: Listener | None = None
_starts: list[tuple[str, float]] = []
_settled = 0  # files advanced by the flow
_shown = 0  # files the listener has heard of
_live: tuple[int, int] | None = None  # (files settled, files to extract) when extraction began
_counting = threading.Lock()  # the flow and the thread watching the workers both count


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def start(name: str = STARTING) -> None:
    """Forget earlier phases and counts: a new run begins with `name`."""
    _starts.clear()
    count_from_zero()
    phase(name)


def count_from_zero() -> None:
    """A run's files are counted from zero (the flow says so even when no CLI called `start`:
    a process may run the flow many times)."""
    global _settled, _shown, _live
    with _counting:
        _settled = _shown = 0
        _live = None


def phase(name: str) -> None:
    if _starts and _starts[-1][0] == name:
        return
    _starts.append((name, time.perf_counter()))
    if _listener is not None:
        _listener.phase(name)


def advance(n: int = 1) -> None:
    """`n` more files are done with: their tables are in the flow, or they needed none."""
    global _settled
    with _counting:
        _settled += n
    _tell(_settled)


def extracting(todo: int) -> None:
    """`todo` files go to extraction now: `extracted()` counts from here."""
    global _live
    _live = (_settled, todo)


def extracted(done: int) -> None:
    """The workers have finished `done` of the files `extracting()` announced."""
    if _live is None:
        return
    if done > 0:
        phase(EXTRACTING)
    base, todo = _live
    _tell(base + min(done, todo))  # a file run again after a worker died counts once


def _tell(files: int) -> None:
    global _shown
    with _counting:
        step = files - _shown
        if step <= 0:
            return
        _shown = files
        if _listener is not None:
            _listener.advance(step)


def phase_seconds() -> dict[str, float]:
    """Seconds spent in each phase since `start()`, the last one ending now (a phase entered
    twice adds up)."""
    marks = [*_starts, ("", time.perf_counter())]
    seconds: dict[str, float] = {}
    for (name, begun), (_, ended) in itertools.pairwise(marks):
        seconds[name] = seconds.get(name, 0.0) + ended - begun
    return seconds
