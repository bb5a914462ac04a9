"""The places table: one row per place a CPTS's territory names, coded against the INSEE COG."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import checks, vocab


class PlacesModel(pa.DataFrameModel):
    doc_id: Series[str] = pa.Field(str_matches=vocab.DOC_ID_PATTERN)
    cpts_key: Series[str] = pa.Field(nullable=True, str_matches=vocab.CPTS_KEY_PATTERN)
    insee_code: Series[str] = pa.Field(nullable=True, str_matches=vocab.PLACE_CODE_PATTERN)
    level: Series[str] = pa.Field(nullable=True, isin=vocab.PLACE_LEVELS)
    name: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=vocab.PLACE_STATUSES)
    candidates: Series[object]
    start: Series[pd.Int64Dtype] = pa.Field(ge=0)
    end: Series[pd.Int64Dtype] = pa.Field(ge=1)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    sentence: Series[str] = pa.Field(nullable=True)

    @pa.check("candidates", element_wise=True, name="place_code_list")
    def _candidates(cls, value: object) -> bool:
        return checks.is_place_code_list(value)

    @pa.dataframe_check(name="end_after_start")
    def _span(cls, df: pd.DataFrame) -> pd.Series:
        return checks.end_after_start(df)

    @pa.dataframe_check(name="code_iff_resolved")
    def _resolved(cls, df: pd.DataFrame) -> pd.Series:
        return df["insee_code"].notna() == (df["status"] == "resolved")

    @pa.dataframe_check(name="code_fits_level")
    def _code_level(cls, df: pd.DataFrame) -> pd.Series:
        return checks.code_fits_level(df)

    @pa.dataframe_check(name="candidates_iff_ambiguous")
    def _ambiguous(cls, df: pd.DataFrame) -> pd.Series:
        several = df["candidates"].map(lambda v: isinstance(v, list) and len(v) >= 2)
        return several == (df["status"] == "ambiguous")

    class Config:
        strict = True
        coerce = True
