"""A process-wide progress hook: the CLI draws a bar, tasks report files done.

Prefect flow parameters must be serialisable, so a callback cannot travel as a parameter; the
tasks call `advance()` and whoever set a listener (the CLI) hears it. No listener, no cost.
"""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[int], None] | None = None


def set_listener(listener: Callable[[int], None] | None) -> None:
    global _listener
    _listener = listener


def advance(n: int = 1) -> None:
    if _listener is not None:
        _listener(n)
