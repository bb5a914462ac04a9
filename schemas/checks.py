"""Checks shared by several models; each returns a boolean per row so failures name the row."""

from __future__ import annotations

import re

import pandas as pd

from schemas.vocab import (
    COMMUNE_CODE_PATTERN,
    DEPARTMENT_PATTERN,
    EPCI_CODE_PATTERN,
    PLACE_CODE_PATTERN,
)

_DEPARTMENT = re.compile(DEPARTMENT_PATTERN)
_PLACE_CODE = re.compile(PLACE_CODE_PATTERN)
_CODE_OF_LEVEL = {
    "commune": re.compile(COMMUNE_CODE_PATTERN),
    "epci": re.compile(EPCI_CODE_PATTERN),
    "department": _DEPARTMENT,
}


def between(bounds: tuple[int, int]) -> dict:
    """`pa.Field(in_range=...)` for a (low, high) pair of schemas/vocab.py, both included."""
    return {"min_value": bounds[0], "max_value": bounds[1]}


def is_department_list(value: object) -> bool:
    """A Python list of INSEE department codes (possibly empty); a bare string is rejected."""
    return isinstance(value, list) and all(
        isinstance(code, str) and _DEPARTMENT.match(code) for code in value
    )


def is_place_code_list(value: object) -> bool:
    """A Python list of INSEE commune, EPCI or department codes (possibly empty)."""
    return isinstance(value, list) and all(
        isinstance(code, str) and _PLACE_CODE.match(code) for code in value
    )


def code_fits_level(df: pd.DataFrame) -> pd.Series:
    """A resolved place's code has the shape of its level (five characters for a commune,
    nine digits for an EPCI, a department code)."""
    return pd.Series(
        [
            pd.isna(code) or (isinstance(level, str) and level in _CODE_OF_LEVEL
                              and bool(_CODE_OF_LEVEL[level].match(code)))
            for code, level in zip(df["insee_code"], df["level"], strict=True)
        ],
        index=df.index,
        dtype=bool,
    )


def end_after_start(df: pd.DataFrame) -> pd.Series:
    """Evidence spans are half-open and non-empty."""
    return (df["end"] > df["start"]).fillna(False).astype(bool)


def null_together(df: pd.DataFrame, value: str, detail: str) -> pd.Series:
    """`detail` (a precision, a qualifier) is stated exactly when `value` is."""
    return df[value].isna() == df[detail].isna()
