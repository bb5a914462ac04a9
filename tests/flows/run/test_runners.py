"""flows.run.runners: the runner a run's settings ask for, and whether a flow runs on it (a
deployment runs the flow on the runner its decorator names; the flow then runs itself again
on the right one)."""

from __future__ import annotations

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.run.runners import make_task_runner, runs_as_asked
from flows.settings import RunSettings

CASES = [
    pytest.param(ThreadPoolTaskRunner(max_workers=2), RunSettings(), True, id="the-default"),
    pytest.param(ThreadPoolTaskRunner(max_workers=2), RunSettings(workers=4), False,
                 id="more-workers-need-more-threads"),
    pytest.param(ThreadPoolTaskRunner(max_workers=2), RunSettings(task_runner="dask"), False,
                 id="dask-asked-threads-given"),
    pytest.param(DaskTaskRunner(), RunSettings(task_runner="dask"), True, id="dask"),
    pytest.param(DaskTaskRunner(), RunSettings(), False, id="threads-asked-dask-given"),
]


@pytest.mark.parametrize(("current", "settings", "expected"), CASES)
def test_runs_as_asked(current, settings, expected):
    assert runs_as_asked(current, settings) is expected


@pytest.mark.parametrize("settings", [RunSettings(), RunSettings(workers=3),
                                      RunSettings(task_runner="dask"),
                                      RunSettings(task_runner="dask", dask_address="tcp://h:1")])
def test_the_runner_made_for_settings_is_the_one_they_ask_for(settings):
    assert runs_as_asked(make_task_runner(settings), settings)


def test_verdict_folders_of_dead_pools_are_swept_and_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    from flows.run.runners import VERDICTS_PREFIX, sweep_verdict_folders

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = tmp_path / f"{VERDICTS_PREFIX}{gone.stdout.strip()}-abc123"
    live = tmp_path / f"{VERDICTS_PREFIX}{os.getpid()}-def456"
    unnamed = tmp_path / f"{VERDICTS_PREFIX}xyz"  # a name without a pid: not ours to judge
    for folder in (dead, live, unnamed):
        folder.mkdir()
    (dead / "verdict.json").write_text("{}")
    assert sweep_verdict_folders(tmp_path) == [dead]
    assert not dead.exists() and live.is_dir() and unnamed.is_dir()


def test_the_flow_sees_each_file_a_pool_worker_finishes(tmp_path):
    """The count the progress bar polls while a batch is out: shared by the pool's workers."""
    import datetime as dt

    from flows.read.discover import discover
    from flows.run.batch import run_batch
    from flows.run.runners import files_done, in_worker, local_pool
    from flows.settings import RunSettings

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"La CPTS du Val {i} a signé son contrat.",
                                           encoding="utf-8")
    entries = discover([tmp_path])
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    settings = RunSettings(inputs=[str(tmp_path)], workers=2)
    before_here = files_done()
    run_batch(entries[:1], settings, at)  # no pool: counted in this process
    assert files_done() == before_here + 1
    with local_pool(2):
        first = files_done()
        in_worker(run_batch, entries, settings, at)
        assert files_done() - first == 3


# A pool worker's life, in a process of its own: what it freezes would stay frozen in pytest's.
WORKER_BATCHES = """
import datetime as dt, gc, os, sys
from pathlib import Path
from flows.read.discover import discover
from flows.run.batch import run_batch
from flows.settings import RunSettings

folder = Path(sys.argv[1])
entries = discover([folder])
settings = RunSettings(inputs=[str(folder)], workers=2)
at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
counts = []
for _ in range(3):
    run_batch(entries, settings, at)
    counts.append(gc.get_freeze_count())
print(*counts)
"""


