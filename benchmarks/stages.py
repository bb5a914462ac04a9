"""Time each pipeline stage inside the measured run itself, by wrapping the pure functions the
flow calls (no second pass over the files, so the figures describe that very run).

Wrapped names are looked up where the flow looks them up (`flows.run.process.ingest_entry`,
`flows.run.chunks.validate_tables`, ...): strings an import graph cannot see, so they go
stale silently when the flow moves on. They fail loudly instead: `instrument` raises
`StaleStageError` for a name that no longer exists, and `uncalled` names every stage the
measured run never entered (the benchmark stops with that one line, and
tests/benchmarks/test_stages.py runs the flow to check them all).
"""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict
from pathlib import Path

# Stages of one document, run in the worker processes (and timed there, see worker_hook).
# "ingest" also fills the per-format table.
DOC_STAGES = {
    "ingest": ("flows.run.process", "ingest_entry"),
    "normalise": ("flows.run.process", "build_document"),
    "extract": ("extractors", "extract_all"),
    "assemble": ("flows.run.process", "assemble"),
    "tables": ("flows.run.process", "build_tables"),
}
# Stages of the whole run, in the flow's process.
RUN_STAGES = {
    "validate": ("flows.run.chunks", "validate_tables"),
    "export": ("flows.dataset.export", "DatasetWriter.write"),
    "registry": ("flows.publish.extras", "build_registry"),
    "report": ("flows.publish.extras", "write_report"),
    "commit": ("flows.run.pipeline", "commit"),
}
STAGES = {**DOC_STAGES, **RUN_STAGES}
# The flow body's phases (benchmarks/child.py): submit the batches → last result, then commit.
PHASES = {
    "process": ("flows.run.pipeline", "_process"),
    "commit": ("flows.run.pipeline", "commit"),
}
PER_DOC = ("flows.run.process", "process_file")
MODEL = ("extractors.text.nlp", "model")  # called only when a sentence needs spaCy
# Set by the benchmark child: each worker process writes its clock to <dir>/worker-<pid>.json.
WORKER_DIR_ENV = "CPTS_FACTS_BENCH_WORKER_DIR"


class StaleStageError(Exception):
    """A timed name the flow no longer has, or no longer calls: the figures would be wrong."""


class StageClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.formats: dict[str, dict[str, float]] = defaultdict(
            lambda: {"docs": 0, "seconds": 0.0, "ingest_seconds": 0.0, "pages": 0}
        )
        self.extractors: dict[str, float] = defaultdict(float)
        self.model_load_seconds = 0.0
        self.stages: dict[str, tuple[str, str]] = {}
        self.undo: list = []

    def as_dict(self) -> dict:
        return {
            "stages": {k: round(v, 4) for k, v in self.seconds.items()},
            "calls": dict(self.calls),
            "formats": {k: dict(v) for k, v in self.formats.items()},
            "extractors": {k: round(v, 4) for k, v in self.extractors.items()},
            "model_load_seconds": round(self.model_load_seconds, 4),
        }

    def restore(self) -> None:
        """Put every wrapped function back (a test instruments one run, not the session)."""
        while self.undo:
            self.undo.pop()()


def resolve(module_name: str, attr: str):
    """(owner, name, function) for `module.attr`, where `attr` may be `Class.method`; None when
    the module or the name is gone."""
    try:
        owner = importlib.import_module(module_name)
    except ImportError:
        return None
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part, None)
    original = getattr(owner, name, None) if owner is not None else None
    return None if original is None else (owner, name, original)


def stale_names(names) -> list[str]:
    return [f"{module}.{attr}" for module, attr in names if resolve(module, attr) is None]


def check_names(stages: dict | None = None) -> None:
    """Raise StaleStageError, before anything is measured, for a name the flow no longer has."""
    names = [*(STAGES if stages is None else stages).values(), *PHASES.values(), PER_DOC, MODEL]
    stale = stale_names(names)
    if stale:
        raise StaleStageError("benchmarks/stages.py times names the flow no longer has: "
                              + ", ".join(stale))


def patch(clock: StageClock, module_name: str, attr: str, make_wrapper) -> None:
    owner, name, original = resolve(module_name, attr)
    setattr(owner, name, functools.wraps(original)(make_wrapper(original)))
    clock.undo.append(lambda: setattr(owner, name, original))


def instrument(stages: dict | None = None) -> StageClock:
    """Install the timing wrappers; call before the flow runs, in the measured process."""
    stages = STAGES if stages is None else stages
    check_names(stages)
    clock = StageClock()
    clock.stages = dict(stages)
    for stage, (module_name, attr) in stages.items():
        wrapper = _ingest_wrapper(clock) if stage == "ingest" else _stage_wrapper(clock, stage)
        patch(clock, module_name, attr, wrapper)
    patch(clock, *PER_DOC, _per_doc_wrapper(clock))
    patch(clock, *MODEL, _model_wrapper(clock))
    _wrap_extractors(clock)
    return clock


def uncalled(clock: StageClock) -> list[str]:
    """The stages (as module.name) the measured run never called: names the flow no longer uses.
    Call it after the run, and after `merge_workers` when the workers timed the documents."""
    return [f"{module}.{attr}" for stage, (module, attr) in clock.stages.items()
            if not clock.calls.get(stage)]


def check_called(clock: StageClock) -> None:
    missed = uncalled(clock)
    if missed:
        raise StaleStageError("benchmarks/stages.py times names the flow no longer calls: "
                              + ", ".join(missed))


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
        def timed(entry, *args, **kwargs):
            t0 = time.perf_counter()
            result = original(entry, *args, **kwargs)
            spent = time.perf_counter() - t0
            clock.seconds["ingest"] += spent
            clock.calls["ingest"] += 1
            row = clock.formats[result.format]
            row["ingest_seconds"] += spent
            row["pages"] += result.n_pages or 0
            return result
        return timed
    return make


def _per_doc_wrapper(clock: StageClock):
    def make(original):
        def timed(entry, *args, **kwargs):
            loaded_before = clock.model_load_seconds
            t0 = time.perf_counter()
            result = original(entry, *args, **kwargs)
            row = clock.formats[result.ingested.format]
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
    import extractors

    registry = extractors.EXTRACTORS

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
    clock.undo.append(lambda: setattr(extractors, "EXTRACTORS", registry))


def time_phases(clock: StageClock) -> dict[str, float]:
    """Wall time of the flow body's phases (PHASES), filled as the run goes."""
    phases = dict.fromkeys(PHASES, 0.0)
    for phase, (module_name, attr) in PHASES.items():
        def make(original, phase=phase):
            def timed(*args, **kwargs):
                t0 = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    phases[phase] += time.perf_counter() - t0
            return timed
        patch(clock, module_name, attr, make)
    return phases


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
