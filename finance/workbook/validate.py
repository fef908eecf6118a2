"""Check a located workbook and turn it into typed monitoring lines in £, or say everything wrong.

Each sheet is checked line by line by `finance.workbook.sheet.SheetCheck` (its named steps, and the rounding rule,
are described there); this module adds what only the whole workbook shows: its Instructions fields, one financial
year and one authority across every sheet, and a workbook with no lines at all. Every problem is collected as a
`Problem` naming the cell as Excel does (`Revenue!D14`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from finance.errors import InputError, Problem
from finance.workbook.reader import FieldValue, RawWorkbook
from finance.workbook.schema import normalise_header, parse_period, parse_units
from finance.workbook.settings import ReserveSettings, collection_fund_share, reserve_settings
from finance.workbook.sheet import PERIOD_FORMAT, UNITS_FORMAT, SheetCheck, SheetLines, year_problem
from finance.workbook.values import is_blank
from finance.years import parse_financial_year


@dataclass
class Validated:
    file_name: str
    authority: FieldValue | None
    year: str | None
    sheets: list[SheetLines]
    problems: list[Problem] = field(default_factory=list)
    settings: ReserveSettings = field(default_factory=ReserveSettings)
    collection_fund_share_pct: Decimal | None = None  # the Instructions' statement; None = not stated

    @property
    def periods(self) -> list[int]:
        return sorted({p for s in self.sheets if s.spec.per_period for p in s.columns["period"]})


def _workbook_fields(raw: RawWorkbook, problems: list[Problem]) -> tuple[int | None, str | None, str | None]:
    period = year = units = None
    f = raw.fields
    if "period" in f and not is_blank(f["period"].value):
        period = parse_period(f["period"].value)
        if period is None:
            problems.append(Problem(f["period"].where, PERIOD_FORMAT, str(f["period"].value)))
    if "year" in f and not is_blank(f["year"].value):
        try:
            year = parse_financial_year(f["year"].value, f["year"].where)
        except InputError as err:
            message = f"Financial year {year_problem(err, 'must be written like 2025-26')}"
            problems.append(Problem(f["year"].where, message, str(f["year"].value)))
    if "units" in f and not is_blank(f["units"].value):
        units = parse_units(f["units"].value)
        if units is None:
            problems.append(Problem(f["units"].where, UNITS_FORMAT, str(f["units"].value)))
    return period, year, units


def validate(raw: RawWorkbook) -> Validated:
    """Type and check every line of `raw`; problems (with those of sheets `raw` could not read) are returned in
    `Validated.problems`, not raised."""
    problems: list[Problem] = list(raw.problems)
    wb_period, wb_year, wb_units = _workbook_fields(raw, problems)
    settings = reserve_settings(raw.fields, wb_units or _reserves_units(raw), problems)
    share_pct = collection_fund_share(raw.fields, problems)
    authority = raw.fields.get("authority")
    if authority is not None and is_blank(authority.value):
        authority = None
    years: dict[str, str] = {} if wb_year is None else {wb_year: raw.fields["year"].where}
    authorities: dict[str, FieldValue] = {} if authority is None else {normalise_header(authority.value): authority}
    given = raw.fields.get("period")
    period_refused = wb_period is None and given is not None and not is_blank(given.value)
    sheets = [SheetCheck(t, wb_period, wb_units, problems, years, authorities).run(period_refused) for t in raw.sheets]
    if len(years) > 1:
        listed = ", ".join(f"{y} ({w})" for y, w in years.items())
        problems.append(Problem(raw.file_name, f"one workbook must be for one financial year; it names {listed}"))
    if len(authorities) > 1:
        listed = ", ".join(f"{a.value} ({a.where})" for a in authorities.values())
        problems.append(Problem(raw.file_name, f"one workbook must be for one authority; it names {listed}"))
    only_yearly = bool(raw.sheets) and all(t.spec.name == "MTFS" for t in raw.sheets)  # an MTFS-only workbook
    if not years and not only_yearly and not any(p.message.startswith("Financial year") for p in problems):
        problems.append(Problem(raw.file_name, "Financial year is not stated: give it on the Instructions sheet"))
    if not authorities:
        problems.append(
            Problem(raw.file_name, "Authority is not stated: give its ONS code or name on the Instructions sheet")
        )
    year = next(iter(years)) if len(years) == 1 else None
    chosen = next(iter(authorities.values())) if len(authorities) == 1 else None
    if not problems and sum(len(s) for s in sheets) == 0:
        problems.append(Problem(raw.file_name, "holds no monitoring lines: every sheet is empty below its header"))
    return Validated(raw.file_name, chosen, year, sheets, problems, settings, share_pct)


def _reserves_units(raw: RawWorkbook) -> str | None:
    """The one unit the Reserves sheet states (in its headers or title), when the Instructions sheet states none."""
    table = next((t for t in raw.sheets if t.spec.name == "Reserves"), None)
    if table is None:
        return None
    units = set(table.column_units.values()) | ({table.title_units} if table.title_units else set())
    return next(iter(units)) if len(units) == 1 else None
