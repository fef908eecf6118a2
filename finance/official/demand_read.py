"""Reading the official demand files as published: DfE children looked after (CSV), DfE EHC plans (the release's
underlying-data .zip) and MHCLG H-CLIC temporary accommodation (table TA1 of the detailed local authority
workbook). Pure: no database.

Why recognised by content: users drop files into the official folder under any name, as they do the RS/RA
returns. `demand_kind(path)` says which of the three a file is by its columns, zip entries or sheet, without
reading its rows; a file that is recognisably one of them but whose columns are not where this reader expects is
refused naming the file and sheet, never guessed at. Markers ('c', 'x', 'z', '..') stay missing, never zero.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from finance.errors import InputError, Problem
from finance.official.demand_model import (
    AUTHORITY_CODE_RE,
    DATASET_CLA,
    DATASET_EHC,
    DATASET_TA,
    ENGLAND,
    DemandValue,
    ParsedDemand,
    parse_number,
)
from finance.store import sha256_file

CLA_COLUMNS = ("time_period", "geographic_level", "new_la_code", "la_name", "population_type", "children_count",
               "rate_per_10000")  # fmt: skip
CLA_POPULATION = "Children looked after on 31 March each year"
EHC_ENTRIES = {
    "data/caseload.csv": ("ehcplans",),
    "data/newplans.csv": ("new_ehc_plans",),
    "data/timeliness_20_week.csv": ("pc_plans_issued_within_20_weeks",),
}
_EHC_COMMON = ("time_period", "geographic_level", "new_la_code", "la_name", "breakdown_topic", "breakdown")
_MAX_ENTRY_BYTES = 200_000_000  # the 2025 release's largest CSV is 6.4 MB; a bigger entry is not this release
TA_SHEET = "TA1"
_TA_TITLE_RE = re.compile(r"table\s+ta1\b", re.IGNORECASE)
_DATE_RE = re.compile(r"(\d{1,2})\s+(March|June|September|December)\s+(\d{4})", re.IGNORECASE)
_QUARTER_END = {"march": (3, 31), "june": (6, 30), "september": (9, 30), "december": (12, 31)}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
#: SEN2 became a person-level collection in January 2023 (DfE data guidance): earlier points are the aggregate
#: return, and a trend never joins the two.
_SEN2_PERSON_LEVEL_FROM = 2023


def demand_kind(path: Path) -> str | None:
    """The dataset a file is by its content (`DATASET_CLA`, `DATASET_EHC`, `DATASET_TA`), or None. Reads only
    the header line, the zip directory or the sheet names."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("rb") as f:
                head = f.read(4096).decode("utf-8-sig", errors="replace").splitlines()
            columns = {c.strip() for c in head[0].split(",")} if head else set()
            return DATASET_CLA if {"population_type", "children_count", "rate_per_10000"} <= columns else None
        if suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                return DATASET_EHC if "data/caseload.csv" in z.namelist() else None
        if suffix == ".ods":  # calamine parses a whole .ods to list its sheets: look for the names in the XML
            return DATASET_TA if _ods_has_sheets(path, (TA_SHEET, "TA2")) else None
        if suffix in (".xlsx", ".xls"):
            names = CalamineWorkbook.from_path(str(path)).sheet_names
            return DATASET_TA if TA_SHEET in names and "TA2" in names else None
    except (OSError, zipfile.BadZipFile, UnicodeError):
        return None
    except Exception:  # calamine raises its own error types for damaged workbooks: not a demand file then
        return None
    return None


def _ods_has_sheets(path: Path, names: tuple[str, ...]) -> bool:
    """Whether an .ods names all these sheets, read by streaming its content.xml (never parsed whole)."""
    wanted = {f'table:name="{n}"'.encode() for n in names}
    keep = max(len(w) for w in wanted)
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        tail = b""
        while wanted and (chunk := f.read(1 << 20)):
            buf = tail + chunk
            wanted = {w for w in wanted if w not in buf}
            tail = buf[-keep:]
    return not wanted


