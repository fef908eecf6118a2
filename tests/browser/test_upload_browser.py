"""A finance officer uploads a monitoring workbook through the browser: a bad one is refused with a table of
problems naming the cells; a good one is previewed and loaded on confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception
from tests.monitoring_corpus import build, revenue

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open_upload_page(page: Page, app_url: str) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("Upload monitoring").click()
    expect(page.get_by_role("heading", name="Upload monthly monitoring")).to_be_visible(timeout=30_000)


def test_invalid_workbook_shows_the_errors_table(page: Page, app_url: str, screenshot_dir: Path) -> None:
    _open_upload_page(page, app_url)
    bad = revenue(["Adults", None, "n/a", 100, None], ["Adults", None, 1, 2, 1])
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": "bad-monitoring.xlsx", "mimeType": XLSX, "buffer": bad}
    )
    alert = page.get_by_test_id("stAlert").filter(has_text="refused")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("2 problems")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and load")).to_have_count(0)
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "upload-refused.png"), full_page=True)


def test_valid_workbook_is_previewed_and_loaded(page: Page, app_url: str, screenshot_dir: Path) -> None:
    _open_upload_page(page, app_url)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": "good-monitoring.xlsx", "mimeType": XLSX, "buffer": build()}
    )
    expect(page.get_by_role("heading", name="What will be loaded")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Confirm and load").click()
    expect(page.get_by_test_id("stAlert").filter(has_text="Loaded good-monitoring.xlsx")).to_be_visible(timeout=30_000)
    assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "upload-loaded.png"), full_page=True)
