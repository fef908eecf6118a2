"""A user chooses the ONS nearest neighbours (NN) in the peer-group picker of the resilience profile and sees the
group's members, with whether each is in the comparison (issue 20)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception, start_server, stop_server, wait_for_app_run

pytestmark = pytest.mark.official

MIDDLESBROUGH = "E06000002"


def test_choosing_nn_lists_the_neighbours(page: Page, tmp_path: Path, peer_db: str, screenshot_dir: Path) -> None:
    db = tmp_path / "peers.duckdb"
    shutil.copy(peer_db, db)
    proc, url = start_server(db, tmp_path / "server.log", {"HEADROOM_DEFAULT_AUTHORITY": MIDDLESBROUGH})
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{url}/resilience")
        wait_for_app_run(page)
        picker = page.get_by_test_id("stSelectbox").filter(has_text="Peer group")
        expect(picker).to_be_visible(timeout=90_000)
        picker.click()
        page.get_by_role("option", name="ONS statistical nearest neighbours (20 + the authority)").click()
        wait_for_app_run(page)
        expect(page.get_by_text("global model, released 14 February 2025", exact=False).first).to_be_visible(
            timeout=60_000
        )
        expect(page.get_by_role("heading", name="Peer group members")).to_be_visible()
        members = page.get_by_test_id("stExpander").filter(has_text="Who is in the comparison")
        expect(members).to_be_visible()
        expect(members.get_by_test_id("stDataFrame")).to_be_visible(timeout=30_000)
        wait_for_app_run(page)
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / "resilience-nn-members.png"), full_page=True)
    finally:
        stop_server(proc)
