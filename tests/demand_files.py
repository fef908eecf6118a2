"""Helpers for tests that need an H-CLIC TA1 table for another quarter: the published TA1 sheet's own rows (read
from ../shared, never copied into the repository), re-dated and saved in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

SEFTON = "E08000014"
TA_FILE = "Statutory_Homelessness_Detailed_Local_Authority_Data_202512.ods"


def ta_rows(ods: Path) -> list[list[Any]]:
    """The published TA1 sheet's rows."""
    return [list(r) for r in CalamineWorkbook.from_path(str(ods)).get_sheet_by_name("TA1").to_python()]


def save_ta(path: Path, rows: list[list[Any]]) -> Path:
    """`rows` as sheet TA1 of a workbook that also has a TA2 sheet (as the published workbook does)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "TA1"
    for row in rows:
        sheet.append(row)
    book.create_sheet("TA2")
    book.save(path)
    return path


def earlier_quarter(ods: Path, path: Path, sefton_households: float) -> Path:
    """The TA1 table re-dated to 30 September 2025 with Sefton's households set to `sefton_households`."""
    rows = ta_rows(ods)
    rows[0][0] = str(rows[0][0]).replace("31 December 2025", "30 September 2025")
    next(r for r in rows if r and r[0] == SEFTON)[4] = sefton_households
    return save_ta(path, rows)
