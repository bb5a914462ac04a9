"""The amounts table: one row per euro amount, with its evidence span."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import checks, vocab


class AmountsModel(pa.DataFrameModel):
    doc_id: Series[str] = pa.Field(str_matches=vocab.DOC_ID_PATTERN)
    cpts_key: Series[str] = pa.Field(nullable=True, str_matches=vocab.CPTS_KEY_PATTERN)
    amount_eur: Series[pd.Int64Dtype] = pa.Field(
        in_range=checks.between(vocab.AMOUNT_EUR)
    )
    kind: Series[str] = pa.Field(isin=vocab.AMOUNT_KINDS)
    funder: Series[str] = pa.Field(isin=vocab.FUNDERS)
    per_year: Series[bool]
    start: Series[pd.Int64Dtype] = pa.Field(ge=0)
    end: Series[pd.Int64Dtype] = pa.Field(ge=1)
    text: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="end_after_start")
    def _span(cls, df: pd.DataFrame) -> pd.Series:
        return checks.end_after_start(df)

    class Config:
        strict = True
        coerce = True
