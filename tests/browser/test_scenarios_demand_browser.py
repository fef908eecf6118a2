"""A user opens the MTFS scenarios page started from the demo council's returns and its uploaded Demand sheet, moves
a demand line's growth slider, and sees the gap rise by that line's pressure."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception

# The demo's Demand sheet, latest period (finance/upload/demo_demand.py): children looked after at a forecast unit
# cost; the page's tooltip states both, and the test reads them from the page rather than assuming them.
LINE = "Demand growth: Children looked after (Children's social care)"


def test_moving_a_demand_slider_raises_the_gap(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("MTFS scenarios").click()
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the current scenario", timeout=60_000)
    page.get_by_role("button", name="Start again from the returns").click(timeout=90_000)
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("demand lines of", timeout=60_000)
    gap = page.get_by_test_id("stMetric").filter(has_text="Cumulative gap by").get_by_test_id("stMetricValue")
    expect(gap).to_have_text(re.compile(r"^£\d+\.\dm$"), timeout=30_000)
    start_gbp_m = float(gap.inner_text().strip("£m"))
    caution = page.get_by_test_id("stAlert").filter(has_text="Demand lines, each a pressure line")
    expect(caution).to_be_visible()
    found = re.search(r"Children looked after \(Children's social care\): ([\d,]+) children at £([\d,.]+) a year",
                      caution.inner_text())  # fmt: skip
    assert found is not None
    volume, unit_cost = (float(g.replace(",", "")) for g in found.groups())

    page.get_by_role("radio", name="Demand lines").click()  # the inputs are drawn one group at a time
    slider = page.get_by_test_id("stSlider").filter(has_text=LINE).get_by_role("slider")
    slider.focus()
    start_pct = float(slider.input_value())  # the slider is a range input inside the thumb
    for _ in range(30):  # 0.1 point a step, up to 3.0% more children each year, compounding over three years
        slider.press("ArrowRight")
    # Presses made faster than the page reruns can be merged by the browser, so the test reads the growth the slider
    # shows once it is still, and requires the gap to be the start plus that growth's pressure: what the user sees on
    # the slider is what the gap includes. At least a third of the presses must have landed.
    deadline = time.monotonic() + 30
    while True:
        growth_pct = float(slider.input_value())
        pressure_gbp_m = volume * unit_cost * ((1 + growth_pct / 100) ** 3 - (1 + start_pct / 100) ** 3) / 1e6
        if gap.inner_text() == f"£{start_gbp_m + pressure_gbp_m:.1f}m" or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert growth_pct >= start_pct + 1.0, (start_pct, growth_pct)
    expect(gap).to_have_text(f"£{start_gbp_m + pressure_gbp_m:.1f}m", timeout=5_000)
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "mtfs-scenarios-demand.png"), full_page=True)
