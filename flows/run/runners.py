"""Task runners `cpts-facts run --task-runner` can choose, and the local worker processes.

`default`: Prefect runs the batch tasks on `workers` threads of the flow's process, and each
task hands its batch to a pool of `workers` processes (`local_pool`): spaCy holds the GIL, so only
processes use both cores. A worker is forked from a forkserver that has already imported the
extractors, and loads the spaCy model itself, lazily, at most once. The flow's process keeps
the orchestration, validation and writing.

`dask` runs the batch tasks on a Dask cluster: the one at `address` when given (a scheduler
started elsewhere, e.g. `dask scheduler` + `dask worker tcp://HOST:8786`), else a local
cluster of `workers` worker processes. There the task runs its batch in the Dask worker itself.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from flows.run import interrupt, lifeline
from flows.run.budget import VERDICTS_ENV, read_verdicts
from flows.settings import DEFAULTS, RunSettings

# Modules the forkserver imports once (and warm caches), so every worker starts with them.
PRELOAD = ["flows.run.worker_preload"]
# Optional "module:function" run in each worker at start (the benchmark times stages there).
WORKER_HOOK_ENV = "CPTS_FACTS_WORKER_HOOK"

# A pool's verdict folder: f"{VERDICTS_PREFIX}{pid}-…" in the temporary folder.
VERDICTS_PREFIX = "cpts-facts-verdicts-"
# How long a stop waits for the forkserver's lock (held for milliseconds while a thread starts
# a forkserver): a stop never hangs on it, even if the signal came in the middle of that.
LOCK_WAIT_S = 1.0

_pool: _Pool | None = None


def make_task_runner(settings: RunSettings):
    """The task runner `settings` ask for: `workers` threads (each waits for its batch in a
    worker process of `local_pool`), or a DaskTaskRunner."""
    if settings.task_runner == "default":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=settings.workers)
    import logging

    from prefect_dask import DaskTaskRunner

    # distributed logs every worker start and stop at INFO: noise in a CLI run.
    logging.getLogger("distributed").setLevel(logging.WARNING)

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # Processes, one thread each: spaCy holds the GIL, so threads would not add throughput.
    return DaskTaskRunner(cluster_kwargs=local_cluster_options(settings.workers))


def local_cluster_options(n_workers: int) -> dict:
    """LocalCluster options that open no port beyond the loopback interface.

    `dashboard_address=None` alone hides the dashboard but the scheduler still starts its HTTP
    server (health and metrics routes) on its default port 8787, on every interface. Binding that
    server to 127.0.0.1 on a free port keeps the cluster private to this machine.
    """
    return {"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None,
            "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"}}


def runs_as_asked(current: object, settings: RunSettings) -> bool:
    """Whether `current`, the task runner of a running flow, is the one `settings` ask for.

    A deployment runs the flow as its module decorates it (the default runner, 2 threads):
    `serve --workers 4` or `--task-runner dask` then need the flow run again on their runner."""
    if settings.task_runner == "dask":
        return type(current).__name__ == "DaskTaskRunner"
    from prefect.task_runners import ThreadPoolTaskRunner

    return (isinstance(current, ThreadPoolTaskRunner)
            and getattr(current, "_max_workers", None) == settings.workers)


class FileCount:
    """Files extracted so far: in this process, or (`shared`) by every worker of a pool, so
    that the flow can show each file as it is done rather than each batch as it comes back."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.here = 0
        self.shared: Any = None  # a multiprocessing.Value, in a pool worker

    def add(self) -> None:
        if self.shared is not None:
            with self.shared.get_lock():
                self.shared.value += 1
        else:
            with self.lock:
                self.here += 1


_files = FileCount()


def file_done() -> None:
    """One more file extracted (by a pool worker: the pool's count; else this process's)."""
    _files.add()


def files_done() -> int:
    """Files extracted so far by the active pool's workers, or in this process without one."""
    pool = _pool
    if pool is not None:
        return pool.files.value
    return _files.here


