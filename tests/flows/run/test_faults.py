"""Fault suite: one bad file or one dead worker costs only that file; one signal stops a
command at once; a command killed leaves no process behind (issue: reliability).

Everything here is real: generated files that are slow or inflate in pdfium, worker processes
killed with SIGKILL as the kernel's out-of-memory killer would, the watchdog ending a worker
stuck in C code, SIGINT and SIGTERM sent to a real `cpts-facts run` and `serve`, and a file
an inbox receives half-written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from flows.read.discover import discover
from flows.read.ingest import content_doc_id
from flows.run.batch import process_entries, run_batch
from flows.run.runners import local_pool
from flows.settings import RunSettings
from tests.conftest import ROOT, SEEDS
from tests.dataset_checks import assert_consistent, cli, cli_env
from tests.faults import inflating_pdf, long_release

pytestmark = pytest.mark.faults

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def limits(seconds: float | None = 300.0, memory_mb: int | None = 4096) -> dict:
    """The batch's arguments, with these per-file budgets (None: no limit)."""
    return {"settings": RunSettings(file_seconds=seconds, file_memory_mb=memory_mb),
            "processed_at": NOW}


def _statuses(out: dict) -> dict[str, tuple[str, str | None]]:
    documents = out["tables"]["documents"]
    return {row.source: (row.status, row.message) for row in documents.itertuples()}


def _inbox(tmp_path, *makers) -> list:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox / "good.txt")
    for make in makers:
        make(inbox)
    return discover([inbox])


def test_a_file_over_the_time_budget_is_a_timeout_row_and_the_batch_goes_on(tmp_path):
    # 19.9 MB, just under the default size limit: before the budgets, such a file ran for more
    # than 600 s and the run wrote no row and no dataset.
    entries = _inbox(tmp_path, lambda d: long_release(d / "long.txt", 19.9))
    good = [e for e in entries if e.source == "good.txt"]
    run_batch(good, **limits())  # first-use costs (the language model) are not the file's
    started = time.monotonic()
    out = run_batch(entries, **limits(seconds=5.0, memory_mb=None))
    rows = _statuses(out)
    assert rows["long.txt"][0] == "timeout"
    assert "5 s" in rows["long.txt"][1] and "--file-seconds" in rows["long.txt"][1]
    assert rows["good.txt"][0] == "ok"
    assert time.monotonic() - started < 60  # the long file alone takes minutes
    assert len(out["tables"]["cpts"]) > 0  # the good file's facts are all there


def test_an_inflating_pdf_over_the_memory_budget_is_a_too_large_row(tmp_path):
    entries = _inbox(tmp_path, lambda d: inflating_pdf(d / "bomb.pdf", 16))
    assert (tmp_path / "inbox" / "bomb.pdf").stat().st_size < 100_000
    out = run_batch(entries, **limits(seconds=None, memory_mb=300))
    rows = _statuses(out)
    assert rows["bomb.pdf"][0] == "too_large", rows
    assert "300 MB" in rows["bomb.pdf"][1]
    assert rows["good.txt"][0] == "ok"


def _kill_workers_over(limit_mb: float, stop: threading.Event, killed: list[int]) -> None:
    """What the kernel's out-of-memory killer does: SIGKILL a process past a memory size."""
    me = psutil.Process()
    while not stop.wait(0.05):
        for child in me.children(recursive=True):
            try:
                if child.memory_info().rss > limit_mb * 1e6:
                    child.kill()
                    killed.append(child.pid)
            except psutil.Error:
                continue


def test_a_worker_killed_by_sigkill_costs_only_its_file(tmp_path):
    entries = _inbox(tmp_path, lambda d: inflating_pdf(d / "bomb.pdf", 16),
                     lambda d: shutil.copy(SEEDS[1], d / "other.txt"))
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_workers_over, args=(600, stop, killed))
    with local_pool(2):
        killer.start()
        try:
            out = process_entries(entries, **limits(seconds=None, memory_mb=None))
            after = process_entries(entries[1:2], **limits())  # the pool was replaced: it works
        finally:
            stop.set()
            killer.join()
    rows = _statuses(out)
    assert killed, "the bomb should have grown a worker past 600 MB"
    assert rows["bomb.pdf"][0] == "worker_crashed", rows
    assert "SIGKILL" in rows["bomb.pdf"][1]
    assert rows["good.txt"][0] == rows["other.txt"][0] == "ok"
    assert _statuses(after)["good.txt"][0] == "ok"


def test_a_worker_stuck_in_c_code_is_ended_by_its_watchdog(tmp_path):
    # pdfium inflates this stream for minutes without returning to Python: the stop cannot be
    # raised there, so the watchdog leaves its verdict and ends the worker after a grace period.
    entries = _inbox(tmp_path, lambda d: inflating_pdf(d / "bomb.pdf", 96))
    with local_pool(2):
        started = time.monotonic()
        out = process_entries(entries, **limits(seconds=30, memory_mb=250))
        elapsed = time.monotonic() - started
    rows = _statuses(out)
    assert rows["bomb.pdf"][0] == "too_large", rows
    assert rows["good.txt"][0] == "ok"
    assert elapsed < 120


