"""What is derived from a written dataset, after the tables.

- `extras.py`: writes the derived files; `registry.py`: one row per CPTS across documents;
- `datapackage.py`: `datapackage.json` and the README's column tables from the schemas;
- `report.py`: the self-contained review report (`report_template.html`) and one evidence page
  per document (`evidence_template.html`), both opening with `page_head.html` and `report.css`;
- `cards.py`: the CPTS cards of a document.
"""
