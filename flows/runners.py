"""Task runners `cpts-facts run --task-runner` can choose.

The default runs batches one at a time in the flow's process. `dask` runs them on a Dask
cluster: the one at `address` when given (a scheduler started elsewhere, e.g.
`dask scheduler` + `dask worker tcp://HOST:8786`), else a local cluster of worker processes.
"""

from __future__ import annotations

from flows.errors import CptsFactsError

TASK_RUNNERS = ("default", "dask")


def make_task_runner(name: str, address: str | None = None, n_workers: int = 2):
    """None for the flow's default runner, else a configured DaskTaskRunner."""
    if name == "default":
        if address:
            raise CptsFactsError("--dask-address needs --task-runner dask")
        return None
    if name != "dask":
        raise CptsFactsError(f"unknown task runner: {name} (choose from {', '.join(TASK_RUNNERS)})")
    import logging

    from prefect_dask import DaskTaskRunner

    # distributed logs every worker start and stop at INFO: noise in a CLI run.
    logging.getLogger("distributed").setLevel(logging.WARNING)

    if address:
        return DaskTaskRunner(address=address)
    # Processes, one thread each: spaCy holds the GIL, so threads would not add throughput.
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                        "dashboard_address": None}
    )
