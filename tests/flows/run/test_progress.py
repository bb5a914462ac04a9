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
