"""Importer for MHCLG's "Borrowing and Investment Live Table": outstanding external borrowing and investments per
authority at each quarter end.

Why its own importer: the external-borrowing indicator and the debt view need series the RS/RA returns do not
carry. Every "LA Borrowing" and "LA Investments" sheet is loaded — the year-end ones (31 March) and the quarterly
ones (30 June, 30 September, 31 December, 31 March) — each read by its published labels
(`finance.indicators.borrowing_read`), so an edition with instruments added, withdrawn or reordered, or an .ods
edition (python-calamine reads .xls, .xlsx and .ods alike), loads the same way; an unknown layout is refused
naming the sheet and the headers expected, and nothing is loaded.

Each value is outturn as at its sheet's quarter end (`period_end`), with its source file and sha256. External
borrowing excludes PFI and finance leases: it is not the capital financing requirement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from finance.errors import InputError, Problem
from finance.indicators.borrowing_read import (
    BORROWING,
    INVESTMENTS,
    SheetLayout,
    as_at,
    authority_rows,
    layout,
    sheet_kind,
)
from finance.store import Source, Store, Tx, sha256_file
from finance.years import year_from_start

DATASET = "MHCLG borrowing and investment live table"
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


def _gbp(value_thousand: float) -> str:
    """£ thousand → exact £ to the penny, as text: DuckDB casts it to DECIMAL(18,2) without a float step."""
    return str((Decimal(str(value_thousand)) * _GBP_PER_THOUSAND).quantize(_PENNY))


_MEASURES = {BORROWING: "external_borrowing", INVESTMENTS: "investments"}


def _records(sheet: str, end: date, lay: SheetLayout, rows: list[list[Any]]) -> list[dict[str, Any]]:
    common_label = f"{sheet}: sum of the {len(lay.instruments)} {lay.kind} instrument columns"
    out = []
    for r in authority_rows(rows, lay):
        common = {
            "lgf_code": r["lgf_code"],
            "ons_code": r["ons_code"],
            "name_published": r["name"],
            "period_end": end,
            "financial_year": year_from_start(end.year - 1 if end.month <= 3 else end.year),
        }
        out.append(
            {
                **common,
                "measure": _MEASURES[lay.kind],
                "value_gbp": None if r["total_thousand"] is None else _gbp(r["total_thousand"]),
                "published_text": r["text"],
                "source_label": common_label,
            }
        )
        if lay.pwlb_col is not None:
            out.append(
                {
                    **common,
                    "measure": "pwlb_borrowing",
                    "value_gbp": None if r["pwlb_thousand"] is None else _gbp(r["pwlb_thousand"]),
                    "published_text": None if r["pwlb_thousand"] is not None else r["pwlb_text"],
                    "source_label": f"{sheet}: {lay.labels[lay.pwlb_col]}",
                }
            )
    return out


def read_borrowing(path: Path) -> pd.DataFrame:
    """Every authority's borrowing and investments in the workbook, in £: one row per authority × quarter end ×
    measure ('external_borrowing', 'pwlb_borrowing', 'investments').

    Columns: lgf_code, ons_code, name_published, period_end, financial_year, measure, value_gbp (exact £ as text,
    or None), published_text, source_label. Raises `InputError` naming the sheet (and row) when a sheet is not in
    a layout Headroom knows, or the workbook holds no "LA Borrowing"/"LA Investments" sheet.
    """
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own types for unreadable files
        raise InputError.single(path.name, f"could not be read as a workbook ({err})") from err
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    for sheet in book.sheet_names:
        kind = sheet_kind(sheet)
        if kind is None:
            continue
        rows = book.get_sheet_by_name(sheet).to_python()
        end = as_at(sheet, rows, problems)
        lay = layout(sheet, kind, rows, problems)
        if end is not None and lay is not None:
            records.extend(_records(sheet, end, lay, rows))
    if not records and not problems:
        problems.append(Problem(path.name, "no 'LA Borrowing' or 'LA Investments' sheet was found"))
    if problems:
        raise InputError(problems, summary=f"{path.name} is not the MHCLG borrowing and investment live table")
    frame = pd.DataFrame(records)
    frame = _ambiguous_codes_missing(frame)
    # the workbook's own E-code → ONS map (later sheets) fills the older sheets, which publish no ONS code
    ons_map = frame.dropna(subset=["ons_code"]).drop_duplicates("lgf_code").set_index("lgf_code")["ons_code"]
    frame["ons_code"] = frame["ons_code"].fillna(frame["lgf_code"].map(ons_map))
    frame["ons_code"] = frame["ons_code"].astype(object).where(frame["ons_code"].notna(), None)
    return frame


def _ambiguous_codes_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per code, date and measure. Where a sheet lists one LGF code twice (Q1 2019-20 gives E7028 to
    both Northamptonshire's police and its fire authority), which row belongs to the code cannot be told: the value
    is missing, with the names in its text — never one of them picked, never their sum."""
    key = ["lgf_code", "period_end", "measure"]
    dupes = frame.duplicated(key, keep=False)
    if not dupes.any():
        return frame
    merged = []
    for _, group in frame[dupes].groupby(key, sort=False):
        first = group.iloc[0].to_dict()
        names = "; ".join(f"'{n}'" for n in group["name_published"])
        first.update(value_gbp=None, published_text=f"the sheet lists this code {len(group)} times ({names})")
        merged.append(first)
    return pd.concat([frame[~dupes], pd.DataFrame(merged)], ignore_index=True)


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
