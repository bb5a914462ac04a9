"""`--task-runner dask`: the same flow on a local cluster of 2 worker processes, same tables.

The flow is called as a deployment calls it (`serve --task-runner dask`): on the runner its
decorator names, with settings that ask for Dask."""

from __future__ import annotations

import json
import shutil

import pandas as pd

from flows.dataset.export import read_dataset
from flows.settings import RunSettings
from tests.conftest import SEEDS

# processed_at is the run's start time: the only column that differs between two runs.
VOLATILE = {"documents": ["processed_at"]}


def test_dask_runner_gives_the_same_tables_as_the_default(prefect_harness, tmp_path):
    from flows.run.pipeline import extract_flow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    options = dict(inputs=[str(inbox)], batch_size=2, report=False)
    extract_flow(RunSettings(out_dir=str(tmp_path / "default"), **options))
    summary = extract_flow(RunSettings(out_dir=str(tmp_path / "dask"), task_runner="dask",
                                       **options))
    run = json.loads((tmp_path / "dask" / "run.json").read_text(encoding="utf-8"))
    assert run["task_runner"] == "DaskTaskRunner"
    assert summary["run"]["new"] == len(SEEDS) + 1
    default, dask = read_dataset(tmp_path / "default"), read_dataset(tmp_path / "dask")
    for table, df in default.items():
        drop = VOLATILE.get(table, [])
        pd.testing.assert_frame_equal(dask[table].drop(columns=drop), df.drop(columns=drop),
                                      obj=table)


def test_the_local_cluster_listens_on_the_loopback_only():
    import psutil
    from dask.distributed import LocalCluster  # dask[distributed] is what pyproject declares

    from flows.run.runners import local_cluster_options

    with LocalCluster(**local_cluster_options(2)) as cluster:
        cluster.wait_for_workers(2, timeout=60)
        me = psutil.Process()
        listening = [
            c.laddr for proc in [me, *me.children(recursive=True)]
            for c in proc.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN
        ]
    assert listening, "the cluster should listen somewhere"
    assert all(addr.ip in {"127.0.0.1", "::1"} for addr in listening), listening
    assert 8787 not in {addr.port for addr in listening}
