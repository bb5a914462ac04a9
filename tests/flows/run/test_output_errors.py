"""A run killed, out of disk, locked out or racing another run never damages the dataset."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from flows.cli import main
from flows.dataset.store import PAUSE_ENV
from flows.settings import RunSettings
from tests.conftest import ROOT, SEEDS
from tests.dataset_checks import assert_consistent, cli, cli_env

WAIT_LIMIT = 240  # a guard against a hung test, not a timing assertion


@pytest.fixture()
def dataset(prefect_harness, tmp_path):
    """An inbox of two releases and the dataset of a first run over it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, inbox / seed.name)
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--no-report", "--incremental"]) == 0
    return inbox, out


def snapshot_of(out: Path) -> dict:
    return {
        "run": (out / "run.json").read_text(encoding="utf-8"),
        "documents": (out / "documents.parquet").read_bytes(),
        "current": os.readlink(out / "current"),
    }


def test_run_killed_before_the_switch_leaves_the_previous_dataset(dataset):
    inbox, out = dataset
    before = snapshot_of(out)
    shutil.copy(SEEDS[2], inbox / SEEDS[2].name)
    env = dict(cli_env(), **{PAUSE_ENV: "600"})
    proc = subprocess.Popen(cli("run", str(inbox), "--out", str(out), "--incremental",
                                "--no-report", "--quiet"), cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = None
        while ready is None and proc.poll() is None:
            ready = next(iter((out / ".snapshots").glob("*/.ready")), None)
        assert ready is not None, proc.stderr.read().decode()[-2000:]
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(WAIT_LIMIT)
    assert snapshot_of(out) == before
    assert len(assert_consistent(out)["documents"]) == 2
    assert main(["run", str(inbox), "--out", str(out), "--incremental", "--no-report"]) == 0
    assert len(assert_consistent(out)["documents"]) == 3
    assert len(list((out / ".snapshots").iterdir())) == 2, "the killed snapshot was pruned"


def _limit_file_size() -> None:
    # A file may not grow past 20 kB: writes beyond fail with EFBIG, as on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_full_disk_is_one_line_and_keeps_the_previous_dataset(dataset):
    inbox, out = dataset
    before = snapshot_of(out)
    for seed in SEEDS[2:]:
        shutil.copy(seed, inbox / seed.name)
    done = subprocess.run(cli("run", str(inbox), "--out", str(out), "--incremental", "--quiet"),
                          cwd=ROOT, env=cli_env(), capture_output=True, text=True,
                          preexec_fn=_limit_file_size, timeout=WAIT_LIMIT)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith("cpts-facts: error: cannot write the dataset to"), done.stderr
    assert done.stderr.count("\n") == 1 and "File too large" in done.stderr
    assert snapshot_of(out) == before
    assert len(list((out / ".snapshots").iterdir())) == 1, "the partial snapshot was removed"
    assert len(assert_consistent(out)["documents"]) == 2


def test_output_under_a_file_is_one_line(prefect_harness, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["run", str(SEEDS[0]), "--out", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"cpts-facts: error: output folder is not writable: {blocker / 'out'} " \
                  "(Not a directory)\n"


def test_locked_output_fails_or_waits(dataset):
    inbox, out = dataset
    lock = FileLock(str(out / ".lock"))
    with lock:
        done = subprocess.run(cli("run", str(inbox), "--out", str(out), "--incremental"),
                              cwd=ROOT, env=cli_env(), capture_output=True, text=True,
                              timeout=WAIT_LIMIT)
        assert done.returncode == 2
        assert done.stderr == (f"cpts-facts: error: another run is writing to {out} (lock "
                               f"{out / '.lock'} is held); wait for it or pass --wait\n")
        waiting = subprocess.Popen(
            cli("run", str(inbox), "--out", str(out), "--incremental", "--wait", "--quiet"),
            cwd=ROOT, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        assert "waiting for the lock" in waiting.stderr.readline()
    assert waiting.wait(WAIT_LIMIT) == 0
    lines = (out / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[-1])["skipped"] == 2


def test_concurrent_runs_do_not_interleave(dataset):
    inbox, out = dataset
    other = inbox.parent / "other"
    other.mkdir()
    for seed in SEEDS[2:]:
        shutil.copy(seed, other / seed.name)
    procs = [
        subprocess.Popen(cli("run", str(folder), "--out", str(out), "--incremental", "--wait",
                             "--quiet", "--no-report"), cwd=ROOT, env=cli_env(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for folder in (inbox, other)
    ]
    for proc in procs:
        assert proc.wait(WAIT_LIMIT) == 0, proc.stderr.read().decode()[-2000:]
    tables = assert_consistent(out)
    assert len(tables["documents"]) == len(SEEDS)  # both runs' documents, none lost
    assert len((out / "runs.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_read_error_is_retried_then_recorded(tmp_path):
    import datetime as dt

    from flows.read.discover import discover
    from flows.run.batch import TransientReadError, run_batch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox / SEEDS[0].name)
    (inbox / "flaky.txt").write_text("copie en cours", encoding="utf-8")
    entries = discover([inbox])
    # Gone between listing and reading, as a file still being moved: an OS-level read error.
    (inbox / "flaky.txt").unlink()
    limits = {"settings": RunSettings(), "processed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
    with pytest.raises(TransientReadError, match=r"attempt 1/2: cannot read flaky.txt"):
        run_batch(entries, **limits, attempt=1, allowed=2)  # Prefect retries the task
    docs = run_batch(entries, **limits, attempt=2, allowed=2)["tables"]["documents"]
    docs = docs.set_index("source")
    assert docs.at["flaky.txt", "status"] == "unreadable"
    assert docs.at["flaky.txt", "message"].endswith("(after 2 attempts)")
    assert docs.at[SEEDS[0].name, "status"] == "ok"
