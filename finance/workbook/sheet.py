"""One sheet of an uploaded workbook checked line by line, in named steps, into typed lines in £
(`finance.workbook.validate` runs it for every sheet, then checks what only the whole workbook shows).

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
from finance.workbook.reader import FieldValue, SheetTable
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
PERIOD_FORMAT = "Period must be P1..P12 (April = P1) or 1..12"
UNITS_FORMAT = "Units must be £, £000 or £m"


@dataclass
class SheetLines:
    """The typed lines of one sheet, column-wise (ready for a DataFrame); money in exact £."""

    spec: SheetSpec
    title: str
    columns: dict[str, list[Any]]
    totals_checked: int = 0
    column_at: dict[str, int] = field(default_factory=dict)  # field key -> 0-based column, to name a cell later
    step_gbp: list[Decimal] = field(default_factory=list)  # per line: the rounding step of its money's unit

    def ref(self, key: str, row: int) -> str:
        """The cell of `key` on Excel row `row` (`MTFS!A4`), or the whole row when the sheet lacks the column."""
        if key not in self.column_at:
            return f"{self.title}!{row}:{row}"
        return f"{self.title}!{get_column_letter(self.column_at[key] + 1)}{row}"

    def __len__(self) -> int:
        return len(self.columns["period"])


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
        if column.non_negative and number < 0:
            return None, f"{column.label} must not be negative"
        return number, None
    if column.kind == "year":
        try:
            return parse_financial_year(str(value).strip()), None
        except InputError as err:
            return None, f"{column.label} {year_problem(err, 'must be a financial year written like 2026-27')}"
    if column.kind == "percent":
        return _percent(column, value)
    if column.kind == "choice":
        choice = parse_choice(value, column)
        if choice is None and column.open_choice:
            words = parse_text(value)
            if words and len(words) > MAX_TEXT_CHARS:
                return None, f"{column.label} is longer than {MAX_TEXT_CHARS} characters"
            return words, None
        return (choice, None) if choice else (None, f"{column.label} must be one of {', '.join(column.choices)}")
    words = parse_text(value)
    if words and len(words) > MAX_TEXT_CHARS:
        return None, f"{column.label} is longer than {MAX_TEXT_CHARS} characters"
    return words, None


def _percent(column: Column, value: Any) -> tuple[Decimal | None, str | None]:
    """A percentage written 96.5 or 96.5%, from 0 to 100. A fraction such as 0.965 (a cell formatted as %
    holds one) is refused rather than guessed at: 0.965 could as well mean 0.965%."""
    text = str(value).strip()
    number = parse_number(text[:-1] if isinstance(value, str) and text.endswith("%") else value)
    if isinstance(number, str):
        return None, f"{column.label} {number}"
    if number < 0 or number > 100:
        return None, f"{column.label} must be a percentage from 0 to 100"
    if 0 < number < 1:
        return None, f"{column.label} looks like a fraction: write 96.5 (or 96.5%) for 96.5%"
    return number, None


def year_problem(err: InputError, badly_written: str) -> str:
    """What is wrong with a year cell: `badly_written`, or that the year is outside the years Headroom takes."""
    message = err.problems[0].message
    return badly_written if message == YEAR_FORMAT else message


@dataclass
class _Running:
    """The lines added up since the last subtotal (or grand total): what the next total row must equal."""

    sums: dict[str, Decimal]
    lines: int = 0
    failed: bool = False  # a line that failed cannot be added up, so the next total is not checked


class SheetCheck:
    """Checks one sheet's rows in order; `run` returns its typed lines and adds every problem to `problems`.

    `years` and `authorities` collect what rows state in their own Year / Authority columns, so the workbook
    check can refuse a workbook that names two. `wb_period` and `wb_units` are the Instructions sheet's.
    """

    def __init__(
        self,
        table: SheetTable,
        wb_period: int | None,
        wb_units: str | None,
        problems: list[Problem],
        years: dict[str, str],
        authorities: dict[str, FieldValue],
    ) -> None:
        self.table, self.spec, self.cols = table, table.spec, table.columns
        self.wb_period, self.wb_units = wb_period, wb_units
        self.problems, self.years, self.authorities = problems, years, authorities
        header_units = set(table.column_units.values())
        self.sheet_unit = next(iter(header_units)) if len(header_units) == 1 else None
        self.out: dict[str, list[Any]] = {"period": [], "sheet_row": []} | {c.key: [] for c in self.spec.columns}
        self.lines = SheetLines(self.spec, table.title, self.out, column_at=dict(self.cols))
        self.seen: dict[tuple[Any, ...], int] = {}  # (period, key…) -> the row that first had it
        self.sub = _Running(self._zeros())
        self.grand = _Running(self._zeros())
        self.after_total = False  # rows with no money after a grand total are notes
        self.units_missing_reported = False
        self.no_period: list[str] = []

    def _zeros(self) -> dict[str, Decimal]:
        return {k: Decimal(0) for k in self.spec.money_keys}

    def cell(self, values: tuple[Any, ...], key: str) -> Any:
        index = self.cols.get(key)
        return values[index] if index is not None and index < len(values) else None

    def whole_row(self, row_no: int) -> str:
        return f"{self.table.title}!{row_no}:{row_no}"

    def run(self, period_refused: bool) -> SheetLines:
        """Check every row. `period_refused`: the workbook's Period was given but is not a period (already
        reported), so a line without its own period adds no second message."""
        for row_no, values in self.table.rows:
            self._row(row_no, values)
        if self.no_period and not period_refused:
            rows = f" ({len(self.no_period):,} rows)" if len(self.no_period) > 1 else ""
            where_to = "give it on the Instructions sheet or in a Period column"
            self.problems.append(Problem(self.no_period[0], f"Period is not stated{rows}: {where_to}"))
        return self.lines

    def _row(self, row_no: int, values: tuple[Any, ...]) -> None:
        """One row: skipped, refused (its problems added), checked as a total, or kept as a line."""
        missing_formula = self._formulas_without_values(row_no)
        if all(is_blank(self.cell(values, c.key)) for c in self.spec.columns) and not missing_formula:
            return
        label = self._label(values)
        if label and self._is_example(row_no, label):
            return
        context = self._units_and_period(row_no, values)
        if context is None:
            return
        row_units, period = context
        self._note_year_and_authority(row_no, values)
        kind = _is_total(label) if label else None
        if kind is None and self.after_total and all(is_blank(self.cell(values, k)) for k in self.spec.money_keys):
            return  # a note below the table
        parsed, units_of, row_ok = self._parse_cells(row_no, values, row_units, kind, missing_formula)
        if kind is None and period is not None and self._is_duplicate(row_no, period, parsed, label):
            return
        if not row_ok:
            if kind is None:  # a total cannot be checked against lines that failed
                self.sub.failed = self.grand.failed = True
            return
        if kind is not None:
            self._check_total(row_no, values, kind, parsed, units_of)
            return
        if period is None and self.spec.per_period:  # reported once per sheet, in `run`; not if it was refused
            self.no_period.append(self.table.ref("period", row_no) if "period" in self.cols else self.whole_row(row_no))
            return
        if self._line_checks_pass(row_no, values, parsed, units_of):
            self._keep(row_no, period, parsed)
            self.lines.step_gbp.append(max((UNIT_STEP_GBP[u] for u in units_of.values()), default=Decimal(1)))

    def _formulas_without_values(self, row_no: int) -> set[str]:
        """Columns of this row holding a formula Excel never calculated (no saved value to read)."""
        if not self.table.formula_cells:
            return set()
        return {
            c.key
            for c in self.spec.columns
            if c.key in self.cols and self.table.ref(c.key, row_no).split("!")[1] in self.table.formula_cells
        }

    def _label(self, values: tuple[Any, ...]) -> str | None:
        key = self.spec.label_key
        return parse_text(self.cell(values, key)) if key and not is_blank(self.cell(values, key)) else None

    def _is_example(self, row_no: int, label: str) -> bool:
        """The template's example rows are refused (a council that kept them would load invented figures)."""
        if not normalise_header(label).startswith("example"):
            return False
        where = self.table.ref(self.spec.label_key or "", row_no)
        self.problems.append(Problem(where, "is an example row from the template: delete the row", label))
        return True

    def _units_and_period(self, row_no: int, values: tuple[Any, ...]) -> tuple[str | None, int | None] | None:
        """The row's own units and its period (the workbook's unless it has a Period column); None if refused."""
        row_units = None
        if "units" in self.cols and not is_blank(self.cell(values, "units")):
            row_units = parse_units(self.cell(values, "units"))
            if row_units is None:
                where = self.table.ref("units", row_no)
                self.problems.append(Problem(where, UNITS_FORMAT, str(self.cell(values, "units"))))
                return None
        period = self.wb_period if self.spec.per_period else None
        if self.spec.per_period and "period" in self.cols and not is_blank(self.cell(values, "period")):
            period = parse_period(self.cell(values, "period"))
            if period is None:
                where = self.table.ref("period", row_no)
                self.problems.append(Problem(where, PERIOD_FORMAT, str(self.cell(values, "period"))))
                return None
        return row_units, period

    def _note_year_and_authority(self, row_no: int, values: tuple[Any, ...]) -> None:
        """Collect a Year or Authority a row states (two different ones in a workbook are refused later)."""
        for key in ("year", "authority"):
            if key not in self.cols or is_blank(self.cell(values, key)):
                continue
            raw_value, where = self.cell(values, key), self.table.ref(key, row_no)
            if key == "authority":
                self.authorities.setdefault(normalise_header(raw_value), FieldValue(raw_value, where))
                continue
            text = str(raw_value).strip()
            try:
                self.years.setdefault(parse_financial_year(text), where)
            except InputError as err:
                wrong = f"Financial year {year_problem(err, 'must be written like 2025-26')}"
                self.problems.append(Problem(where, wrong, text))

    def _parse_cells(
        self, row_no: int, values: tuple[Any, ...], row_units: str | None, kind: str | None, missing_formula: set[str]
    ) -> tuple[dict[str, Any], dict[str, str], bool]:
        """Every cell of the row typed (money in £): the values, each money cell's unit, and whether all passed."""
        row_ok = True
        parsed: dict[str, Any] = {}
        units_of: dict[str, str] = {}
        for column in self.spec.columns:
            value = self.cell(values, column.key)
            where = self.table.ref(column.key, row_no) if column.key in self.cols else self.whole_row(row_no)
            if column.key in missing_formula:
                no_value = "is a formula with no saved value: open the file in Excel, let it calculate, and save it"
                self.problems.append(Problem(where, no_value))
                row_ok = False
                continue
            if column.key not in self.cols or is_blank(value):
                if column.required and kind is None:
                    self.problems.append(Problem(where, f"{column.label} is required"))
                    row_ok = False
                parsed[column.key] = None
                continue
            unit = None
            if column.kind == "money":
                unit = self._unit(column.key, row_units)
                if unit is None:
                    row_ok = False
                    continue
                units_of[column.key] = unit
            if column.kind == "year" and kind is not None:  # "Total" where a year belongs: a totals row
                parsed[column.key] = None
                continue
            parsed[column.key], message = _parse_value(column, value, unit)
            if message is not None:
                shown = str(value)
                self.problems.append(Problem(where, message, shown if len(shown) <= 60 else shown[:40] + "…"))
                row_ok = False
        return parsed, units_of, row_ok

    def _unit(self, key: str, row_units: str | None) -> str | None:
        """A money cell's unit: its header's, the row's, the sheet's, its title's or the workbook's (said once)."""
        table = self.table
        unit = table.column_units.get(key) or row_units or self.sheet_unit or table.title_units or self.wb_units
        if unit is None and not self.units_missing_reported:
            message = "Units are not stated: give £, £000 or £m on the Instructions sheet or in the headers"
            self.problems.append(Problem(f"{table.title}!{table.header_row}:{table.header_row}", message))
            self.units_missing_reported = True
        return unit

    def _is_duplicate(self, row_no: int, period: int, parsed: dict[str, Any], label: str | None) -> bool:
        """A second line with the same key in the same period is refused, naming the row that had it first."""
        spec = self.spec
        dup = (period, *duplicate_key(*(parsed.get(k) for k in spec.key)))
        if dup not in self.seen:
            self.seen[dup] = row_no
            return False
        what = " / ".join(str(parsed.get(k) or "(blank)") for k in spec.key) or spec.name
        self.problems.append(
            Problem(
                self.table.ref(spec.key[0], row_no) if spec.key else self.whole_row(row_no),
                f"duplicate line: {what} for {period_label(period, month=False)} is already on row {self.seen[dup]}",
                label or "",
            )
        )
        return True

    def _check_total(
        self, row_no: int, values: tuple[Any, ...], kind: str, parsed: dict[str, Any], units_of: dict[str, str]
    ) -> None:
        """A total row must equal the lines it adds up, within rounding; then the running sums start again."""
        running = self.grand if kind == "grand" else self.sub
        for key in self.spec.money_keys:
            stated = parsed.get(key)
            if stated is None or running.failed:
                continue
            step = UNIT_STEP_GBP[units_of[key]]
            if abs(stated - running.sums[key]) > (running.lines + 1) * HALF * step:
                self.problems.append(
                    Problem(
                        self.table.ref(key, row_no),
                        f"the total does not reconcile: the {running.lines} line(s) above add up to "
                        f"£{running.sums[key]:,.2f}, the total says £{stated:,.2f}",
                        str(self.cell(values, key)),
                    )
                )
        self.lines.totals_checked += 1
        self.sub = _Running(self._zeros())
        if kind == "grand":
            self.grand = _Running(self._zeros())
            self.after_total = True

    def _line_checks_pass(
        self, row_no: int, values: tuple[Any, ...], parsed: dict[str, Any], units_of: dict[str, str]
    ) -> bool:
        """The sheet's own arithmetic on one line (a stated variance is forecast − budget…), within rounding."""
        ok = True
        for check in self.spec.checks:
            stated = parsed.get(check.total)
            parts = (*check.plus, *check.minus)
            given = [k for k in parts if parsed.get(k) is not None]
            if stated is None or (len(given) < len(parts) and not check.blank_is_zero):
                continue
            part = {k: Decimal(0) if parsed.get(k) is None else parsed[k] for k in parts}
            expected = sum((part[k] for k in check.plus), Decimal(0)) - sum((part[k] for k in check.minus), Decimal(0))
            step = max(UNIT_STEP_GBP[units_of[k]] for k in (check.total, *given))
            if abs(stated - expected) > 3 * HALF * step:
                self.problems.append(
                    Problem(
                        self.table.ref(check.total, row_no),
                        f"{check.message} (£{expected:,.2f}), within rounding",
                        str(self.cell(values, check.total)),
                    )
                )
                ok = False
        return ok

    def _keep(self, row_no: int, period: int | None, parsed: dict[str, Any]) -> None:
        """Add a line that passed: to the running sums, and to the sheet's columns."""
        for k in self.spec.money_keys:
            if parsed.get(k) is not None:
                self.sub.sums[k] += parsed[k]
                self.grand.sums[k] += parsed[k]
        self.sub.lines += 1
        self.grand.lines += 1
        self.after_total = False
        self.out["period"].append(period)
        self.out["sheet_row"].append(row_no)
        for column in self.spec.columns:
            self.out[column.key].append(parsed.get(column.key))
