"""The Prefect flow: the only package that imports `prefect` or `prefect_dask`.

- `pipeline.py`: `extract_flow`; `process.py`: one file through the extractors;
  `batch.py`: a batch task; `runners.py`, `worker_preload.py`: the worker pool and Dask.
- `chunks.py`: validation per chunk; `commit.py`: the output folder switch; `runlog.py`:
  the run's log line and artifact; `progress.py`, `view.py`: the bar and the summary.
- `serve.py`, `ticker.py`: scheduled runs over an inbox.
"""
