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

import ctypes
import ctypes.util
import functools
import gc


@functools.cache
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def give_back_freed_memory(*, cycles: bool = False) -> None:
    """Return the process's free heap pages to the system (glibc); elsewhere, nothing.
    `cycles`: first free the objects only a full collection frees (after a big step)."""
    if cycles:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
