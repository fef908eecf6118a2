"""Every page in a real browser at 1280 and 1920 px wide: a screenshot of the whole page saved to tests/output/
(kept as CI artefacts, and looked at), no Streamlit exception, and no table header that is a program's name
(`value_pct`, `ons_code`) — read from the data grid's own column headers as the browser draws them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_no_streamlit_exception, start_server, stop_server, wait_for_app_run

# every page of app.py's navigation, by its URL path ("" is the overview)
PAGES = ("", "monitoring", "collection", "dsg", "capital", "nowcast", "adequacy", "methodology", "pack", "reserves",
         "resilience", "services", "demand", "scenarios", "targets", "upload", "upload_history", "sources",
         "admin")  # fmt: skip
WIDTHS = (1280, 1920)
RAW = re.compile(r"^[a-z]|_")
RAW_WORDS = re.compile(r"\b(value_pct|value_gbp_m|change_pct_points|change_gbp_m|ons_code|rank_lowest)\b")


_DRAWN = """() => document.querySelectorAll('[data-stale="true"], [data-testid="stSkeleton"]').length === 0
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.offsetParent !== null)
        .every(c => c.querySelector('.main-svg'))"""


def _settled(page: Page) -> None:
    """The script run has finished and every chart and table is drawn (Streamlit draws them as they come into view)."""
    wait_for_app_run(page)
    page.wait_for_function(_DRAWN, timeout=60_000)
    page.wait_for_timeout(500)  # plotly's own layout pass after the first draw


def _visit(page: Page, url: str, width: int, name: str, out: Path) -> list[str]:
    """Open the page at `width`, screenshot all of it, and return what is wrong with its headers or text."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    _settled(page)
    assert_no_streamlit_exception(page)
    # Streamlit scrolls inside its main block, so the window is made as tall as the page to capture all of it
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(1000, int(height)), 16_000)})
    _settled(page)
    page.screenshot(path=str(out / f"readable-{name}-{width}.png"), full_page=True)
    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_inner_texts()
    text = page.get_by_test_id("stMain").inner_text()
    return [f"header {h!r}" for h in headers if RAW.search(h.strip())] + RAW_WORDS.findall(text)


@pytest.fixture(scope="module")
def official_url(tmp_path_factory: pytest.TempPathFactory, demand_db: str) -> Iterator[str]:
    """A live server on every official return, the neighbour lists and the demand files."""
    folder = tmp_path_factory.mktemp("readable-official")
    db = folder / "official.duckdb"
    shutil.copy(demand_db, db)
    proc, url = start_server(db, folder / "server.log")
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_demo_page_at_two_widths(page: Page, app_url: str, screenshot_dir: Path, width: int) -> None:
    wrong = {p or "overview": _visit(page, f"{app_url}/{p}", width, f"demo-{p or 'overview'}", screenshot_dir)
             for p in PAGES}  # fmt: skip
    assert {p: w for p, w in wrong.items() if w} == {}
    assert len(list(screenshot_dir.glob(f"readable-demo-*-{width}.png"))) >= len(PAGES)


@pytest.mark.official
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_with_official_data_for_sefton(
    page: Page, official_url: str, screenshot_dir: Path, width: int
) -> None:
    wrong = {
        p or "overview": _visit(
            page, f"{official_url}/{p}?authority=E08000014", width, f"sefton-{p or 'overview'}", screenshot_dir
        )
        for p in PAGES
    }
    assert {p: w for p, w in wrong.items() if w} == {}
