"""The committee pack carries the Demand page: the same summary, series tables and members as the page's view,
for a real authority (the official demand files), for the pack's peer group, and in the Excel workbook."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from openpyxl import load_workbook

from finance import pack
from finance.indicators import demand_view
from finance.store import Store

SEFTON = "E08000014"


def test_demand_section_is_the_pages_view(demand_db: str, tmp_path: Path) -> None:
    path = tmp_path / "pack.duckdb"
    shutil.copy(demand_db, path)
    store = Store.open(str(path))
    try:
        built = pack.build_pack(store, SEFTON, "2023-24", sections=["demand"])
        page = demand_view(store, SEFTON, "2023-24", "MD")
        sn_heading = pack.build_pack(store, SEFTON, "2023-24", sections=["demand"], group="SN").sections[0].text[0]
    finally:
        store.close()
    (section,) = built.sections
    assert section.title == "Demand" and section.text[0] == page.heading
    tables = {i.title: i.frame for i in section.items if isinstance(i, pack.Table)}
    summary = tables["Official demand against peers"].set_index("Series")
    assert summary.equals(page.summary.set_index("Series"))
    # PROVENANCE.md: Sefton at 31 March 2024, 581 children looked after, 107 per 10,000
    assert summary.loc["Children looked after at 31 March", ["As at", "Sefton"]].tolist() == ["31 March 2024", 581]
    assert summary.loc["Children looked after at 31 March per 10,000 children aged under 18", "Sefton"] == 107
    assert "Members of the peer group" in tables
    charts = [i.title for i in section.items if isinstance(i, pack.Chart)]
    assert "EHC plans held in January (caseload): over time" in charts
    assert "DfE children's services statistical neighbours" in sn_heading
    book = load_workbook(io.BytesIO(pack.render(built, "xlsx")), read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "Children looked after at 31 March" in cells
