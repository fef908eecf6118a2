"""Spreadsheet and CSV exports that are safe to open: numbers stay numbers, text stays text.

Every download in Headroom goes through here, because exported tables carry text that users typed (directorate
and scheme names in uploaded workbooks). A cell whose text starts with `=`, `+`, `-`, `@` (or a tab or carriage
return) would be run as a formula by Excel (formula / CSV injection). So:

- in .xlsx, text is always written as a string cell with Excel's quote prefix, never as a formula;
- in .csv, such text is prefixed with an apostrophe (the OWASP recommendation), which Excel shows as text.

Numbers are written as numbers, with frozen header rows and units carried in the column names, which are the words
a person reads (`human_columns`), never a program's identifiers.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from finance.format import column_label

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]\:\*\?\/\\]")


def human_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every header as a person reads it (`finance.format.column_label`): what every table shown
    (`ui.render.show_table`), downloaded or put in the pack carries. The frame itself is not changed; a header
    whose label another column already has is numbered ('ONS code (2)') rather than making two columns alike."""
    labels: list[str] = []
    for column in frame.columns:
        label, n = column_label(column), 2
        while label in labels:
            label, n = f"{column_label(column)} ({n})", n + 1
        labels.append(label)
    if labels == list(frame.columns):
        return frame
    out = frame.copy(deep=False)
    out.columns = labels
    return out


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def safe_csv_text(text: str) -> str:
    return "'" + text if is_dangerous(text) else text


SHEET_NAME_MAX = 31  # Excel's limit
# Words a shortened name must not end on ("Reserves as % of" says less than "Reserves as %").
_DANGLING = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"})


# The usual short forms, used only when a name is too long (longest words first).
ABBREVIATIONS = {
    "directorates": "dirs",
    "directorate": "dir.",
    "expenditure": "exp.",
    "percentage": "%",
    "statistical": "stat.",
    "indicators": "ind.",
    "government": "govt",
    "comparison": "comp.",
}


def shorten(text: str, limit: int = SHEET_NAME_MAX) -> str:
    """`text` in at most `limit` characters, still readable: a trailing parenthesis is dropped first (“Official
    returns (or the illustrative dataset)” → “Official returns”), then the usual short forms (`ABBREVIATIONS`) are
    used, then whole words are kept up to the limit, never ending on a connecting word or a dash, and “…” marks what
    was cut. A single word longer than the limit is cut."""
    text = " ".join(text.split())
    while len(text) > limit and text.endswith(")") and "(" in text and text.index("(") > 0:
        text = text[: text.rindex("(")].rstrip(" ,;:—–-")
    for long, short in ABBREVIATIONS.items():
        if len(text) <= limit:
            break
        text = re.sub(rf"\b{long}\b", short, text, flags=re.IGNORECASE)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    for word in text.split(" "):
        if len(" ".join([*kept, word])) > limit - 1:
            break
        kept.append(word)
    while kept and (kept[-1].casefold() in _DANGLING or kept[-1] in {"—", "–", "-", "&", "+"}):
        kept.pop()
    short = " ".join(kept).rstrip(" ,;:—–-(")
    return (short or text[: limit - 1]) + "…"


def sheet_name(name: str, taken: set[str]) -> str:
    r"""A valid, unique Excel sheet name (at most 31 characters, no []:*?/\), shortened readably (`shorten`); a
    name already taken (compared without case, as Excel does) gets “ (2)”, “ (3)” …"""
    full = _SHEET_BAD.sub(" ", name).strip() or "Sheet"
    candidate, n = shorten(full), 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = shorten(full, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _write_value(cell: Cell, value: Any) -> None:
    if value is None or value is pd.NA or value is pd.NaT:
        return
    if isinstance(value, float) and math.isnan(value):
        return
    if isinstance(value, int | float):  # bool is an int
        cell.value = value
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        _write_value(cell, value.item())
    elif isinstance(value, datetime | date | pd.Timestamp):
        cell.value = pd.Timestamp(value).to_pydatetime()
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        if is_dangerous(text):
            cell.quotePrefix = True


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per table, header row bold and frozen, columns sized to fit."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, shown in sheets.items():
        frame = human_columns(shown)
        ws = wb.create_sheet(sheet_name(name, taken))
        for j, column in enumerate(frame.columns, start=1):
            cell = ws.cell(row=1, column=j)
            _write_value(cell, str(column))
            cell.font = Font(bold=True)
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            for j, value in enumerate(row, start=1):
                _write_value(ws.cell(row=i, column=j), value)
        ws.freeze_panes = "A2"
        for j, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:200, j - 1]])
            ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
    if not wb.sheetnames:
        wb.create_sheet("Empty")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads £ correctly); text that could run as a formula is neutralised."""
    safe = human_columns(frame).copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: safe_csv_text(v) if isinstance(v, str) else v)
    safe.columns = [safe_csv_text(str(c)) for c in safe.columns]
    return safe.to_csv(index=False).encode("utf-8-sig")
