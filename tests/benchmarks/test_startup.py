"""The start-up benchmark reads each phase back from the summary the CLI prints."""

from __future__ import annotations

import io

from rich.console import Console

from benchmarks.startup import breakdown, phase_seconds
from flows.run import progress
from flows.run.view import print_summary

PHASES = {progress.STARTING: 4.8, progress.LOADING: 3.6, progress.EXTRACTING: 9.3,
          progress.VALIDATING: 0.04, progress.WRITING: 0.0, progress.REPORT: 1.2}


def _summary(phases: dict[str, float]) -> str:
    out = io.StringIO()
    print_summary({"statuses": {"ok": 5}, "files": 5, "cpts": 10, "facts": 189,
                   "validation_errors": 0, "out_dir": "/tmp/out", "phases": phases},
                  Console(file=out, width=60))
    return out.getvalue()


def test_every_phase_the_cli_prints_is_read_back_whatever_commas_its_name_holds():
    assert phase_seconds(_summary(PHASES)) == {k: round(v, 1) for k, v in PHASES.items()}


def test_the_breakdown_gives_the_median_of_each_phase():
    slower = {**PHASES, progress.EXTRACTING: 20.0}
    rows = breakdown([_summary(PHASES), _summary(slower), _summary(PHASES)])
    assert any(row.split() == ["extracting", "9.30", "s"] for row in rows)


def test_the_simulated_reboot_drops_every_regular_file_it_can_open(tmp_path):
    from benchmarks.startup import evict_page_cache

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "module.py").write_text("x = 1\n")
    (tmp_path / "model.bin").write_bytes(b"\0" * 4096)
    (tmp_path / "link").symlink_to(tmp_path / "model.bin")  # not followed: counted once
    assert evict_page_cache([tmp_path]) == (2, 4096 + 6)
    assert evict_page_cache([tmp_path / "missing"]) == (0, 0)
