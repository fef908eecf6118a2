"""MHCLG's council tax receipts live table: quarterly receipts per billing authority, read as published.

Why its own reader: it is not a return with one year per file but a running table (2010-11 Q1 to the latest
quarter, £ thousand, receipts of council tax collected in the quarter whatever year they relate to, including the
precepts the billing authority collects for the county, police, fire and mayor). It is recognised by its content,
never by its file name: a sheet titled "Receipts of council tax for each local authority" whose header row holds
'E-code', 'ONS Code', 'Local authority', 'Class' and quarter columns written "April to June 2010 (Q1)". Only
billing authorities are on it (London boroughs as class 'L', kept as 'LB'); England and the regions are left out.
A marker ('[z]': the authority did not exist then; '[x]': not available) is missing, never zero, and its text is
kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from finance.errors import InputError
from finance.official.model import CLASS_MAP, ONS_RE, clean_text, gbp_from_thousands, norm_label
from finance.store import sha256_file

DATASET = "Council tax receipts"
TITLE = "receipts of council tax for each local authority"
_QUARTER_RE = re.compile(
    r"^(april to june|july to september|october to december|january to march)\s+(\d{4})\s*\(q([1-4])\)$"
)
_HEADER = ("e-code", "ons code", "local authority", "class")
_SPREADSHEETS = frozenset({".xlsx", ".xls", ".xlsm", ".ods"})


@dataclass(frozen=True)
class Receipt:
    """One authority's receipts in one quarter (£; None with the published text when not published)."""

    code: str
    ecode: str
    name: str
    la_class: str
    financial_year: str
    quarter: int
    receipts_gbp: Decimal | None
    published_text: str | None


@dataclass(frozen=True)
class ParsedReceipts:
    file_name: str
    sha256: str
    sheet: str
    receipts: tuple[Receipt, ...]

    @property
    def latest_year(self) -> str:
        """The newest financial year with a receipt published for any authority."""
        return max(r.financial_year for r in self.receipts if r.receipts_gbp is not None)

    @property
    def authorities(self) -> int:
        return len({r.code for r in self.receipts})


def _quarter(label: object) -> tuple[str, int] | None:
    """'April to June 2010 (Q1)' → ('2010-11', 1); 'January to March 2011 (Q4)' → ('2010-11', 4)."""
    m = _QUARTER_RE.match(norm_label(label))
    if m is None:
        return None
    calendar, quarter = int(m.group(2)), int(m.group(3))
    start = calendar - 1 if quarter == 4 else calendar
    return f"{start}-{(start + 1) % 100:02d}", quarter


def _table(rows: Sequence[Sequence[object]]) -> tuple[int, dict[int, tuple[str, int]]] | None:
    """(header row index, column → (year, quarter)) when `rows` is the per-authority quarterly table."""
    titled = any(TITLE in norm_label(c) for row in rows[:5] for c in row[:2])
    if not titled:
        return None
    for i, row in enumerate(rows[:15]):
        labels = [norm_label(c) for c in row]
        if tuple(labels[:4]) == _HEADER:
            quarters = {j: q for j, c in enumerate(row) if (q := _quarter(c)) is not None}
            return (i, quarters) if quarters else None
    return None


def _open(path: Path) -> CalamineWorkbook | None:
    if path.suffix.lower() not in _SPREADSHEETS:
        return None
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError):
        return None


def is_receipts_table(path: Path) -> bool:
    """Whether `path` is the council tax receipts live table, judged by its content."""
    book = _open(Path(path))
    if book is None:
        return False
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(nrows=15)
        if _table(rows) is not None:
            return True
    return False


def read_receipts(path: Path) -> ParsedReceipts:
    """Every billing authority's receipts in every quarter of the table. `InputError` naming the file when it is
    not the receipts table or holds no authority."""
    path = Path(path)
    book = _open(path)
    found = None
    for name in book.sheet_names if book is not None else []:
        assert book is not None
        rows = book.get_sheet_by_name(name).to_python()
        located = _table(rows)
        if located is not None:
            found = (name, rows, *located)
            break
    if found is None:
        raise InputError.single(path.name, "not the council tax receipts live table (no per-authority quarter table)")
    sheet, rows, header, quarters = found
    receipts: list[Receipt] = []
    for row in rows[header + 1 :]:
        if len(row) < 4:
            continue
        ecode, code, name, cls = (clean_text(c) for c in row[:4])
        if not ONS_RE.match(code) or cls.upper() not in CLASS_MAP or code.startswith(("E92", "E12")):
            continue  # England, the regions, notes below the table
        for column, (year, quarter) in quarters.items():
            value, text = gbp_from_thousands(row[column] if column < len(row) else None)
            if value is None and text is None:
                text = "blank"
            receipts.append(Receipt(code, ecode, name, CLASS_MAP[cls.upper()], year, quarter, value, text))
    if not receipts:
        raise InputError.single(f"{path.name} sheet '{sheet}'", "holds no billing authority's receipts")
    return ParsedReceipts(path.name, sha256_file(path), sheet, tuple(receipts))
