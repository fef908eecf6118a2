"""Reader for the one-sheet layout: RS 2015-16 on (.xlsx, .ods) and the RA data CSV.

Here each reserve column says its own date ("… level at 1 April"), so one header row identifies every measure.
RA returns have no NET REVENUE EXPENDITURE line; it is derived as REVENUE EXPENDITURE (line 900) plus
specific and special grants inside AEF (line 904), and the derivation is written into `source_label`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from finance.errors import Problem
from finance.official.labels import GRANTS_INSIDE_AEF_RE, match_label
from finance.official.lines import FormLine, find_line, line_numbers
from finance.official.model import (
    ReturnAuthority,
    ReturnValue,
    ServiceValue,
    clean_text,
    gbp_from_thousands,
    norm_label,
)
from finance.official.services import row_service_values, service_columns
from finance.official.table import Sheet, authority_columns, cell, read_authorities

Columns = dict[tuple[str, str], tuple[int, str]]


def has_dated_reserve_labels(header: Sequence[object]) -> bool:
    """True when this header row itself names reserve levels at 1 April / 31 March (the one-sheet layout)."""
    for label in header:
        m = match_label(label)
        if m is not None and m.point in ("opening", "closing"):
            return True
    return False


def measure_columns(header: Sequence[object]) -> Columns:
    """(measure, point) → (column, published label); the first column matching each wins."""
    found: Columns = {}
    for i, label in enumerate(header):
        m = match_label(label)
        if m is None or m.point is None:
            continue
        found.setdefault((m.measure, m.point), (i, clean_text(label)))
    return found


def _line_number(sheet: Sheet, header_row: int, col: int) -> str:
    """The form line number printed above a header label (RA/RS files carry one), or ''."""
    if header_row == 0:
        return ""
    text = clean_text(cell(sheet.rows[header_row - 1], col))
    return text if text.isdigit() else ""


def parse_wide(
    sheet: Sheet, header_row: int, where: str, lines: tuple[FormLine, ...] = ()
) -> tuple[list[ReturnAuthority], list[ReturnValue], list[ServiceValue], list[Problem]]:
    """Read the authority table; `lines` are the form lines (finance.official.lines) this return carries."""
    header = sheet.rows[header_row]
    cols, problems = authority_columns(header, where)
    if cols is None:
        return [], [], [], problems
    found = measure_columns(header)
    numbers = line_numbers(sheet.rows, header_row)
    for spec in lines:
        located = find_line(header, numbers, spec)
        if located is not None:
            found.setdefault((spec.measure, "year"), located)
    services = service_columns(header)
    derive: tuple[int, int, str] | None = None
    if ("net_revenue_expenditure", "year") not in found and ("revenue_expenditure", "year") in found:
        grant_cols = [i for i, label in enumerate(header) if GRANTS_INSIDE_AEF_RE.match(norm_label(label))]
        if grant_cols:
            rev_col, rev_label = found[("revenue_expenditure", "year")]
            grant_col = grant_cols[0]
            rev_line = _line_number(sheet, header_row, rev_col) or "900"
            grant_line = _line_number(sheet, header_row, grant_col) or "904"
            grant_label = clean_text(header[grant_col])
            label = f"DERIVED: {rev_label} (line {rev_line}) + {grant_label} (line {grant_line})"
            derive = (rev_col, grant_col, label)
    rows, row_problems = read_authorities(sheet, header_row, cols, where)
    problems.extend(row_problems)
    values: list[ReturnValue] = []
    service_values: list[ServiceValue] = []
    for row, auth in rows:
        service_values.extend(row_service_values(auth.ecode, row, services))
        for (measure, point), (col, label) in found.items():
            value, text = gbp_from_thousands(cell(row, col))
            if value is None and text is None:
                continue  # a blank cell: nothing was published for this line
            values.append(ReturnValue(auth.ecode, measure, point, value, text, label))
        if derive is not None:
            values.extend(_derived_nre(auth.ecode, row, derive))
    return [a for _, a in rows], values, service_values, problems


def _derived_nre(ecode: str, row: Sequence[object], derive: tuple[int, int, str]) -> list[ReturnValue]:
    rev_col, grant_col, label = derive
    rev, rev_text = gbp_from_thousands(cell(row, rev_col))
    grant, grant_text = gbp_from_thousands(cell(row, grant_col))
    if rev is not None and grant is not None:
        total: Decimal = rev + grant
        return [ReturnValue(ecode, "net_revenue_expenditure", "year", total, None, label)]
    text = rev_text or grant_text
    if text is None:
        return []
    return [ReturnValue(ecode, "net_revenue_expenditure", "year", None, text, label)]
