"""Checks only an MTFS sheet needs, run after the generic line checks, and the version it becomes.

The monitoring validator already types every cell (text in numbers, negative funding, the gap arithmetic, all named
by cell). What it cannot see is the shape of the series as a whole: an MTFS is one line per financial year, the
years one after another and all after the year the workbook is for, covering the 3 to 5 years a scenario models.
Those checks live here, with the workbook-level version fields (version name, date approved), so the monitoring
package stays about monthly monitoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import PurePath
from typing import Any

from finance import years as fy
from finance.errors import Problem
from finance.scenarios import MAX_YEARS, MIN_YEARS
from finance.workbook import FieldValue, SheetLines, is_blank, parse_text

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class MtfsDraft:
    """A checked MTFS sheet, ready to store as a new version: its lines column-wise, money in exact £."""

    version_name: str
    approved_on: date | None
    base_year: str  # the year before the first MTFS year: where a scenario built from it starts
    sheet_title: str
    columns: dict[str, list[Any]]  # sheet_row, mtfs_year and the money columns

    @property
    def years(self) -> list[str]:
        return list(self.columns["mtfs_year"])

    def __len__(self) -> int:
        return len(self.columns["mtfs_year"])


def parse_date(value: Any) -> date | None:
    """A cell as a date: an Excel date, `2024-02-28`, `28/02/2024`, `28 February 2024`; None when not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):  # UK order: day first
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\s+(\d{4})", text)
        if m and m[2][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS.index(m[2][:3].lower()) + 1, int(m[1]))
    except ValueError:
        return None
    return None


def _version_fields(fields: dict[str, FieldValue], file_name: str, problems: list[Problem]) -> tuple[str, date | None]:
    approved: date | None = None
    given = fields.get("approved")
    if given is not None and not is_blank(given.value):
        approved = parse_date(given.value)
        if approved is None:
            problems.append(
                Problem(given.where, "Date approved must be a date, like 2024-02-28 or 28/02/2024", str(given.value))
            )
    name = fields.get("version")
    text = parse_text(name.value) if name is not None and not is_blank(name.value) else None
    if text is not None and len(text) > 200:
        problems.append(Problem(name.where if name else file_name, "Version name is longer than 200 characters"))
    if text is None:  # a version needs a name people recognise: the approval date, else the file
        text = f"Approved {approved:%d %b %Y}" if approved else PurePath(file_name).stem
    return text, approved


def check_mtfs(
    lines: SheetLines, fields: dict[str, FieldValue], workbook_year: str | None, file_name: str
) -> MtfsDraft | list[Problem]:
    """The MTFS sheet's lines as a draft version, or every problem with the series' shape and version fields.

    Years must follow one another with no gap or repeat, start after the workbook's financial year when it states
    one, and number 3 to 5 (the years a scenario models).
    """
    problems: list[Problem] = []
    version_name, approved = _version_fields(fields, file_name, problems)
    rows: list[int] = lines.columns["sheet_row"]
    years: list[str] = lines.columns["mtfs_year"]
    order = sorted(range(len(years)), key=lambda i: rows[i])
    for before, after in pairwise(order):
        want = fy.shift(years[before], 1)
        if years[after] != want:
            problems.append(
                Problem(
                    lines.ref("mtfs_year", rows[after]),
                    f"Years must be consecutive: after {years[before]} (row {rows[before]}) comes {want}",
                    years[after],
                )
            )
    if order and workbook_year is not None and fy.start_year(years[order[0]]) <= fy.start_year(workbook_year):
        problems.append(
            Problem(
                lines.ref("mtfs_year", rows[order[0]]),
                f"MTFS years must come after the base year {workbook_year} (the workbook's financial year)",
                years[order[0]],
            )
        )
    if not MIN_YEARS <= len(years) <= MAX_YEARS:
        problems.append(
            Problem(
                lines.ref("mtfs_year", rows[order[-1]]) if order else lines.title,
                f"an MTFS must cover {MIN_YEARS} to {MAX_YEARS} years; this sheet has {len(years)}",
            )
        )
    if problems:
        return problems
    columns = {key: [values[i] for i in order] for key, values in lines.columns.items() if key != "period"}
    return MtfsDraft(version_name, approved, fy.shift(years[order[0]], -1), lines.title, columns)