def _worker_start(verdicts: str | None = None, command: int | None = None,
                  files: Any = None) -> None:
    _files.shared = files
    # A worker ends with the command, even killed with SIGKILL (lifeline.py).
    lifeline.end_with_parent(command)
    # Ctrl-C reaches every process of the terminal's group: the command stops for all of
    # them (interrupt.py); a worker would only add its own KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if verdicts:
        # marks this process as a pool worker: its budget watchdog may end it (budget.py)
        os.environ[VERDICTS_ENV] = verdicts
    hook = os.environ.get(WORKER_HOOK_ENV)
    if hook:
        module, _, name = hook.partition(":")
        getattr(importlib.import_module(module), name)()


class WorkerCrashed(Exception):  # an event the batch handles, not a bug
    """The worker process running a call died (killed, out of memory, or ended by its budget
    watchdog); the pool has been replaced. `verdicts`: source → what a watchdog said."""

    def __init__(self, reason: str, verdicts: dict[str, dict[str, str]]) -> None:
        super().__init__(reason)
        self.reason, self.verdicts = reason, verdicts


class _Pool:
    """A process pool that replaces itself when one of its workers dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        sweep_verdict_folders()
        self.verdicts = tempfile.mkdtemp(prefix=f"{VERDICTS_PREFIX}{os.getpid()}-")
        self.lock = threading.Lock()
        self.held = False  # the forkserver's lock, taken by `kill`
        self.files = multiprocessing.get_context("forkserver").Value("q", 0)
        self.executor = self._start()
        # Spawning a worker waits until the forkserver has imported the pipeline (seconds):
        # a thread waits for that, while the caller goes on (a command imports Prefect and
        # reaches its API meanwhile). The first call simply queues behind it.
        self.spawning = threading.Thread(target=self._spawn, args=(self.executor,),
                                         name="cpts-facts-pool-start", daemon=True)
        self.spawning.start()
        # Batches a full run's command gave ahead (flows/run/ahead.py), by their call's key.
        self.ahead: dict[bytes, tuple[ProcessPoolExecutor, Future]] = {}
        self.ahead_started = None
        self.ahead_taken = 0
        self.ahead_given = threading.Event()
        self.ahead_given.set()  # none to wait for, unless `give_ahead` clears it

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        # The forkserver ends with this process (worker_preload.py), its workers with it; no
        # other child is told to. Started here, in the caller's thread, so that the variable
        # is set only while this thread starts it, never while another starts a child.
        # SIGINT blocked while it starts, as multiprocessing starts its resource tracker: a
        # Ctrl-C to the terminal's group would find it still starting its interpreter (a
        # "Fatal Python error"); it takes SIGINT back once in a group of its own.
        os.environ[lifeline.FOLLOW_ENV] = str(os.getpid())
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            forkserver.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            os.environ.pop(lifeline.FOLLOW_ENV, None)
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_worker_start,
                                   initargs=(self.verdicts, os.getpid(), self.files))

    def _spawn(self, executor: ProcessPoolExecutor) -> None:
        try:
            for _ in range(self.workers):
                executor.submit(int)
        except Exception:  # shut down meanwhile, or broken: the next call spawns again,
            pass  # and says why in the thread that waits for its result

    def submit_ahead(self, fn: Callable[..., Any], *args: Any) -> None:
        """Start `fn(*args)` now; a `call` with the same function and arguments takes it."""
        executor = self.executor
        self.ahead[_call_key(fn, args)] = (executor, executor.submit(fn, *args))

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.ahead_given.wait()
        given = self.ahead.pop(_call_key(fn, args), None) if self.ahead else None
        executor, future = given or (self.executor, None)
        self.ahead_taken += given is not None
        try:
            if future is None:
                future = executor.submit(fn, *args)
            return future.result()
        except BrokenProcessPool as exc:
            codes = self._replace(executor)
            raise WorkerCrashed(_death(codes, exc), read_verdicts(Path(self.verdicts))) from exc

    def _replace(self, broken: ProcessPoolExecutor) -> list[int | None]:
        # Two batch threads share the pool: the first to see it broken replaces it.
        codes = [p.exitcode for p in (getattr(broken, "_processes", None) or {}).values()]
        with self.lock:
            if self.executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self.executor = self._start()
                self._spawn(self.executor)
        return codes

    def kill(self) -> None:
        """On a signal: the workers and their forkserver go now, before the pool's
        semaphores (a worker still starting would print a traceback without them).

        The forkserver leads a process group of its own (worker_preload.py), which every
        worker it forks joins: one `killpg` also takes the worker it is forking at that moment,
        whose pid the pool does not know yet (the kernel lets no fork escape a group's signal).
        Such a worker, left alive, went on to unpickle its start-up data, found the semaphores
        unlinked and printed a traceback after the stop's line.

        Before that, this takes multiprocessing's forkserver lock and keeps it until the pool
        closes (on a signal: until the process exits). A thread of the pool that asks for a
        worker after the kill (the batches given ahead, queued behind the start thread) found
        the forkserver dead and started another one: outside the group, it forked that worker
        once this process was gone, and the worker printed the same traceback."""
        self.held = forkserver._forkserver._lock.acquire(timeout=LOCK_WAIT_S)
        server = getattr(forkserver._forkserver, "_forkserver_pid", None)
        if server:
            with contextlib.suppress(OSError):
                if os.getpgid(server) == server:
                    os.killpg(server, signal.SIGKILL)
        pids = [p.pid for p in (getattr(self.executor, "_processes", None) or {}).values()]
        for pid in [*pids, server]:
            if pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.verdicts, ignore_errors=True)

    def close(self) -> None:
        if self.held:
            self.held = False
            forkserver._forkserver._lock.release()
        self.spawning.join()
        self.ahead.clear()
        self.executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.verdicts, ignore_errors=True)


def sweep_verdict_folders(root: Path | None = None) -> list[Path]:
    """Remove the verdict folders of pools whose process is gone (a `kill -9` leaves its folder:
    nothing of it runs to clean up). The folder's name carries the pid of the pool's process."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(f"{VERDICTS_PREFIX}*-*"):
        pid = folder.name[len(VERDICTS_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not lifeline.alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _death(codes: list[int | None], exc: BaseException) -> str:
    signals = sorted({-c for c in codes if c is not None and c < 0})
    if signals:
        names = ", ".join(signal.Signals(n).name for n in signals)
        return f"the worker process extracting it was killed ({names}; out of memory, or by hand)"
    return "the worker process extracting it died"


@contextlib.contextmanager
def local_pool(workers: int = DEFAULTS.workers) -> Iterator[None]:
    """Within this block, `in_worker` runs its function in one of `workers` processes
    (workers < 2: in the calling thread, as before). A worker that dies is replaced, and the
    call it was running raises `WorkerCrashed`."""
    global _pool
    if workers < 2 or _pool is not None:
        yield
        return
    pool = _Pool(workers)
    _pool = pool
    try:
        with interrupt.undo(pool.kill):
            yield
    finally:
        _pool = None
        pool.close()


def active_pool() -> _Pool | None:
    """The pool of the enclosing `local_pool` block, if any."""
    return _pool


def _call_key(fn: Callable[..., Any], args: tuple) -> bytes:
    """Two calls with equal arguments have equal keys (pickling them is what the pool does
    anyway to send them to a worker)."""
    return pickle.dumps((fn.__module__, fn.__qualname__, args), protocol=pickle.HIGHEST_PROTOCOL)


def in_worker(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in a worker process of the active `local_pool`, else right here."""
    pool = _pool
    if pool is None:
        return fn(*args)
    return pool.call(fn, *args)
