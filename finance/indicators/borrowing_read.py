"""Reading MHCLG's "Borrowing and Investment Live Table" as published: every "LA Borrowing" and "LA Investments"
sheet, year-end and quarterly, whatever the number or order of its instrument columns.

Why by name, never by position: the sheets drift between editions — columns added ("Region code", "ONS code"),
"Country" and "Class of authority" swapped, instruments added or withdrawn, and from 2024 the table is published
as .ods. So each column is recognised by its published label: an identity column (LGF code, the authority's name,
region, class, country, ONS code, blank), an instrument of the sheet's kind (borrowing: "Loans short term – …",
"Loans Longer-term – …", "Securities – …", "Short/Longer Term Loans Local Authorities"; investments: deposits,
treasury bills, certificates of deposit, gilts, money market funds, …), or a published total (not summed: the
instruments are). Anything else is an unknown layout, refused naming the sheet and the headers expected — a new
instrument family must be added here knowingly, never summed by accident. The as-at date is the sheet's own title
("as at 30 September 2019"), a quarter end.

Totals: external borrowing = the sum of the sheet's borrowing instruments; investments = the sum of its investment
instruments, each outstanding at the as-at date, £ thousand → £. A total is published only when every instrument
cell of the row is a number: a blank or '[x]' makes it missing, with the cells' text kept — never a sum that
quietly counts a gap as zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from finance.errors import Problem

BORROWING, INVESTMENTS = "borrowing", "investments"
_SHEET = {"la borrowing": BORROWING, "la investments": INVESTMENTS}
_AS_AT = re.compile(r"as at (\d{1,2})(?:st|nd|rd|th)? (march|june|september|december),? (\d{4})", re.IGNORECASE)
_MONTHS = {"march": 3, "june": 6, "september": 9, "december": 12}
_QUARTER_END_DAY = {3: 31, 6: 30, 9: 30, 12: 31}
CODE = re.compile(r"^[EWSN]\d{4}$")
ONS = re.compile(r"^[EWSN]\d{8}$")

_IDENTITY = frozenset(
    {"lgf code", "local authority name", "local authority", "region code", "region", "category", "country",
     "class of authority", "class", "ons code", ""}
)  # fmt: skip
_NAME_LABELS = ("local authority name", "local authority")
_TOTAL = re.compile(r"^total\b")
_INSTRUMENTS = {
    BORROWING: re.compile(
        r"^(loans short[ -]term|loans longer[ -]term|securities|short[ -]term loans|longer[ -]term loans)"
    ),
    INVESTMENTS: re.compile(
        r"^(deposits|treasury bills|certificates of deposit|british government|gilts?\b|other financial "
        r"intermediaries|public corporations|debt management|money market funds|externally managed funds|"
        r"pooled funds|property funds|other investments|loans (to )?local government)"
    ),
}
_EXPECTED = {
    BORROWING: "'LGF code', 'Local authority name' and instrument columns starting 'Loans short term', "
    "'Loans Longer-term', 'Securities', 'Short Term Loans' or 'Longer Term Loans' (one of them the PWLB)",
    INVESTMENTS: "'LGF code', 'Local authority name' and instrument columns starting 'Deposits', 'Treasury bills', "
    "'Certificates of deposit', 'British Government', 'Other financial intermediaries', 'Public corporations', "
    "'Debt Management', 'Money market funds', 'Externally managed funds', 'Other investments' or 'Loans Local "
    "Government'",
}


@dataclass(frozen=True)
class SheetLayout:
    """Where one sheet's columns are, found by their labels."""

    kind: str  # BORROWING | INVESTMENTS
    header_row: int
    name_col: int
    ons_col: int | None
    instruments: tuple[int, ...]
    labels: tuple[str, ...]  # every header label, as published
    pwlb_col: int | None  # borrowing sheets: the PWLB column


def label(cell: object) -> str:
    """A header as compared: lower case, single spaces, a trailing note marker '(a)' removed."""
    text = re.sub(r"\s+", " ", str(cell)).strip().lower()
    return re.sub(r"\s*\([a-z]\)$", "", text)


def sheet_kind(name: str) -> str | None:
    """BORROWING or INVESTMENTS for the live table's per-authority sheets, None for every other sheet."""
    lowered = name.strip().lower()
    return next((kind for prefix, kind in _SHEET.items() if lowered.startswith(prefix)), None)


