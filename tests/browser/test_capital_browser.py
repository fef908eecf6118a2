"""A user opens Capital and borrowing from the navigation and reads the programme, this year's forecast and the
prudential indicators, each saying its basis."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception, wait_for_app_run


def test_capital_page_from_the_navigation(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("Capital and borrowing").click()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Capital and borrowing", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="The capital programme (approved plan)")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Prudential indicators (scenario projection)")).to_be_visible()
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.first).to_contain_text("Capital programme by year and funding source", timeout=60_000)
    expect(charts.nth(2)).to_contain_text("Projected external debt against the limits")
    expect(page.get_by_text("Borrowing capacity in 2028-29 (scenario projection)", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_contain_text("£112.2m")
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "capital.png"), full_page=True)
