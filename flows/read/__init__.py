"""Files in, `Ingested` text out: no Prefect, no pandas. The ground of `flows/`.

- `discover.py`: list the input files (ignore files, links, kinds).
- `ingest.py`: one file to text with its status, and the doc_id rule (`doc_id_of`);
  `pdf.py`, `html.py` (+ `deep_html.py` for pages nested too deep to parse), `text.py`: one
  format each. `html.py` borrows the pure byline rule of `extractors.text.dateline` to put a
  page's date back.
- `sidecar.py`: the provenance a fetched file carries; `atomic.py`: `atomic_write`, the one
  way a file someone may be reading is written (used by the fetch, the dataset, the report).
"""
