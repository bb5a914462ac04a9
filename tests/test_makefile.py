"""The Makefile's housekeeping targets do what the README says, on a scratch copy."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_clean_leaves_output_as_a_fresh_clone_has_it(tmp_path):
    out = tmp_path / "output"
    snapshot = out / ".snapshots" / "20260101T000000"
    snapshot.mkdir(parents=True)
    (snapshot / "cpts.parquet").write_bytes(b"x")
    (out / "current").symlink_to(snapshot)
    (out / "cpts.parquet").symlink_to(snapshot / "cpts.parquet")
    (out / "text").mkdir()
    for name in (".gitkeep", "state.json", "runs.jsonl", "report.html", ".lock", "run.json"):
        (out / name).write_text("x")
    venv = tmp_path / "venv"
    venv.mkdir()
    subprocess.run(["make", "-s", "clean", f"OUT={out}", f"VENV={venv}",
                    f"UV_VENV={tmp_path / 'uv'}"], cwd=ROOT, check=True, timeout=60)
    assert sorted(p.name for p in out.iterdir()) == [".gitkeep"]
    assert not venv.exists()


def test_make_test_installs_no_system_package():
    """Chromium comes from its own target, which CI calls; `make test` only reads the lock."""
    dry = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert "apt-get" not in dry and "chromium" not in dry
    assert "--require-hashes -r requirements-test.lock" in dry
    runtime = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, check=True).stdout
    assert "--require-hashes -r requirements-pip.lock" in runtime
    assert "--require-hashes -r requirements.lock" in runtime
    assert "requirements-test.lock" not in runtime