def as_at(name: str, rows: list[list[Any]], problems: list[Problem]) -> date | None:
    """The quarter end the sheet's title states ('as at 31 December 2019'); a problem when there is none."""
    for row in rows[:4]:
        for cell in row:
            m = _AS_AT.search(str(cell))
            if m is None:
                continue
            month, day, year = _MONTHS[m.group(2).lower()], int(m.group(1)), int(m.group(3))
            if day != _QUARTER_END_DAY[month]:
                problems.append(Problem(f"{name}!A1", "the title's date is not a quarter end", m.group(0)))
                return None
            return date(year, month, day)
    problems.append(
        Problem(f"{name}!A1", "no as-at date in the title: expected 'as at <day> March|June|September|December <year>'")
    )
    return None


def layout(name: str, kind: str, rows: list[list[Any]], problems: list[Problem]) -> SheetLayout | None:
    """The sheet's columns by label, or None with a problem naming the sheet and the headers it expected."""
    header_row = next((i for i, r in enumerate(rows) if r and label(r[0]) == "lgf code"), None)
    if header_row is None:
        problems.append(Problem(name, f"no header row starting 'LGF code': expected {_EXPECTED[kind]}"))
        return None
    published = [re.sub(r"\s+", " ", str(c)).strip() for c in rows[header_row]]
    labels = [label(c) for c in published]
    name_col = next((j for j, h in enumerate(labels) if h in _NAME_LABELS), None)
    instruments = tuple(j for j, h in enumerate(labels) if _INSTRUMENTS[kind].match(h))
    unknown = [
        published[j]
        for j, h in enumerate(labels)
        if j not in instruments and h not in _IDENTITY and not _TOTAL.match(h)
    ]
    pwlb = [j for j in instruments if "pwlb" in labels[j]]
    where = f"{name}!row {header_row + 1}"
    if name_col is None or not instruments or unknown or len(pwlb) > 1 or (kind == BORROWING and not pwlb):
        found = "; ".join(f"'{p}'" for p in published if p)
        why = f"columns not recognised: {', '.join(repr(u) for u in unknown)}; " if unknown else ""
        problems.append(Problem(where, f"unknown layout ({why}expected {_EXPECTED[kind]})", found))
        return None
    ons_col = next((j for j, h in enumerate(labels) if h == "ons code"), None)
    return SheetLayout(kind, header_row, name_col, ons_col, instruments, tuple(published), pwlb[0] if pwlb else None)


def _cell(row: list[Any], j: int) -> object:
    return row[j] if j < len(row) else ""


def _number(cell: object) -> float | None:
    return float(cell) if isinstance(cell, int | float) and not isinstance(cell, bool) else None


def authority_rows(rows: list[list[Any]], lay: SheetLayout) -> list[dict[str, Any]]:
    """Every authority row (an LGF code such as E4304): code, name, ONS code where given, the total of the
    instruments in £ thousand (None unless every instrument cell is a number, with their text kept), and the PWLB
    column's value on borrowing sheets."""
    out = []
    for row in rows[lay.header_row + 1 :]:
        code = str(_cell(row, 0)).strip()
        if not CODE.match(code):
            continue
        cells = [(_cell(row, j), lay.labels[j]) for j in lay.instruments]
        numbers = [_number(c) for c, _ in cells]
        gaps = [
            f"{lbl}: {str(c).strip() or '(blank)'}" for (c, lbl), n in zip(cells, numbers, strict=True) if n is None
        ]
        ons = str(_cell(row, lay.ons_col)).strip() if lay.ons_col is not None else ""
        pwlb_cell = _cell(row, lay.pwlb_col) if lay.pwlb_col is not None else None
        out.append(
            {
                "lgf_code": code,
                "name": str(_cell(row, lay.name_col)).strip(),
                "ons_code": ons if ONS.match(ons) else None,
                "total_thousand": None if gaps else sum(n for n in numbers if n is not None),
                "text": "; ".join(gaps) or None,
                "pwlb_thousand": None if pwlb_cell is None else _number(pwlb_cell),
                "pwlb_text": None if pwlb_cell is None else (str(pwlb_cell).strip() or "(blank)"),
            }
        )
    return out
