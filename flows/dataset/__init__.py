"""The output folder: tables, snapshots, incremental state.

- `tables.py`: documents, facts, cpts, amounts, missions rows from each document's result
  (`DocumentResult`; the documents row is built there only).
- `export.py`: the Parquet/CSV writer and readers; `csv_dialects.py`: plain and Excel-FR CSV;
  `csv_lines.py`: the quoted lines of a chunk, built by Arrow.
- `store.py`: snapshots and the `current` link; `state.py`: what was processed (`state.json`);
  `upsert.py`: merging new rows with the kept ones; `lock.py`: one run per output folder.
- `memory.py`: the heap pages a written chunk or page batch freed, given back to the system.
"""
