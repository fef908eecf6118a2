"""Importer for MHCLG's "Borrowing and Investment Live Table": outstanding external borrowing at each 31 March.

Why its own importer: the external-borrowing indicator needs a series the RS/RA returns do not carry. The live
table publishes one sheet per period (year-ends 31 March 2014..2020, then quarter-ends), each with a header row
labelled "LGF code" and one column per instrument, in £ thousand. Sheet layouts drift between editions (columns
added, "Country" and "Class of authority" swapped, a second header row below the UK totals), so every column
and row is found by its published label, never by position, and the period by the sheet's own title ("as at
31 March 2020"). Only the year-end sheets are loaded.

External borrowing = the sum of the published instrument columns (short-term and longer-term loans by lender,
securities, loans from other local authorities). It excludes PFI and finance leases: it is not the capital
financing requirement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from finance.errors import InputError, Problem
from finance.store import Source, Store, Tx, sha256_file
from finance.years import year_from_start

DATASET = "MHCLG borrowing and investment live table"
_TITLE = re.compile(r"as at 31 March (\d{4})", re.IGNORECASE)
_CODE = re.compile(r"^[EWSN]\d{4}$")
_ONS = re.compile(r"^[EWSN]\d{8}$")
# the instrument columns: every published borrowing line, by the start of its label
_INSTRUMENT = re.compile(r"^(loans short term|loans longer-term|securities|short term loans|longer term loans)")
_EXPECTED_INSTRUMENTS = 21
_GBP_PER_THOUSAND = Decimal(1000)
_PENNY = Decimal("0.01")


@dataclass(frozen=True)
class BorrowingImportReport:
    """What one import did: `already_loaded` means the same file (by sha256) was there and nothing changed."""

    file_name: str
    sha256: str
    source_id: int
    already_loaded: bool
    period_ends: list[str] = field(default_factory=list)
    authorities: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "sha256": self.sha256,
            "source_id": self.source_id,
            "already_loaded": self.already_loaded,
            "period_ends": self.period_ends,
            "authorities": self.authorities,
            "rows": self.rows,
        }


def _label(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell)).strip().lower()


def _gbp(value_thousand: float) -> str:
    """£ thousand → exact £ to the penny, as text: DuckDB casts it to DECIMAL(18,2) without a float step."""
    return str((Decimal(str(value_thousand)) * _GBP_PER_THOUSAND).quantize(_PENNY))


def _period_end(sheet: str, rows: list[list[Any]]) -> date | None:
    """The sheet's 31 March, from its own title; None for quarter-end sheets and anything else."""
    for row in rows[:3]:
        for cell in row:
            m = _TITLE.search(str(cell))
            if m:
                return date(int(m.group(1)), 3, 31)
    return None


def _read_sheet(name: str, rows: list[list[Any]], problems: list[Problem]) -> list[dict[str, Any]]:
    """Every authority row of one year-end sheet: code, name, ONS code where given, borrowing in £."""
    header: list[str] | None = None
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        first = _label(row[0]) if row else ""
        if first == "lgf code":
            header = [_label(c) for c in row]
            continue
        code = str(row[0]).strip() if row else ""
        if header is None or not _CODE.match(code):
            continue
        name_col = next((j for j, h in enumerate(header) if h in ("local authority name", "local authority")), None)
        instruments = [j for j, h in enumerate(header) if _INSTRUMENT.match(h)]
        pwlb = [j for j in instruments if "pwlb" in header[j]]
        if name_col is None or len(instruments) != _EXPECTED_INSTRUMENTS or len(pwlb) != 1:
            problems.append(
                Problem(
                    f"{name}!A{i + 1}",
                    f"expected a header with 'Local authority name', {_EXPECTED_INSTRUMENTS} instrument columns "
                    f"and one PWLB column; found {len(instruments)} instrument columns",
                )
            )
            return []
        ons_col = next((j for j, h in enumerate(header) if h == "ons code"), None)
        cells = [row[j] if j < len(row) else "" for j in instruments]
        numbers = [float(c) for c in cells if isinstance(c, int | float) and not isinstance(c, bool)]
        texts = [str(c).strip() for c in cells if not isinstance(c, int | float) and str(c).strip()]
        ons = str(row[ons_col]).strip() if ons_col is not None and ons_col < len(row) else ""
        pwlb_cell = row[pwlb[0]] if pwlb[0] < len(row) else ""
        out.append(
            {
                "lgf_code": code,
                "name": str(row[name_col]).strip(),
                "ons_code": ons if _ONS.match(ons) else None,
                "total_thousand": sum(numbers) if numbers else None,
                "pwlb_thousand": float(pwlb_cell) if isinstance(pwlb_cell, int | float) else None,
                "text": "; ".join(texts) or "(blank)",
                "pwlb_text": str(pwlb_cell).strip() or "(blank)",
            }
        )
    return out


