"""Checks only the capital programme and the debt position need, run after the generic line checks.

The workbook validator already types every cell of the `Capital programme` sheet (negative budgets and funding,
an asset life of zero or less, funding sources that do not add up to the budget within the workbook's rounding, all
named by cell). What it cannot see is the programme as a series: each year must be one of the MTFS years (the
workbook's financial year and the years after it a scenario models, or the approved MTFS's own years when the
workbook carries one), one line per scheme and year, and an asset life wherever the scheme borrows (MRP is spread
over it). The Instructions sheet's debt position and Prudential Code limits are read here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from finance import years as fy
from finance.errors import Problem
from finance.scenarios import MAX_YEARS
from finance.workbook import (
    UNIT_MULTIPLIER_GBP,
    FieldValue,
    SheetLines,
    is_blank,
    normalise_header,
    parse_number,
    parse_units,
    to_gbp,
)

MRP_METHODS = {"annuity": "annuity", "straight_line": "straight_line"}
MRP_METHOD_WORDS = {
    "annuity": "annuity",
    "annuity method": "annuity",
    "asset life annuity": "annuity",
    "straight line": "straight_line",
    "straight line method": "straight_line",
    "asset life straight line": "straight_line",
    "equal instalment": "straight_line",
    "equal instalments": "straight_line",
}
MRP_METHOD_LABELS = {"annuity": "Annuity", "straight_line": "Straight line"}
# (field key, label as the template writes it, kind): "gbp" in the workbook's units, "pct" a percentage
POSITION_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("cfr", "Capital financing requirement at 1 April", "gbp"),
    ("external_debt", "External debt at 1 April", "gbp"),
    ("existing_rate", "Average interest rate on existing debt (%)", "pct"),
    ("authorised_limit", "Authorised limit", "gbp"),
    ("operational_boundary", "Operational boundary", "gbp"),
    ("financing_limit", "Financing costs limit (% of net revenue stream)", "pct"),
)


@dataclass(frozen=True)
class Position:
    """The debt position and limits the Instructions sheet states, money in exact £; None = not stated."""

    as_at: date
    cfr_gbp: Decimal | None = None
    external_debt_gbp: Decimal | None = None
    existing_rate_pct: Decimal | None = None
    authorised_limit_gbp: Decimal | None = None
    operational_boundary_gbp: Decimal | None = None
    financing_limit_pct: Decimal | None = None
    mrp_method: str | None = None  # 'annuity' or 'straight_line'

    @property
    def stated(self) -> bool:
        return any(v is not None for k, v in vars(self).items() if k != "as_at")


@dataclass(frozen=True)
class ProgrammeDraft:
    """A checked capital programme, ready to store: its lines column-wise (sheet order), money in exact £."""

    sheet_title: str
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.columns["scheme"])


def mtfs_years(workbook_year: str | None, approved_years: list[str] | None) -> list[str]:
    """The years a capital programme may cover: the workbook's year and the approved MTFS's years when the workbook
    carries an MTFS, else the workbook's year and the `MAX_YEARS` after it."""
    if approved_years:
        first = fy.shift(approved_years[0], -1)
        return [first, *approved_years]
    if workbook_year is None:
        return []
    return [workbook_year, *fy.following(workbook_year, MAX_YEARS)]


def check_programme(lines: SheetLines, allowed_years: list[str], file_name: str) -> ProgrammeDraft | list[Problem]:
    """The sheet's lines as a draft, or every problem with years, repeated lines and missing asset lives."""
    problems: list[Problem] = []
    cols = lines.columns
    rows: list[int] = cols["sheet_row"]
    seen: dict[tuple[str, str], int] = {}
    if not allowed_years:
        problems.append(
            Problem(file_name, "Financial year is not stated: the capital programme's years are checked against it")
        )
    for i, row in enumerate(rows):
        year = cols["programme_year"][i]
        if allowed_years and year not in allowed_years:
            problems.append(
                Problem(
                    lines.ref("programme_year", row),
                    f"Year must be one of the MTFS years {allowed_years[0]} to {allowed_years[-1]}",
                    year,
                )
            )
        key = (" ".join(str(cols["scheme"][i]).casefold().split()), year)
        if key in seen:
            problems.append(
                Problem(
                    lines.ref("scheme", row),
                    f"duplicate line: {cols['scheme'][i]} for {year} is already on row {seen[key]}",
                    cols["scheme"][i],
                )
            )
        seen.setdefault(key, row)
        life = cols["asset_life_years"][i]
        if life is not None and life != int(life):
            message = "Asset life (years) must be a whole number of years"
            problems.append(Problem(lines.ref("asset_life_years", row), message, str(life)))
        borrowing = cols["borrowing_gbp"][i]
        if borrowing is not None and borrowing > 0 and cols["asset_life_years"][i] is None:
            problems.append(
                Problem(
                    lines.ref("asset_life_years", row),
                    "Asset life (years) is required where the scheme borrows: MRP is spread over it",
                )
            )
    if problems:
        return problems
    keep = ("sheet_row", "scheme", "directorate", "programme_year", "budget_gbp", "grants_gbp", "receipts_gbp",
            "revenue_gbp", "borrowing_gbp", "asset_life_years", "slippage_gbp")  # fmt: skip
    return ProgrammeDraft(lines.title, {k: list(cols[k]) for k in keep})


def _amount(field: FieldValue, label: str, kind: str, units: str | None, problems: list[Problem]) -> Decimal | None:
    shown = str(field.value)
    number = parse_number(field.value)
    if not isinstance(number, Decimal):
        problems.append(Problem(field.where, f"{label} {number}", shown))
        return None
    if number < 0:
        problems.append(Problem(field.where, f"{label} must not be negative", shown))
        return None
    if kind == "pct":
        if number > 100:
            problems.append(Problem(field.where, f"{label} must be a percentage from 0 to 100", shown))
            return None
        return number
    if units is None:
        problems.append(Problem(field.where, f"{label} needs the workbook's Units (£, £000 or £m)", shown))
        return None
    gbp = to_gbp(number, UNIT_MULTIPLIER_GBP[units])
    if isinstance(gbp, str):
        problems.append(Problem(field.where, f"{label} {gbp}", shown))
        return None
    return gbp


def check_position(
    fields: dict[str, FieldValue], workbook_year: str | None, problems: list[Problem]
) -> Position | None:
    """The Instructions sheet's debt position and limits (None when it states none), adding any problem."""
    given = {k: f for k, f in fields.items() if not is_blank(f.value)}
    names = [k for k, _, _ in POSITION_FIELDS] + ["mrp_method"]
    if not any(k in given for k in names):
        return None
    units_field = given.get("units")
    units = parse_units(units_field.value) if units_field is not None else None
    values: dict[str, Any] = {}
    for key, label, kind in POSITION_FIELDS:
        if key in given:
            values[key] = _amount(given[key], label, kind, units, problems)
    method = None
    if "mrp_method" in given:
        method = MRP_METHOD_WORDS.get(normalise_header(given["mrp_method"].value))
        if method is None:
            field = given["mrp_method"]
            problems.append(Problem(field.where, "MRP method must be Annuity or Straight line", str(field.value)))
    if workbook_year is None:
        where = next(given[k].where for k in names if k in given)
        problems.append(Problem(where, "the debt position needs the workbook's Financial year (it is at 1 April)"))
        return None
    return Position(
        date(fy.start_year(workbook_year), 4, 1),
        values.get("cfr"),
        values.get("external_debt"),
        values.get("existing_rate"),
        values.get("authorised_limit"),
        values.get("operational_boundary"),
        values.get("financing_limit"),
        method,
    )
