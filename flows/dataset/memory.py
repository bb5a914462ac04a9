"""Give the memory a finished step freed back to the system.

A long run's flow process frees what each chunk of 1,000 documents and each batch of evidence
pages took, but glibc's malloc keeps most freed pages for later and the pages of the arenas
its threads used: resident memory then grows with the run's length although nothing is held
(measured with the flow's RSS sampled by phase, 10,000 documents: the report phase peaked at
740 MB, 633 MB with this after each step; 1,000 documents: 502 and 495 MB). `malloc_trim(0)`
returns free pages to the system; it costs a few milliseconds, and nothing where libc has no
such call (not glibc, not Linux).

Pages cannot be given back while the objects on them live, and the tables of a batch outlive
it: pandas DataFrames sit in reference cycles (their blocks and the weak references of
copy-on-write), which reference counting never frees, only Python's full collection, which
runs when it judges the old objects have grown enough. Between two such collections the
tables of every batch consumed stayed in memory: at 3,000 documents the flow's peak was 540 MB,
501 MB with a full collection after each validated chunk of 1,000 documents (`cycles=True`:
0.3–0.8 s each, against ~40 s of the workers' time per chunk).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os

# glibc's mallopt parameters (malloc.h), and the values this process keeps.
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, held fixed
ARENAS = 2


@functools.cache
def _libc_call(name: str):
    # The process's own symbols hold libc's: no library search (find_library runs ldconfig,
    # tens of milliseconds at every command's start).
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def _malloc_trim():
    return _libc_call("malloc_trim")


@functools.cache
def bound_heap_growth() -> None:
    """Keep a long run's resident memory from ratcheting up in glibc's heap (elsewhere,
    nothing); once per process, the earlier the better, and never against the user's own
    MALLOC_MMAP_THRESHOLD_ or MALLOC_ARENA_MAX.

    glibc raises its mmap threshold, up to 32 MB, each time a large mapped block is freed: after
    the first chunks, the big buffers of the tables (columns, Parquet pages, the report's
    strings) are carved from the heap instead of mapped, and its fragmentation keeps them
    resident. Each thread that allocates under contention (Prefect's event loop, the task
    threads) also gets an arena of its own, which malloc_trim returns only in part. A fixed
    threshold and two arenas: flow peak RSS at 10,000 documents 495 → 465 MB against 409 →
    402 MB at 1,000 (1.21× → 1.16×), the same documents per second."""
    mallopt = _libc_call("mallopt")
    if mallopt is None:
        return
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    if "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(M_ARENA_MAX, ARENAS)


def give_back_freed_memory(*, cycles: bool = False) -> None:
    """Return the process's free heap pages to the system (glibc); elsewhere, nothing.
    `cycles`: first free the objects only a full collection frees (after a big step)."""
    if cycles:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


# Whether this process's objects were frozen by `leave_out_long_lived` (and not by a caller).
_left_out = False


@contextlib.contextmanager
def long_lived_left_out():
    """A run, within which `leave_out_long_lived` may freeze what is alive at that moment;
    what it froze is handed back to the collector when the run ends, however it ends."""
    global _left_out
    try:
        yield
    finally:
        if _left_out:
            _left_out = False
            gc.unfreeze()


def leave_out_long_lived() -> None:
    """Leave the objects alive now (the imports, Prefect, the schemas, the run's plan) out of
    every later garbage collection, until the end of `long_lived_left_out`.

    A full collection walks every object alive, and most of them outlive the run: at 3,000
    documents the flow's full collections (nine of the collector's own, one per chunk here)
    walked 200,000–470,000 objects for 0.25–0.46 s each, ~4 s of the process's 22 s of CPU.
    Frozen (gc.freeze), they are left out; the cycles of the batches' tables, made after,
    are still collected. Garbage is collected first, so none is frozen. Nothing is done when
    objects were frozen already (by the caller): they are the caller's to hand back."""
    global _left_out
    if _left_out or gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
    _left_out = True
