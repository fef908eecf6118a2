"""`read_return(path)`: one official RS/RA file, as published, to a `ParsedReturn` — no database involved.

Opens .xls/.xlsx/.ods with python-calamine and .csv with the csv module, finds the authority table by its
'E-code' header, picks the layout (one sheet with dated labels, or the 2010-15 sheets with dated section
headings), and takes the financial year and dataset from the file's own titles and sheet names, falling back
to the file name. Anything that is not a recognisable return raises `InputError` naming the file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from python_calamine import CalamineWorkbook

from finance.errors import InputError, Problem
from finance.official.labels import REQUIRED, REQUIRED_TEXT
from finance.official.lines import lines_for
from finance.official.model import RA_BUDGET, RS_OUTTURN, ParsedReturn, clean_text
from finance.official.read_old import has_reserve_sections, parse_old
from finance.official.read_wide import has_dated_reserve_labels, parse_wide
from finance.official.table import Sheet, find_header
from finance.store import sha256_file

SPREADSHEET_SUFFIXES = frozenset({".xls", ".xlsx", ".ods"})
RECOGNISED_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}

_DATA_SHEET_RE = re.compile(r"la[ _-]?data", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})\s*[-–/_]\s*(\d{2})(?!\d)")


def read_return(path: Path) -> ParsedReturn:
    """Parse one official return file. Raises `InputError` (naming the file) if it is not one."""
    path = Path(path)
    where = path.name
    if not path.is_file():
        raise InputError.single(where, "file not found")
    suffix = path.suffix.lower()
    if suffix not in RECOGNISED_SUFFIXES:
        raise InputError.single(where, "not a recognised official return format (.xls, .xlsx, .ods or .csv)")
    sheets = _read_csv(path) if suffix == ".csv" else _read_workbook(path)

    located = [(s, h) for s in sheets if (h := find_header(s)) is not None]
    if not located:
        raise InputError.single(where, "no authority table: no header row with an 'E-code' column")
    year, dataset, basis = _identify(path, [s for s, _ in located])

    wide = [(s, h) for s, h in located if has_dated_reserve_labels(s.rows[h])]
    old = [(s, h) for s, h in located if has_reserve_sections(s, h)]
    lines = lines_for(dataset)
    if wide:
        sheet, header_row = wide[0]
        authorities, values, problems = parse_wide(sheet, header_row, f"{where} sheet '{sheet.name}'", lines)
    elif old:
        authorities, values, problems = parse_old(old, year, where, lines)
    else:
        raise InputError.single(
            where, "no reserve-level columns ('… financial reserves level at 1 April / 31 March') found"
        )
    present = {(v.measure, v.point) for v in values}
    problems.extend(
        Problem(where, f"missing required column: {REQUIRED_TEXT[key]}") for key in REQUIRED if key not in present
    )
    if problems:
        raise InputError(problems, summary=f"{where} is not a usable {dataset} return")
    return ParsedReturn(
        file_name=path.name,
        sha256=sha256_file(path),
        financial_year=year,
        dataset=dataset,
        basis=basis,
        authorities=tuple(authorities),
        values=tuple(values),
        publisher_note=_publisher_note(located[0][0], located[0][1]),
        measures=tuple(sorted({v.measure for v in values})),
    )


def _read_workbook(path: Path) -> list[Sheet]:
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        wanted = [n for n in names if _DATA_SHEET_RE.search(n)] or names
        return [Sheet(n, book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wanted]
    except Exception as err:  # calamine raises its own error types for every kind of damage
        raise InputError.single(
            path.name, f"cannot be read as a {path.suffix.lower()} spreadsheet ({type(err).__name__})"
        ) from err


def _read_csv(path: Path) -> list[Sheet]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError.single(path.name, "is not a text CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise InputError.single(path.name, "is not a readable text CSV file")
    try:
        rows: list[list[str]] = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise InputError.single(path.name, f"is not a readable CSV file ({err})") from err
    return [Sheet(path.stem, rows)]


def _identify(path: Path, sheets: list[Sheet]) -> tuple[str, str, str]:
    """Financial year and (dataset, basis) from the titles above the header and the sheet names, else the
    file name."""
    texts: list[str] = []
    for sheet in sheets:
        header_row = find_header(sheet) or 0
        texts.extend(clean_text(c) for row in sheet.rows[:header_row] for c in row[:3] if clean_text(c))
        texts.append(sheet.name)
    year = _first_year(texts) or _first_year([path.stem])
    if year is None:
        raise InputError.single(path.name, "cannot tell which financial year this return is for")
    joined = " ".join(texts).lower()
    name = path.name.lower()
    if "revenue account budget" in joined or "(ra)" in joined:
        dataset = RA_BUDGET
    elif "revenue outturn" in joined or "(rs)" in joined or "(ro)" in joined:
        dataset = RS_OUTTURN
    elif name.startswith("ra_"):
        dataset = RA_BUDGET
    elif name.startswith(("rs_", "revenue_outturn")):
        dataset = RS_OUTTURN
    else:
        raise InputError.single(path.name, "cannot tell whether this is an RS outturn or RA budget return")
    return year, dataset[0], dataset[1]


def _first_year(texts: list[str]) -> str | None:
    for text in texts:
        for m in _YEAR_RE.finditer(text):
            start, end = int(m.group(1)), int(m.group(2))
            if 1990 <= start <= 2100 and (start + 1) % 100 == end:
                return f"{start}-{end:02d}"
    return None


def _publisher_note(sheet: Sheet, header_row: int) -> str | None:
    """The return's own title and 'Last updated' line, as the publisher wrote them."""
    lines = [clean_text(row[0]) for row in sheet.rows[:header_row] if row and clean_text(row[0])]
    keep = [t for t in lines if re.search(r"revenue|last updated|source:", t, re.IGNORECASE)]
    return " | ".join(keep[:3]) or None
