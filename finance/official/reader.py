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
from finance.official.model import (
    RA_BUDGET,
    ParsedReturn,
    ReturnAuthority,
    ReturnValue,
    ServiceValue,
    clean_text,
    outturn_dataset,
)
from finance.official.read_coded import is_coded_layout, parse_coded, return_code_of
from finance.official.read_old import has_reserve_sections, parse_old
from finance.official.read_wide import has_dated_reserve_labels, parse_wide
from finance.official.table import Sheet, find_header
from finance.store import sha256_file

SPREADSHEET_SUFFIXES = frozenset({".xls", ".xlsx", ".ods"})
RECOGNISED_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}

_DATA_SHEET_RE = re.compile(r"la[ _-]?data", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})\s*[-–/_]\s*(\d{2})(?!\d)")


class UnreadableReturnError(InputError):
    """A file that is recognisably an official return (by its name or sheet names) in a layout Headroom cannot
    read. Unlike a file that is not a return at all, it is never skipped: the import fails, naming it."""

    title = "An official return in a layout Headroom cannot read"


def read_return(path: Path) -> ParsedReturn:
    """Parse one official return file. Raises `InputError` (naming the file) if it is not one, and
    `UnreadableReturnError` if it is one (by name or sheet names) whose layout cannot be read."""
    path = Path(path)
    where = path.name
    if not path.is_file():
        raise InputError.single(where, "file not found")
    suffix = path.suffix.lower()
    if suffix not in RECOGNISED_SUFFIXES:
        raise InputError.single(where, "not a recognised official return format (.xls, .xlsx, .ods or .csv)")
    sheets = _read_csv(path) if suffix == ".csv" else _read_workbook(path)
    recognised = _recognised_return(path, sheets)

    located = [(s, h) for s in sheets if (h := find_header(s)) is not None]
    if not located:
        if recognised is not None:
            names = ", ".join(f"'{s.name}'" for s in sheets)
            raise UnreadableReturnError(
                Problem(
                    f"{where} sheet {names}",
                    f"looks like an {recognised} return but has no authority table: expected a header row with "
                    "'E-code', 'Local authority' and 'Class' columns",
                ),
                summary=f"{where} is an {recognised} return in a layout Headroom cannot read; nothing was imported",
            )
        raise InputError.single(where, "no authority table: no header row with an 'E-code' column")
    coded = [(s, h) for s, h in located if is_coded_layout(s, h)]
    year, return_code = _identify(path, [s for s, _ in located], coded)
    dataset, basis = RA_BUDGET if return_code == "RA" else outturn_dataset(return_code)
    layout, authorities, values, services, problems = _parse(where, year, return_code, located, coded)
    if return_code == "RA":
        services = []  # RA publishes budget detail lines under group headings, not the RS service lines
    if return_code in ("RS", "RA"):
        present = {(v.measure, v.point) for v in values}
        problems.extend(
            Problem(where, f"missing required column: {REQUIRED_TEXT[key]}") for key in REQUIRED if key not in present
        )
    elif not services and layout != "unknown":
        sheet = (coded or located)[0][0]
        problems.append(
            Problem(
                f"{where} sheet '{sheet.name}'",
                f"no net current expenditure columns: expected labels '<service> - Net Current Expenditure (C7 = "
                f"C3 - C6)' or asset codes like {return_code}-…-net-cur-exp in the last row",
            )
        )
    if problems:
        error = UnreadableReturnError if layout == "unknown" else InputError
        raise error(problems, summary=f"{where} is not a usable {dataset} return; nothing was imported")
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
        service_values=tuple(services),
        layout=layout,
    )


Parsed = tuple[str, list[ReturnAuthority], list[ReturnValue], list[ServiceValue], list[Problem]]


def _parse(
    where: str, year: str, return_code: str, located: list[tuple[Sheet, int]], coded: list[tuple[Sheet, int]]
) -> Parsed:
    """(layout, authorities, values, service values, problems) by the layout the sheets are in."""
    if coded:
        sheet, header_row = coded[0]
        return ("2024-25 coded", *parse_coded(sheet, header_row, return_code, f"{where} sheet '{sheet.name}'"))
    wide = [(s, h) for s, h in located if has_dated_reserve_labels(s.rows[h])]
    old = [(s, h) for s, h in located if has_reserve_sections(s, h)]
    dataset = RA_BUDGET[0] if return_code == "RA" else outturn_dataset(return_code)[0]
    lines = lines_for(dataset)
    if return_code in ("RS", "RA") and wide:
        sheet, header_row = wide[0]
        return ("one sheet", *parse_wide(sheet, header_row, f"{where} sheet '{sheet.name}'", lines))
    if return_code in ("RS", "RA") and old:
        return ("2010-15 sheets", *parse_old(old, year, where, lines))
    sheet = located[0][0]
    expected = (
        "reserve-level columns ('… financial reserves level at 1 April / 31 March')"
        if return_code in ("RS", "RA")
        else "column labels '<service> - <measure> (Cn)' or a last row of asset codes like "
        f"{return_code}-asc-net-cur-exp (the 2024-25 layout)"
    )
    message = f"{return_code} return in an unknown layout: expected {expected}"
    problem = Problem(f"{where} sheet '{sheet.name}'", message)
    return "unknown", [], [], [], [problem]


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


_RETURN_IN_TITLE_RE = re.compile(r"\((RSX|RS|RA|RO[1-6])\)")
_RETURN_IN_NAME_RE = re.compile(r"^(RSX|RS|RA|RO[1-6])[ _-]", re.IGNORECASE)


def _recognised_return(path: Path, sheets: list[Sheet]) -> str | None:
    """The return a file names itself as, by its sheet names or file name ('RS', 'RSX', 'RO3' …), or None."""
    for name in [s.name for s in sheets] + [path.name]:
        m = _RETURN_IN_NAME_RE.match(name)
        if m is not None:
            return m.group(1).upper()
    if path.name.lower().startswith("revenue_outturn"):
        return "RS"
    return None


def _identify(path: Path, sheets: list[Sheet], coded: list[tuple[Sheet, int]]) -> tuple[str, str]:
    """Financial year and return code ('RS', 'RA', 'RSX', 'RO3' …) from the asset codes, the titles above the
    header and the sheet names, else the file name."""
    texts: list[str] = []
    for sheet in sheets:
        header_row = find_header(sheet) or 0
        texts.extend(clean_text(c) for row in sheet.rows[:header_row] for c in row[:3] if clean_text(c))
        texts.append(sheet.name)
    year = _first_year(texts) or _first_year([path.stem])
    if year is None:
        raise InputError.single(path.name, "cannot tell which financial year this return is for")
    joined = " ".join(texts)
    lower = joined.lower()
    from_codes = return_code_of(*coded[0]) if coded else None
    in_title = [m.group(1) for m in _RETURN_IN_TITLE_RE.finditer(joined)]
    if from_codes is not None:
        return year, from_codes
    if "revenue account budget" in lower or "RA" in in_title:
        return year, "RA"
    for code in in_title:
        if code != "RS":
            return year, code
    if "RS" in in_title or "revenue outturn" in lower or "(ro)" in lower:
        recognised = _recognised_return(path, sheets)
        return year, recognised if recognised is not None and recognised != "RA" else "RS"
    recognised = _recognised_return(path, sheets)
    if recognised is not None:
        return year, recognised
    raise InputError.single(path.name, "cannot tell whether this is an RS, RSX or RO outturn or an RA budget return")


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
