"""benchmarks/stages.py times the flow through names given as strings: every one must exist
and be called by a real run, and a stale one must stop the benchmark with one clear line."""

from __future__ import annotations

import shutil

import pytest

from benchmarks import stages
from flows.settings import RunSettings
from tests.conftest import SEEDS

TIMED = {**stages.STAGES, **{f"phase {k}": v for k, v in stages.PHASES.items()},
         "per document": stages.PER_DOC, "spaCy model": stages.MODEL}
# Names the flow had once and no longer has; names it has and no longer calls.
GONE = {"export": ("flows.run.commit", "write_dataset")}
NOT_CALLED = {"whole tables": ("flows.dataset.export", "write_dataset")}


@pytest.mark.parametrize(("what", "name"), TIMED.items(), ids=list(TIMED))
def test_every_timed_name_exists(what, name):
    assert stages.resolve(*name) is not None, f"{what}: {'.'.join(name)}"


def test_a_name_the_flow_no_longer_has_stops_the_benchmark_before_it_starts():
    with pytest.raises(stages.StaleStageError) as caught:
        stages.instrument({**stages.STAGES, **GONE})
    message = str(caught.value)
    assert message.endswith("no longer has: flows.run.commit.write_dataset")
    assert "\n" not in message


@pytest.fixture(scope="module")
def clock(prefect_harness, tmp_path_factory):
    """One real run, timed: in this process (workers=1), so the document stages too."""
    from flows.run.pipeline import extract_flow

    inbox = tmp_path_factory.mktemp("inbox")
    for seed in SEEDS[:2]:
        shutil.copy(seed, inbox / seed.name)
    clock = stages.instrument({**stages.STAGES, **NOT_CALLED})
    phases = stages.time_phases(clock)
    try:
        extract_flow(RunSettings(inputs=[str(inbox)], out_dir=str(tmp_path_factory.mktemp("out")),
                                 workers=1))
    finally:
        clock.restore()
    return clock, phases


@pytest.mark.parametrize("stage", list(stages.STAGES))
def test_every_stage_is_called_by_the_flow(clock, stage):
    clock, _ = clock
    assert clock.calls.get(stage), f"{stage}: {'.'.join(stages.STAGES[stage])} was never called"
    assert clock.seconds[stage] > 0


def test_every_phase_and_document_is_timed(clock):
    clock, phases = clock
    assert all(seconds > 0 for seconds in phases.values()), phases
    assert clock.formats["txt"]["docs"] == 2 and clock.formats["txt"]["ingest_seconds"] > 0


def test_a_name_the_flow_no_longer_calls_stops_the_benchmark(clock):
    clock, _ = clock
    assert stages.uncalled(clock) == ["flows.dataset.export.write_dataset"]
    with pytest.raises(stages.StaleStageError) as caught:
        stages.check_called(clock)
    assert str(caught.value).endswith("no longer calls: flows.dataset.export.write_dataset")


def test_the_wrappers_are_gone_after_the_run(clock):
    import extractors
    from flows.run import process

    assert not hasattr(process.process_file, "__wrapped__")
    assert not any(hasattr(fn, "__wrapped__") for _, fn in extractors.EXTRACTORS)
