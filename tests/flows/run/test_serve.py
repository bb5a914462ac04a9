"""`cpts-facts serve`: a real subprocess with its own temporary Prefect server ticks, writes
runs.jsonl, and stops at once on SIGTERM and on SIGINT (exit 143, 130)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.conftest import ROOT, SEEDS
from tests.dataset_checks import assert_consistent, cli

WAIT_LIMIT = 240  # a guard against a hung test, not a timing assertion


# SIGTERM: tests/flows/run/test_faults.py, with a file that arrives half-written.
@pytest.mark.parametrize("stop", [signal.SIGINT], ids=["sigint"])
def test_serve_ticks_then_stops_cleanly(tmp_path, stop):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox / SEEDS[0].name)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(cli("serve", "--inbox", str(inbox), "--out", str(out),
                                "--interval", "1"), cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    runs = out / "runs.jsonl"
    deadline = time.monotonic() + WAIT_LIMIT
    try:
        while not runs.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert runs.exists(), f"no tick: exit {proc.poll()}"
        proc.send_signal(stop)
        assert proc.wait(WAIT_LIMIT) == 128 + stop  # 130, 143: stopped by that signal
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert err.splitlines()[-1].startswith(
        f"cpts-facts: interrupted ({stop.name}): serving stopped;"), err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    assert len(assert_consistent(out)["documents"]) == 1
