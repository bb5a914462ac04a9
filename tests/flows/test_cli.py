"""The CLI's exit codes and one-line messages (in-process, sharing the Prefect harness)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from flows.cli import main
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
