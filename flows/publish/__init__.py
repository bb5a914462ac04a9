"""What is derived from a written dataset, after the tables.

- `extras.py`: writes the derived files; `registry.py`: one row per CPTS across documents;
- `datapackage.py`: `datapackage.json` and the README's column tables from the schemas;
- `report.py` (+ `report_template.html`): the self-contained review report.
"""
