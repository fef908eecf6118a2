"""The MTFS scenarios page in a real browser (issue 22): one group of inputs at a time, every value kept when the
group changes; a slider step and a save rerun only a fragment, never the whole page; screenshots at 1280 and
1920 px wide into tests/output/.

Which runs the server finished is read from the websocket itself: each `script_finished` message carries a status,
0 for the whole script and 3 for a fragment (Streamlit's ForwardMsg field 6), recorded by an init script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import assert_no_streamlit_exception, wait_for_app_run

WATCH = """
(() => {
  const runs = [];
  window.__runs = runs;
  const status = (bytes) => {  // top-level field 6 (varint) of a ForwardMsg, or -1
    const b = new Uint8Array(bytes);
    let i = 0;
    const varint = () => { let r = 0, s = 0, x; do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; }
                           while (x & 0x80 && i < b.length); return r; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return -1; }
    }
    return -1;
  };
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const note = (bytes) => { const s = status(bytes); if (s >= 0) runs.push(s); };
        if (event.data instanceof ArrayBuffer) note(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(note);
      });
    }
  };
})();
"""
WHOLE, STOPPED, FRAGMENT = 0, 2, 3  # a run stopped early for a newer one (the next key press) is 2
PRESSURES = "Additional pressures (new each year), 2025-26"
COUNCIL_TAX = "Council tax increase (core)"


def _runs_since(page: Page, mark: int) -> list[int]:
    return list(page.evaluate("(m) => window.__runs.slice(m)", mark))


def _mark(page: Page) -> int:
    return int(page.evaluate("() => window.__runs.length"))


def _slider(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")


def _screenshot(page: Page, path: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    wait_for_app_run(page)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(1000, int(height)), 16_000)})
    charts = "[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
    page.wait_for_function(f"() => {charts}.every(c => c.querySelector('.main-svg'))", timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.slow
def test_groups_keep_values_and_a_step_or_a_save_reruns_only_a_fragment(
    page: Page, app_url: str, screenshot_dir: Path
) -> None:
    page.add_init_script(WATCH)
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("MTFS scenarios").click()
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the current scenario", timeout=90_000)
    wait_for_app_run(page)
    page.get_by_role("button", name="Start again from the returns").click(timeout=90_000)
    expect(page.get_by_text("Starting from", exact=False).first).to_contain_text("the returns held", timeout=60_000)
    gap = page.get_by_test_id("stMetric").filter(has_text="Cumulative gap by").get_by_test_id("stMetricValue")
    expect(gap).to_have_text(re.compile(r"^£\d+\.\dm$"), timeout=30_000)
    start_gbp_m = float(gap.inner_text().strip("£m"))
    expect(page.get_by_role("radio", name="Spending and pressures")).to_be_checked()
    expect(_slider(page, COUNCIL_TAX)).to_have_count(0)  # the funding group is not drawn

    mark = _mark(page)
    pressures = _slider(page, PRESSURES)
    pressures.focus()
    for _ in range(10):  # £0.1m a step: £1.0m new in 2025-26, recurring to 2027-28
        pressures.press("ArrowRight")
    expect(gap).to_have_text(f"£{start_gbp_m + 1.0:.1f}m", timeout=30_000)
    wait_for_app_run(page)
    runs = _runs_since(page, mark)
    assert FRAGMENT in runs and set(runs) <= {STOPPED, FRAGMENT}, runs  # the results alone, never the page
    pressure_now = pressures.input_value()  # the slider is a range input inside the thumb

    page.get_by_role("radio", name="Funding").click()
    council_tax = _slider(page, COUNCIL_TAX)
    expect(council_tax).to_have_count(1, timeout=30_000)
    expect(_slider(page, PRESSURES)).to_have_count(0)
    wait_for_app_run(page)
    council_tax.focus()
    for _ in range(20):  # 0.1 points a step: 2% more council tax
        council_tax.press("ArrowRight")
    expect(gap).not_to_have_text(f"£{start_gbp_m + 1.0:.1f}m", timeout=30_000)  # council tax closes some of it
    wait_for_app_run(page)
    with_tax, tax_now = gap.inner_text(), council_tax.input_value()
    assert float(pressure_now) > 0 and float(tax_now) > 0

    page.get_by_role("radio", name="Spending and pressures").click()  # back: the pressure is where it was left
    expect(_slider(page, PRESSURES)).to_have_value(pressure_now, timeout=30_000)
    page.get_by_role("radio", name="Funding").click()
    expect(_slider(page, COUNCIL_TAX)).to_have_value(tax_now, timeout=30_000)
    expect(gap).to_have_text(with_tax)
    wait_for_app_run(page)

    page.get_by_label("Scenario name").fill("Browser fragments")
    page.get_by_label("Scenario name").press("Enter")
    page.get_by_label("Your name (recorded with the saved scenario)").fill("A. Tester")
    page.get_by_label("Your name (recorded with the saved scenario)").press("Tab")
    wait_for_app_run(page)
    mark = _mark(page)
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved Browser fragments v1", timeout=60_000)
    wait_for_app_run(page)
    runs = _runs_since(page, mark)
    assert FRAGMENT in runs and set(runs) <= {STOPPED, FRAGMENT}, runs  # the saved scenarios' fragment alone
    # the list drawn after the save holds it: the demo's one saved scenario and this one (the picker's own
    # screen-reader announcement; the options themselves are drawn in a virtual list)
    page.get_by_role("combobox", name="Saved scenario", exact=True).click()
    expect(page.get_by_role("log").filter(has_text="options available")).to_contain_text("2 options available")
    page.keyboard.press("Escape")
    assert_no_streamlit_exception(page)

    for width in (1280, 1920):
        _screenshot(page, screenshot_dir / f"mtfs-scenarios-groups-{width}.png", width)
