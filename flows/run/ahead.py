"""A full run's first batches, extracted while Prefect starts.

Starting Prefect (importing it, reaching its API, creating the flow run) takes ~5 s on this
machine, and the flow hands out its first batch only after that; a small run's extraction (the
language model's load included, when one of its documents needs the parse) takes seconds too,
on the other core. So a full run's command, once its worker pool exists, plans the run as the
flow will and gives the first batches to the pool at once, from a thread, while it goes on
importing Prefect. Each batch task of the flow then takes its batch's result from the pool
(runners._Pool.call: same function, same arguments — the files, the settings, the time of
processing, the version, the attempt) instead of running it again. The flow still runs and
records every task; only the work moved earlier. A batch the flow plans otherwise (a file
changed in between) is simply extracted again; a batch taken by no task is dropped with the pool.

Incremental runs are not planned ahead: what they process depends on the previous snapshot,
which another run may be replacing until this one holds the output lock. A full run only takes
the previous snapshot's file hashes (state.json: path → sha256, size, mtime), as the flow will:
a file whose size and mtime are unchanged is not read twice to plan the same batches.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import extractors
from flows.dataset import store
from flows.dataset.state import load_state, plan_run
from flows.read.discover import discover
from flows.run.batch import batch_bounds, run_batch
from flows.settings import RunSettings

# Batches given ahead: two per worker keep both cores busy for the seconds Prefect takes;
# the flow submits the rest as usual, behind them in the pool's queue.
BATCHES_PER_WORKER = 2


def processing_time(started: dt.datetime) -> dt.datetime:
    """The `processed_at` every row of a run records: its start, to the second."""
    return started.replace(microsecond=0)


def give_ahead(pool, settings: RunSettings) -> threading.Thread:
    """Plan `settings`' run and give its first batches to `pool`, in a thread (started)."""
    started = dt.datetime.now(dt.UTC)
    pool.ahead_started = (settings, started)
    pool.ahead_given.clear()
    thread = threading.Thread(target=_give, args=(pool, settings, started),
                              name="cpts-facts-ahead", daemon=True)
    thread.start()
    return thread


def _give(pool, settings: RunSettings, started: dt.datetime) -> None:
    # What this needs is imported above, in the command's thread: two threads importing at
    # once can meet in a cycle of module locks (a _DeadlockError in one of them).
    try:
        hashes = load_state(store.current_snapshot(settings.out_path)).get("files", {})
        plan = plan_run(discover([Path(p) for p in settings.inputs]), {"files": hashes},
                        extractors.__version__, incremental=False,
                        settle_seconds=settings.settle_seconds)
        entries = [s.entry for s in plan.todo]
        bounds = batch_bounds(len(entries), settings.batch_size, settings.workers)
        for a, b in bounds[: BATCHES_PER_WORKER * settings.workers]:
            pool.submit_ahead(run_batch, entries[a:b], settings, processing_time(started),
                              extractors.__version__, 1, settings.retries + 1)
    except Exception:  # the flow plans again and says what is wrong, in its run
        pass
    finally:
        pool.ahead_given.set()


def started_for(pool, settings: RunSettings) -> dt.datetime | None:
    """When the batches given ahead for `settings` were planned (None: none were)."""
    given = getattr(pool, "ahead_started", None)
    if given is None or given[0] != settings:
        return None
    return given[1]
