"""Reader for the 2024-25 layout family (RS, RSX, RO1–RO6): one label row "Service - Measure (Cn)" and the
publisher's asset codes (`RSX-asc-net-cur-exp`) in a hidden last row.

Why codes first: the label row is prose ("Children's social care - Children Looked After of which residential
care - Net Current Expenditure (C7 = C3 - C6)", RO labels with colons and en dashes) while the codes are the
publisher's own stable keys. A file whose hidden row was lost (saved through another tool) is still read, from
the labels, matching the measure from the end of each label. Where a column has both and they disagree, the
file is refused rather than guessed at. Cells such as `[x]` (return not received), `[c]` or `..` are held as not
published, never as zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from finance.errors import Problem
from finance.official.labels import match_label
from finance.official.model import (
    ReturnAuthority,
    ReturnValue,
    ServiceValue,
    clean_text,
    gbp_from_thousands,
    norm_label,
)
from finance.official.services import (
    KEPT_MEASURES,
    MEASURE_BY_CODE_SUFFIX,
    service_from_code_part,
    service_from_label,
    service_from_name,
    split_measure_label,
)
from finance.official.table import Sheet, authority_columns, cell, read_authorities

ASSET_CODE_RE = re.compile(r"^(?P<ret>RSX|RS|RA|RO[1-6])-(?P<rest>[A-Za-z0-9][A-Za-z0-9-]*)$")
_CODE_ROW_SCAN = 5  # the code row is the last row with content; look this far up past trailing blanks

#: RS asset codes (as in the 2023-24 coded header rows) for the reserve levels and the year's totals.
RS_CODE_MEASURES: dict[str, tuple[str, str]] = {
    "RS-resunall-start-cy": ("unallocated_reserves", "opening"),
    "RS-resunall-end-cy": ("unallocated_reserves", "closing"),
    "RS-resoth-start-cy": ("earmarked_reserves", "opening"),
    "RS-resoth-end-cy": ("earmarked_reserves", "closing"),
    "RS-resoth-adj-start-cy": ("earmarked_reserves_adjusted", "opening"),
    "RS-resoth-adj-end-cy": ("earmarked_reserves_adjusted", "closing"),
    "RS-ressch-start-cy": ("schools_reserves", "opening"),
    "RS-ressch-end-cy": ("schools_reserves", "closing"),
    "RS-resdsgadj-start-cy": ("dsg_adjustment_account", "opening"),
    "RS-resdsgadj-end-cy": ("dsg_adjustment_account", "closing"),
    "RS-resdsg-start-cy": ("dsg_reserves", "opening"),
    "RS-resdsg-end-cy": ("dsg_reserves", "closing"),
    "RS-resph-start-cy": ("public_health_reserves", "opening"),
    "RS-resph-end-cy": ("public_health_reserves", "closing"),
    "RS-netrevexp-net-exp": ("net_revenue_expenditure", "year"),
    "RS-revenuetot-net-exp": ("revenue_expenditure", "year"),
    "RS-ctrtot-net-exp": ("council_tax_requirement", "year"),
    "RS-intextpay-net-exp": ("interest_payable", "year"),  # RS line 781
}
_RS_SERVICE_SUFFIXES = ("-net-cur-exp", "-net-exp")


@dataclass(frozen=True)
class Column:
    """What one data column holds: an official measure (RS reserves/flows) or a service line."""

    col: int
    label: str
    code: str | None
    measure: tuple[str, str] | None = None  # (measure, point) for official_value
    line: str | None = None  # service key, or an RO line label
    line_measure: str | None = None  # 'net_current_expenditure', …


def code_row(sheet: Sheet, header_row: int) -> int | None:
    """Index of the hidden row of asset codes (the last rows of the sheet), or None when it is absent."""
    seen = 0
    for i in range(len(sheet.rows) - 1, header_row, -1):
        texts = [clean_text(c) for c in sheet.rows[i] if clean_text(c)]
        if not texts:
            continue
        if sum(1 for t in texts if ASSET_CODE_RE.match(t)) * 2 > len(texts):
            return i
        seen += 1
        if seen >= _CODE_ROW_SCAN:
            return None
    return None


def is_coded_layout(sheet: Sheet, header_row: int) -> bool:
    """True for the 2024-25 family: a code row below the table, or "Service - Measure (Cn)" labels."""
    if code_row(sheet, header_row) is not None:
        return True
    return any(split_measure_label(label) is not None for label in sheet.rows[header_row])


def return_code_of(sheet: Sheet, header_row: int) -> str | None:
    """The return the asset codes name ('RSX', 'RO3', 'RS' …), when the code row is there."""
    row = code_row(sheet, header_row)
    if row is None:
        return None
    counts: dict[str, int] = {}
    for c in sheet.rows[row]:
        m = ASSET_CODE_RE.match(clean_text(c))
        if m is not None:
            counts[m.group("ret")] = counts.get(m.group("ret"), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _from_code(code: str, return_code: str) -> tuple[tuple[str, str] | None, str | None, str | None]:
    """(official measure, service line, line measure) an asset code names; line is None for RO returns (their
    line is the label's service part)."""
    if return_code == "RS" and code in RS_CODE_MEASURES:
        return RS_CODE_MEASURES[code], None, None
    m = ASSET_CODE_RE.match(code)
    if m is None:
        return None, None, None
    rest = m.group("rest")
    if return_code == "RS":
        for suffix in _RS_SERVICE_SUFFIXES:
            if rest.endswith(suffix) and (key := service_from_code_part(rest[: -len(suffix)])) is not None:
                return None, key, "net_current_expenditure"
        return None, None, None
    for suffix, (measure, _name) in sorted(MEASURE_BY_CODE_SUFFIX.items(), key=lambda kv: -len(kv[0])):
        if rest.endswith("-" + suffix):
            part = rest[: -len(suffix) - 1]
            key = service_from_code_part(part) if return_code == "RSX" else None
            return None, key, measure
    return None, None, None


def _from_label(label: object, return_code: str) -> tuple[tuple[str, str] | None, str | None, str | None]:
    """(official measure, service line, line measure) a column label names."""
    split = split_measure_label(label)
    if split is not None:
        name, measure = split
        if return_code in ("RSX", "RS"):
            return None, service_from_name(name), measure
        return None, norm_label(name), measure
    if return_code == "RS":
        match = match_label(label)
        if match is not None and match.point is not None:
            return (match.measure, match.point), None, None
        key = service_from_label(label)
        if key is not None:
            return None, key, "net_current_expenditure"
    return None, None, None


def classify_columns(
    sheet: Sheet, header_row: int, first_data_col: int, return_code: str, where: str
) -> tuple[list[Column], list[Problem]]:
    """Every data column Headroom reads, by asset code where the code row is there, else by label."""
    header = sheet.rows[header_row]
    codes_at = code_row(sheet, header_row)
    codes = sheet.rows[codes_at] if codes_at is not None else []
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[tuple[object, ...], int] = {}
    for col in range(first_data_col, max(len(header), len(codes))):
        label = clean_text(cell(header, col))
        code = clean_text(cell(codes, col)) or None
        by_label = _from_label(label, return_code) if label else (None, None, None)
        if code is not None and ASSET_CODE_RE.match(code):
            by_code = _from_code(code, return_code)
            if return_code not in ("RSX", "RS") and by_code[2] is not None:
                # an RO line is named by its label; a column with no label keeps the code's service part
                by_code = (None, by_label[1] or _service_part(code), by_code[2])
            if _disagree(by_code, by_label):
                problems.append(
                    Problem(
                        f"{where} column {_col_name(col)}",
                        f"the column label and the asset code below the table disagree ({code})",
                        label,
                    )
                )
                continue
            measure, line, line_measure = by_code
            if measure is None and line is None and by_label != (None, None, None):
                measure, line, line_measure = by_label
        else:
            measure, line, line_measure = by_label
        if measure is None and (line is None or line_measure not in KEPT_MEASURES):
            continue
        key: tuple[object, ...] = ("m", *measure) if measure is not None else ("s", line, line_measure)
        if key in seen:
            continue  # the first column giving a measure wins, as in every other layout
        seen[key] = col
        columns.append(Column(col, label or (code or ""), code, measure, line, line_measure))
    return columns, problems


def _service_part(code: str) -> str:
    """'RO3-csclkd-net-cur-exp' -> 'csclkd'."""
    rest = code.split("-", 1)[1]
    for suffix in sorted(MEASURE_BY_CODE_SUFFIX, key=len, reverse=True):
        if rest.endswith("-" + suffix):
            return rest[: -len(suffix) - 1]
    return rest


def _disagree(
    by_code: tuple[tuple[str, str] | None, str | None, str | None],
    by_label: tuple[tuple[str, str] | None, str | None, str | None],
) -> bool:
    """True when a label Headroom understands says something other than its asset code."""
    if by_label == (None, None, None) or by_code == (None, None, None):
        return False
    if by_code[0] is not None or by_label[0] is not None:
        return by_code[0] != by_label[0]
    return by_code[2] != by_label[2] or (
        by_code[1] is not None and by_label[1] is not None and by_code[1] != by_label[1]
    )


def _col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def first_data_column(header: Sequence[object]) -> int:
    """The column after the last identifying one (E-code … Certification)."""
    ident = {"e-code", "ons code", "local authority", "notes", "class", "detailed class", "certification", "region"}
    last = 0
    for i, label in enumerate(header):
        if norm_label(label) in ident:
            last = i
    return last + 1


def parse_coded(
    sheet: Sheet, header_row: int, return_code: str, where: str
) -> tuple[list[ReturnAuthority], list[ReturnValue], list[ServiceValue], list[Problem]]:
    """Read one data sheet of the 2024-25 family."""
    header = sheet.rows[header_row]
    cols, problems = authority_columns(header, where)
    if cols is None:
        return [], [], [], problems
    columns, col_problems = classify_columns(sheet, header_row, first_data_column(header), return_code, where)
    problems.extend(col_problems)
    codes_at = code_row(sheet, header_row)
    body = Sheet(sheet.name, sheet.rows[:codes_at] if codes_at is not None else sheet.rows)
    rows, row_problems = read_authorities(body, header_row, cols, where)
    problems.extend(row_problems)
    values: list[ReturnValue] = []
    services: list[ServiceValue] = []
    for row, auth in rows:
        for c in columns:
            value, text = gbp_from_thousands(cell(row, c.col))
            if value is None and text is None:
                continue
            if c.measure is not None:
                values.append(ReturnValue(auth.ecode, c.measure[0], c.measure[1], value, text, c.label))
            elif c.line is not None and c.line_measure is not None:
                services.append(ServiceValue(auth.ecode, c.line, c.line_measure, value, text, c.label, c.code))
    return [a for _, a in rows], values, services, problems
