"""The committee pack carries the Demand page: the same summary, series tables and members as the page's view,
for a real authority (the official demand files), for the pack's peer group, and in the Excel workbook; and the
council's own uploaded demand (the Demand sheet's split) in the PDF and the Excel workbook."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finance import pack
from finance.format import gbp_m
from finance.indicators import demand_view
from finance.pack.images import browser_path
from finance.store import Store
from tests.demand_upload import demo_uploads

SEFTON = "E08000014"
needs_pdf_tools = pytest.mark.skipif(
    browser_path() is None or shutil.which("pdftotext") is None, reason="needs chromium and poppler-utils"
)


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


@needs_pdf_tools
def test_the_councils_uploaded_demand_split_is_in_the_pdf_and_the_excel_pack(demo_db: str) -> None:
    """The demo council's Demand sheet in the pack's Demand section: its basis, as-at period and source upload, the
    volumes and unit costs, and each metric's volume and price effects and each line's other, as its workbook gives
    them (worked out in tests.demand_upload from the file the database recorded)."""
    store = Store.open(demo_db, read_only=True)
    try:
        latest = demo_uploads(store, "2026-27")[-1]
        built = pack.build_pack(store, "DEMO01", "2026-27", sections=["demand"])
    finally:
        store.close()
    as_at = f"P{latest.period} 2026-27"
    source = f"Basis: in-year forecast (monitoring), as at {as_at}; source: upload"
    (section,) = built.sections
    assert any(t.startswith(source) and latest.file_name in t and latest.sha256 in t for t in section.text)

    book = load_workbook(io.BytesIO(pack.render(built, "xlsx")), read_only=True)
    contents = {row[2]: row[0] for row in book["Contents"].iter_rows(min_row=2, values_only=True)}
    inputs = _rows(book[contents[f"Own demand: volumes and unit costs, {as_at}"]])
    said = {(r["Metric"], r["Budgeted or forecast"]): (r["Volume"], r["Unit cost (£ a year)"]) for r in inputs}
    assert said == {
        **{(m.metric, "budgeted"): (m.budgeted_volume, m.budgeted_unit_cost_gbp) for m in latest.metrics},
        **{(m.metric, "forecast"): (m.forecast_volume, m.forecast_unit_cost_gbp) for m in latest.metrics},
    }
    split = _rows(book[contents[f"Forecast variance split by demand, {as_at}"]])
    parts = {(r["Line"], r["Part"]): r["£m"] for r in split}
    for m in latest.metrics:
        assert parts[(m.service, f"{m.metric}: volume effect")] == round(m.volume_effect_gbp / 1e6, 3)
        assert parts[(m.service, f"{m.metric}: price effect")] == round(m.price_effect_gbp / 1e6, 3)
        assert parts[(m.service, "Other")] == round(latest.line_other_gbp(m.service) / 1e6, 3)
        assert parts[(m.service, "Line forecast variance")] == round(m.line_variance_gbp / 1e6, 3)
    first = latest.metrics[0]
    volumes = _rows(book[contents[f"{first.metric}: volume against the budget assumption, {first.unit}"]])
    assert [r["Period"] for r in volumes][-1] == f"P{latest.period} (Oct)"
    assert (volumes[-1]["Budgeted"], volumes[-1]["Forecast"]) == (first.budgeted_volume, first.forecast_volume)

    pdf = _squash(_pdf_text(pack.render(built, "pdf")))
    formula = "Volume effect = (forecast − budgeted volume) × budgeted unit cost"
    titles = (f"Own demand: volumes and unit costs, {as_at}", f"Forecast variance split by demand, {as_at}")
    for needle in (*titles, source, latest.sha256, formula):
        assert _squash(needle) in pdf, needle
    for m in latest.metrics:  # the chart's words give each effect, as the page's caption does
        volume, price = (gbp_m(v, decimals=2, signed=True) for v in (m.volume_effect_gbp, m.price_effect_gbp))
        assert _squash(f"{m.metric} volume {volume} and price {price}") in pdf, m.metric
        assert _squash(f"{m.metric}: volume against the budget assumption, {m.unit}") in pdf


def _rows(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, check=True, capture_output=True)
    return done.stdout.decode()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