def read_demand(path: Path) -> ParsedDemand:
    """Read one demand file (of the dataset `demand_kind` names). `InputError` naming the file, sheet or entry
    when it is not in the published layout or a cell is neither a number nor a publisher's marker."""
    path = Path(path)
    kind = demand_kind(path)
    if kind == DATASET_CLA:
        values = _read_cla(path)
    elif kind == DATASET_EHC:
        values = _read_ehc(path)
    elif kind == DATASET_TA:
        values = _read_ta(path)
    else:
        raise InputError.single(path.name, "not a children looked after, EHC plans or H-CLIC TA1 file")
    if not values:
        raise InputError.single(path.name, f"is a {kind} file but holds no authority rows")
    return ParsedDemand(path.name, sha256_file(path), kind, tuple(values))


# -- children looked after --------------------------------------------------------------------------------------


def _read_cla(path: Path) -> list[DemandValue]:
    rows = _csv_rows(path.read_bytes(), path.name)
    where = path.name
    _require_columns(rows[0] if rows else [], CLA_COLUMNS, where)
    col = {name: i for i, name in enumerate(rows[0])}
    values: list[DemandValue] = []
    problems: list[Problem] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) < len(rows[0]) or row[col["population_type"]] != CLA_POPULATION:
            continue
        code, name = _geography(row, col)
        if code is None:
            continue
        year = row[col["time_period"]].strip()
        if not re.fullmatch(r"\d{4}", year):
            problems.append(Problem(f"{where} row {n}", "time_period is not a year", year))
            continue
        end = date(int(year), 3, 31)
        label = f"31 March {year}"
        for metric, column in (("cla_count", "children_count"), ("cla_per_10k", "rate_per_10000")):
            cell = f"{where} row {n} column {column}"
            values.extend(_value(code, name, metric, end, label, "SSDA903 return", row[col[column]], cell, problems))
    if problems:
        raise InputError(problems, summary=f"{where} is not a usable children looked after file; nothing was imported")
    return values


# -- EHC plans ----------------------------------------------------------------------------------------------------


def _read_ehc(path: Path) -> list[DemandValue]:
    where = path.name
    values: list[DemandValue] = []
    problems: list[Problem] = []
    with zipfile.ZipFile(path) as z:
        infos = {i.filename: i for i in z.infolist()}
        for entry in EHC_ENTRIES:
            info = infos.get(entry)
            if info is None:
                raise InputError.single(f"{where} entry {entry}", "missing from the EHC plans release zip")
            if info.file_size > _MAX_ENTRY_BYTES:
                raise InputError.single(f"{where} entry {entry}", "is far larger than any published release's")
        for entry, (column,) in EHC_ENTRIES.items():
            rows = _csv_rows(z.read(entry), f"{where} entry {entry}")
            values.extend(_ehc_entry(rows, entry, column, f"{where} entry {entry}", problems))
    if problems:
        raise InputError(problems, summary=f"{where} is not a usable EHC plans release; nothing was imported")
    return values


def _ehc_entry(
    rows: list[list[str]], entry: str, column: str, where: str, problems: list[Problem]
) -> list[DemandValue]:
    _require_columns(rows[0] if rows else [], (*_EHC_COMMON, column), where)
    col = {name: i for i, name in enumerate(rows[0])}
    topic = {"data/caseload.csv": "All EHC plans", "data/newplans.csv": "New EHC plans"}.get(
        entry, "All EHC plans issued"
    )
    metric = {"data/caseload.csv": "ehc_plans", "data/newplans.csv": "ehc_new_plans"}.get(
        entry, "ehc_within_20_weeks_pct"
    )
    out: list[DemandValue] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) < len(rows[0]) or row[col["breakdown_topic"]] != topic or row[col["breakdown"]] != topic:
            continue
        code, name = _geography(row, col)
        if code is None:
            continue
        period = row[col["time_period"]].strip()
        if metric == "ehc_plans" and re.fullmatch(r"\d{6}", period):
            year = int(period[:4]) + 1  # 202425 = the caseload in January 2025
            end, label = date(year, 1, 31), f"January {year}"
            collection_year = year
        elif metric != "ehc_plans" and re.fullmatch(r"\d{4}", period):
            year = int(period)
            end, label = date(year, 12, 31), f"calendar year {year}"
            collection_year = year + 1  # activity in a calendar year is returned the following January
        else:
            problems.append(Problem(f"{where} row {n}", "time_period is not in the published form", period))
            continue
        definition = (
            "SEN2 person-level return" if collection_year >= _SEN2_PERSON_LEVEL_FROM else "SEN2 aggregate return"
        )
        out.extend(_value(code, name, metric, end, label, definition, row[col[column]], f"{where} row {n}", problems))
    return out


