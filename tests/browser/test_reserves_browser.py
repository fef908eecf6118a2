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


def test_sefton_2023_24_closing_direction_is_a_fall(
    page: Page, tmp_path: Path, official_db: str, official_source_dir: Path, screenshot_dir: Path
) -> None:
    """Issue 14: with every official return imported, Sefton's usable reserves at 31 March 2024 fell during the
    year (RS 2023-24 gives both ends); the page must say so, not compare with RA 2021-22's budget estimate."""
    import shutil

    from tests.browser.conftest import start_server, stop_server, wait_for_app_run
    from tests.rs_file import SEFTON, sefton_2023_24

    f = sefton_2023_24(official_source_dir)
    expected = f"Down £{(f['usable_open'] - f['usable_close']) / 1000:.1f}m"
    db = tmp_path / "official.duckdb"
    shutil.copy(official_db, db)
    proc, url = start_server(db, tmp_path / "server.log", {"HEADROOM_DEFAULT_AUTHORITY": SEFTON})
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{url}/reserves")
        wait_for_app_run(page)
        expect(page.get_by_test_id("stMetric").filter(has_text="Position among peers")).to_be_visible(timeout=90_000)
        chart = page.get_by_test_id("stPlotlyChart").first
        expect(chart).to_be_visible(timeout=60_000)
        page.get_by_test_id("stSelectbox").filter(has_text="Measure").click()
        page.get_by_role("option", name="Usable reserves (unallocated + other earmarked)").click()
        wait_for_app_run(page)
        page.get_by_text("at 31 March (closing)").click()
        metric = page.get_by_test_id("stMetric").filter(has_text="Direction of travel in 2023-24")
        expect(metric).to_contain_text(expected, timeout=30_000)
        assert expected == "Down £14.4m"
        expect(page.get_by_test_id("stMetric").filter(has_text="Sefton")).to_contain_text("£49.0m")
        expect(page.get_by_text("Down £14.4m in 2023-24:", exact=False)).to_be_visible()
        expect(page.get_by_text("both from RS 2023-24 (outturn)", exact=False)).to_be_visible()
        expect(page.get_by_text("since 2021-22", exact=False)).to_have_count(0)
        wait_for_app_run(page)
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / "reserves-benchmark-sefton-2023-24-closing.png"), full_page=True)
    finally:
        stop_server(proc)
