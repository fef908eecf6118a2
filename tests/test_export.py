"""Exports: user-typed text never becomes a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from finance import export, format

HOSTILE = '=HYPERLINK("http://x","y")'


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "directorate": [HOSTILE, "+SUM(A1)", "-1+1", "@cmd", "Children's services"],
            "budget_gbp_m": [12.5, 3.0, -1.25, 0.0, 101.0],
            "period": [6, 6, 6, 6, None],
        }
    )


def test_xlsx_text_is_text_and_numbers_are_numbers() -> None:
    wb = load_workbook(io.BytesIO(export.xlsx_bytes({"Revenue £m": _frame()})))
    ws = wb["Revenue £m"]
    assert ws.freeze_panes == "A2"
    cell = ws["A2"]
    assert cell.value == HOSTILE
    assert cell.data_type == "s"  # a string, not a formula ('f')
    assert cell.quotePrefix
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 7))
    assert ws["B4"].value == -1.25 and ws["B4"].data_type == "n"
    assert ws["C6"].value is None  # missing stays empty, never zero


def test_csv_neutralises_formula_prefixes_but_not_numbers() -> None:
    rows = list(csv.reader(io.StringIO(export.csv_bytes(_frame()).decode("utf-8-sig"))))
    assert rows[1][0] == "'" + HOSTILE
    assert rows[3][0] == "'-1+1"
    assert rows[5][0] == "Children's services"
    assert rows[3][1] == "-1.25"  # a negative number is still a number


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [export.sheet_name(n, taken) for n in ["a/b", "A/B", "x" * 40, "[x]"]]
    assert names[0] == "a b" and names[1] == "A B (2)"
    assert len(names[2]) == 31 and all(len(n) <= 31 for n in names)
    assert "[" not in names[3]


def test_headers_are_words_in_the_xlsx_and_the_csv() -> None:
    """A table handed over with a program's column names is exported with the names a person reads."""
    frame = pd.DataFrame(
        {"ons_code": ["E08000014"], "value_pct": [21.2], "change_pct_points": [-3.1], "sha256": ["ab"], "as at": ["x"]}
    )
    expected = ["ONS code", "Value (%)", "Change (percentage points)", "SHA-256", "As at"]
    ws = load_workbook(io.BytesIO(export.xlsx_bytes({"t": frame})))["t"]
    assert [c.value for c in ws[1]] == expected
    assert next(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig")))) == expected
    assert frame.columns[0] == "ons_code"  # the caller's frame is left as it was


def test_column_labels_follow_one_rule() -> None:
    assert format.column_label("value_gbp_m") == "Value (£m)"
    assert format.column_label("budget_gbp") == "Budget (£)"
    assert format.column_label("nre_pct") == "NRE (%)"
    assert format.column_label("loaded at (UTC)") == "Loaded at (UTC)"
    assert format.column_label("Variance (£m, + = overspend)") == "Variance (£m, + = overspend)"
    assert format.column_label(2024) == "2024"
    assert format.is_raw_identifier("status") and format.is_raw_identifier("value_pct")
    assert not format.is_raw_identifier("Status") and not format.is_raw_identifier("as at")


def test_two_columns_that_would_read_alike_stay_apart() -> None:
    frame = pd.DataFrame({"code": ["E1"], "ons_code": ["E2"]})
    assert list(export.human_columns(frame).columns) == ["ONS code", "ONS code (2)"]
