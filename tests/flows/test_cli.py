"""The CLI's exit codes and one-line messages (in-process, sharing the Prefect harness)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from flows.cli import build_parser, main, run_settings
from flows.settings import SERVE_SETTLE_SECONDS, RunSettings
from tests.conftest import ROOT, SEEDS

ERROR_CASES = [
    pytest.param(["run", "does/not/exist"], "cpts-facts: error: input not found: does/not/exist",
                 id="missing-input"),
    pytest.param(["evaluate", "--gold", "nowhere"], "cpts-facts: error: gold folder not found",
                 id="missing-gold"),
    pytest.param(["evaluate", "--out", "nowhere"], "cpts-facts: error: no dataset in nowhere",
                 id="missing-dataset"),
    pytest.param(["show", "corpus/nope.txt", "--out", "nowhere"],
                 "cpts-facts: error: file not found: corpus/nope.txt", id="show-missing-file"),
]


@pytest.mark.parametrize(("argv", "message"), ERROR_CASES)
def test_user_errors_are_one_line_and_exit_2(argv, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


NONSENSE_CASES = [
    pytest.param(["run", "--workers", "0"],
                 "cpts-facts run: error: argument --workers: must be 1 or more, not 0",
                 id="run-workers-0"),
    pytest.param(["run", "--batch-size", "0"],
                 "cpts-facts run: error: argument --batch-size: must be 1 or more, not 0",
                 id="run-batch-size-0"),
    pytest.param(["run", "--max-bytes", "-1"],
                 "cpts-facts run: error: argument --max-bytes: must be 1 or more, not -1",
                 id="run-negative-size"),
    pytest.param(["run", "--max-pages", "-5"],
                 "cpts-facts run: error: argument --max-pages: must be 1 or more, not -5",
                 id="run-negative-pages"),
    pytest.param(["run", "--report-max-docs", "-1"],
                 "cpts-facts run: error: argument --report-max-docs: must be 0 or more, not -1",
                 id="run-negative-report-docs"),
    pytest.param(["run", "--workers", "two"],
                 "cpts-facts run: error: argument --workers: expected a whole number, not 'two'",
                 id="run-workers-in-words"),
    pytest.param(["serve", "--inbox", "in", "--workers", "0"],
                 "cpts-facts serve: error: argument --workers: must be 1 or more, not 0",
                 id="serve-workers-0"),
    pytest.param(["serve", "--inbox", "in", "--batch-size", "0"],
                 "cpts-facts serve: error: argument --batch-size: must be 1 or more, not 0",
                 id="serve-batch-size-0"),
    pytest.param(["serve", "--inbox", "in", "--max-bytes", "-20"],
                 "cpts-facts serve: error: argument --max-bytes: must be 1 or more, not -20",
                 id="serve-negative-size"),
    pytest.param(["serve", "--inbox", "in", "--max-pages", "0"],
                 "cpts-facts serve: error: argument --max-pages: must be 1 or more, not 0",
                 id="serve-pages-0"),
    pytest.param(["run", "--file-seconds", "0"],
                 "cpts-facts run: error: argument --file-seconds: must be more than 0, not 0",
                 id="run-file-seconds-0"),
    pytest.param(["serve", "--inbox", "in", "--file-memory-mb", "-1"],
                 "cpts-facts serve: error: argument --file-memory-mb: must be 1 or more, not -1",
                 id="serve-negative-file-memory"),
    pytest.param(["serve", "--inbox", "in", "--interval", "0"],
                 "cpts-facts serve: error: argument --interval: must be more than 0, not 0",
                 id="serve-interval-0"),
    pytest.param(["report", "--max-docs", "-3"],
                 "cpts-facts report: error: argument --max-docs: must be 0 or more, not -3",
                 id="report-negative-docs"),
    pytest.param(["run", "--dask-address", "tcp://h:8786"],
                 "cpts-facts: error: a Dask address needs the dask task runner "
                 "(--task-runner dask)", id="run-dask-address-alone"),
    pytest.param(["serve", "--inbox", "in", "--dask-address", "tcp://h:8786"],
                 "cpts-facts: error: a Dask address needs the dask task runner "
                 "(--task-runner dask)", id="serve-dask-address-alone"),
]


@pytest.mark.parametrize(("argv", "message"), NONSENSE_CASES)
def test_nonsense_values_are_one_line_and_exit_2(argv, message, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    try:
        code = main(argv)
    except SystemExit as done:
        code = done.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message), err
    assert err.count("\n") == 1
    assert not (ROOT / "in").exists()  # refused before anything was made


# Every option of a run, none at its default.
RUN_OPTIONS = ["--out", "elsewhere", "--batch-size", "7", "--workers", "3",
               "--report-max-docs", "5", "--max-bytes", "1000", "--max-pages", "9",
               "--file-seconds", "12.5", "--file-memory-mb", "500", "--settle-seconds", "3",
               "--csv-dialect", "excel-fr", "--no-report", "--prune", "--task-runner", "dask",
               "--dask-address", "tcp://h:8786"]


@pytest.mark.parametrize("options", [pytest.param([], id="defaults"),
                                     pytest.param(RUN_OPTIONS, id="every-option")])
def test_run_and_serve_build_the_same_settings(options):
    parser = build_parser()
    by_run = run_settings(parser.parse_args(["run", "in", *options]), inputs=["in"])
    by_serve = run_settings(parser.parse_args(["serve", "--inbox", "in", *options]),
                            inputs=["in"])
    if options:
        assert by_run == by_serve == RunSettings(
            inputs=["in"], out_dir="elsewhere", batch_size=7, workers=3, report_max_docs=5,
            max_bytes=1000, max_pages=9, file_seconds=12.5, file_memory_mb=500,
            settle_seconds=3.0, csv_dialect="excel-fr", report=False, prune=True,
            task_runner="dask", dask_address="tcp://h:8786")
    else:
        assert by_run == RunSettings(inputs=["in"])
        # One default differs: serve waits for the files an inbox receives to be complete.
        assert by_serve == replace(by_run, settle_seconds=SERVE_SETTLE_SECONDS)


def test_run_exits_0_with_bad_files_and_3_when_strict(prefect_harness, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "files: 2" in printed and "unreadable 1" in printed
    assert f"{out}/*.parquet" in printed
    # The summary times each phase of the run, in the order they ran.
    timed = printed[printed.index("time: "):]
    phases = ["starting Prefect", "extracting", "validating", "writing tables", "report"]
    assert [timed.index(p) for p in phases] == sorted(timed.index(p) for p in phases)
    assert main(["run", str(inbox), "--out", str(out), "--strict"]) == 3


@pytest.mark.slow
def test_installed_entry_point_runs_on_the_corpus(tmp_path):
    """The real console script, with the temporary Prefect server it starts by itself."""
    exe = shutil.which("cpts-facts", path=os.path.dirname(sys.executable))
    assert exe, "cpts-facts console script is not installed"
    out = tmp_path / "out"
    done = subprocess.run(
        [exe, "run", "corpus", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "files: 5 (ok 5)" in done.stdout
    evaluated = subprocess.run(
        [exe, "evaluate", "--gold", "corpus/gold", "--out", str(out)], cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    assert "overall" in evaluated.stdout


def test_show_extracts_a_file_in_memory(capsys):
    assert main(["show", str(SEEDS[-1])]) == 0
    printed = capsys.readouterr().out
    assert "CPTS Croix-Rousse Presqu'île" in printed
    assert "CPTS Soins Pluriprofessionnels de Vaulx-en-Velin" in printed


def test_show_unknown_document_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "nothing"
    assert main(["show", "0123456789abcdef", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("cpts-facts: error: no dataset in")


def test_run_writes_report_registry_and_datapackage(prefect_harness, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS[0]), "--out", str(out), "--csv-dialect", "excel-fr"]) == 0
    for name in ["report.html", "cpts_registry.parquet", "cpts_registry.csv", "datapackage.json"]:
        assert (out / name).is_file(), name
    assert (out / "cpts.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    (out / "report.html").unlink()
    assert main(["report", "--out", str(out)]) == 0
    assert (out / "report.html").is_file()
    assert main(["run", str(SEEDS[0]), "--out", str(out / "b"), "--no-report"]) == 0
    assert not (out / "b" / "report.html").exists()


def test_a_folder_that_cannot_be_written_is_one_line_and_exit_2(prefect_harness, tmp_path,
                                                                capsys):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS[0]), "--out", str(out), "--no-report"]) == 0
    snapshot = (out / "current").resolve()
    # chattr +i: a read-only folder that even root cannot write (chmod does not stop root).
    if subprocess.run(["chattr", "+i", str(snapshot), str(out)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        capsys.readouterr()
        assert main(["report", "--out", str(out)]) == 2
    finally:
        subprocess.run(["chattr", "-i", str(snapshot), str(out)], check=True)
    err = capsys.readouterr().err
    assert err.startswith("cpts-facts: error: ") and err.count("\n") == 1, err
    assert str(snapshot) in err


def test_version_prints_package_and_extractor_versions(capsys):
    import extractors

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    printed = capsys.readouterr().out.strip()
    assert printed == f"cpts-facts 0.1.0 (extractors {extractors.__version__})"
