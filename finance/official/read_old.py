"""Reader for the RS layout of 2010-11 to 2014-15 (.xls): one return spread over several 'LA Data' sheets.

In these workbooks the reserve columns are just "Unallocated financial reserves level"; the date is in a
section heading in the row above ("Financial reserves levels at 1 April 2010"), and the sheets differ in it:
"… (1)" holds the year's flows and the levels at 1 April, "… (2)" the levels at 31 March. Reading the date
from the heading (and checking it against the financial year) is what keeps opening and closing apart.
"""

from __future__ import annotations

from finance.errors import Problem
from finance.official.labels import SECTION_RE, match_label
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
from finance.years import start_year

Columns = dict[tuple[str, str], tuple[int, str]]


def has_reserve_sections(sheet: Sheet, header_row: int) -> bool:
    """True when the row above the header carries a dated 'financial reserves levels at …' heading."""
    if header_row == 0:
        return False
    return any(SECTION_RE.search(norm_label(c)) for c in sheet.rows[header_row - 1])


def _sheet_columns(sheet: Sheet, header_row: int, financial_year: str, problems: list[Problem]) -> Columns:
    header = sheet.rows[header_row]
    above = sheet.rows[header_row - 1] if header_row > 0 else []
    found: Columns = {}
    section_text = ""
    section_point: str | None = None
    for i, label in enumerate(header):
        heading = clean_text(cell(above, i))
        if heading:
            section_text = heading
            m = SECTION_RE.search(norm_label(heading))
            section_point = None
            if m is not None:
                section_point = "opening" if m.group("when") == "1 april" else "closing"
                expected = start_year(financial_year) + (0 if section_point == "opening" else 1)
                if m.group("year") and int(m.group("year")) != expected:
                    problems.append(
                        Problem(
                            f"{sheet.name}!row {header_row}",
                            f"reserves heading is dated {m.group('year')}, expected {expected} for {financial_year}",
                            heading,
                        )
                    )
        match = match_label(label)
        if match is None:
            continue
        if match.point == "year":
            found.setdefault((match.measure, "year"), (i, f"[{sheet.name}] {clean_text(label)}"))
        elif match.point is None and section_point is not None:
            found.setdefault((match.measure, section_point), (i, f"[{sheet.name}] {section_text}: {clean_text(label)}"))
    return found


def parse_old(
    sheets: list[tuple[Sheet, int]], financial_year: str, where: str, lines: tuple[FormLine, ...] = ()
) -> tuple[list[ReturnAuthority], list[ReturnValue], list[ServiceValue], list[Problem]]:
    """Read one return from its 'LA Data' sheets, in workbook order; the first sheet giving a measure wins.

    `lines` are the form lines (finance.official.lines) read as flows for the year: in these files sheet (1)
    holds the year's flows, the later sheets repeat its labels with other columns of the form. Service lines
    (net current expenditure) are read from the first sheet only, where they are published."""
    problems: list[Problem] = []
    authorities: dict[str, ReturnAuthority] = {}
    seen: set[tuple[str, str]] = set()
    values: list[ReturnValue] = []
    service_values: list[ServiceValue] = []
    for index, (sheet, header_row) in enumerate(sheets):
        cols, col_problems = authority_columns(sheet.rows[header_row], f"{where} sheet '{sheet.name}'")
        if cols is None:
            problems.extend(col_problems)
            continue
        columns = _sheet_columns(sheet, header_row, financial_year, problems)
        numbers = line_numbers(sheet.rows, header_row)
        for line in lines:
            located = find_line(sheet.rows[header_row], numbers, line)
            if located is not None:
                columns.setdefault((line.measure, "year"), (located[0], f"[{sheet.name}] {located[1]}"))
        found = {key: spec for key, spec in columns.items() if key not in seen}
        seen.update(found)
        services = service_columns(sheet.rows[header_row]) if index == 0 else {}
        rows, row_problems = read_authorities(sheet, header_row, cols, f"{where} sheet '{sheet.name}'")
        problems.extend(row_problems)
        for row, auth in rows:
            authorities.setdefault(auth.ecode, auth)
            service_values.extend(row_service_values(auth.ecode, row, services, f"[{sheet.name}] "))
            for (measure, point), (col, label) in found.items():
                value, text = gbp_from_thousands(cell(row, col))
                if value is None and text is None:
                    continue
                values.append(ReturnValue(auth.ecode, measure, point, value, text, label))
    return list(authorities.values()), values, service_values, problems
