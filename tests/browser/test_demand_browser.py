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


def test_the_demo_councils_uploaded_demand_split(page: Page, app_url: str, screenshot_dir: Path) -> None:
    """The demo council's own Demand sheet: the split table with human column names, the split chart (volume, price
    and other, with its words) and a volume chart per metric, at 1280 and 1920 px wide."""
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{app_url}/demand")
        wait_for_app_run(page)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="The council's own demand (Demand sheet), 2026-27")).to_be_visible(
            timeout=120_000
        )
        # the grid draws only the cells on screen: grow the window to the whole page (also for the screenshot)
        for _ in range(2):  # charts drawn once on screen make the page longer
            height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            page.set_viewport_size({"width": width, "height": int(height) + 40})
            page.wait_for_timeout(1500)
        expect(main.get_by_test_id("stPlotlyChart")).to_have_count(5, timeout=60_000)  # budget line, split, 3 volumes
        basis = "Basis: in-year forecast (monitoring), as at P7 2026-27; source: upload"
        expect(main.get_by_text(basis)).to_be_visible()
        table = main.get_by_test_id("stDataFrame").filter(has_text="Volume effect (£m)")
        expect(table).to_contain_text("Price effect (£m)")
        expect(table).to_contain_text("Residential and nursing placements")
        expect(main.get_by_role("heading", name="Forecast variance split by demand, P7 2026-27")).to_be_visible()
        chart = main.get_by_test_id("stPlotlyChart").filter(has_text="Forecast variance by demand driver")
        expect(chart).to_contain_text("Volume effect", timeout=30_000)
        expect(chart).to_contain_text("Other (rest of the line's variance)")
        expect(chart).to_contain_text("Home care hours")
        expect(chart).to_contain_text("Other: rest of the")
        expect(main.get_by_text("Children looked after volume +£", exact=False)).to_be_visible()
        volume = main.get_by_test_id("stPlotlyChart").filter(has_text="forecast against the budget's assumption")
        expect(volume).to_have_count(3)
        expect(volume.first).to_contain_text("Budgeted volume (the budget's assumption)")
        text = main.inner_text()
        for raw in ("volume_effect_gbp", "budgeted_volume", "line_other_gbp", "forecast_unit_cost"):
            assert raw not in text, raw
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / f"demand-own-split-{width}.png"), full_page=True)
