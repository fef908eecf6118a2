"""A committee member opens the in-year monitoring page and sees the council's target drawn on the variance chart,
labelled in words; the Targets page lists it with who set it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception

LABEL = "Target: at most £0.0m by 31 Mar 2027 (set by demo)"


def test_the_demo_target_is_drawn_on_the_variance_chart(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("In-year monitoring").click()
    expect(page.get_by_role("heading", name="Forecast variance through the year")).to_be_visible(timeout=60_000)
    trend = page.get_by_test_id("stPlotlyChart").nth(1)  # by directorate, through the year, …
    expect(trend).to_contain_text("Total forecast variance by period", timeout=90_000)
    expect(trend).to_contain_text(LABEL)  # the line's label on the chart (annotation and legend)
    expect(trend.locator("path[style*='stroke-dasharray']").first).to_be_attached()
    assert_no_streamlit_exception(page)
    trend.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "target-on-variance-chart.png"), full_page=True)

    nav.get_by_text("Targets").click()
    expect(page.get_by_role("heading", name="Targets", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Current targets", exact=False)).to_be_visible()
    assert_no_streamlit_exception(page)


def test_the_councils_reserve_targets_are_drawn_on_the_scenarios_reserves_chart(
    page: Page, app_url: str, screenshot_dir: Path
) -> None:
    """A section 151 officer opens the scenarios page's Reserves tab: the general fund target is drawn against the
    general fund line, naming it, beside the risk-based minimum, and its hover says when and how it was set."""
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("MTFS scenarios").click()
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the current scenario", timeout=60_000)
    page.get_by_role("tab", name="Reserves").click()
    chart = page.get_by_test_id("stPlotlyChart").filter(has_text="Reserves at each year end")
    expect(chart).to_be_visible(timeout=60_000)
    gf = "Target for general fund balance: at least £15.0m by 31 Mar 2029 (set by demo)"
    expect(chart).to_contain_text(gf, timeout=30_000)  # the line's label and its legend entry
    expect(chart).to_contain_text("Risk-based minimum for the general fund balance")
    label = chart.locator("g.annotation").filter(has_text=gf).first
    label.hover()
    expect(page.locator(".hoverlayer")).to_contain_text("on a Targets sheet (upload", timeout=15_000)
    assert_no_streamlit_exception(page)
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "targets-on-scenario-reserves.png"), full_page=True)
