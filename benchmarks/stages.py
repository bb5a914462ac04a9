"""Time each pipeline stage inside the measured run itself, by wrapping the pure functions the
flow calls (no second pass over the files, so the figures describe that very run).

Wrapped names are looked up where the flow looks them up (`flows.run.process.ingest`,
`flows.run.pipeline.validate_tables`, ...). A name that no longer exists is reported as missing
rather than crashing the benchmark, since the pipeline is still moving.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict
from pathlib import Path

# stage → (module, attribute) the flow calls it through; ingest has had two entry points.
INGEST_NAMES = (("flows.run.process", "ingest_entry"), ("flows.run.process", "ingest"))
# Stages of one document, run in the worker processes (and timed there, see worker_hook).
DOC_STAGES = {
    "normalise": ("flows.run.process", "build_document"),
    "extract": ("extractors", "extract_all"),
    "assemble": ("flows.run.process", "assemble"),
    "tables": ("flows.run.batch", "build_tables"),
}
# Stages of the whole run, in the flow's process.
RUN_STAGES = {
    "validate": ("flows.run.chunks", "validate_tables"),
    "export": ("flows.run.commit", "write_dataset"),
    "registry": ("flows.publish.extras", "build_registry"),
    "report": ("flows.publish.extras", "write_report"),
    "commit": ("flows.run.pipeline", "commit"),
}
STAGES = {**DOC_STAGES, **RUN_STAGES}
PER_DOC = ("flows.run.batch", "process_file")
# Set by the benchmark child: each worker process writes its clock to <dir>/worker-<pid>.json.
WORKER_DIR_ENV = "CPTS_FACTS_BENCH_WORKER_DIR"
MODEL = ("extractors.text.nlp", "model")


class StageClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.formats: dict[str, dict[str, float]] = defaultdict(
            lambda: {"docs": 0, "seconds": 0.0, "ingest_seconds": 0.0, "pages": 0}
        )
        self.extractors: dict[str, float] = defaultdict(float)
        self.model_load_seconds = 0.0
        self.missing: list[str] = []

    def as_dict(self) -> dict:
        return {
            "stages": {k: round(v, 4) for k, v in self.seconds.items()},
            "calls": dict(self.calls),
            "formats": {k: dict(v) for k, v in self.formats.items()},
            "extractors": {k: round(v, 4) for k, v in self.extractors.items()},
            "model_load_seconds": round(self.model_load_seconds, 4),
            "missing": self.missing,
        }


def _patch(module_name: str, attr: str, make_wrapper) -> bool:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    original = getattr(module, attr, None)
    if original is None:
        return False
    setattr(module, attr, functools.wraps(original)(make_wrapper(original)))
    return True


def instrument(stages: dict | None = None) -> StageClock:
    """Install the timing wrappers; call before the flow runs, in the measured process."""
    clock = StageClock()
    stages = STAGES if stages is None else stages
    if not any(_patch(module, attr, _ingest_wrapper(clock)) for module, attr in INGEST_NAMES):
        clock.missing.append(" or ".join(".".join(name) for name in INGEST_NAMES))
    for stage, (module_name, attr) in stages.items():
        if not _patch(module_name, attr, _stage_wrapper(clock, stage)):
            clock.missing.append(f"{module_name}.{attr}")
    if not _patch(*PER_DOC, _per_doc_wrapper(clock)):
        clock.missing.append(".".join(PER_DOC))
    if not _patch(*MODEL, _model_wrapper(clock)):
        clock.missing.append(".".join(MODEL))
    _wrap_extractors(clock)
    return clock


def _stage_wrapper(clock: StageClock, stage: str):
    def make(original):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock.seconds[stage] += time.perf_counter() - t0
                clock.calls[stage] += 1
        return timed
    return make


def _ingest_wrapper(clock: StageClock):
    def make(original):
        def timed(path, *args, **kwargs):
            t0 = time.perf_counter()
            result = original(path, *args, **kwargs)
            spent = time.perf_counter() - t0
            clock.seconds["ingest"] += spent
            clock.calls["ingest"] += 1
            row = clock.formats[getattr(result, "format", None) or _format_of(path)]
            row["ingest_seconds"] += spent
            row["pages"] += getattr(result, "n_pages", None) or 0
            return result
        return timed
    return make


def _per_doc_wrapper(clock: StageClock):
    def make(original):
        def timed(path, *args, **kwargs):
            loaded_before = clock.model_load_seconds
            t0 = time.perf_counter()
            result = original(path, *args, **kwargs)
            row = clock.formats[_format_of(path)]
            # The one-off model load is a fixed cost, not the speed of whichever format
            # happened to need the model first.
            row["seconds"] += time.perf_counter() - t0 - (clock.model_load_seconds - loaded_before)
            row["docs"] += 1
            return result
        return timed
    return make


def _model_wrapper(clock: StageClock):
    def make(original):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            result = original(*args, **kwargs)
            # `model` is cached: only the first call is slow, and that call is the load.
            clock.model_load_seconds = max(clock.model_load_seconds, time.perf_counter() - t0)
            return result
        return timed
    return make


def _wrap_extractors(clock: StageClock) -> None:
    try:
        import extractors
    except ImportError:
        return
    registry = getattr(extractors, "EXTRACTORS", None)
    if not registry:
        clock.missing.append("extractors.EXTRACTORS")
        return

    def timed(name, fn):
        @functools.wraps(fn)
        def run(doc):
            t0 = time.perf_counter()
            try:
                return fn(doc)
            finally:
                clock.extractors[name] += time.perf_counter() - t0
        return run

    extractors.EXTRACTORS = tuple((name, timed(name, fn)) for name, fn in registry)


def _format_of(item) -> str:
    # process_file has taken a path and a discovery entry (with .path); accept both.
    suffix = Path(str(getattr(item, "path", item))).suffix.lower().lstrip(".")
    return {"htm": "html"}.get(suffix, suffix or "other")


def worker_hook() -> None:
    """Run in each worker process at start (flows.run.runners.WORKER_HOOK_ENV): time the document
    stages there, and write the clock to WORKER_DIR_ENV when the worker exits."""
    import json
    import os
    from multiprocessing import util

    folder = os.environ.get(WORKER_DIR_ENV)
    if not folder:
        return
    clock = instrument(DOC_STAGES)

    def dump() -> None:
        data = clock.as_dict()
        data["cpu_seconds"] = time.process_time()
        Path(folder, f"worker-{os.getpid()}.json").write_text(json.dumps(data))

    util.Finalize(None, dump, exitpriority=100)


def merge_workers(clock: StageClock, folder: Path) -> list[dict]:
    """Add the clocks the workers wrote to `clock`; return them (one per worker)."""
    import json

    found = []
    for path in sorted(Path(folder).glob("worker-*.json")):
        data = json.loads(path.read_text())
        found.append(data)
        for stage, seconds in data["stages"].items():
            clock.seconds[stage] += seconds
        for stage, calls in data["calls"].items():
            clock.calls[stage] += calls
        for fmt, row in data["formats"].items():
            for key, value in row.items():
                clock.formats[fmt][key] += value
        for name, seconds in data["extractors"].items():
            clock.extractors[name] += seconds
        clock.model_load_seconds = max(clock.model_load_seconds, data["model_load_seconds"])
    return found
