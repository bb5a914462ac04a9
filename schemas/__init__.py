"""The pandera models of the published tables, one module per table, and what checks them.

Tables: documents, cpts, amounts, missions, places, facts, validation_errors and
cpts_registry. Shared pieces: columns (the column order and storage kind of every table),
checks (checks several models share), vocab (the closed vocabularies and bounds), crosschecks
(checks across tables and against the texts: evidence offsets, references), registry (table
name → model, the run-dated schema) and validate (the one entry point, `validate_tables`).

Importing this package first spares every process that validates about 0.8 s of CPU: pandera,
building its first schema, imports dask.dataframe only to learn whether a model may annotate
Dask types (pandera.typing.dask). Ours annotate pandas, so that module is imported here with
dask.dataframe hidden: pandera records Dask typing as absent. Where dask.dataframe is already
loaded (a run on the Dask runner), nothing is hidden.
"""

from __future__ import annotations

import sys


def _pandera_without_dask_typing() -> None:
    if "pandera.typing.dask" in sys.modules or "dask.dataframe" in sys.modules:
        return
    sys.modules["dask.dataframe"] = None  # an import of it raises ImportError meanwhile
    try:
        import pandera.typing.dask  # noqa: F401
    finally:
        del sys.modules["dask.dataframe"]


_pandera_without_dask_typing()
