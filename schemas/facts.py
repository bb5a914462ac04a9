"""The facts table: the evidence, one row per extracted fact of any kind.

That `text` equals the slice [start, end) of the saved normalised text needs the texts
themselves, so schemas.validate checks it, not this model.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import checks, vocab

# A count or a sum is stored as the digits of its integer value.
_RANGES = {
    "population": vocab.POPULATION,
    "communes": vocab.COMMUNES,
    "professionals": vocab.PROFESSIONALS,
    "amount": vocab.AMOUNT_EUR,
    "size_class": vocab.SIZE_CLASS,
}
_DATE_KINDS = ("published_on", "signed_on")
# Dates are ISO at the precision the text states: "2023-12-22", "2020-12" or "2021".
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DEPARTMENT = re.compile(vocab.DEPARTMENT_PATTERN)


def fact_date(value: object) -> dt.date | None:
    """The first day a date fact's value can mean; None when it is not an ISO date."""
    match = _ISO_DATE.match(str(value))
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _plausible(kind: str, value: object) -> bool:
    if kind in _RANGES:
        low, high = _RANGES[kind]
        return str(value).isdigit() and low <= int(value) <= high
    if kind in _DATE_KINDS:
        date = fact_date(value)
        return date is not None and date >= vocab.EARLIEST_DATE
    if kind == "department":
        return bool(_DEPARTMENT.match(str(value)))
    if kind == "mission":
        return value in vocab.MISSIONS
    return isinstance(value, str) and value.strip() != ""


def dates_not_after(df: pd.DataFrame, run_date: dt.date) -> pd.Series:
    """Date facts do not lie after the run (a future date is a misread)."""
    is_date = df["kind"].isin(_DATE_KINDS).to_numpy(dtype=bool)
    # Only the date facts are read: most facts are not dates, and a value is parsed per call.
    verdict = ~is_date
    verdict[is_date] = [(d := fact_date(v)) is not None and d <= run_date
                        for v in df["value"][is_date].tolist()]
    return pd.Series(verdict, index=df.index)


class FactsModel(pa.DataFrameModel):
    doc_id: Series[str] = pa.Field(str_matches=vocab.DOC_ID_PATTERN)
    cpts_key: Series[str] = pa.Field(nullable=True, str_matches=vocab.CPTS_KEY_PATTERN)
    kind: Series[str] = pa.Field(isin=vocab.FACT_KINDS)
    value: Series[str]
    qualifier: Series[str] = pa.Field(nullable=True, isin=vocab.FACT_QUALIFIERS)
    start: Series[pd.Int64Dtype] = pa.Field(ge=0)
    end: Series[pd.Int64Dtype] = pa.Field(ge=1)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    sentence: Series[str] = pa.Field(nullable=True)
    page: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    extractor: Series[str]

    @pa.dataframe_check(name="end_after_start")
    def _span(cls, df: pd.DataFrame) -> pd.Series:
        return checks.end_after_start(df)

    @pa.dataframe_check(name="value_plausible_for_kind")
    def _value(cls, df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [_plausible(k, v) for k, v in zip(df["kind"].tolist(), df["value"].tolist(),
                                              strict=True)],
            index=df.index,
            dtype=bool,
        )

    class Config:
        strict = True
        coerce = True
