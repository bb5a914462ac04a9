"""Checks shared by several models; each returns a boolean per row so failures name the row."""

from __future__ import annotations

import re

import pandas as pd

from schemas.vocab import DEPARTMENT_PATTERN

_DEPARTMENT = re.compile(DEPARTMENT_PATTERN)


def between(bounds: tuple[int, int]) -> dict:
    """`pa.Field(in_range=...)` for a (low, high) pair of schemas/vocab.py, both included."""
    return {"min_value": bounds[0], "max_value": bounds[1]}


def is_department_list(value: object) -> bool:
    """A Python list of INSEE department codes (possibly empty); a bare string is rejected."""
    return isinstance(value, list) and all(
        isinstance(code, str) and _DEPARTMENT.match(code) for code in value
    )


def end_after_start(df: pd.DataFrame) -> pd.Series:
    """Evidence spans are half-open and non-empty."""
    return (df["end"] > df["start"]).fillna(False).astype(bool)


def null_together(df: pd.DataFrame, value: str, detail: str) -> pd.Series:
    """`detail` (a precision, a qualifier) is stated exactly when `value` is."""
    return df[value].isna() == df[detail].isna()
