"""Files in, `Ingested` text out: no Prefect, no pandas.

- `discover.py`: list the input files (ignore files, links, kinds).
- `ingest.py`: one file to text with its status; `pdf.py`, `html.py`, `text.py`: one format each.
`html.py` borrows the pure byline rule of `extractors.text.dateline` to put a page's date back.
"""
