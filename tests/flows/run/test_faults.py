"""Fault suite: one bad file or one dead worker costs only that file (issue: reliability).

Everything here is real: generated files that are slow or inflate in pdfium, worker processes
killed with SIGKILL as the kernel's out-of-memory killer would, the watchdog ending a worker
stuck in C code.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time

import psutil
import pytest

from flows.read.discover import discover
from flows.run.batch import process_entries, run_batch
from flows.run.runners import local_pool
from flows.settings import RunSettings
from tests.conftest import SEEDS
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
    entries = _inbox(tmp_path, lambda d: long_release(d / "long.txt", 1.0))
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
