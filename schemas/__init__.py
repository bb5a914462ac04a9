"""The pandera models of the published tables, one module per table, and what checks them.

Tables: documents, cpts, amounts, missions, places, facts, validation_errors and
cpts_registry. Shared pieces: columns (the column order and storage kind of every table, and
the only module here a worker imports: pandas, no pandera), checks (checks several models
share), vocab (the closed vocabularies and bounds), crosschecks (checks across tables and
against the texts: evidence offsets, references), registry (table name → model, the run-dated
schema) and validate (the one entry point, `validate_tables`).
"""
