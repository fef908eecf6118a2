"""Exports: user-typed text never becomes a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from finance import export

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