# -- temporary accommodation (H-CLIC TA1) ---------------------------------------------------------------------------


def _read_ta(path: Path) -> list[DemandValue]:
    where = f"{path.name} sheet '{TA_SHEET}'"
    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(TA_SHEET).to_python(skip_empty_area=False)
    except Exception as err:  # calamine's own error types
        raise InputError.single(where, f"cannot be read ({type(err).__name__})") from err
    title = str(rows[0][0]) if rows and rows[0] else ""
    m = _DATE_RE.search(title)
    if not _TA_TITLE_RE.search(title) or m is None:
        raise InputError.single(
            f"{where} cell A1", "expected the title 'Table TA1 … England, <quarter end date>'", title[:80]
        )
    month, day = _QUARTER_END[m.group(2).lower()]
    if int(m.group(1)) != day:
        raise InputError.single(f"{where} cell A1", "the date in the title is not a quarter end", m.group(0))
    end = date(int(m.group(3)), month, day)
    label = f"{day} {_MONTHS[month - 1]} {end.year}"
    england = next((i for i, r in enumerate(rows[:40]) if r and str(r[0]).strip() == ENGLAND), None)
    if england is None:
        raise InputError.single(where, f"no England row (code {ENGLAND} in column A) below the headers")
    count_col, rate_col = _ta_columns(rows[1:england])
    if count_col is None or rate_col is None:
        raise InputError.single(
            where,
            "unknown layout: expected header columns 'Total number of households in TA' and 'Total number of "
            "households in TA per (000s)' above the England row",
        )
    values: list[DemandValue] = []
    problems: list[Problem] = []
    for n, row in enumerate(rows[england:], start=england + 1):
        code = str(row[0]).strip() if row else ""
        if code != ENGLAND and not AUTHORITY_CODE_RE.match(code):
            continue
        name = "England" if code == ENGLAND else str(row[1]).strip()
        for metric, c in (("ta_households", count_col), ("ta_per_1000", rate_col)):
            cell = f"{where} cell {_column_letter(c)}{n}"
            values.extend(_value(code, name, metric, end, label, "H-CLIC return", row[c], cell, problems))
    if problems:
        raise InputError(problems, summary=f"{where} is not a usable H-CLIC TA1 table; nothing was imported")
    return values


def _ta_columns(header_rows: Sequence[Sequence[object]]) -> tuple[int | None, int | None]:
    """(households in TA, per 1,000 households) columns, found by the lowest header row's wording."""
    count_col = rate_col = None
    for row in header_rows:
        for i, cell in enumerate(row):
            text = re.sub(r"\s+", " ", str(cell)).strip().lower()
            if text.startswith("total number of households in ta per"):
                rate_col = i
            elif re.fullmatch(r"total number of households in ta[0-9,]*", text):
                count_col = i
    return count_col, rate_col


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# -- shared ---------------------------------------------------------------------------------------------------------


def _csv_rows(data: bytes, where: str) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise InputError.single(where, "is not a text CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise InputError.single(where, f"is not a readable CSV file ({err})") from err


def _require_columns(header: Sequence[str], wanted: Iterable[str], where: str) -> None:
    missing = [c for c in wanted if c not in header]
    if missing:
        raise InputError.single(where, f"unknown layout: missing column(s) {', '.join(missing)}")


def _geography(row: Sequence[str], col: dict[str, int]) -> tuple[str | None, str]:
    """(code, name) of an England or local authority row; (None, '') for regions and anything else."""
    level = row[col["geographic_level"]].strip()
    if level == "National":
        return ENGLAND, "England"
    code = row[col["new_la_code"]].strip()
    if level == "Local authority" and AUTHORITY_CODE_RE.match(code):
        return code, row[col["la_name"]].strip()
    return None, ""


def _value(
    code: str,
    name: str,
    metric: str,
    end: date,
    label: str,
    definition: str,
    cell: object,
    where: str,
    problems: list[Problem],
) -> list[DemandValue]:
    parsed = parse_number(cell)
    if parsed is None or (parsed[0] is not None and (not math.isfinite(parsed[0]) or parsed[0] < 0)):
        problems.append(
            Problem(where, "not a number, a negative number or a published marker (c, x, z, ..)", str(cell))
        )
        return []
    value, text = parsed
    if value is None and text is None:
        return []
    return [DemandValue(code, name, metric, end, label, definition, value, text)]
