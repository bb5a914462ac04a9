"""The run's phases: what the bar hears, and the seconds the summary gives each phase."""

from __future__ import annotations

import time

import pytest

from flows.run import progress


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def phase(self, name: str) -> None:
        self.events.append(("phase", name))

    def advance(self, n: int) -> None:
        self.events.append(("advance", n))


@pytest.fixture
def recorder():
    listener = Recorder()
    progress.set_listener(listener)
    yield listener
    progress.set_listener(None)


def test_phases_are_heard_once_each_and_timed_in_order(recorder):
    progress.start(progress.STARTING)
    progress.phase(progress.EXTRACTING)
    progress.advance(3)
    progress.phase(progress.EXTRACTING)  # a batch after the first: the same phase, not a new one
    time.sleep(0.05)
    progress.phase(progress.VALIDATING)
    progress.phase(progress.REPORT)
    assert recorder.events == [("phase", progress.STARTING), ("phase", progress.EXTRACTING),
                               ("advance", 3), ("phase", progress.VALIDATING),
                               ("phase", progress.REPORT)]
    seconds = progress.phase_seconds()
    assert list(seconds) == [progress.STARTING, progress.EXTRACTING, progress.VALIDATING,
                             progress.REPORT]
    assert seconds[progress.EXTRACTING] >= 0.05


def test_a_new_run_forgets_the_phases_of_the_last(recorder):
    progress.start(progress.STARTING)
    progress.phase(progress.WRITING)
    progress.start(progress.STARTING)
    assert list(progress.phase_seconds()) == [progress.STARTING]


def test_no_listener_costs_nothing_and_still_times():
    progress.set_listener(None)
    progress.start(progress.STARTING)
    progress.advance(5)
    progress.phase(progress.REPORT)
    assert list(progress.phase_seconds()) == [progress.STARTING, progress.REPORT]


def _advanced(recorder) -> int:
    return sum(n for kind, n in recorder.events if kind == "advance")


def test_files_count_as_the_workers_finish_them_before_their_batch_is_back(recorder):
    progress.start(progress.STARTING)
    progress.advance(2)  # unchanged files of an incremental run
    progress.extracting(10)
    progress.extracted(3)  # the workers have done 3 files of a batch still out
    assert _advanced(recorder) == 5
    assert ("phase", progress.EXTRACTING) in recorder.events
    progress.advance(4)  # a batch of 4 is back: already shown, nothing moves
    assert _advanced(recorder) == 6
    progress.extracted(12)  # files run again after a worker died count once
    assert _advanced(recorder) == 12
    progress.advance(6)
    assert _advanced(recorder) == 12


def test_a_new_run_counts_its_files_from_zero(recorder):
    progress.start(progress.STARTING)
    progress.advance(7)
    progress.count_from_zero()
    progress.advance(2)
    assert [n for kind, n in recorder.events if kind == "advance"] == [7, 2]


@pytest.mark.parametrize("heartbeats", [True, False], ids=["users-api", "our-own-api"])
def test_a_run_on_our_own_api_sends_prefect_no_heartbeats(heartbeats, monkeypatch, tmp_path):
    """Prefect joins its heartbeat thread at a flow's end, and that thread sleeps in 1 s steps
    (half a second of a 5 s run, on average). Our own server has no automation to read them."""
    from prefect.settings import get_current_settings

    from flows.run import view
    from flows.settings import RunSettings

    default = get_current_settings().flows.heartbeat_frequency
    seen = []

    def flow(settings):
        seen.append(get_current_settings().flows.heartbeat_frequency)
        return {"statuses": {}, "files": 0, "cpts": 0, "facts": 0, "validation_errors": 0,
                "out_dir": settings.out_dir}

    monkeypatch.setattr(view, "_flow", lambda settings: flow)
    settings = RunSettings(inputs=(str(tmp_path),), out_dir=str(tmp_path / "out"))
    view.run_with_progress(settings, quiet=True, heartbeats=heartbeats)
    assert default is not None
    assert seen == [default if heartbeats else None]
    assert get_current_settings().flows.heartbeat_frequency == default
