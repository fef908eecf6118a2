"""Uploading a new period's workbook moves the overview on: the period, and each card's direction of travel.

The workbook is built from the current P7 lines of the demo authority, changed the way a better month would change
them, and goes through the real monitoring loader (`load_upload`) like a finance team's file.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from finance.committee import overview
from finance.committee.overview import BETTER, WORSE
from finance.monitoring import sheet_lines
from finance.store import Store
from finance.upload import load_upload


def next_period_workbook(store: Store, code: str, year: str, period: int, *, improve: float) -> bytes:
    """A workbook for `period` built from the lines of `period - 1`, money in £.

    `improve` in 0..1 shrinks the overspend, the draw on reserves and the in-year DSG deficit by that share and
    collects that share of the outstanding council tax; negative values make the month worse instead.
    """
    prev = period - 1
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    for row in (["Authority", code], ["Financial year", year], ["Period", f"P{period}"], ["Units", "£"]):
        info.append(row)
    revenue = sheet_lines(store, "Revenue", code, year, prev)
    ws = wb.create_sheet("Revenue")
    ws.append(["Directorate", "Service", "Budget", "Forecast outturn", "Variance"])
    for r in revenue.itertuples():
        forecast = round(r.budget_gbp + r.variance_gbp * (1 - improve))
        ws.append([r.directorate, r.service, round(r.budget_gbp), forecast, forecast - round(r.budget_gbp)])
    reserves = sheet_lines(store, "Reserves", code, year, prev)
    ws = wb.create_sheet("Reserves")
    ws.append(["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance"])
    for r in reserves.itertuples():
        use = round(r.forecast_use_gbp * (1 - improve))
        ws.append([r.reserve, r.reserve_type, round(r.opening_gbp), use, round(r.opening_gbp) - use])
    dsg = sheet_lines(store, "DSG", code, year, prev).iloc[0]
    in_year = round(dsg["in_year_gbp"] * (1 - improve))
    ws = wb.create_sheet("DSG")
    ws.append(["Brought forward deficit", "In-year forecast deficit", "Cumulative forecast deficit"])
    ws.append([round(dsg["brought_forward_gbp"]), in_year, round(dsg["brought_forward_gbp"]) + in_year])
    collection = sheet_lines(store, "Collection", code, year, prev)
    ws = wb.create_sheet("Collection")
    ws.append(["Stream", "Collectable", "Collected to date", "Arrears"])
    for r in collection.itertuples():
        collected = r.collected_gbp + (r.collectable_gbp - r.collected_gbp) * max(improve, 0.0)
        arrears: Any = None if r.arrears_gbp != r.arrears_gbp else round(r.arrears_gbp)
        ws.append([r.stream, round(r.collectable_gbp), round(collected), arrears])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _copy(demo_db: str, tmp_path: Path) -> Store:
    path = tmp_path / "demo-copy.duckdb"
    shutil.copy(demo_db, path)
    return Store.open(str(path))


def test_a_better_month_turns_the_markers_to_improving(demo_db: str, tmp_path: Path) -> None:
    store = _copy(demo_db, tmp_path)
    try:
        before = overview.build(store, "DEMO01", "2026-27")
        assert (before.period, before.previous_period) == (7, 6)
        assert before.card("variance").travel.direction == WORSE  # the demo's pressures grow month on month
        assert "since P6 (Sep)" in before.card("variance").travel.text

        data = next_period_workbook(store, "DEMO01", "2026-27", 8, improve=0.5)
        result = load_upload(store, data, "demo01-2026-27-P08.xlsx", user="tests")
        assert result.periods == [8]

        after = overview.build(store, "DEMO01", "2026-27")
        assert (after.period, after.previous_period) == (8, 7)
        for key in ("variance", "reserves_cover", "dsg_ratio", "collection"):
            card = after.card(key)
            assert card.travel.direction == BETTER, (key, card.travel.text)
            assert "since P7 (Oct)" in card.travel.text
        assert after.card("variance").travel.text.endswith(f"(was {before.card('variance').value_text})")
        assert "Since P7 (Oct), better:" in after.summary
    finally:
        store.close()


def test_a_worse_month_turns_them_to_worsening(demo_db: str, tmp_path: Path) -> None:
    store = _copy(demo_db, tmp_path)
    try:
        load_upload(store, next_period_workbook(store, "DEMO01", "2026-27", 8, improve=-0.5), "p8.xlsx")
        after = overview.build(store, "DEMO01", "2026-27")
        assert after.period == 8
        for key in ("variance", "reserves_cover", "dsg_ratio"):
            assert after.card(key).travel.direction == WORSE, (key, after.card(key).travel.text)
        assert "Since P7 (Oct), worse:" in after.summary
    finally:
        store.close()
