"""The analyst's small rerun against this machine's yardstick: loading the spaCy model.

    .venv/bin/python -m benchmarks.startup [--repeat 3] [--out DIR]

Each figure is the wall time of a fresh process, median of `--repeat`: a worker made ready (the
forkserver's imports and the model load), its patterns compiled anew then read from the cache
(flows/run/compiled_patterns.py), interleaved; `spacy.load` of the
model alone, `cpts-facts run corpus`, `cpts-facts show` on one release; then the ratios
issue 16 asks to keep at or under 1.0. The run uses whatever Prefect server the CLI would (a
background server already up is reused; the first run may start it, so its time is shown too).

Then the first command after a reboot (target ≤ 2.0): no background server, and none of the
files a run reads in the page cache. The server is stopped (as its idle stop or a reboot
would), and every file of the interpreter, the virtual environment, this checkout, the
server's database and the compiled patterns (flows/run/compiled_patterns.py) is dropped
from the page cache (`posix_fadvise(POSIX_FADV_DONTNEED)`, which needs no root; pages a
running process has mapped stay), then `run corpus` is timed once.
`--no-reboot` skips it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPACY_LOAD = "import spacy; spacy.load('fr_core_news_sm')"
# What a worker does before its first parsed sentence: the forkserver's imports, then the model.
WORKER_READY = "import flows.run.worker_preload\nfrom extractors.text import nlp; nlp.model()"


def timed(cmd: list[str], said: list[str] | None = None,
          env: dict[str, str] | None = None) -> float:
    """Wall seconds of `cmd` in a fresh process; its stdout appended to `said` when given."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                          env=env if env is not None else os.environ.copy())
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-1500:]}")
    if said is not None:
        said.append(done.stdout)
    return seconds


def phase_seconds(summary: str) -> dict[str, float]:
    """The seconds of each phase on the summary's `time:` line (names may hold commas)."""
    from flows.run import progress

    names = [progress.STARTING, progress.LOADING, progress.EXTRACTING, progress.VALIDATING,
             progress.WRITING, progress.REPORT]
    line = next((ln for ln in summary.splitlines() if ln.startswith("time: ")), "")
    found = {}
    for name in names:
        m = re.search(rf"(?:^time: |, ){re.escape(name)} ([\d.]+) s", line)
        if m:
            found[name] = float(m.group(1))
    return found


def evict_page_cache(roots: list[Path]) -> tuple[int, int]:
    """Drop every regular file under `roots` from the page cache; (files, bytes) dropped."""
    files = size = 0
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
                except OSError:  # a link, a socket, a file gone meanwhile
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    files, size = files + 1, size + os.fstat(fd).st_size
                finally:
                    os.close(fd)
    return files, size


def after_reboot(out: Path, summaries: list[str]) -> float:
    """Wall seconds of `run corpus` with no background server and its files out of the
    page cache, as the first command after a reboot finds them."""
    from flows.run import api_server, compiled_patterns

    api_server.stop_server()
    roots = [Path(sys.base_prefix), Path(sys.prefix), ROOT, api_server.home()]
    if compiled_patterns.folder() is not None:
        roots.append(compiled_patterns.folder())
    files, size = evict_page_cache(roots)
    print(f"(after a reboot: background server stopped, {files:,} files, {size / 2**20:,.0f} MB "
          "dropped from the page cache)", flush=True)
    return timed(cli("run", "corpus", "--out", str(out), "--quiet"), summaries)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def worker_ready(repeat: int) -> dict[str, list[float]]:
    """A worker's start-up, its patterns compiled anew, then read from the cache (warm)."""
    from flows.run import compiled_patterns

    off = {**os.environ, compiled_patterns.ENV: "off"}
    code = [sys.executable, "-c", WORKER_READY]
    timed(code)  # fills the cache, if it is not yet
    found: dict[str, list[float]] = {"worker_compiling": [], "worker_cached": []}
    for _ in range(repeat):  # interleaved: the machine's speed moves
        found["worker_compiling"].append(timed(code, env=off))
        found["worker_cached"].append(timed(code))
    return found


def measure(repeat: int, out: Path, summaries: list[str]) -> dict[str, list[float]]:
    one_file = sorted((ROOT / "corpus").glob("*.txt"))[0]
    return {
        **worker_ready(repeat),
        "spacy_load": [timed([sys.executable, "-c", SPACY_LOAD]) for _ in range(repeat)],
        "run_corpus": [timed(cli("run", "corpus", "--out", str(out), "--quiet"), summaries)
                       for _ in range(repeat)],
        "show_file": [timed(cli("show", str(one_file.relative_to(ROOT))))
                      for _ in range(repeat)],
    }


def breakdown(summaries: list[str]) -> list[str]:
    """Where the run's time goes: the median of each phase over the runs."""
    runs = [phase_seconds(s) for s in summaries]
    names = list(dict.fromkeys(name for run in runs for name in run))
    out = ["run corpus, by phase (medians):"]
    for name in names:
        seconds = statistics.median(run.get(name, 0.0) for run in runs)
        out.append(f"  {name:<46} {seconds:6.2f} s")
    return out


def lines(times: dict[str, list[float]]) -> list[str]:
    median = {k: statistics.median(v) for k, v in times.items()}
    spacy = median["spacy_load"]

    def row(label: str, key: str) -> str:
        runs = " ".join(f"{t:.2f}" for t in times[key])
        return f"{label:<34} {median[key]:6.2f} s  (runs: {runs})"

    reboot = []
    if "after_reboot" in times:
        reboot = [row("run corpus, first after a reboot", "after_reboot"),
                  f"{'first run / spacy.load':<34} {median['after_reboot'] / spacy:6.2f}×  "
                  "(target ≤ 2.0)"]

    return [
        row("worker ready, compiling patterns", "worker_compiling"),
        row("worker ready, patterns cached", "worker_cached"),
        row("spacy.load('fr_core_news_sm')", "spacy_load"),
        row("cpts-facts run corpus (5 files)", "run_corpus"),
        row("cpts-facts show corpus/<one file>", "show_file"),
        f"{'run / spacy.load':<34} {median['run_corpus'] / spacy:6.2f}×  (target ≤ 1.0)",
        f"{'show / spacy.load':<34} {median['show_file'] / spacy:6.2f}×  (target < 1.0)",
        *reboot,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure (3)")
    parser.add_argument("--out", help="dataset folder of the runs (default: a temporary one)")
    parser.add_argument("--no-reboot", action="store_true",
                        help="skip the first run after a (simulated) reboot")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cpts-startup-") as tmp:
        out = Path(args.out) if args.out else Path(tmp) / "out"
        summaries: list[str] = []
        times = measure(args.repeat, out, summaries)
        rebooted: list[str] = []
        if not args.no_reboot:
            times["after_reboot"] = [after_reboot(out, rebooted)]
        for line in lines(times) + breakdown(summaries):
            print(line, flush=True)
        if rebooted:
            for line in breakdown(rebooted)[1:]:
                print(line.replace("  ", "  after a reboot: ", 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
