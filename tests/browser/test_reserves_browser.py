"""A user opens Headroom, goes to the reserves benchmark, changes the measure and sees the chart change."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception


def test_change_measure_updates_chart(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("Reserves benchmark").click()

    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart).to_contain_text("Usable reserves as % of NRE")
    first_value = page.get_by_test_id("stMetricValue").first
    expect(first_value).to_contain_text("%")
    expect(page.get_by_text("Illustrative data.", exact=False).first).to_be_visible()

    page.get_by_test_id("stSelectbox").filter(has_text="Measure").click()
    page.get_by_role("option", name="Usable reserves (unallocated + other earmarked)").click()

    expect(chart).to_contain_text("Usable reserves (unallocated + other earmarked) at 1 April", timeout=30_000)
    expect(chart).to_contain_text("£m")
    expect(first_value).to_contain_text("£")
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "reserves-benchmark.png"), full_page=True)


def test_opening_a_page_url_first_still_runs_the_shell(page: Page, tmp_path: Path, demo_db: str) -> None:
    """On a fresh server, a bookmark straight to a page must still get the sidebar and navigation.

    (Streamlit's legacy `pages/` mode would otherwise run the page script alone; ui.shell.require_shell.)
    """
    import shutil

    from tests.browser.conftest import start_server, stop_server

    db = tmp_path / "bookmark.duckdb"
    shutil.copy(demo_db, db)
    proc, url = start_server(db, tmp_path / "server.log")
    try:
        page.goto(f"{url}/sources")
        expect(page.get_by_role("heading", name="Data sources")).to_be_visible(timeout=60_000)
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Reserves benchmark")
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Authority")
        assert_no_streamlit_exception(page)
    finally:
        stop_server(proc)
