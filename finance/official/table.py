"""The parts every RS/RA layout shares: a sheet as rows, its 'E-code' header row, and the authority rows.

Every layout since 2010 has one header row starting the authority table with an 'E-code' column, then
'ONS Code' (2014-15 on), 'Local authority', 'Class' and, from 2023-24, 'Certification'. Finding those by label
(not by position) is what lets one importer read fourteen years of differently laid-out files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from finance.errors import Problem
from finance.format import authority_name
from finance.official.model import CLASS_MAP, ECODE_RE, ONS_RE, ReturnAuthority, clean_text, norm_label

HEADER_SCAN_ROWS = 40


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV) as a list of rows of cell values."""

    name: str
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class AuthorityColumns:
    ecode: int
    name: int
    la_class: int
    ons: int | None
    certified: int | None


def find_header(sheet: Sheet) -> int | None:
    """Index of the row holding the 'E-code' label, or None."""
    for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        if any(norm_label(c) == "e-code" for c in row):
            return i
    return None


def cell(row: Sequence[object], col: int) -> object:
    return row[col] if col < len(row) else ""


def authority_columns(header: Sequence[object], where: str) -> tuple[AuthorityColumns | None, list[Problem]]:
    """Locate the identifying columns by their published labels; report every one missing."""
    first: dict[str, int] = {}
    for i, label in enumerate(header):
        first.setdefault(norm_label(label), i)
    problems = [
        Problem(where, f"no '{label}' column in the header row")
        for key, label in (("e-code", "E-code"), ("local authority", "Local authority"), ("class", "Class"))
        if key not in first
    ]
    if problems:
        return None, problems
    cols = AuthorityColumns(
        ecode=first["e-code"],
        name=first["local authority"],
        la_class=first["class"],
        ons=first.get("ons code"),
        certified=first.get("certification"),
    )
    return cols, []


def read_authorities(
    sheet: Sheet, header_row: int, cols: AuthorityColumns, where: str
) -> tuple[list[tuple[Sequence[object], ReturnAuthority]], list[Problem]]:
    """The authority rows (E-code like E1234), first occurrence of each E-code kept, with their row."""
    seen: set[str] = set()
    out: list[tuple[Sequence[object], ReturnAuthority]] = []
    problems: list[Problem] = []
    for offset, row in enumerate(sheet.rows[header_row + 1 :]):
        ecode = clean_text(cell(row, cols.ecode))
        if not ECODE_RE.match(ecode) or ecode in seen:
            continue
        seen.add(ecode)
        published_class = clean_text(cell(row, cols.la_class)).upper()
        la_class = CLASS_MAP.get(published_class)
        name = authority_name(clean_text(cell(row, cols.name)))
        if la_class is None or not name:
            problems.append(
                Problem(
                    f"{where} row {header_row + offset + 2}",
                    f"authority {ecode} has no recognised class (MD, L/LB, UA, SC, SD, O) or no name",
                    published_class,
                )
            )
            continue
        ons = clean_text(cell(row, cols.ons)) if cols.ons is not None else ""
        certified = clean_text(cell(row, cols.certified)).upper() if cols.certified is not None else ""
        out.append(
            (
                row,
                ReturnAuthority(
                    ecode=ecode,
                    ons_code=ons if ONS_RE.match(ons) else None,
                    name=name,
                    la_class=la_class,
                    certified=certified if certified in ("Y", "N") else None,
                ),
            )
        )
    if not out and not problems:
        problems.append(Problem(where, "no authority rows (E-codes like E4304) below the header row"))
    return out, problems
