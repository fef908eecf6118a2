"""Checks only the reserve-quality sheets need, run after the generic line checks of `finance.workbook`.

The generic validator already types every cell (an unknown Status, a year written wrongly, text in a number) and
names it. What it cannot see is how the sheets fit together: a Status belongs to earmarked reserves only (the general
fund balance is unallocated by definition, ring-fenced balances are held for a purpose the council cannot
redirect); when the Reserves sheet has a Status column every earmarked reserve needs one, since the uncommitted
total is what a scenario may draw on and a blank would silently count as neither; a Reserve plan line must name a
reserve on the Reserves sheet, for a year the MTFS covers, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finance import years as fy
from finance.errors import Problem
from finance.scenarios import MAX_YEARS
from finance.workbook import SheetLines, duplicate_key

EARMARKED = "Earmarked"


@dataclass(frozen=True)
class PlanDraft:
    """A checked Reserve plan sheet, ready to store: its lines column-wise, money in exact £."""

    sheet_title: str
    columns: dict[str, list[Any]]  # sheet_row, reserve, plan_year, planned_use_gbp

    def __len__(self) -> int:
        return len(self.columns["reserve"])


def _sheet(sheets: list[SheetLines], name: str) -> SheetLines | None:
    return next((s for s in sheets if s.spec.name == name), None)


def _has_problems(sheet: SheetLines, problems: list[Problem]) -> bool:
    return any(p.where.startswith(f"{sheet.title}!") for p in problems)


def check_reserve_status(sheets: list[SheetLines]) -> list[Problem]:
    """Problems with the Reserves sheet's Status column: a status on a reserve that is not earmarked, or an
    earmarked reserve without one on a sheet that has the column. None when the sheet has no Status column."""
    reserves = _sheet(sheets, "Reserves")
    if reserves is None or "status" not in reserves.column_at:
        return []
    problems: list[Problem] = []
    cols = reserves.columns
    for row, kind, status in zip(cols["sheet_row"], cols["reserve_type"], cols["status"], strict=True):
        if status is not None and kind != EARMARKED:
            problems.append(
                Problem(
                    reserves.ref("status", row),
                    f"Status applies to earmarked reserves only: leave it blank for a {kind} reserve",
                    status,
                )
            )
        elif status is None and kind == EARMARKED:
            problems.append(
                Problem(
                    reserves.ref("status", row),
                    "Status is required for an earmarked reserve when the sheet has a Status column: "
                    "Committed or Uncommitted",
                )
            )
    return problems


def plan_years(workbook_year: str | None, mtfs_years: list[str] | None) -> list[str]:
    """The years a Reserve plan may cover: the workbook's MTFS sheet's years when it has one, else the
    `MAX_YEARS` years after the workbook's financial year (the longest MTFS a scenario models)."""
    if mtfs_years:
        return list(mtfs_years)
    return fy.following(workbook_year, MAX_YEARS) if workbook_year is not None else []


def check_reserve_plan(
    sheets: list[SheetLines], workbook_year: str | None, mtfs_years: list[str] | None, problems: list[Problem]
) -> PlanDraft | None:
    """The Reserve plan sheet as a draft (adding its problems to `problems`), or None when the workbook has none
    or it has problems. Checked only once the plan's and the Reserves sheet's own cells all passed."""
    plan = _sheet(sheets, "Reserve plan")
    if plan is None or not len(plan) or _has_problems(plan, problems):
        return None
    reserves = _sheet(sheets, "Reserves")
    if reserves is None or not len(reserves):
        problems.append(
            Problem(plan.title, "a Reserve plan needs the Reserves sheet in the same workbook (it names the reserves)")
        )
        return None
    if _has_problems(reserves, problems):
        return None
    known = {duplicate_key(name): name for name in reserves.columns["reserve"]}
    allowed = plan_years(workbook_year, mtfs_years)
    where_years = "the MTFS sheet's years" if mtfs_years else f"the {MAX_YEARS} years after {workbook_year}"
    found: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    cols = plan.columns
    for row, reserve, year in zip(cols["sheet_row"], cols["reserve"], cols["plan_year"], strict=True):
        key = duplicate_key(reserve)
        if key not in known:
            found.append(
                Problem(plan.ref("reserve", row), f"is not a reserve on the {reserves.title} sheet", str(reserve))
            )
        if year not in allowed:
            span = f"{allowed[0]} to {allowed[-1]}" if allowed else "none: state the workbook's Financial year"
            found.append(
                Problem(plan.ref("plan_year", row), f"Year must be one of the MTFS years ({where_years}: {span})", year)
            )
        pair = (*key, year)
        if pair in seen:
            found.append(
                Problem(
                    plan.ref("reserve", row),
                    f"duplicate line: {reserve} for {year} is already on row {seen[pair]}",
                    str(reserve),
                )
            )
        seen.setdefault(pair, row)
    if found:
        problems.extend(found)
        return None
    columns = {
        "sheet_row": list(cols["sheet_row"]),
        "reserve": [known[duplicate_key(r)] for r in cols["reserve"]],  # as the Reserves sheet spells it
        "plan_year": list(cols["plan_year"]),
        "planned_use_gbp": list(cols["planned_use_gbp"]),
    }
    return PlanDraft(plan.title, columns)
