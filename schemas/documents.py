"""The documents table: exactly one row per input file, whatever happened to it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas import checks, vocab


class DocumentsModel(pa.DataFrameModel):
    doc_id: Series[str] = pa.Field(str_matches=vocab.DOC_ID_PATTERN)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    format: Series[str] = pa.Field(isin=vocab.FORMATS)
    status: Series[str] = pa.Field(isin=vocab.DOCUMENT_STATUSES)
    message: Series[str] = pa.Field(
        nullable=True, description="Why the status is not ok, in one line; empty when ok.")
    title: Series[str] = pa.Field(nullable=True)
    # The upper bound (the run date) is added by schemas.registry.schema_for.
    published_on: Series[pandas_engine.Date] = pa.Field(nullable=True, ge=vocab.EARLIEST_DATE)
    published_on_precision: Series[str] = pa.Field(nullable=True, isin=vocab.PRECISIONS)
    place: Series[str] = pa.Field(nullable=True)
    departments: Series[object]
    n_chars: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    n_pages: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    n_cpts: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    extractor_version: Series[str]
    processed_at: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "us", "tz": "UTC"}
    )
    # Where `cpts-facts fetch` downloaded the file; null for files brought by hand.
    url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://")
    fetched_at: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True, dtype_kwargs={"unit": "us", "tz": "UTC"}
    )

    @pa.check("departments", element_wise=True, name="insee_department_codes")
    def _departments(cls, value: object) -> bool:
        return checks.is_department_list(value)

    @pa.dataframe_check(name="precision_iff_published_on")
    def _precision(cls, df: pd.DataFrame) -> pd.Series:
        return checks.null_together(df, "published_on", "published_on_precision")

    @pa.dataframe_check(name="one_row_per_content_except_duplicates")
    def _unique(cls, df: pd.DataFrame) -> pd.Series:
        primary = df["status"] != "duplicate"
        return ~(primary & df["doc_id"].where(primary).duplicated(keep=False))

    @pa.dataframe_check(name="message_only_when_not_ok")
    def _message(cls, df: pd.DataFrame) -> pd.Series:
        return (df["status"] != "ok") | df["message"].isna() | (df["message"] == "")

    @pa.dataframe_check(name="no_cpts_found_means_zero_cpts")
    def _no_cpts(cls, df: pd.DataFrame) -> pd.Series:
        return (df["status"] != "no_cpts_found") | (df["n_cpts"].fillna(0) == 0)

    class Config:
        strict = True
        coerce = True
        # One row per input file; doc_id alone repeats only on rows marked "duplicate".
        unique = ("doc_id", "source")
