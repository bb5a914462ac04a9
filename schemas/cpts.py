"""The cpts table: one row per CPTS named in a document (the analyst's table)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas import checks, vocab


class CptsModel(pa.DataFrameModel):
    doc_id: Series[str] = pa.Field(str_matches=vocab.DOC_ID_PATTERN)
    cpts_key: Series[str] = pa.Field(str_matches=vocab.CPTS_KEY_PATTERN)
    name: Series[str] = pa.Field(str_startswith="CPTS")
    name_source: Series[str] = pa.Field(isin=vocab.NAME_SOURCES)
    status: Series[str] = pa.Field(isin=vocab.CPTS_STATUSES)
    # The upper bound (the run date) is added by schemas.registry.schema_for.
    signed_on: Series[pandas_engine.Date] = pa.Field(nullable=True, ge=vocab.EARLIEST_DATE)
    signed_on_precision: Series[str] = pa.Field(nullable=True, isin=vocab.PRECISIONS)
    population: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.POPULATION)
    )
    population_qualifier: Series[str] = pa.Field(nullable=True, isin=vocab.QUALIFIERS)
    communes: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.COMMUNES)
    )
    professionals: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.PROFESSIONALS)
    )
    president: Series[str] = pa.Field(nullable=True)
    size_class: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, in_range=checks.between(vocab.SIZE_CLASS)
    )
    departments: Series[object]
    # What the resolved places imply (assemble/geography.py); `departments` stays what the
    # text states.
    departments_inferred: Series[object]
    population_reference: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    communes_reference: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    @pa.check("departments", "departments_inferred", element_wise=True,
              name="insee_department_codes")
    def _departments(cls, value: object) -> bool:
        return checks.is_department_list(value)

    @pa.dataframe_check(name="communes_reference_iff_population_listed")
    def _reference(cls, df: pd.DataFrame) -> pd.Series:
        # A population reference needs the communes it sums.
        return df["population_reference"].isna() | df["communes_reference"].notna()

    @pa.dataframe_check(name="precision_iff_signed_on")
    def _precision(cls, df: pd.DataFrame) -> pd.Series:
        return checks.null_together(df, "signed_on", "signed_on_precision")

    @pa.dataframe_check(name="qualifier_iff_population")
    def _qualifier(cls, df: pd.DataFrame) -> pd.Series:
        return checks.null_together(df, "population", "population_qualifier")

    class Config:
        strict = True
        coerce = True
        # A document names each CPTS once; its key is the join key of the other tables.
        unique = ("doc_id", "cpts_key")