def read_borrowing(path: Path) -> pd.DataFrame:
    """The year-end borrowing of every authority in the workbook, in £ (one row per authority × 31 March × measure).

    Columns: lgf_code, ons_code, name_published, period_end, financial_year, measure, value_gbp (exact £ as
    text, or None), published_text, source_label. Raises `InputError` naming the sheet and cell when the workbook is not
    the live table as published.
    """
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own types for unreadable files
        raise InputError.single(path.name, f"could not be read as a workbook ({err})") from err
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    for sheet in book.sheet_names:
        if not sheet.strip().lower().startswith("la borrowing"):
            continue
        rows = book.get_sheet_by_name(sheet).to_python()
        end = _period_end(sheet, rows)
        if end is None:
            continue
        for r in _read_sheet(sheet, rows, problems):
            common = {
                "lgf_code": r["lgf_code"],
                "ons_code": r["ons_code"],
                "name_published": r["name"],
                "period_end": end,
                "financial_year": year_from_start(end.year - 1),
            }
            records.append(
                {
                    **common,
                    "measure": "external_borrowing",
                    "value_gbp": None if r["total_thousand"] is None else _gbp(r["total_thousand"]),
                    "published_text": None if r["total_thousand"] is not None else r["text"],
                    "source_label": f"{sheet}: sum of the {_EXPECTED_INSTRUMENTS} instrument columns",
                }
            )
            records.append(
                {
                    **common,
                    "measure": "pwlb_borrowing",
                    "value_gbp": None if r["pwlb_thousand"] is None else _gbp(r["pwlb_thousand"]),
                    "published_text": None if r["pwlb_thousand"] is not None else r["pwlb_text"],
                    "source_label": f"{sheet}: Loans Longer-term - PWLB",
                }
            )
    if not records and not problems:
        problems.append(Problem(path.name, "no 'LA Borrowing' sheet titled 'as at 31 March YYYY' was found"))
    if problems:
        raise InputError(problems, summary=f"{path.name} is not the MHCLG borrowing and investment live table")
    frame = pd.DataFrame(records)
    dupes = frame[frame.duplicated(["lgf_code", "period_end", "measure"], keep=False)]
    if not dupes.empty:
        first = dupes.iloc[0]
        raise InputError.single(
            path.name, f"authority listed twice for 31 March {first['period_end'].year}", str(first["lgf_code"])
        )
    # the workbook's own E-code → ONS map (later sheets) fills the older sheets, which publish no ONS code
    ons_map = frame.dropna(subset=["ons_code"]).drop_duplicates("lgf_code").set_index("lgf_code")["ons_code"]
    frame["ons_code"] = frame["ons_code"].fillna(frame["lgf_code"].map(ons_map))
    frame["ons_code"] = frame["ons_code"].astype(object).where(frame["ons_code"].notna(), None)
    return frame


def import_borrowing(store: Store, path: Path | str, *, user: str = "local") -> BorrowingImportReport:
    """Load the live table at `path` in one transaction; a file already loaded (same sha256) changes nothing.

    A different edition replaces the rows for the 31 Marches it covers (a later edition supersedes). Raises
    `InputError` (nothing written) when the file is not the table as published.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError.single(str(p), "file not found")
    sha = sha256_file(p)
    frame = read_borrowing(p)
    periods = sorted({d.isoformat() for d in frame["period_end"]})

    def load(tx: Tx) -> BorrowingImportReport:
        existing = tx.find_source("official", sha)
        if existing is not None:
            return BorrowingImportReport(p.name, sha, existing, True, periods)
        source_id = tx.add_source(
            Source(
                kind="official",
                file_name=p.name,
                sha256=sha,
                dataset=DATASET,
                basis="outturn",
                publisher_note="MHCLG, Local authority borrowing and investment live table (all figures £ thousand)",
            )
        )
        tx.execute(
            "DELETE FROM borrowing_value WHERE period_end IN (SELECT unnest(?::DATE[]))",
            [periods],
        )
        rows = frame.assign(source_id=source_id)
        tx.insert_df("borrowing_value", rows)
        return BorrowingImportReport(
            p.name, sha, source_id, False, periods, int(frame["lgf_code"].nunique()), len(rows)
        )

    return store.write(load, user=user, action="import_borrowing")
