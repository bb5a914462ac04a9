"""One Ctrl-C (SIGINT) or SIGTERM stops `cpts-facts run` and `serve` at once, at any moment.

Left to Python and Prefect, a signal unwound the flow: Prefect waited for the batches in
flight, reported the crash to its API with an ERROR line, and exited 14–15 s later (SIGTERM
with -15, the temporary Prefect server left running). Nothing in that unwinding is needed
for the dataset: the output folder switches to a run's snapshot in one rename
(flows/dataset/store.py), so before it the previous dataset is whole and after it the new one
is; the output lock is the kernel's (flock) and goes with the process; the worker processes and
a temporary Prefect server end with it (flows/run/lifeline.py). So the first signal is handled
here: the unfinished snapshot is removed (`undo`), one line says what the output folder holds
(`now`), and the process exits with 128 + the signal's number (130, 143), without a traceback.

The switch itself is the one moment a stop waits for (`switching`, a few milliseconds): the
line can then say which dataset is in place.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from flows.dataset import store

SIGNALS = (signal.SIGINT, signal.SIGTERM)

_state = "nothing written"  # what the output folder holds, for the stop's line
_undo: dict[int, Callable[[], None]] = {}
_held = 0  # depth of `switching` blocks
_pending: int | None = None
_quiet = False
_installed = False
_lock = threading.RLock()  # the handler may run while the main thread holds it


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """`install` for the block, then the handlers as they were (a caller's own, in tests)."""
    before = {number: signal.getsignal(number) for number in SIGNALS}
    install()
    try:
        yield
    finally:
        global _installed
        _installed = False
        for number, handler in before.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(number, handler)


def install(*, quiet: bool = False) -> bool:
    """Stop this process at the first SIGINT or SIGTERM (from the main thread only; False
    elsewhere). `quiet`: print nothing (a served flow run: `serve` prints the line)."""
    global _quiet, _installed
    _quiet, _installed = quiet, True
    if threading.current_thread() is not threading.main_thread():
        return False
    for number in SIGNALS:
        signal.signal(number, _received)
    return True


def reclaim() -> None:
    """Take the signals back, if `install` took them: a Prefect flow run takes SIGTERM for
    itself while it runs (to report a crash, then die by the signal: 15 s, an ERROR line)."""
    if _installed:
        install(quiet=_quiet)


def now(state: str) -> None:
    """What the output folder holds from now on, as the stop's line will say it."""
    global _state
    _state = state


def before_run(out_dir: Path) -> None:
    """A run on `out_dir` has written nothing yet."""
    if store.current_snapshot(out_dir) is None:
        now(f"nothing written to {out_dir}")
    else:
        now(f"nothing written, the previous dataset in {out_dir} is intact")


@contextlib.contextmanager
def undo(action: Callable[[], None]) -> Iterator[None]:
    """Within the block, a stop runs `action` first (remove what the block was writing)."""
    key = id(action)
    _undo[key] = action
    try:
        yield
    finally:
        _undo.pop(key, None)


@contextlib.contextmanager
def switching() -> Iterator[None]:
    """A stop that comes during the block waits for its end."""
    global _held
    with _lock:
        _held += 1
    try:
        yield
    finally:
        with _lock:
            _held -= 1
            pending = _pending if _held == 0 else None
        if pending is not None:
            stop(pending)


def _received(number: int, frame) -> None:
    global _pending
    with _lock:
        if _held:
            _pending = number
            return
    stop(number)


def stop(number: int, *, quiet: bool = False) -> None:
    """End this process now, as the first signal `number` asks (`quiet`: without a line)."""
    for each in SIGNALS:  # a second Ctrl-C while stopping changes nothing
        with contextlib.suppress(ValueError):
            signal.signal(each, signal.SIG_IGN)
    for action in list(_undo.values()):
        with contextlib.suppress(Exception):
            action()
    _release_semaphores()
    if not (quiet or _quiet):
        _say(f"cpts-facts: interrupted ({signal.Signals(number).name}): {_state}")
    os._exit(128 + number)


def _release_semaphores() -> None:
    """Unlink the worker pool's semaphores as a normal exit does (multiprocessing's exit
    finalizers of priority 0 and up: none of them waits for a thread). Else multiprocessing's
    resource tracker, outliving us by a moment, unlinks them itself with a warning on stderr."""
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        with contextlib.suppress(Exception):
            util._run_finalizers(0)


def _say(line: str) -> None:
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    try:
        if sys.stderr.isatty():
            # A progress bar may be on screen, its cursor hidden: show it, clear the line.
            line = "\x1b[?25h\r\x1b[2K" + line
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except Exception:
        os.write(2, (line + "\n").encode("utf-8", "replace"))
