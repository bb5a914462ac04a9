"""A process-wide progress hook: the CLI draws a bar, the flow reports phases and files done.

Prefect flow parameters must be serialisable, so a callback cannot travel as a parameter; the
flow calls `phase()` and `advance()` and whoever set a listener (the CLI) hears them. The start
of every phase is kept whatever listens, so the summary can give the time of each.
"""

from __future__ import annotations

import itertools
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


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def start(name: str = STARTING) -> None:
    """Forget earlier phases: a new run begins with `name`."""
    _starts.clear()
    phase(name)


def phase(name: str) -> None:
    if _starts and _starts[-1][0] == name:
        return
    _starts.append((name, time.perf_counter()))
    if _listener is not None:
        _listener.phase(name)


def advance(n: int = 1) -> None:
    if _listener is not None:
        _listener.advance(n)


def phase_seconds() -> dict[str, float]:
    """Seconds spent in each phase since `start()`, the last one ending now (a phase entered
    twice adds up)."""
    marks = [*_starts, ("", time.perf_counter())]
    seconds: dict[str, float] = {}
    for (name, begun), (_, ended) in itertools.pairwise(marks):
        seconds[name] = seconds.get(name, 0.0) + ended - begun
    return seconds
