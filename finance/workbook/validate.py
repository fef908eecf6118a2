"""Check a located workbook line by line and turn it into typed monitoring lines in £, or say everything wrong.

Every problem is collected (never the first only) as a `Problem` naming the cell as Excel does (`Revenue!D14`).
Rounding, stated once: each figure is taken to be rounded to the precision councils report its unit in (whole £,
whole £000, or £0.1m). A variance (or any other stated sum of three figures) may therefore differ from its parts by
1.5 of those steps; a totals row by half a step for each line it adds up plus half a step for itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from finance.errors import InputError, Problem
from finance.format import period_label
from finance.workbook.reader import FieldValue, RawWorkbook, SheetTable
from finance.workbook.schema import (
    UNIT_MULTIPLIER_GBP,
    UNIT_STEP_GBP,
    Column,
    SheetSpec,
    bidi_control_in,
    normalise_header,
    parse_period,
    parse_units,
)
from finance.workbook.settings import ReserveSettings, reserve_settings
from finance.workbook.values import (
    MAX_TEXT_CHARS,
    duplicate_key,
    is_blank,
    parse_choice,
    parse_number,
    parse_text,
    to_gbp,
)
from finance.years import YEAR_FORMAT, parse_financial_year

HALF = Decimal("0.5")


@dataclass
class SheetLines:
    """The typed lines of one sheet, column-wise (ready for a DataFrame); money in exact £."""

    spec: SheetSpec
    title: str
    columns: dict[str, list[Any]]
    totals_checked: int = 0
    column_at: dict[str, int] = field(default_factory=dict)  # field key -> 0-based column, to name a cell later

    def ref(self, key: str, row: int) -> str:
        """The cell of `key` on Excel row `row` (`MTFS!A4`), or the whole row when the sheet lacks the column."""
        if key not in self.column_at:
            return f"{self.title}!{row}:{row}"
        return f"{self.title}!{get_column_letter(self.column_at[key] + 1)}{row}"

    def __len__(self) -> int:
        return len(self.columns["period"])


@dataclass
class Validated:
    file_name: str
    authority: FieldValue | None
    year: str | None
    sheets: list[SheetLines]
    problems: list[Problem] = field(default_factory=list)
    settings: ReserveSettings = field(default_factory=ReserveSettings)

    @property
    def periods(self) -> list[int]:
        return sorted({p for s in self.sheets if s.spec.per_period for p in s.columns["period"]})


def _is_total(label: str) -> str | None:
    """'grand' for a (grand) total row, 'sub' for a subtotal ("Adults total"), None for a line."""
    name = normalise_header(label)
    if name in {"total", "totals", "grand total", "net total", "overall total"} or name.startswith(
        ("total ", "grand total", "net total", "overall total")
    ):
        return "grand"
    if name.endswith((" total", " subtotal", " sub total")) or name in {"subtotal", "sub total"}:
        return "sub"
    return None


def _parse_value(column: Column, value: Any, unit: str | None) -> tuple[Any, str | None]:
    """One non-blank cell as its stored value (money in £ for `unit`), or (None, what is wrong)."""
    if isinstance(value, str) and (code := bidi_control_in(value)) is not None:
        return None, (
            f"{column.label} holds a hidden text-direction control ({code}), which can make it display as "
            "something other than what it says: retype the cell"
        )
    if column.kind == "money":
        assert unit is not None
        number = parse_number(value)
        gbp = to_gbp(number, UNIT_MULTIPLIER_GBP[unit]) if isinstance(number, Decimal) else number
        if column.non_negative and isinstance(gbp, Decimal) and gbp < 0:
            return None, f"{column.label} must not be negative"
        return (None, f"{column.label} {gbp}") if isinstance(gbp, str) else (gbp, None)
    if column.kind == "number":
        number = parse_number(value)
        if isinstance(number, str):
            return None, f"{column.label} {number}"
        if column.positive and number <= 0:
            return None, f"{column.label} must be more than zero"
        return number, None
    if column.kind == "year":
        try:
            return parse_financial_year(str(value).strip()), None
        except InputError as err:
            return None, f"{column.label} {_year_problem(err, 'must be a financial year written like 2026-27')}"
    if column.kind == "choice":
        choice = parse_choice(value, column)
        return (choice, None) if choice else (None, f"{column.label} must be one of {', '.join(column.choices)}")
    words = parse_text(value)
    if words and len(words) > MAX_TEXT_CHARS:
        return None, f"{column.label} is longer than {MAX_TEXT_CHARS} characters"
    return words, None


def _year_problem(err: InputError, badly_written: str) -> str:
    """What is wrong with a year cell: `badly_written`, or that the year is outside the years Headroom takes."""
    message = err.problems[0].message
    return badly_written if message == YEAR_FORMAT else message


def _workbook_fields(raw: RawWorkbook, problems: list[Problem]) -> tuple[int | None, str | None, str | None]:
    period = year = units = None
    f = raw.fields
    if "period" in f and not is_blank(f["period"].value):
        period = parse_period(f["period"].value)
        if period is None:
            problems.append(
                Problem(f["period"].where, "Period must be P1..P12 (April = P1) or 1..12", str(f["period"].value))
            )
    if "year" in f and not is_blank(f["year"].value):
        try:
            year = parse_financial_year(f["year"].value, f["year"].where)
        except InputError as err:
            message = f"Financial year {_year_problem(err, 'must be written like 2025-26')}"
            problems.append(Problem(f["year"].where, message, str(f["year"].value)))
    if "units" in f and not is_blank(f["units"].value):
        units = parse_units(f["units"].value)
        if units is None:
            problems.append(Problem(f["units"].where, "Units must be £, £000 or £m", str(f["units"].value)))
    return period, year, units


def validate(raw: RawWorkbook) -> Validated:
    """Type and check every line of `raw`; problems are returned in `Validated.problems`, not raised."""
    problems: list[Problem] = []
    wb_period, wb_year, wb_units = _workbook_fields(raw, problems)
    settings = reserve_settings(raw.fields, wb_units or _reserves_units(raw), problems)
    authority = raw.fields.get("authority")
    if authority is not None and is_blank(authority.value):
        authority = None
    years: dict[str, str] = {} if wb_year is None else {wb_year: raw.fields["year"].where}
    authorities: dict[str, FieldValue] = {} if authority is None else {normalise_header(authority.value): authority}
    given = raw.fields.get("period")
    period_refused = wb_period is None and given is not None and not is_blank(given.value)
    sheets = [_validate_sheet(t, wb_period, wb_units, problems, years, authorities, period_refused) for t in raw.sheets]
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
    return Validated(raw.file_name, chosen, year, sheets, problems, settings)


def _reserves_units(raw: RawWorkbook) -> str | None:
    """The one unit the Reserves sheet states (in its headers or title), when the Instructions sheet states none."""
    table = next((t for t in raw.sheets if t.spec.name == "Reserves"), None)
    if table is None:
        return None
    units = set(table.column_units.values()) | ({table.title_units} if table.title_units else set())
    return next(iter(units)) if len(units) == 1 else None


def _validate_sheet(
    table: SheetTable,
    wb_period: int | None,
    wb_units: str | None,
    problems: list[Problem],
    years: dict[str, str],
    authorities: dict[str, FieldValue],
    period_refused: bool,
) -> SheetLines:
    """Type and check the lines of one sheet. `period_refused`: the workbook's Period was given but is not a
    period (already reported), so a line without its own period adds no second message."""
    spec = table.spec
    no_period: list[str] = []
    cols = table.columns
    out: dict[str, list[Any]] = {"period": [], "sheet_row": []} | {c.key: [] for c in spec.columns}
    header_units = set(table.column_units.values())
    sheet_unit = next(iter(header_units)) if len(header_units) == 1 else None
    label_key = spec.label_key
    money_keys = spec.money_keys
    seen: dict[tuple[Any, ...], int] = {}
    sums_sub: dict[str, Decimal] = {k: Decimal(0) for k in money_keys}
    sums_grand: dict[str, Decimal] = dict(sums_sub)
    lines_sub = lines_grand = 0
    failed_sub = failed_grand = False
    after_total = False
    units_missing_reported = False
    lines = SheetLines(spec, table.title, out, column_at=dict(cols))

    def cell(values: tuple[Any, ...], key: str) -> Any:
        index = cols.get(key)
        return values[index] if index is not None and index < len(values) else None

    for row_no, values in table.rows:

        def ref(key: str, row_no: int = row_no) -> str:
            return table.ref(key, row_no)

        mapped = [cell(values, c.key) for c in spec.columns]
        missing_formula = (
            {c.key for c in spec.columns if c.key in cols and ref(c.key).split("!")[1] in table.formula_cells}
            if table.formula_cells
            else set()
        )
        if all(is_blank(v) for v in mapped) and not missing_formula:
            continue
        label = parse_text(cell(values, label_key)) if label_key and not is_blank(cell(values, label_key)) else None
        if label and normalise_header(label).startswith("example"):
            problems.append(Problem(ref(label_key or ""), "is an example row from the template: delete the row", label))
            continue
        # -- units and period of this row
        row_units = None
        if "units" in cols and not is_blank(cell(values, "units")):
            row_units = parse_units(cell(values, "units"))
            if row_units is None:
                problems.append(Problem(ref("units"), "Units must be £, £000 or £m", str(cell(values, "units"))))
                continue
        period = wb_period if spec.per_period else None
        if spec.per_period and "period" in cols and not is_blank(cell(values, "period")):
            period = parse_period(cell(values, "period"))
            if period is None:
                problems.append(
                    Problem(ref("period"), "Period must be P1..P12 (April = P1) or 1..12", str(cell(values, "period")))
                )
                continue
        for key in ("year", "authority"):
            if key in cols and not is_blank(cell(values, key)):
                raw_value = cell(values, key)
                if key == "year":
                    text = str(raw_value).strip()
                    try:
                        years.setdefault(parse_financial_year(text), ref(key))
                    except InputError as err:
                        wrong = f"Financial year {_year_problem(err, 'must be written like 2025-26')}"
                        problems.append(Problem(ref(key), wrong, text))
                else:
                    authorities.setdefault(normalise_header(raw_value), FieldValue(raw_value, ref(key)))
        kind = _is_total(label) if label else None
        if kind is None and after_total and all(is_blank(cell(values, k)) for k in money_keys):
            continue  # a note below the table
        # -- the values
        row_ok = True
        parsed: dict[str, Any] = {}
        units_of: dict[str, str] = {}
        for column in spec.columns:
            value = cell(values, column.key)
            if column.key in missing_formula:
                problems.append(
                    Problem(
                        ref(column.key),
                        "is a formula with no saved value: open the file in Excel, let it calculate, and save it",
                    )
                )
                row_ok = False
                continue
            if column.key not in cols or is_blank(value):
                if column.required and kind is None:
                    problems.append(
                        Problem(
                            ref(column.key) if column.key in cols else f"{table.title}!{row_no}:{row_no}",
                            f"{column.label} is required",
                        )
                    )
                    row_ok = False
                parsed[column.key] = None
                continue
            unit = None
            if column.kind == "money":
                unit = table.column_units.get(column.key) or row_units or sheet_unit or table.title_units or wb_units
                if unit is None:
                    if not units_missing_reported:
                        problems.append(
                            Problem(
                                f"{table.title}!{table.header_row}:{table.header_row}",
                                "Units are not stated: give £, £000 or £m on the Instructions sheet or in the headers",
                            )
                        )
                        units_missing_reported = True
                    row_ok = False
                    continue
                units_of[column.key] = unit
            if column.kind == "year" and kind is not None:  # "Total" where a year belongs: a totals row
                parsed[column.key] = None
                continue
            parsed[column.key], message = _parse_value(column, value, unit)
            if message is not None:
                shown = str(value)
                problems.append(Problem(ref(column.key), message, shown if len(shown) <= 60 else shown[:40] + "…"))
                row_ok = False
        if kind is None and period is not None:
            dup = (period, *duplicate_key(*(parsed.get(k) for k in spec.key)))
            if dup in seen:
                what = " / ".join(str(parsed.get(k) or "(blank)") for k in spec.key) or spec.name
                problems.append(
                    Problem(
                        ref(spec.key[0]) if spec.key else f"{table.title}!{row_no}:{row_no}",
                        f"duplicate line: {what} for {period_label(period, month=False)} is already on row {seen[dup]}",
                        label or "",
                    )
                )
                continue
            seen[dup] = row_no
        if not row_ok:
            if kind is None:  # a total cannot be checked against lines that failed
                failed_sub = failed_grand = True
            continue
        if kind is not None:
            sums = sums_grand if kind == "grand" else sums_sub
            count = lines_grand if kind == "grand" else lines_sub
            failed = failed_grand if kind == "grand" else failed_sub
            for key in money_keys:
                stated = parsed.get(key)
                if stated is None or failed:
                    continue
                step = UNIT_STEP_GBP[units_of[key]]
                if abs(stated - sums[key]) > (count + 1) * HALF * step:
                    problems.append(
                        Problem(
                            ref(key),
                            f"the total does not reconcile: the {count} line(s) above add up to "
                            f"£{sums[key]:,.2f}, the total says £{stated:,.2f}",
                            str(cell(values, key)),
                        )
                    )
                    row_ok = False
            lines.totals_checked += 1
            sums_sub = {k: Decimal(0) for k in money_keys}
            lines_sub, failed_sub = 0, False
            if kind == "grand":
                sums_grand = dict(sums_sub)
                lines_grand, failed_grand = 0, False
                after_total = True
            continue
        if period is None and spec.per_period:  # reported once per sheet, below; not at all if it was refused
            no_period.append(ref("period") if "period" in cols else f"{table.title}!{row_no}:{row_no}")
            continue
        for check in spec.checks:
            stated = parsed.get(check.total)
            parts = (*check.plus, *check.minus)
            given = [k for k in parts if parsed.get(k) is not None]
            if stated is None or (len(given) < len(parts) and not check.blank_is_zero):
                continue
            part = {k: Decimal(0) if parsed.get(k) is None else parsed[k] for k in parts}
            expected = sum((part[k] for k in check.plus), Decimal(0)) - sum((part[k] for k in check.minus), Decimal(0))
            step = max(UNIT_STEP_GBP[units_of[k]] for k in (check.total, *given))
            if abs(stated - expected) > 3 * HALF * step:
                problems.append(
                    Problem(
                        ref(check.total),
                        f"{check.message} (£{expected:,.2f}), within rounding",
                        str(cell(values, check.total)),
                    )
                )
                row_ok = False
        if not row_ok:
            continue
        for k in money_keys:
            if parsed.get(k) is not None:
                sums_sub[k] += parsed[k]
                sums_grand[k] += parsed[k]
        lines_sub += 1
        lines_grand += 1
        after_total = False
        out["period"].append(period)
        out["sheet_row"].append(row_no)
        for column in spec.columns:
            out[column.key].append(parsed.get(column.key))
    if no_period and not period_refused:
        rows = f" ({len(no_period):,} rows)" if len(no_period) > 1 else ""
        where_to = "give it on the Instructions sheet or in a Period column"
        problems.append(Problem(no_period[0], f"Period is not stated{rows}: {where_to}"))
    return lines
