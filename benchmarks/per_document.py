"""CPU cost of one short document, per stage and per extractor, in this one process.

    .venv/bin/python -m benchmarks.per_document [--n 400] [--profile 30] [FOLDER ...]

Runs the code path of a batch (`flows.run.process.extract_files`, batches of 100 files, no
per-file budget) over a synthetic corpus of N releases (benchmarks/make_corpus.py: half .txt,
a quarter PDF, a quarter HTML) and over each FOLDER, after a warm-up on the seed releases
(spaCy model, reference tables, first-use caches), so the figures are the steady state of a
worker. Prints CPU milliseconds per document (`time.process_time`: on a machine shared with
other jobs, wall time measures the others too) per set and format: ingest, normalise, each
extractor, assemble, and the batch's tables (shared out over its documents); with --profile,
the functions that cost the most, from cProfile over the same pass.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, not only with -m
    sys.path.insert(0, str(ROOT))

from benchmarks.make_corpus import build_corpus  # noqa: E402
from benchmarks.stages import StageClock, patch  # noqa: E402

BATCH = 100
WARM_UP = 12
# The stages of one document, wrapped where process_file looks them up.
STAGES = {
    "ingest": ("flows.run.process", "ingest_entry"),
    "normalise": ("flows.run.process", "build_document"),
    "assemble": ("flows.run.process", "assemble"),
    "tables": ("flows.run.process", "build_tables"),
}


class CpuClock:
    """CPU seconds per (set, format) and stage; the current document's format is known once
    ingest returns, so each stage's time is filed under the document being processed."""

    def __init__(self) -> None:
        self.seconds: dict[tuple[str, str], dict[str, float]] = defaultdict(
            lambda: defaultdict(float))
        self.docs: dict[tuple[str, str], int] = defaultdict(int)
        self.set_name = ""
        self.format = "?"
        self.batch_formats: list[str] = []
        self.spacy_calls = 0
        self.spacy_seconds = 0.0

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[(self.set_name, self.format)][stage] += seconds


def instrument(clock: CpuClock) -> StageClock:
    """Wrap the stages and the extractors; returns the handle that puts them back."""
    import extractors
    import extractors.text.nlp as nlp

    undo = StageClock()

    def timed(stage, original):
        def run(*args, **kwargs):
            t0 = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                clock.add(stage, time.process_time() - t0)
        return run

    def ingest(original):
        def run(*args, **kwargs):
            t0 = time.process_time()
            result = original(*args, **kwargs)
            clock.format = result.format
            clock.batch_formats.append(result.format)
            clock.docs[(clock.set_name, result.format)] += 1
            clock.add("ingest", time.process_time() - t0)
            return result
        return run

    def tables(original):
        # One call per batch: its cost is shared out over the batch's documents.
        def run(*args, **kwargs):
            t0 = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.process_time() - t0
                formats, clock.batch_formats = clock.batch_formats, []
                for fmt in formats:
                    clock.seconds[(clock.set_name, fmt)]["tables"] += spent / len(formats)
        return run

    def counted(original):
        def run(*args, **kwargs):
            clock.spacy_calls += 1
            t0 = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                clock.spacy_seconds += time.process_time() - t0
        return run

    for stage, (module, attr) in STAGES.items():
        make = ingest if stage == "ingest" else tables if stage == "tables" else (
            functools.partial(timed, stage))
        patch(undo, module, attr, make)
    patch(undo, "extractors.text.nlp", "_run", counted)
    registry = extractors.EXTRACTORS
    extractors.EXTRACTORS = tuple((name, timed(f"x:{name}", fn)) for name, fn in registry)
    undo.undo.append(lambda: setattr(extractors, "EXTRACTORS", registry))
    del nlp
    return undo


def run_set(clock: CpuClock, name: str, entries) -> None:
    from flows.run.process import extract_files

    clock.set_name = name
    for i in range(0, len(entries), BATCH):
        extract_files(entries[i:i + BATCH])


