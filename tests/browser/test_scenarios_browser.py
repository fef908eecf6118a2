"""A user opens the MTFS scenarios page, moves the pressures slider and sees the gap figure change."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception


def test_moving_a_slider_changes_the_gap(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("MTFS scenarios").click()

    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the current scenario", timeout=60_000)
    # the demo council has a current scenario; start again from its returns, where every assumption is zero and the
    # gap is the capital programme's financing costs alone (issue 19)
    page.get_by_role("button", name="Start again from the returns").click()
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the returns held", timeout=30_000)
    gap = page.get_by_test_id("stMetric").filter(has_text="Cumulative gap by").get_by_test_id("stMetricValue")
    expect(gap).to_have_text(re.compile(r"^£\d+\.\dm$"), timeout=30_000)
    start_gbp_m = float(gap.inner_text().strip("£m"))
    expect(page.get_by_text("Illustrative.", exact=False).first).to_be_visible()

    slider = (
        page.get_by_test_id("stSlider")
        .filter(has_text="Additional pressures (new each year), 2025-26")
        .get_by_role("slider")
    )
    slider.focus()
    for _ in range(20):  # £0.1m a step: £2.0m new in 2025-26, recurring to 2027-28
        slider.press("ArrowRight")
    expect(gap).to_have_text(f"£{start_gbp_m + 2.0:.1f}m", timeout=30_000)

    expect(page.get_by_test_id("stPlotlyChart").first).to_contain_text("Budget gap by year")
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "mtfs-scenarios.png"), full_page=True)
