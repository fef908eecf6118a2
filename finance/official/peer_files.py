"""Reading the published statistical-neighbour files, recognised by their content, to `ParsedPeerFile`.

Three files make the NN and SN peer groups (see `finance.peergroups`):
- ONS "Clustering similar local authorities and statistical nearest neighbours" (.xlsx): the sheet titled "Global
  statistical nearest neighbours" (table 7a), one row per UK authority with `Neighbour n: code` / `name`, n=1..20;
- DfE children's services statistical neighbours (CSV, wide): `old_la_code`, `la_name`, `SN_1`…`SN_10` (DfE LA
  numbers) with the closeness band `SN_nP`;
- the DfE LA lookup (CSV): `la_code` (ONS), `old_la_code` (DfE number), `la_name`, `region_name`.

Columns are found by their labels, never by position. A file that is recognisably one of these (by its title or
header) in a layout that cannot be read is refused naming the file and sheet or cell; a file that is none of them
raises `InputError` (a folder import then reports it as skipped).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from finance.errors import InputError, Problem
from finance.official.reader import SPREADSHEET_SUFFIXES, UnreadableReturnError
from finance.peergroups import LOOKUP_DATASET, MODEL_DATASETS
from finance.store import sha256_file

NN_NEIGHBOURS = 20
SN_NEIGHBOURS = 10
_ONS_RE = re.compile(r"[EWSN]\d{8}")
_DFE_RE = re.compile(r"\d{3}")
_NN_TITLE = "global statistical nearest neighbours"
_RELEASED_RE = re.compile(r"released[^0-9]*?(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


class UnreadablePeerFileError(UnreadableReturnError):
    """A statistical-neighbour file (by its title or header) in a layout Headroom cannot read: never skipped."""

    title = "A statistical-neighbour file in a layout Headroom cannot read"


@dataclass(frozen=True)
class Neighbour:
    authority_key: str  # ONS code (NN) or DfE LA number (SN)
    authority_name: str
    rank: int
    neighbour_key: str
    neighbour_name: str | None
    closeness: str | None


@dataclass(frozen=True)
class LookupRow:
    dfe_la_code: str
    ons_code: str
    name: str
    region_name: str | None


@dataclass(frozen=True)
class ParsedPeerFile:
    """One neighbour file as read: `model` 'NN' or 'SN' with `neighbours`, or 'lookup' with `lookup`."""

    file_name: str
    sha256: str
    model: str
    dataset: str
    publisher_note: str | None
    neighbours: tuple[Neighbour, ...] = ()
    lookup: tuple[LookupRow, ...] = ()

    @property
    def authorities(self) -> int:
        return len({n.authority_key for n in self.neighbours}) if self.neighbours else len(self.lookup)

    @property
    def rows(self) -> int:
        return len(self.neighbours) or len(self.lookup)


def read_peer_file(path: Path) -> ParsedPeerFile:
    """Read one statistical-neighbour file. `InputError` when it is none of them, `UnreadablePeerFileError`
    (naming the file, sheet or cell) when it is one in a layout that cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_ons(path)
    raise InputError.single(path.name, "not a statistical-neighbour file (.xlsx or .csv)")


# -- ONS nearest neighbours ----------------------------------------------------------------------------------------


def _read_ons(path: Path) -> ParsedPeerFile:
    where = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
        heads = {n: book.get_sheet_by_name(n).to_python(nrows=6) for n in book.sheet_names}
    except Exception as err:  # calamine raises its own error types for every kind of damage
        raise InputError.single(where, f"cannot be read as a {path.suffix.lower()} spreadsheet") from err
    titles = {n: " ".join(str(c) for row in rows[:3] for c in row[:2]).lower() for n, rows in heads.items()}
    if not any("statistical nearest neighbours" in t for t in titles.values()):
        raise InputError.single(where, "not a statistical nearest neighbours workbook")
    named = [n for n, t in titles.items() if _NN_TITLE in t]
    if not named:
        raise UnreadablePeerFileError(
            Problem(where, f"an ONS nearest neighbours workbook with no sheet titled '{_NN_TITLE}' (table 7a)"),
            summary=f"{where}: the global nearest-neighbour table was not found; nothing was imported",
        )
    name = named[0]
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    neighbours, problems = _ons_rows(rows, f"{where} sheet '{name}'")
    if problems:
        raise UnreadablePeerFileError(problems, summary=f"{where} sheet '{name}' cannot be read; nothing was imported")
    released = _release_date(book, heads)
    note = f"global model, released {released}" if released else "global model, release date not stated"
    return ParsedPeerFile(where, sha256_file(path), "NN", MODEL_DATASETS["NN"], note, tuple(neighbours))


def _label(cell: object) -> str:
    return " ".join(str(cell).split()).lower()


