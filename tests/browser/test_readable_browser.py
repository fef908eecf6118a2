"""Every page in a real browser at 1280 and 1920 px wide: a screenshot of the whole page saved to tests/output/
(kept as CI artefacts, and looked at), no Streamlit exception, no table header that is a program's name
(`value_pct`, `ons_code`) — read from the data grid's own column headers as the browser draws them — no two value
labels on a chart's bars overlapping or touching (their boxes as drawn), and no request to any host but this
server's (councils run Headroom offline or behind proxies: a font, icon or script from the internet would fail)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

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


# each pair of value labels drawn on one chart's bars that run into each other ("66.3%66.3%"): their boxes, 1 px
# wider each side, meet, counting only the middle 60% of a box's height (a box holds the line's spacing above and
# below the figures, which labels of neighbouring horizontal bars may share without touching)
_LABELS_MEETING = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(chart => {
    const boxes = [...chart.querySelectorAll('text.bartext')].filter(t => {
        const s = getComputedStyle(t);
        return s.display !== 'none' && s.visibility !== 'hidden' && t.textContent.trim()
            && t.getBoundingClientRect().width > 0;
    }).map(t => {
        const r = t.getBoundingClientRect(), inset = 0.2 * r.height;
        return [t.textContent, r.left - 1, r.top + inset, r.right + 1, r.bottom - inset];
    });
    const title = (chart.querySelector('.gtitle') || {}).textContent || '';
    const meeting = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a[1] < b[3] && b[1] < a[3] && a[2] < b[4] && b[2] < a[4]) meeting.push(`${title}: ${a[0]} / ${b[0]}`);
    }));
    return meeting;
})"""
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

_DRAWN = """() => document.querySelectorAll('[data-stale="true"], [data-testid="stSkeleton"]').length === 0
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.offsetParent !== null)
        .every(c => c.querySelector('.main-svg'))"""


def _settled(page: Page) -> None:
    """The script run has finished and every chart and table is drawn (Streamlit draws them as they come into view)."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)  # the run has started (it writes a title)
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
    labels = [f"bar labels meet: {m}" for m in page.evaluate(_LABELS_MEETING)]
    return [f"header {h!r}" for h in headers if RAW.search(h.strip())] + RAW_WORDS.findall(text) + labels


@pytest.fixture
def external_requests(page: Page) -> list[str]:
    """Every request the page makes to a host other than this machine (filled in as the test browses)."""
    seen: list[str] = []

    def record(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
            seen.append(url)

    page.on("request", lambda request: record(request.url))
    return seen


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
def test_every_demo_page_at_two_widths(
    page: Page, app_url: str, screenshot_dir: Path, width: int, external_requests: list[str]
) -> None:
    wrong = {p or "overview": _visit(page, f"{app_url}/{p}", width, f"demo-{p or 'overview'}", screenshot_dir)
             for p in PAGES}  # fmt: skip
    assert {p: w for p, w in wrong.items() if w} == {}
    assert external_requests == []
    assert len(list(screenshot_dir.glob(f"readable-demo-*-{width}.png"))) >= len(PAGES)


@pytest.mark.official
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_with_official_data_for_sefton(
    page: Page, official_url: str, screenshot_dir: Path, width: int, external_requests: list[str]
) -> None:
    wrong = {
        p or "overview": _visit(
            page, f"{official_url}/{p}?authority=E08000014", width, f"sefton-{p or 'overview'}", screenshot_dir
        )
        for p in PAGES
    }
    assert {p: w for p, w in wrong.items() if w} == {}
    assert external_requests == []
