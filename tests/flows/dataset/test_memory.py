"""flows/dataset/memory.py: the heap pages a finished step freed go back to the system (glibc)."""

from __future__ import annotations

import pytest

from flows.dataset.memory import _libc_call, _malloc_trim, give_back_freed_memory

# Each memory figure is read in a fresh interpreter: a test process that ran flows before holds
# threads, arenas and settings of its own (a run bounds the heap, memory.py), and what its
# heap gives back depends on them.
_TRIMMED_BLOCKS = """
from flows.dataset.memory import bound_heap_growth, give_back_freed_memory
from flows.run.budget import rss_mb
bound_heap_growth()  # as a run's process has it
blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(200_000)]
pin = bytes(1000) + b"pin"
del blocks
before = rss_mb()
give_back_freed_memory()
print(before - rss_mb())
"""


def _freed_mb(script: str, *args: str) -> float:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_ARENA_MAX")}
    done = subprocess.run([sys.executable, "-c", script, *args], env=env,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


@pytest.mark.skipif(_malloc_trim() is None, reason="no malloc_trim: not glibc")
def test_freed_heap_pages_leave_the_process():
    # ~200 MB in blocks of 1 kB: over pymalloc's limit, so glibc's malloc serves them from
    # its heap; one block kept after them pins the heap's top, so freeing the others leaves
    # free pages inside the heap, which glibc keeps unless asked (what a run's chunks do).
    assert _freed_mb(_TRIMMED_BLOCKS) > 100


def test_after_a_big_step_the_tables_caught_in_reference_cycles_are_freed_too():
    """A batch's DataFrames sit in reference cycles: reference counting never frees them,
    and Python's full collection comes when it judges fit. `cycles=True` (after each
    validated chunk) frees them at once; without it they stay."""
    import gc
    import weakref

    import pandas as pd

    class Holder:  # weak-referenceable, unlike a DataFrame's own cycle members
        pass

    def caught() -> weakref.ref:
        holder = Holder()
        holder.table = pd.DataFrame({"doc_id": ["a"] * 1000, "value": range(1000)})
        holder.me = holder  # the cycle
        return weakref.ref(holder)

    gc.disable()  # no collection of its own meanwhile
    try:
        kept = caught()
        give_back_freed_memory()
        assert kept() is not None
        give_back_freed_memory(cycles=True)
        assert kept() is None
    finally:
        gc.enable()


# In a fresh interpreter (blocks filled: untouched pages are never resident): one big block
# freed (glibc then raises its mmap threshold to its size), 100 blocks of 1 MB, one more
# pinning the heap's top, and the 100 freed.
_FREED_BLOCKS = """
import sys
from flows.dataset.memory import bound_heap_growth
from flows.run.budget import rss_mb
if sys.argv[1] == "bounded":
    bound_heap_growth()
big = b"x" * 8_000_000; del big
blocks = [b"x" * 1_000_000 for _ in range(100)]
pin = b"y" * 200_000  # above the blocks: no free chunk is that big
before = rss_mb()
del blocks
print(before - rss_mb())
"""


@pytest.mark.skipif(_libc_call("mallopt") is None, reason="no mallopt: not glibc")
def test_with_the_heap_bounded_big_blocks_freed_leave_the_process_at_once():
    # glibc's default keeps them in its heap (the control: the test can fail)
    assert _freed_mb(_FREED_BLOCKS, "default") < 20
    assert _freed_mb(_FREED_BLOCKS, "bounded") > 80


class _Node:
    itself: object = None


# A frozen object still dies when its last reference goes (the suite once saw the count drop
# by one between two reads): the count may fall by a few, never rise, never drop to nothing.
DIED_MEANWHILE = 1_000
YOUNG = 10_000


def _young_objects() -> list[list]:
    """Objects made after a freeze: another freeze would add all of them to the count."""
    return [[] for _ in range(YOUNG)]


def _frozen_still(before: int) -> bool:
    import gc

    return before - DIED_MEANWHILE < gc.get_freeze_count() <= before


def test_long_lived_objects_are_left_out_of_collections_until_the_run_ends():
    import gc
    import weakref

    from flows.dataset.memory import leave_out_long_lived, long_lived_left_out

    assert gc.get_freeze_count() == 0
    with long_lived_left_out():
        leave_out_long_lived()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        young = _young_objects()
        leave_out_long_lived()  # once per run
        assert _frozen_still(frozen), "frozen again"
        del young
        cycle = _Node()
        cycle.itself = cycle
        ref = weakref.ref(cycle)
        del cycle
        gc.collect()  # a cycle made after is still collected
        assert ref() is None
    assert gc.get_freeze_count() == 0


def test_objects_the_caller_froze_stay_frozen():
    import gc

    from flows.dataset.memory import leave_out_long_lived, long_lived_left_out

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        young = _young_objects()
        with long_lived_left_out():
            leave_out_long_lived()
            assert _frozen_still(frozen), "frozen again"
        assert _frozen_still(frozen), "the caller's objects were unfrozen"
        del young
    finally:
        gc.unfreeze()
