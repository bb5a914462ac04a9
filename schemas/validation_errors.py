"""The validation_errors table: one row per failed check of the other tables.

`level` error: the row breaks the contract, and its document is marked invalid_facts.
`level` warning: a cross-check against the official geography disagrees with what the text
states (a population far from the communes' legal populations); the text may be right, the
row stays as it is and its document keeps its status.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.columns import TABLES

LEVELS = ("error", "warning")


class ValidationErrorsModel(pa.DataFrameModel):
    table: Series[str] = pa.Field(isin=TABLES)
    level: Series[str] = pa.Field(isin=LEVELS)
    # Null when the failure concerns a whole column (a wrong dtype, a missing column).
    doc_id: Series[str] = pa.Field(nullable=True)
    column: Series[str] = pa.Field(nullable=True)
    check: Series[str]
    failure_case: Series[str] = pa.Field(nullable=True)
    row: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)

    class Config:
        strict = True
        coerce = True
