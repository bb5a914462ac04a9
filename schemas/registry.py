"""Table name → model, and the run-dependent schema: no date may lie after the run date.

The run date is a parameter, never today(): a re-validation of an old run must give the same
verdict, and tests pin it.

Every schema is built from here (`MODELS`), so this is where pandera's Dask typing is settled
first (`_pandera_without_dask_typing`): pandera, building its first schema, imported
dask.dataframe (~0.8 s of CPU) only to learn whether a model may annotate Dask types. Ours
annotate pandas, so that module is imported with dask.dataframe hidden: pandera records Dask
typing as absent. Where dask.dataframe is already loaded (a run on the Dask runner), nothing is
hidden. Not in schemas/__init__.py: the workers import schemas.columns, and must not pay for
pandera.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import sys

import pandera.pandas as pa

from schemas.amounts import AmountsModel
from schemas.cpts import CptsModel
from schemas.cpts_registry import CptsRegistryModel
from schemas.documents import DocumentsModel
from schemas.facts import FactsModel, dates_not_after
from schemas.missions import MissionsModel
from schemas.places import PlacesModel
from schemas.validation_errors import ValidationErrorsModel


def _pandera_without_dask_typing() -> None:
    if "pandera.typing.dask" in sys.modules or "dask.dataframe" in sys.modules:
        return
    sys.modules["dask.dataframe"] = None  # an import of it raises ImportError meanwhile
    try:
        import pandera.typing.dask  # noqa: F401
    finally:
        del sys.modules["dask.dataframe"]


_pandera_without_dask_typing()

MODELS: dict[str, type[pa.DataFrameModel]] = {
    "documents": DocumentsModel,
    "cpts": CptsModel,
    "amounts": AmountsModel,
    "missions": MissionsModel,
    "places": PlacesModel,
    "facts": FactsModel,
    "validation_errors": ValidationErrorsModel,
    "cpts_registry": CptsRegistryModel,
}

DATE_COLUMNS = {"documents": ("published_on",), "cpts": ("signed_on",)}


@functools.lru_cache(maxsize=64)
def schema_for(table: str, run_date: dt.date) -> pa.DataFrameSchema:
    """The schema of `table` with the upper bound `run_date` on every date. Built once per
    table and run date (its deep copy cost ~15 ms a table, for each chunk of a run); callers
    validate with it and never change it."""
    # to_schema() is cached on the model class: work on a copy, never on the model's own.
    schema = copy.deepcopy(MODELS[table].to_schema())
    for column in DATE_COLUMNS.get(table, ()):
        not_after = pa.Check(
            lambda d: d <= run_date, element_wise=True, name="not_after_run_date"
        )
        checks = [*schema.columns[column].checks, not_after]
        schema = schema.update_column(column, checks=checks)
    if table == "facts":
        date_check = pa.Check(
            lambda df: dates_not_after(df, run_date), name="date_not_after_run_date"
        )
        schema.checks = [*schema.checks, date_check]
    return schema


@functools.cache
def prepare() -> None:
    """Build every model's schema now (pandera builds one on first use, ~1 s of CPU for all of
    them here, importing dask.dataframe on the way): the flow does it while it waits for its
    first batch, rather than between the last batch and the tables. Once per process: what
    costs is the imports, and pandera keeps each schema per thread, so a later run's thread
    would only build copies nobody reads."""
    for model in MODELS.values():
        model.to_schema()
