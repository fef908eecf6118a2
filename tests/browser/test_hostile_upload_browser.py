"""An upload that used to end the server: a workbook whose only value is at XFD1048576 (calamine panicked) and one
with A1 as well (calamine asked for 512 GB and aborted the process, taking the Streamlit server down for every user).
Uploaded through the browser, each is refused naming the cell, and the server goes on serving pages."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_no_streamlit_exception
from tests.monitoring_corpus import CORNER, with_cell

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _healthy(app_url: str) -> bool:
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as response:
        return bool(response.status == 200)


def test_corner_cell_workbooks_are_refused_and_the_server_keeps_serving(
    page: Page, browser: Browser, app_url: str, screenshot_dir: Path
) -> None:
    page.goto(app_url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=60_000)
    nav.get_by_text("Upload monitoring").click()
    expect(page.get_by_role("heading", name="Upload monthly monitoring")).to_be_visible(timeout=30_000)

    files = {
        "only-the-last-cell.xlsx": with_cell(CORNER, sheets={"Revenue": []}),
        "a1-and-the-last-cell.xlsx": with_cell(CORNER),
    }
    for name, data in files.items():
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            {"name": name, "mimeType": XLSX, "buffer": data}
        )
        expect(page.get_by_text(f"{name} was refused")).to_be_visible(timeout=60_000)
        expect(page.get_by_test_id("stAlert").filter(has_text="refused")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_contain_text(f"Revenue!{CORNER}", timeout=30_000)
        assert _healthy(app_url)
        assert_no_streamlit_exception(page)
    page.screenshot(path=str(screenshot_dir / "upload-corner-cell-refused.png"), full_page=True)

    other = browser.new_page()  # another user, after both uploads: the same server still draws pages
    try:
        other.goto(app_url)
        expect(other.get_by_test_id("stSidebarNav")).to_be_visible(timeout=60_000)
        other.get_by_test_id("stSidebarNav").get_by_text("Upload history").click()
        expect(other.get_by_role("heading", name="Upload history")).to_be_visible(timeout=30_000)
        assert_no_streamlit_exception(other)
    finally:
        other.close()
