"""A finance business partner opens the income collection and debt recovery page in a real browser: every stream's
rate against last year, the forecast rule stated, the council's share of the collection fund, the debt by age over
the periods, and no Streamlit exception box."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception


def test_debt_recovery_page(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=120_000)  # the overview has drawn
    link = nav.get_by_text("Income collection", exact=True)
    expect(link).to_be_visible(timeout=60_000)
    link.click()
    expect(page.get_by_role("heading", name="Income collection and debt recovery", exact=True)).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("Forecast year-end rate = this year's rate now", exact=False).first).to_be_visible()
    expect(page.get_by_text("Council share of the collection fund: 84.0%", exact=False).first).to_be_visible()
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Weakest stream")).to_contain_text("Council tax")
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.first).to_contain_text("In-year collection rate by stream", timeout=60_000)
    expect(charts.filter(has_text="Debt outstanding by age band")).to_have_count(1, timeout=60_000)
    expect(charts.filter(has_text="Housing benefit overpayments").first).to_be_visible()
    page.wait_for_timeout(1500)
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "collection-debt-recovery.png"), full_page=True)