def table(clock: CpuClock) -> list[str]:
    extractor_names = sorted({s for v in clock.seconds.values() for s in v if s.startswith("x:")},
                             key=lambda s: -sum(v.get(s, 0) for v in clock.seconds.values()))
    columns = ["ingest", "normalise", "extract", "assemble", "tables"]
    lines = [f"{'set':22} {'format':6} {'docs':>5} {'total':>7} "
             + " ".join(f"{c:>9}" for c in columns) + "   (CPU ms per document)"]
    for (set_name, fmt), stages in clock.seconds.items():
        docs = clock.docs[(set_name, fmt)]
        if not docs:
            continue
        extract = sum(v for k, v in stages.items() if k.startswith("x:"))
        values = {**stages, "extract": extract}
        total = sum(values[c] for c in columns if c in values)
        lines.append(f"{set_name:22} {fmt:6} {docs:5d} {1000 * total / docs:7.2f} "
                     + " ".join(f"{1000 * values.get(c, 0) / docs:9.2f}" for c in columns))
    lines.append("")
    lines.append(f"{'set':22} {'format':6} " + " ".join(f"{n[2:][:12]:>12}"
                                                        for n in extractor_names))
    for (set_name, fmt), stages in clock.seconds.items():
        docs = clock.docs[(set_name, fmt)]
        if docs:
            lines.append(f"{set_name:22} {fmt:6} " + " ".join(
                f"{1000 * stages.get(n, 0) / docs:12.2f}" for n in extractor_names))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of real releases")
    parser.add_argument("--n", type=int, default=400, help="synthetic releases (default 400)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "out",
                        help="where the synthetic corpus is built (and cached)")
    parser.add_argument("--profile", type=int, metavar="TOP", default=0,
                        help="also print the TOP functions of a cProfile of the pass")
    parser.add_argument("--dump", type=Path, help="write the cProfile stats there (pstats)")
    args = parser.parse_args(argv)

    from flows.read.discover import discover

    synthetic = Path(build_corpus(args.n, args.workdir / f"corpus-{args.n}")["files_dir"])
    sets = [(f"synthetic-{args.n}", discover([synthetic]))]
    sets += [(str(folder)[-22:], discover([folder])) for folder in args.folders]

    clock = CpuClock()
    undo = instrument(clock)
    # What a pool worker starts with (the forkserver's imports and dateparser's locales), then
    # what its first documents pay: the model, the reference, first-use caches. The warm-up
    # releases are other variations of the seeds than the measured ones.
    import flows.run.worker_preload  # noqa: F401

    warm = Path(build_corpus(WARM_UP, args.workdir / f"warm-up-{WARM_UP}", seed=1)["files_dir"])
    run_set(clock, "warm-up", discover([warm, ROOT / "corpus"]))
    clock.seconds.clear()
    clock.docs.clear()
    clock.spacy_calls, clock.spacy_seconds = 0, 0.0

    profiler = cProfile.Profile() if args.profile or args.dump else None
    started = time.process_time()
    for name, entries in sets:
        if profiler:
            profiler.enable()
        run_set(clock, name, entries)
        if profiler:
            profiler.disable()
    spent = time.process_time() - started
    undo.restore()

    docs = sum(clock.docs.values())
    yardstick = time.process_time()
    sum(range(10**7))
    yardstick = time.process_time() - yardstick
    print(f"machine: sum(range(10**7)) in {yardstick:.2f} s CPU; {docs} documents in "
          f"{spent:.1f} s CPU{' (under cProfile)' if profiler else ''}; "
          f"spaCy ran on {clock.spacy_calls} texts ({clock.spacy_seconds:.2f} s CPU)")
    print("\n".join(table(clock)))
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
    if profiler and args.profile:
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile)
            print(f"\n## cProfile by {order}")
            print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
