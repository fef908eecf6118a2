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
