"""Read a monitoring workbook as councils really write it: find the sheets, the header rows and the data rows.

The reader only locates things; it converts nothing. It returns, for each recognised sheet, the header row it
found, which column holds which field (and any unit the header states), and the raw rows below it with their Excel
row numbers, so that the validator can name every problem by cell (`Revenue!D14`). Values, and formulas' cached
values, are read by calamine, with the error cells the extent scan found laid back over them; a second,
formula-mode pass (openpyxl) runs only when the file holds formulas, to tell "formula with no saved value" from
"empty".
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from finance.errors import InputError, Problem
from finance.workbook.extent import measure, measure_exactly, refusals, shared_string_lengths, sheet_parts
from finance.workbook.safety import Limits, scan_worksheets
from finance.workbook.schema import (
    FIELD_LABELS,
    INSTRUCTIONS_NAMES,
    SHEETS,
    SheetSpec,
    normalise_header,
    units_in,
)

HEADER_SEARCH_ROWS = 30
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class FieldValue:
    """A workbook-level field (authority, year, period, units) as found, with the cell it came from."""

    value: Any
    where: str


@dataclass
class SheetTable:
    """One recognised sheet: where its header is, which column is which, and the rows below the header."""

    spec: SheetSpec
    title: str
    header_row: int
    columns: dict[str, int]  # field key -> 0-based column index; includes 'period'/'units'/... when present
    column_units: dict[str, str]  # field key -> unit stated in its header
    title_units: str | None  # unit stated in a title row above the header
    rows: list[tuple[int, tuple[Any, ...]]]  # (Excel row number, the row's values)
    formula_cells: set[str] = field(default_factory=set)  # refs ("D14") of formulas with no cached value

    def ref(self, key: str, row: int) -> str:
        return f"{self.title}!{get_column_letter(self.columns[key] + 1)}{row}"


@dataclass
class RawWorkbook:
    file_name: str
    fields: dict[str, FieldValue]
    sheets: list[SheetTable]
    # problems of sheets that could not be read (a missing column), reported with every cell problem of the others
    problems: list[Problem] = field(default_factory=list)


def cell_ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col + 1)}{row}"


def _match_sheets(title: str) -> list[SheetSpec]:
    """Every sheet spec `title` may name, in `SHEETS` order (one name can be two series' words)."""
    name = normalise_header(title)
    return [s for s in SHEETS if name in {normalise_header(s.name), *(normalise_header(x) for x in s.synonyms)}]


def _match_sheet(title: str) -> SheetSpec | None:
    found = _match_sheets(title)
    return found[0] if found else None


def _locate(
    title: str, rows: list[tuple[int, tuple[Any, ...]]]
) -> tuple[SheetSpec, int, dict[str, int], dict[str, str], list[Problem]]:
    """The spec whose header the sheet carries, when its name fits more than one ("Capital programme" was the
    current-year Capital sheet's name before the multi-year programme had a sheet): the first whose header is
    found; when none is, the problems of the one the name names exactly (else the first)."""
    specs = _match_sheets(title)
    tried = []
    for spec in specs:
        index, columns, units, found = find_header(spec, title, rows)
        if index >= 0 and not found:
            return spec, index, columns, units, found
        tried.append((spec, index, columns, units, found))
    exact = [t for t in tried if normalise_header(t[0].name) == normalise_header(title)]
    return (exact or tried)[0]


def _is_instructions(title: str) -> bool:
    return normalise_header(title) in INSTRUCTIONS_NAMES


def _field_of(text: Any) -> str | None:
    if not isinstance(text, str) or len(text) > 60:
        return None
    name = normalise_header(re.sub(r"\(.*?\)", " ", text))
    return next((key for key, labels in FIELD_LABELS.items() if name in labels), None)


def read_fields(title: str, rows: Iterable[tuple[int, tuple[Any, ...]]]) -> dict[str, FieldValue]:
    """Workbook fields from an instructions sheet: a label cell ("Authority") and its value in one of the next two
    cells to the right (two, so a label merged over two cells still works; hints further right are not values)."""
    found: dict[str, FieldValue] = {}
    for row_no, values in rows:
        taken = -1  # a cell read as a field's value is never also a label ("Period: Authority" states no authority)
        for col, value in enumerate(values):
            key = _field_of(value) if col > taken else None
            if key is None or key in found:
                continue
            for col2 in range(col + 1, min(col + 3, len(values))):
                if values[col2] is not None and str(values[col2]).strip():
                    found[key] = FieldValue(values[col2], cell_ref(title, row_no, col2))
                    taken = col2
                    break
            else:
                found[key] = FieldValue(None, cell_ref(title, row_no, col + 1))
    return found


def _header_map(spec: SheetSpec) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in ("period", "authority", "year", "units"):
        for label in FIELD_LABELS[key]:
            names[label] = key
    for column in spec.columns:
        for name in column.header_names():
            names[name] = column.key
    return names


def find_header(
    spec: SheetSpec, title: str, rows: list[tuple[int, tuple[Any, ...]]]
) -> tuple[int, dict[str, int], dict[str, str], list[Problem]]:
    """The header row (index into `rows`), its column map, units per column, and problems (ambiguous/missing)."""
    names = _header_map(spec)
    required = [c.key for c in spec.columns if c.required]
    spec_keys = {c.key for c in spec.columns}
    best_index, best_keys = -1, set[str]()
    for index, (row_no, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched: dict[str, list[int]] = {}
        for col, value in enumerate(values):
            if isinstance(value, str):
                key = names.get(normalise_header(value))
                if key is not None:
                    matched.setdefault(key, []).append(col)
        hits = spec_keys & matched.keys()
        if len(hits) > len(best_keys):
            best_index, best_keys = index, hits
        if all(k in matched for k in required):
            problems: list[Problem] = []
            columns: dict[str, int] = {}
            units: dict[str, str] = {}
            for key, cols in matched.items():
                if len(cols) > 1:
                    exact = [c for c in cols if normalise_header(values[c]) == normalise_header(_label(spec, key))]
                    if len(exact) != 1:
                        letters = ", ".join(get_column_letter(c + 1) for c in cols)
                        problems.append(
                            Problem(
                                cell_ref(title, row_no, cols[1]),
                                f"columns {letters} could all be '{_label(spec, key)}': rename all but one",
                                str(values[cols[1]]),
                            )
                        )
                        continue
                    cols = exact
                columns[key] = cols[0]
                unit = units_in(values[cols[0]])
                if unit:
                    units[key] = unit
            return index, columns, units, problems
    expected = ", ".join(_label(spec, k) for k in required)
    if best_index < 0:
        where = f"{title}!A1"
        message = f"no header row found in the first {HEADER_SEARCH_ROWS} rows: expected columns {expected}"
    else:
        row_no = rows[best_index][0]
        missing = ", ".join(_label(spec, k) for k in required if k not in best_keys)
        where = f"{title}!{row_no}:{row_no}"
        message = f"the header row lacks required column(s): {missing}"
    return -1, {}, {}, [Problem(where, message)]


def _label(spec: SheetSpec, key: str) -> str:
    if key in {c.key for c in spec.columns}:
        return spec.column(key).label
    return key.capitalize()


def _title_units(rows: list[tuple[int, tuple[Any, ...]]], header_index: int) -> str | None:
    for _, values in rows[:header_index]:
        for value in values:
            if isinstance(value, str) and (unit := units_in(value)):
                return unit
    return None


ValueSheet = tuple[str, bool, Callable[[int], Iterable[tuple[int, tuple[Any, ...]]]]]
# zipfile raises NotImplementedError for an unknown compression method and RuntimeError for a member flagged as
# encrypted: in a file that passed the safety check, both mean damaged bytes (found by tests/test_fuzz_monitoring).
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)
_READ_ERRORS = (*_ZIP_DAMAGE, KeyError, TypeError, CalamineError)


ErrorCells = dict[str, dict[tuple[int, int], str]]  # sheet title -> (row, 1-based column) -> "#REF!"


@contextmanager
def _value_sheets(data: bytes, errors: ErrorCells) -> Iterator[list[ValueSheet]]:
    """(title, visible, rows(limit)) for every worksheet, with cached formula values.

    calamine (Rust) reads values about 20 times faster than openpyxl, which is what makes a 50,000-line sheet
    practical. It blanks error cells, so the ones the extent scan found in the XML (`errors`, with their text:
    `#REF!` and friends) are laid back over its rows for the validator to report, as openpyxl would show them.
    """
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        yield [
            (m.name, m.visible == SheetVisibleEnum.Visible, partial(_calamine_rows, book, m.name, errors.get(m.name)))
            for m in book.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet
        ]
    finally:
        book.close()


def _calamine_rows(
    book: CalamineWorkbook, title: str, errors: dict[tuple[int, int], str] | None, limit: int
) -> Iterable[tuple[int, tuple[Any, ...]]]:
    sheet = book.get_sheet_by_name(title)
    if sheet.height > limit:  # refuse before materialising a huge sheet
        yield from ((n, ("",)) for n in range(1, limit + 2))
        return
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in (errors or {}).items():
        by_row.setdefault(row, []).append((col, text))
    for row_no, values in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        if row_no in by_row:
            cells = list(values)
            for col, text in by_row.pop(row_no):
                cells.extend([""] * (col - len(cells)))
                cells[col - 1] = text
            values = cells
        if any(v != "" for v in values):
            yield row_no, tuple(None if v == "" else v for v in values)
    for row_no in sorted(r for r in by_row if r <= limit):  # rows below calamine's last (an error cell ends them)
        last = max(col for col, _ in by_row[row_no])
        trailing: list[str | None] = [None] * last
        for col, text in by_row[row_no]:
            trailing[col - 1] = text
        yield row_no, tuple(trailing)


def read_workbook(data: bytes, file_name: str, limits: Limits, progress: Progress | None = None) -> RawWorkbook:
    """Locate the monitoring sheets of a checked .xlsx (see `safety.check_upload`); raise `InputError` if none."""
    where = PurePath(file_name).name or "upload"
    try:
        has_formulas, _ = scan_worksheets(data)
        errors = _refuse_oversized_sheets(data, where, limits)
    except _ZIP_DAMAGE as err:  # a damaged sheet's data
        message = "is corrupt: a sheet could not be read (re-save it in Excel)"
        raise InputError.single(where, message, str(err)) from None
    problems: list[Problem] = []
    fields: dict[str, FieldValue] = {}
    tables: list[SheetTable] = []
    seen: dict[str, str] = {}
    try:
        with _value_sheets(data, errors) as sheets:
            visible = [s for s in sheets if s[1]]
            hidden = [title for title, shown, _ in sheets if not shown and _match_sheet(title)]
            for n, (title, _, rows_of) in enumerate(visible):
                if progress:
                    progress(0.05 + 0.5 * n / max(len(visible), 1), f"Reading sheet {title}")
                if _is_instructions(title):
                    fields = read_fields(title, rows_of(200))
                    continue
                if _match_sheet(title) is None:
                    continue
                rows = list(rows_of(limits.max_rows_per_sheet + HEADER_SEARCH_ROWS))
                if len(rows) > limits.max_rows_per_sheet + HEADER_SEARCH_ROWS - 1:
                    problems.append(Problem(title, f"has more than {limits.max_rows_per_sheet:,} rows"))
                    continue
                spec, index, columns, units, found = _locate(title, rows)
                if spec.name in seen:
                    problems.append(
                        Problem(f"{title}!A1", f"a second {spec.name} sheet (the first is '{seen[spec.name]}')")
                    )
                    continue
                seen[spec.name] = title
                problems.extend(found)
                if index < 0:
                    continue
                tables.append(
                    SheetTable(
                        spec, title, rows[index][0], columns, units, _title_units(rows, index), rows[index + 1 :]
                    )
                )
    except _READ_ERRORS as err:
        raise InputError.single(where, "is corrupt: it could not be read (re-save it in Excel)", str(err)) from None
    if not tables and not problems and hidden:
        for title in hidden:
            message = "is hidden, and hidden sheets are not read: unhide it in Excel (right-click a sheet tab, Unhide)"
            problems.append(Problem(title, message))
    elif not tables and not problems:
        names = ", ".join(s.name for s in SHEETS)
        problems.append(Problem(where, f"has no monitoring sheet: name at least one sheet {names}"))
    if problems and not tables:
        raise InputError(problems)
    if has_formulas:
        _mark_formulas_without_values(data, tables)
    return RawWorkbook(where, fields, tables, problems)


def _refuse_oversized_sheets(data: bytes, where: str, limits: Limits) -> ErrorCells:
    """Raise `InputError` if a sheet the reader will open reaches beyond `limits` (see `extent`), naming the sheet
    and the cell, before calamine or openpyxl builds anything; else the error cells of each sheet measured. Hidden
    sheets with a monitoring name are measured too: visibility is the reader's business, memory is this check's."""
    problems: list[Problem] = []
    errors: ErrorCells = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        shared = shared_string_lengths(zf, limits.max_shared_strings)
        if isinstance(shared, Problem):
            raise InputError.single(where, shared.message)
        names = set(zf.namelist())
        for sheet in sheet_parts(zf):
            if sheet.part in names and (_is_instructions(sheet.title) or _match_sheet(sheet.title)):
                extent = measure(zf, sheet.title, sheet.part, shared)
                found = refusals(extent, limits, HEADER_SEARCH_ROWS)
                if found and extent.empty_cells:  # it may be formatting, not values, that reaches too far
                    extent = measure_exactly(zf, sheet.title, sheet.part, shared)
                    found = refusals(extent, limits, HEADER_SEARCH_ROWS)
                problems.extend(found)
                if extent.errors:
                    errors[sheet.title] = extent.errors
    if problems:
        raise InputError(problems)
    return errors


def _mark_formulas_without_values(data: bytes, tables: list[SheetTable]) -> None:
    """Record, per table, the cells holding a formula whose cached value is missing (never calculated/saved)."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for table in tables:
            cached = dict(table.rows)
            sheet = wb[table.title]
            sheet.reset_dimensions()
            for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if row_no <= table.header_row:
                    continue
                before = cached.get(row_no, ())
                for col, value in enumerate(values):
                    is_formula = (isinstance(value, str) and value.startswith("=")) or (
                        value is not None
                        and not isinstance(value, str | int | float | bool)
                        and type(value).__name__ in ("ArrayFormula", "DataTableFormula")
                    )
                    if is_formula and (col >= len(before) or before[col] is None):
                        table.formula_cells.add(f"{get_column_letter(col + 1)}{row_no}")
                        if row_no not in cached:
                            cached[row_no] = (None,) * len(values)
                            table.rows.append((row_no, cached[row_no]))
            table.rows.sort(key=lambda r: r[0])
    finally:
        wb.close()
