"""An audit committee member walks the committee pages in a real browser: overview → in-year monitoring → income
collection → DSG → nowcast, with a full-page screenshot of each in tests/output/ and no Streamlit exception box."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception

WALK = (  # (navigation label, page heading, text the first chart must show, screenshot file)
    ("Overview", "Overview", None, "committee-1-overview.png"),
    ("In-year monitoring", "In-year monitoring", "Forecast variance by directorate", "committee-2-monitoring.png"),
    (
        "Income collection",
        "Income collection and debt recovery",
        "In-year collection rate by stream",
        "committee-3-collection.png",
    ),
    ("DSG deficit", "DSG deficit", "Cumulative DSG deficit", "committee-4-dsg.png"),
    ("Reserves nowcast", "Reserves nowcast", "Usable reserves as % of spending", "committee-5-nowcast.png"),
)


def _screenshot_whole_page(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so a "full page" shot shows one screen: grow the viewport first."""
    size = page.viewport_size or {"width": 1440, "height": 1000}
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(int(height) + 40, size["height"])})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def test_walk_the_committee_pages(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    for label, heading, chart_text, shot in WALK:
        if label == "In-year monitoring":  # from the overview card's own link, as a committee member would
            page.get_by_role("link", name="Open In-year monitoring").click()
        else:
            nav.get_by_text(label, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
        if chart_text is None:
            expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
            expect(page.get_by_text("In brief.", exact=False)).to_be_visible()
            expect(page.get_by_text("since P6 (Sep)", exact=False).first).to_be_visible()
            prudential = page.get_by_test_id("stMetric").filter(has_text="Prudential limits: projected debt")
            expect(prudential).to_contain_text("Within all three limits")
        else:
            chart = page.get_by_test_id("stPlotlyChart").first
            expect(chart).to_be_visible(timeout=30_000)
            expect(chart).to_contain_text(chart_text, timeout=30_000)
            # each chart's table is shown on request: the toggle under its caption draws it
            expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
            page.get_by_text("Show the data table").first.click()
            expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)  # let plotly finish drawing every chart before the screenshot
        assert_no_streamlit_exception(page)
        _screenshot_whole_page(page, screenshot_dir / shot)
