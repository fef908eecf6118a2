"""Sefton's 2023-24 lines read straight from the published RS workbook, for tests to check the app's figures
against the file itself (by label and printed line number, with python-calamine, not through Headroom's reader)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

SEFTON = "E08000014"
_LABELS = {
    "earmarked_open": "Estimated other earmarked financial reserves level at 1 April (unadjusted)",
    "earmarked_close": "Estimated other earmarked financial reserves level at 31 March (unadjusted)",
    "unallocated_open": "Estimated unallocated financial reserves level at 1 April",
    "unallocated_close": "Estimated unallocated financial reserves level at 31 March",
    "nre": "NET REVENUE EXPENDITURE",
}


def sefton_2023_24(source: Path) -> dict[str, float]:
    """Sefton's 2023-24 lines in £000 as published: the reserve levels, NRE and interest payable (line 781)."""
    book = CalamineWorkbook.from_path(str(source / "RS_2023-24_data_by_LA.ods"))
    rows = book.get_sheet_by_name("RS_LA_Data_2023-24").to_python(skip_empty_area=False)
    h = next(i for i, r in enumerate(rows) if "E-code" in [str(c).strip() for c in r])
    header, numbers = [str(c).strip() for c in rows[h]], [str(c).strip() for c in rows[h - 1]]
    sefton = next(r for r in rows[h + 1 :] if r[1] == SEFTON)
    out = {k: float(sefton[header.index(label)]) for k, label in _LABELS.items()}
    out["interest"] = float(sefton[numbers.index("781.0")])
    out["usable_open"] = out["unallocated_open"] + out["earmarked_open"]
    out["usable_close"] = out["unallocated_close"] + out["earmarked_close"]
    return out