@pytest.mark.parametrize("pool_worker", [True, False])
def test_a_pool_worker_leaves_its_setup_out_of_collections_from_its_second_batch(
        tmp_path, pool_worker):
    """What a worker's first batch set up (reference, lexicons, caches) is frozen out of its
    later full collections once that batch's tables are gone; only in a pool worker (marked
    by its verdicts folder), never in a process that runs batches itself."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from flows.run.budget import VERDICTS_ENV

    (tmp_path / "a.txt").write_text("La CPTS du Val a signé son contrat.", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != VERDICTS_ENV}
    if pool_worker:
        env[VERDICTS_ENV] = str(tmp_path / "verdicts")
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", WORKER_BATCHES, str(tmp_path)], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    first, second, third = map(int, done.stdout.split())
    assert first == 0
    if pool_worker:
        assert second > 10_000  # the imports and the setup, not a handful
        assert third <= second  # once per worker: nothing frozen again
    else:
        assert second == third == 0


def test_a_stop_kills_every_process_the_forkserver_forked_even_one_the_pool_does_not_know():
    """A Ctrl-C while the pool starts its workers: the worker being forked at that moment is
    not yet among the pool's processes. Left alive, it printed a traceback after the stop's
    line (its start-up semaphores unlinked). A process forked by the same forkserver stands
    in for it here."""
    import multiprocessing
    import os
    import time
    from multiprocessing import forkserver

    import psutil

    from flows.run.runners import active_pool, in_worker, local_pool

    def forked_by(server: int) -> set[int]:
        found = set()
        for process in psutil.process_iter(["pid"]):
            try:
                if (process.pid != server and os.getpgid(process.pid) == server
                        and process.status() != psutil.STATUS_ZOMBIE):
                    found.add(process.pid)
            except (OSError, psutil.Error):
                pass
        return found

    def gone(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    with local_pool(2):
        pool = active_pool()
        assert in_worker(int, "7") == 7  # the workers are up
        stray = multiprocessing.get_context("forkserver").Process(target=time.sleep,
                                                                  args=(60,))
        stray.start()
        server = forkserver._forkserver._forkserver_pid
        assert stray.pid in forked_by(server)
        pool.kill()
        # SIGKILL is delivered, not waited for: the forkserver, like its children, may still
        # show as running for an instant on a loaded machine (a fresh clone's suite failed so).
        deadline = time.monotonic() + 10
        while (forked_by(server) or not gone(server)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert forked_by(server) == set()
        assert gone(server)


def test_the_workers_forkserver_imports_what_extraction_needs_and_no_more():
    """The forkserver's imports are on a full run's critical path (flows/run/worker_preload.py):
    pandera (the flow validates, not the workers), Prefect and dask.dataframe are not among
    them; a module-level import of pandera in schemas/__init__.py once added 0.3 s here."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    heavy = ("pandera", "prefect", "dask.dataframe", "spacy")
    code = ("import sys, flows.run.worker_preload; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert shown.stdout.split() == [], shown.stdout


STARTED_AFTER_A_STOP = """
import os, sys, threading, time
from multiprocessing import forkserver
import psutil
from flows.run import runners

pool = runners._Pool(2)
first = forkserver._forkserver._forkserver_pid
pool.kill()
# A thread of the pool asking for a worker after the kill, as the batches given ahead did.
threading.Thread(target=pool.executor.submit, args=(int,), daemon=True).start()
time.sleep(1.5)
others = [p.pid for p in psutil.Process().children()
          if p.pid != first and "forkserver" in " ".join(p.cmdline())]
print(len(others), flush=True)
for pid in others:
    os.kill(pid, 9)
os._exit(0)
"""


def test_no_thread_starts_another_forkserver_once_a_stop_killed_the_pool():
    """Seen in a fresh clone's suite (Ctrl-C while a full run's workers start): the batches
    given ahead, queued behind the pool's start thread, asked for a worker once the stop had
    killed the forkserver. multiprocessing started another forkserver for them, outside the
    killed group; it forked that worker after the command had exited, and the worker printed
    a traceback (its semaphores unlinked) after the stop's line."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    shown = subprocess.run([sys.executable, "-c", STARTED_AFTER_A_STOP], cwd=ROOT,
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert shown.stdout.strip() == "0", shown.stdout + shown.stderr
