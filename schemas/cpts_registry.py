"""The cpts_registry table: one row per distinct CPTS across every document of the dataset.

Its columns are fixed here whatever the data holds: an empty list column stays a list of
strings and a column with no value stays its declared type, so a reader never meets a type
that depends on the run.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas import checks, vocab
from schemas.columns import COLUMNS


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


class CptsRegistryModel(pa.DataFrameModel):
    cpts_key: Series[str] = pa.Field(str_matches=vocab.CPTS_KEY_PATTERN, unique=True)
    name: Series[str] = pa.Field(str_startswith="CPTS")
    merged_keys: Series[object] = pa.Field(
        description="Every cpts_key merged into this CPTS (spellings of one name).")
    names: Series[object] = pa.Field(description="Every spelling of the name, oldest first.")
    doc_ids: Series[object] = pa.Field(description="Documents naming this CPTS, oldest first.")
    first_seen_on: Series[pandas_engine.Date] = pa.Field(
        nullable=True, description="Publication date of the oldest dated release naming it.")
    last_seen_on: Series[pandas_engine.Date] = pa.Field(
        nullable=True, description="Publication date of the latest dated release naming it.")
    status: Series[str] = pa.Field(nullable=True, isin=vocab.CPTS_STATUSES)
    status_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    status_doc_ids: Series[object]
    signed_on: Series[pandas_engine.Date] = pa.Field(nullable=True, ge=vocab.EARLIEST_DATE)
    signed_on_precision: Series[str] = pa.Field(nullable=True, isin=vocab.PRECISIONS)
    signed_on_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    signed_on_doc_ids: Series[object]
    population: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.POPULATION))
    population_qualifier: Series[str] = pa.Field(nullable=True, isin=vocab.QUALIFIERS)
    population_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    population_doc_ids: Series[object]
    communes: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.COMMUNES))
    communes_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    communes_doc_ids: Series[object]
    professionals: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.PROFESSIONALS))
    professionals_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    professionals_doc_ids: Series[object]
    president: Series[str] = pa.Field(nullable=True)
    president_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    president_doc_ids: Series[object]
    size_class: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.SIZE_CLASS))
    size_class_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    size_class_doc_ids: Series[object]
    departments: Series[object]
    departments_as_of: Series[pandas_engine.Date] = pa.Field(nullable=True)
    departments_doc_ids: Series[object]
    conflicts: Series[object] = pa.Field(
        description="One line per fact whose releases disagree: each value with the "
        "documents and dates stating it.")

    @pa.check("departments", element_wise=True, name="insee_department_codes")
    def _departments(cls, value: object) -> bool:
        return checks.is_department_list(value)

    @pa.check(*[c for c, kind in COLUMNS["cpts_registry"].items()
                if kind == "list" and c != "departments"],
              element_wise=True, name="list_of_text")
    def _lists(cls, value: object) -> bool:
        return _is_text_list(value)

    class Config:
        strict = True
        coerce = True
