"""Measure the real pipeline on synthetic corpora of growing size and print README-ready lines.

    .venv/bin/python -m benchmarks.run_benchmark --sizes 100 1000 10000 --workdir benchmarks/out

Each N runs `flows.run.pipeline.extract_flow` (the code path of `cpts-facts run`) in a fresh
subprocess, so peak memory and start-up costs belong to that run. Stage times are measured
inside that same run (see benchmarks/stages.py). The fixed costs (empty Prefect flow, spaCy
model load) and the naive baseline each get their own subprocess too. Figures go to
<workdir>/benchmark.json, the text to stdout and <workdir>/benchmark.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import report, stages  # noqa: E402
from benchmarks.make_corpus import build_corpus  # noqa: E402

POLL_SECONDS = 0.2


def run_child(args: list[str], result: Path) -> dict:
    """Run benchmarks.child in a fresh interpreter; add wall time and peak RSS of its tree.

    The tree matters because Prefect's temporary API server is a child of the pipeline process.
    """
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.child", args[0], str(result), *args[1:]]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy())
    tree_peak = 0
    parent = psutil.Process(proc.pid)
    while proc.poll() is None:
        tree_peak = max(tree_peak, _tree_rss(parent))
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - t0
    figures = json.loads(result.read_text()) if result.exists() else {}
    if "error" in figures:
        raise SystemExit(f"benchmark stopped: {figures['error']}")
    if proc.returncode != 0 or not figures:
        raise RuntimeError(f"benchmark child failed (exit {proc.returncode}): {' '.join(cmd)}")
    figures["wall_seconds"] = wall
    figures["tree_peak_rss_mb"] = tree_peak / 2**20
    return figures


def _tree_rss(process: psutil.Process) -> int:
    """PSS of the process tree: pages the forked workers share are counted once, not per
    process as a sum of RSS would (falls back to RSS where PSS is not available)."""
    total = 0
    try:
        for p in [process, *process.children(recursive=True)]:
            try:
                info = p.memory_full_info()
                total += getattr(info, "pss", info.rss)
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def measure_size(n: int, workdir: Path, seed: int, profile: bool) -> dict:
    manifest = build_corpus(n, workdir / f"corpus-{n}", seed=seed)
    out_dir = workdir / f"dataset-{n}"
    shutil.rmtree(out_dir, ignore_errors=True)
    args = ["run", manifest["files_dir"], str(out_dir)]
    if profile:
        args += ["--profile", str(workdir / f"profile-{n}")]
    child = run_child(args, workdir / f"run-{n}.json")
    per_format = child.get("formats", {})
    return {
        "n": n,
        "formats": manifest["formats"],
        "pdf_pages": manifest["pdf_pages"],
        "corpus_build_seconds": None if manifest["cached"] else manifest["build_seconds"],
        "wall_seconds": child["wall_seconds"],
        "import_seconds": child["import_seconds"],
        "flow_seconds": child["flow_seconds"],
        "processing_seconds": sum(f["seconds"] for f in per_format.values()),
        "per_format": per_format,
        "stages": child.get("stages", {}),
        "extractors": child.get("extractors", {}),
        "model_load_seconds": child.get("model_load_seconds"),
        "statuses": child.get("summary", {}).get("statuses", {}),
        "summary": child.get("summary", {}),
        "peak_rss_mb": child["peak_rss_mb"],
        "phases": child.get("phases", {}),
        "main_cpu_seconds": child.get("main_cpu_seconds"),
        "workers": child.get("workers", []),
        "tree_peak_rss_mb": child["tree_peak_rss_mb"],
    }


def baseline_sample(files_dir: Path, size: int) -> list[str]:
    # The first .txt files cycle through every seed, so a small sample still covers them all.
    return [str(p) for p in sorted(files_dir.glob("*.txt"))[:size]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--seed", type=int, default=0, help="corpus generator seed")
    parser.add_argument("--baseline-sample", type=int, default=50,
                        help="documents for the naive baseline (0 to skip)")
    parser.add_argument("--no-fixed", action="store_true", help="skip the fixed-cost probes")
    parser.add_argument("--profile", action="store_true",
                        help="also write cProfile stats of each run to <workdir>/profile-N.*")
    args = parser.parse_args(argv)
    try:
        stages.check_names()  # before minutes of corpus building and runs
    except stages.StaleStageError as exc:
        raise SystemExit(f"benchmark stopped: {exc}") from None
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    figures: dict = {
        "machine": f"{platform.node()} · {psutil.cpu_count()} cores · Python "
                   f"{platform.python_version()}",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "fixed": {},
        "runs": [],
    }
    if not args.no_fixed:
        figures["fixed"]["empty_flow"] = run_child(["empty-flow"], workdir / "empty-flow.json")
        figures["fixed"]["spacy"] = run_child(["spacy-load"], workdir / "spacy-load.json")
    for n in sorted(args.sizes):
        figures["runs"].append(measure_size(n, workdir, args.seed, args.profile))
        print(f"N = {n}: {figures['runs'][-1]['flow_seconds']:.1f} s", file=sys.stderr)
    if args.baseline_sample and figures["runs"]:
        sample = baseline_sample(workdir / f"corpus-{figures['runs'][0]['n']}" / "files",
                                 args.baseline_sample)
        figures["baseline"] = run_child(["baseline", *sample], workdir / "baseline.json")

    lines = report.render(figures)
    (workdir / "benchmark.json").write_text(json.dumps(figures, indent=2, default=str))
    (workdir / "benchmark.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
