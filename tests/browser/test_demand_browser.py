"""A user opens the Demand page for Sefton with the official demand files imported, picks the year and the series,
changes the peer group, and reads each figure with its as-at point, peers and direction of travel."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception, start_server, stop_server, wait_for_app_run

SEFTON = "E08000014"


def test_sefton_demand_against_peers(page: Page, tmp_path: Path, demand_db: str, screenshot_dir: Path) -> None:
    db = tmp_path / "demand.duckdb"
    shutil.copy(demand_db, db)
    proc, url = start_server(db, tmp_path / "server.log", {"HEADROOM_DEFAULT_AUTHORITY": SEFTON})
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{url}/demand")
        wait_for_app_run(page)
        expect(page.get_by_role("heading", name="Demand", exact=True)).to_be_visible(timeout=120_000)
        expect(page.get_by_text("Sefton, points up to 31 March of 2023-24", exact=False)).to_be_visible(timeout=60_000)

        page.get_by_test_id("stSelectbox").filter(has_text="Figures up to the end of").click()
        page.get_by_role("option", name="2024-25").click()
        wait_for_app_run(page)
        expect(page.get_by_text("Sefton: 506 children at 31 March 2025", exact=False)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("down 75 (-12.9%) from 581 at 31 March 2024", exact=False).first).to_be_visible()
        chart = page.get_by_test_id("stPlotlyChart").first
        expect(chart).to_contain_text("Children looked after at 31 March: Sefton against Metropolitan districts")

        page.get_by_text("EHC plans (SEND)").click()
        wait_for_app_run(page)
        expect(page.get_by_text("Sefton: 3,736 plans at January 2025", exact=False)).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("stPlotlyChart").first).to_contain_text("EHC plans held in January")

        page.get_by_test_id("stSelectbox").filter(has_text="Peer group").click()
        page.get_by_role("option", name="DfE children's services statistical neighbours (10 + the authority)").click()
        wait_for_app_run(page)
        expect(
            page.get_by_text("peer group: DfE children's services statistical neighbours", exact=False)
        ).to_be_visible(timeout=30_000)
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / "demand-sefton-sn.png"), full_page=True)
    finally:
        stop_server(proc)
