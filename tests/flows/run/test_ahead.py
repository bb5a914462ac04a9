"""flows/run/ahead.py: a full run's first batches, given to the pool before Prefect starts,
are the ones the flow's tasks take, and the dataset is the one a run without them writes."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from flows.run.batch import batch_bounds
from flows.settings import RunSettings
from tests.conftest import SEEDS

CASES = [
    # (files, batch_size, workers) → batches
    pytest.param(5, 100, 2, [(0, 5)], id="a-small-run-is-one-batch:one-model-load"),
    pytest.param(19, 100, 2, [(0, 10), (10, 19)], id="split-from-ten-files"),
    pytest.param(200, 100, 2, [(0, 50), (50, 88), (88, 116), (116, 137), (137, 153),
                               (153, 165), (165, 175), (175, 185), (185, 193), (193, 200)],
                 id="two-batches-per-worker-then-shrinking"),
    pytest.param(1100, 100, 2, [(i, i + 100) for i in range(0, 800, 100)] + [
        (800, 875), (875, 932), (932, 974), (974, 1006), (1006, 1030), (1030, 1048),
        (1048, 1061), (1061, 1071), (1071, 1081), (1081, 1091), (1091, 1100)],
                 id="full-batches-then-a-tail-that-ends-together"),
    pytest.param(5, 2, 2, [(0, 2), (2, 4), (4, 5)], id="batch-size-stays-the-most"),
    pytest.param(0, 100, 2, [], id="nothing"),
    pytest.param(250, 100, 1, [(0, 100), (100, 200), (200, 250)],
                 id="one-worker-has-no-tail-to-share"),
    pytest.param(50, 100, 1, [(0, 25), (25, 50)], id="one-worker-two-batches"),
]


@pytest.mark.parametrize(("n", "batch_size", "workers", "expected"), CASES)
def test_batch_bounds(n, batch_size, workers, expected):
    assert batch_bounds(n, batch_size, workers) == expected


@pytest.mark.parametrize("workers", [1, 2, 4])
@pytest.mark.parametrize("n", [1, 9, 10, 11, 21, 99, 101, 999, 1100, 10_000])
def test_batches_cover_every_file_once_and_only_shrink(n, workers):
    bounds = batch_bounds(n, 100, workers)
    assert [a for a, _ in bounds] == [0] + [b for _, b in bounds[:-1]]
    assert bounds[-1][1] == n
    sizes = [b - a for a, b in bounds]
    assert all(0 < s <= 100 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)
    # the last batch holds no more than a share of what the others do at the end
    assert sizes[-1] <= max(10, -(-n // (2 * workers)))


def test_a_call_takes_the_result_given_ahead_for_its_arguments():
    from flows.run.runners import active_pool, in_worker, local_pool

    with local_pool(2):
        pool = active_pool()
        pool.submit_ahead(divmod, 17, 5)
        assert in_worker(divmod, 17, 6) == (2, 5)  # other arguments: run now
        assert pool.ahead_taken == 0
        assert in_worker(divmod, 17, 5) == (3, 2)
        assert pool.ahead_taken == 1 and not pool.ahead
        assert in_worker(divmod, 17, 5) == (3, 2)  # taken once; a second call runs again
        assert pool.ahead_taken == 1


def _tables(out):
    tables = {}
    for name in ("documents", "cpts", "missions", "facts", "places", "amounts"):
        frame = pd.read_parquet(out / f"{name}.parquet")
        tables[name] = frame.drop(columns=[c for c in frame if c == "processed_at"])
    return tables


def test_the_flow_takes_every_batch_given_ahead_and_writes_the_same_dataset(
        prefect_harness, tmp_path):
    from flows.run.ahead import give_ahead
    from flows.run.pipeline import extract_flow
    from flows.run.runners import active_pool, local_pool

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    settings = {name: RunSettings(inputs=[str(inbox)], out_dir=str(tmp_path / name),
                                  batch_size=2, report=False) for name in ("ahead", "plain")}
    with local_pool(2):
        pool = active_pool()
        give_ahead(pool, settings["ahead"])
        extract_flow(settings["ahead"])
        taken, left = pool.ahead_taken, len(pool.ahead)
    extract_flow(settings["plain"])
    assert (taken, left) == (3, 0)  # 5 files in batches of 2, each run once
    ahead, plain = _tables(tmp_path / "ahead"), _tables(tmp_path / "plain")
    for name in plain:
        pd.testing.assert_frame_equal(ahead[name], plain[name], obj=name)


class _RecordingPool:
    """What give_ahead needs of a pool: it records the batches instead of running them."""

    def __init__(self) -> None:
        self.batches = []

    def submit_ahead(self, fn, batch, *args) -> None:
        self.batches.append([entry.source for entry in batch])

    @property
    def ahead_given(self):
        import threading

        self._given = getattr(self, "_given", threading.Event())
        return self._given


def test_a_rerun_plans_ahead_from_the_previous_hashes_without_reading_the_files(
        prefect_harness, tmp_path, monkeypatch):
    # The command hashed every input to plan ahead, then the flow planned again from the
    # previous snapshot's hashes: 4.4 s of CPU at 10,000 files read twice.
    from flows.dataset import state
    from flows.run.ahead import give_ahead
    from flows.run.pipeline import extract_flow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    settings = RunSettings(inputs=[str(inbox)], out_dir=str(tmp_path / "out"), batch_size=2,
                           report=False, workers=1)
    extract_flow(settings)

    def planned(reads_allowed: bool) -> list:
        read = []
        real = state.file_sha256
        monkeypatch.setattr(state, "file_sha256", lambda path: read.append(path) or real(path))
        pool = _RecordingPool()
        give_ahead(pool, settings).join()
        assert bool(read) == reads_allowed, read
        return pool.batches

    from_hashes = planned(reads_allowed=False)
    (inbox / SEEDS[0].name).write_text("changed", encoding="utf-8")  # size and mtime move
    assert len(from_hashes) == 2 and planned(reads_allowed=True) == from_hashes  # 2 per worker