def _ons_rows(rows: Sequence[Sequence[object]], where: str) -> tuple[list[Neighbour], list[Problem]]:
    header = next((i for i, r in enumerate(rows[:20]) if r and _label(r[0]) == "local authority code"), None)
    if header is None:
        return [], [Problem(where, "no header row starting 'Local Authority Code' in the first 20 rows")]
    labels = {_label(c): j for j, c in enumerate(rows[header])}
    wanted = ["local authority name"] + [
        f"neighbour {n}: {part}" for n in range(1, NN_NEIGHBOURS + 1) for part in ("code", "name")
    ]
    missing = [w for w in wanted if w not in labels]
    if missing:
        return [], [Problem(f"{where} row {header + 1}", f"missing column(s): {', '.join(missing[:5])}")]
    out: list[Neighbour] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, row in enumerate(rows[header + 1 :], start=header + 2):
        code = str(row[0]).strip() if row else ""
        if not code:
            continue
        if not _ONS_RE.fullmatch(code) or code in seen:
            problems.append(Problem(f"{where} A{i}", "not an ONS code, or given twice", code))
            continue
        seen.add(code)
        name = str(row[labels["local authority name"]]).strip()
        for n in range(1, NN_NEIGHBOURS + 1):
            col = labels[f"neighbour {n}: code"]
            other = str(row[col]).strip() if col < len(row) else ""
            if not _ONS_RE.fullmatch(other):
                problems.append(Problem(f"{where} {_column(col)}{i}", f"neighbour {n} is not an ONS code", other))
                continue
            other_name = str(row[labels[f"neighbour {n}: name"]]).strip() or None
            out.append(Neighbour(code, name, n, other, other_name, None))
    if not out and not problems:
        problems.append(Problem(where, "no authorities below the header"))
    return out, problems


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _release_date(book: CalamineWorkbook, heads: Mapping[str, object]) -> str | None:
    """The release date the workbook's contents page states ('14 February 2025'), or None."""
    for name in heads:
        if "contents" not in name.lower():
            continue
        for row in book.get_sheet_by_name(name).to_python(nrows=12):
            for cell in row:
                m = _RELEASED_RE.search(str(cell))
                if m and 1 <= int(m.group(2)) <= 12:
                    return f"{int(m.group(1))} {_MONTHS[int(m.group(2)) - 1]} {m.group(3)}"
    return None


# -- DfE statistical neighbours and the LA lookup ------------------------------------------------------------------


def _read_csv(path: Path) -> ParsedPeerFile:
    where = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    if "old_la_code" not in header:
        raise InputError.single(where, "not a DfE statistical-neighbour or LA lookup file (no 'old_la_code' column)")
    cols = {c: j for j, c in enumerate(header)}
    body = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    if any(c.startswith("sn_") for c in header):
        return _sn(path, cols, body)
    if "la_code" in cols:
        return _lookup(path, cols, body)
    # other DfE files carry old_la_code too (their own readers know them): not a neighbour file
    raise InputError.single(where, "not a DfE statistical-neighbour or LA lookup file (no SN_1… or la_code column)")


def _cell(row: list[str], col: int) -> str:
    return row[col].strip() if col < len(row) else ""


def _sn(path: Path, cols: dict[str, int], body: list[tuple[int, list[str]]]) -> ParsedPeerFile:
    where = path.name
    wanted = ["old_la_code", "la_name", *(f"sn_{n}" for n in range(1, SN_NEIGHBOURS + 1))]
    missing = [w for w in wanted if w not in cols]
    if missing:
        raise UnreadablePeerFileError(
            Problem(f"{where} row 1", f"missing column(s): {', '.join(missing)}"),
            summary=f"{where}: a DfE statistical-neighbour file in a layout Headroom cannot read; nothing was imported",
        )
    out: list[Neighbour] = []
    problems: list[Problem] = []
    for i, row in body:
        code = _cell(row, cols["old_la_code"])
        if not _DFE_RE.fullmatch(code):
            problems.append(Problem(f"{where} {_column(cols['old_la_code'])}{i}", "not a DfE LA number", code))
            continue
        for n in range(1, SN_NEIGHBOURS + 1):
            col = cols[f"sn_{n}"]
            other = _cell(row, col)
            if not _DFE_RE.fullmatch(other):
                problems.append(Problem(f"{where} {_column(col)}{i}", f"SN_{n} is not a DfE LA number", other))
                continue
            band = _cell(row, cols[f"sn_{n}p"]) if f"sn_{n}p" in cols else ""
            out.append(Neighbour(code, _cell(row, cols["la_name"]), n, other, None, band or None))
    if not out and not problems:
        problems.append(Problem(where, "no authorities below the header"))
    if problems:
        raise UnreadablePeerFileError(problems, summary=f"{where} cannot be read; nothing was imported")
    year = re.search(r"(20\d\d)", path.stem)
    note = f"{year.group(1)} model" if year else "model year not stated"
    return ParsedPeerFile(where, sha256_file(path), "SN", MODEL_DATASETS["SN"], note, tuple(out))


def _lookup(path: Path, cols: dict[str, int], body: list[tuple[int, list[str]]]) -> ParsedPeerFile:
    where = path.name
    if "la_name" not in cols:
        raise UnreadablePeerFileError(
            Problem(f"{where} row 1", "missing column: la_name"),
            summary=f"{where} is a DfE LA lookup in a layout Headroom cannot read; nothing was imported",
        )
    out: list[LookupRow] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    region = cols.get("region_name")
    for i, row in body:
        number, ons = _cell(row, cols["old_la_code"]), _cell(row, cols["la_code"])
        if not _DFE_RE.fullmatch(number) or number in seen:
            where_cell = f"{where} {_column(cols['old_la_code'])}{i}"
            problems.append(Problem(where_cell, "not a DfE LA number, or given twice", number))
            continue
        if not _ONS_RE.fullmatch(ons):
            problems.append(Problem(f"{where} {_column(cols['la_code'])}{i}", "not an ONS code", ons))
            continue
        seen.add(number)
        out.append(LookupRow(number, ons, _cell(row, cols["la_name"]), None if region is None else _cell(row, region)))
    if not out and not problems:
        problems.append(Problem(where, "no authorities below the header"))
    if problems:
        raise UnreadablePeerFileError(problems, summary=f"{where} cannot be read; nothing was imported")
    return ParsedPeerFile(where, sha256_file(path), "lookup", LOOKUP_DATASET, None, lookup=tuple(out))