# --- Signals and orphans: a real `cpts-facts run` or `serve` in a subprocess, real signals ---

STOP_S = 5.0  # from the signal to the exit
ORPHANS_S = 10.0  # from a SIGKILL to the last child gone
WAIT_LIMIT = 240  # a guard against a hung test, not a timing assertion


@pytest.fixture(scope="module")
def first_dataset(prefect_harness, tmp_path_factory):
    """The dataset of a first run, copied by each test (its links are relative)."""
    from flows.run.pipeline import extract_flow

    out = tmp_path_factory.mktemp("first") / "out"
    extract_flow(RunSettings(inputs=[str(SEEDS[0])], out_dir=str(out), workers=1,
                             report=False))
    return out


def _dataset(first_dataset, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(first_dataset, out, symlinks=True)
    return out


def _releases(tmp_path, copies: int = 6) -> Path:
    """Releases that keep two workers busy for a while (each copy is its own document)."""
    inbox = tmp_path / "new"
    inbox.mkdir()
    for i in range(copies):
        seed = SEEDS[i % len(SEEDS)]
        (inbox / f"{i}-{seed.name}").write_text(
            seed.read_text(encoding="utf-8") + f"\nCopie {i}.\n", encoding="utf-8")
    return inbox


def _temporary_server_env() -> dict[str, str]:
    """A command with Prefect's temporary server: one more child that must end with it."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PYTHONPATH=str(ROOT), CPTS_FACTS_PREFECT_SERVER="temporary")
    return env


class Command:
    """A real `cpts-facts` process, in a session of its own as a terminal would make it, and
    every process it started, seen while it ran."""

    def __init__(self, tmp_path, *args: str, env: dict[str, str]) -> None:
        self.stderr = tmp_path / "stderr.txt"
        # stderr to a file: a pipe would stay open as long as an orphaned child holds it.
        with open(self.stderr, "wb") as err:
            self.proc = subprocess.Popen(cli(*args), cwd=ROOT, env=env, stderr=err,
                                         stdout=subprocess.DEVNULL, start_new_session=True)
        self.me = psutil.Process(self.proc.pid)
        self.children: dict[int, float] = {}

    def watch(self) -> list[psutil.Process]:
        try:
            found = self.me.children(recursive=True)
        except psutil.Error:
            return []
        for child in found:
            with contextlib.suppress(psutil.Error):
                self.children.setdefault(child.pid, child.create_time())
        return found

    def wait_for(self, what: str, ready) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        while not ready(self.watch()):
            assert self.proc.poll() is None, f"ended before {what}: {self.err()}"
            assert time.monotonic() < deadline, f"no {what} within {WAIT_LIMIT} s"
            time.sleep(0.05)

    def stop(self, number: int, *, group: bool = False) -> tuple[int, float]:
        """(exit code, seconds from the signal to the exit)."""
        self.watch()
        sent = time.monotonic()
        if group:
            os.killpg(self.proc.pid, number)  # Ctrl-C: the terminal signals the whole group
        else:
            self.proc.send_signal(number)
        code = self.proc.wait(WAIT_LIMIT)
        return code, time.monotonic() - sent

    def left(self, within: float) -> list[str]:
        """The children still alive `within` seconds from now (none: at once)."""
        deadline = time.monotonic() + within
        while True:
            alive = []
            for pid, created in self.children.items():
                with contextlib.suppress(psutil.Error):
                    child = psutil.Process(pid)
                    if child.create_time() == created and child.status() != "zombie":
                        alive.append(" ".join(child.cmdline())[:120])
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.1)

    def err(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def kill_all(self) -> None:
        for pid, created in [(self.proc.pid, None), *self.children.items()]:
            with contextlib.suppress(psutil.Error):
                child = psutil.Process(pid)
                if created is None or child.create_time() == created:
                    child.kill()


def _server_started(children) -> bool:
    return any("uvicorn" in _command_line(c) for c in children)


def _workers_busy(children) -> bool:
    # the forkserver and its two workers
    return sum("forkserver" in _command_line(c) for c in children) >= 3


def _command_line(process: psutil.Process) -> str:
    with contextlib.suppress(psutil.Error):
        return " ".join(process.cmdline())
    return ""  # gone, or a zombie


def _intact(out: Path, before: dict) -> None:
    assert _current(out) == before, "the previous dataset is still the current one"
    assert len(assert_consistent(out)["documents"]) == 1
    assert [p.name for p in (out / ".snapshots").iterdir()] == [before["snapshot"]], \
        "the stopped run's snapshot was removed"


def _current(out: Path) -> dict:
    return {"snapshot": Path(os.readlink(out / "current")).name,
            "documents": (out / "documents.parquet").read_bytes()}


def _forkserver_started(children) -> bool:
    return any("forkserver" in _command_line(c) for c in children)


STOP_CASES = [
    # (signal, sent to the group as Ctrl-C does, the moment, the run's own options)
    pytest.param(signal.SIGINT, True, _server_started, ["--incremental"],
                 id="ctrl-c-while-prefect-starts"),
    pytest.param(signal.SIGTERM, False, _workers_busy, ["--incremental"],
                 id="sigterm-while-workers-extract"),
    # A full run starts its workers before Prefect: the forkserver is still importing the
    # pipeline when Ctrl-C reaches the terminal's group.
    pytest.param(signal.SIGINT, True, _forkserver_started, [],
                 id="ctrl-c-while-the-workers-of-a-full-run-start"),
]


@pytest.mark.parametrize(("number", "group", "moment", "options"), STOP_CASES)
def test_one_signal_stops_a_run_at_once_and_keeps_the_previous_dataset(
        first_dataset, tmp_path, number, group, moment, options):
    out = _dataset(first_dataset, tmp_path)
    before = _current(out)
    run = Command(tmp_path, "run", str(_releases(tmp_path)), "--out", str(out), "--quiet",
                  *options, env=_temporary_server_env())
    try:
        run.wait_for(moment.__name__, moment)
        code, seconds = run.stop(number, group=group)
        assert run.left(within=ORPHANS_S) == []
    finally:
        run.kill_all()
    err = run.err()
    assert code == 128 + number, err
    assert seconds < STOP_S
    name = signal.Signals(number).name
    assert err == (f"cpts-facts: interrupted ({name}): nothing written, the previous dataset "
                   f"in {out} is intact\n")
    _intact(out, before)


def test_kill_9_leaves_no_process_behind_and_the_next_run_starts(first_dataset, tmp_path):
    from flows.dataset.lock import output_lock

    out = _dataset(first_dataset, tmp_path)
    before = _current(out)
    run = Command(tmp_path, "run", str(_releases(tmp_path)), "--out", str(out), "--quiet",
                  "--incremental", env=_temporary_server_env())
    try:
        run.wait_for("workers", lambda found: _workers_busy(found) and _server_started(found))
        assert run.stop(signal.SIGKILL)[0] == -signal.SIGKILL
        # the workers, the forkserver, the resource tracker and the temporary Prefect server
        assert len(run.children) >= 5
        assert run.left(within=ORPHANS_S) == []
    finally:
        run.kill_all()
    assert _current(out) == before
    with output_lock(out, wait=False):  # the kernel released the dead run's lock
        pass


def _runs(out: Path) -> list[dict]:
    runs = out / "runs.jsonl"
    if not runs.is_file():
        return []
    return [json.loads(line) for line in runs.read_text(encoding="utf-8").splitlines()]


def _download(path: Path, text: str, finish: threading.Event) -> None:
    """A slow download: half the release at once, then a few bytes at a time until told to
    finish (a file still growing), then the rest."""
    data = text.encode("utf-8")
    half = len(data) // 2
    path.write_bytes(data[:half])
    with open(path, "ab") as handle:
        while half < len(data) - 64 and not finish.wait(0.2):
            handle.write(data[half:half + 16])
            handle.flush()
            half += 16
        handle.write(data[half:])


def test_serve_takes_a_file_once_complete_and_stops_at_one_sigterm(prefect_harness, tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "cp.pdf.part").write_bytes(b"%PDF-1.7 a browser's download in progress")
    serve = Command(tmp_path, "serve", "--inbox", str(inbox), "--out", str(out),
                    "--interval", "1", "--settle-seconds", "2", "--workers", "1",
                    "--no-report", env=cli_env())
    finish = threading.Event()
    release = inbox / "cp.txt"
    writer = threading.Thread(target=_download, args=(release, SEEDS[1].read_text(
        encoding="utf-8"), finish))
    try:
        writer.start()
        serve.wait_for("a tick that leaves the growing file",
                       lambda _: any(r["unsettled"] for r in _runs(out)))
        finish.set()
        writer.join()
        serve.wait_for("a tick that takes the finished file",
                       lambda _: any(r["new"] for r in _runs(out)))
        code, seconds = serve.stop(signal.SIGTERM)
        assert serve.left(within=ORPHANS_S) == []
    finally:
        finish.set()
        serve.kill_all()
    assert code == 128 + signal.SIGTERM and seconds < STOP_S
    err = serve.err()
    assert "Traceback" not in err, err[-3000:]
    assert err.splitlines()[-1] == (f"cpts-facts: interrupted (SIGTERM): serving stopped; "
                                    f"{out} holds the dataset of the last complete run")
    docs = assert_consistent(out)["documents"]
    assert list(docs["source"]) == ["cp.txt"]  # one row, and none for the .part file
    assert list(docs["doc_id"]) == [content_doc_id(release)]  # of the whole file
    assert docs["status"].iloc[0] == "ok"
