"""The Prefect flow: the only package that imports `prefect` or `prefect_dask`.

- `pipeline.py`: `extract_flow(settings)`; `process.py`: `extract_files`, files → tables
  (also used by `show` and the tests); `batch.py`: a batch task; `ahead.py`: a full run's
  first batches, given to the pool while Prefect starts; `runners.py`,
  `worker_preload.py`: the task runner, the worker pool (replaced when a worker dies) and
  Dask; `budget.py`: the per-file time and memory budgets; `api_server.py`: the background
  Prefect server the CLI starts once and reuses; `temporary_server.py`: Prefect's temporary
  server, ending with the command; `compiled_patterns.py`: the long regexes a worker
  compiles, kept compiled on disk across processes.
- `interrupt.py`: one SIGINT or SIGTERM stops a command at once; `lifeline.py`: worker
  processes and servers that end with the command, even killed with SIGKILL.
- `chunks.py`: validation per chunk; `commit.py`: the output folder switch; `runlog.py`:
  the run's log line and artifact; `progress.py`, `view.py`: the bar and the summary.
- `serve.py`, `ticker.py`: scheduled runs over an inbox; `fetch_flow.py`: the fetch as
  flows, and fetch-then-extract for `serve --sources`.
"""
