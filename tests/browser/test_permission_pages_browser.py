"""A viewer opens the addresses of pages their role cannot use (/upload, /admin) and /targets directly: each says
why and who can grant it — never Streamlit's "Page not found", never a traceback — and offers nothing to do."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_streamlit_exception, start_server, stop_server, wait_for_app_run


def test_a_viewer_opening_pages_by_address_is_told_why(
    page: Page, tmp_path: Path, demo_db: str, screenshot_dir: Path
) -> None:
    db = tmp_path / "viewer.duckdb"
    shutil.copy(demo_db, db)
    config = tmp_path / "headroom.toml"
    config.write_text('[local]\nrole = "viewer"\n', encoding="utf-8")
    proc, url = start_server(db, tmp_path / "server.log", {"HEADROOM_CONFIG": str(config)})
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        for path, heading, words in (
            ("upload", "Upload monthly monitoring", "Your role (viewer) cannot upload monitoring workbooks"),
            ("admin", "Administration", "Your role (viewer) cannot use the administration page"),
        ):
            page.goto(f"{url}/{path}")
            wait_for_app_run(page)
            main = page.get_by_test_id("stMain")
            expect(main.get_by_role("heading", name=heading)).to_be_visible(timeout=120_000)
            refusal = main.get_by_test_id("stAlert").filter(has_text=words)
            expect(refusal).to_be_visible()
            expect(refusal).to_contain_text("that needs the")
            expect(refusal).to_contain_text("Ask an administrator (a user with the admin role")
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(main.get_by_test_id("stFileUploader")).to_have_count(0)
            expect(main.get_by_test_id("stButton")).to_have_count(0)
            nav = page.get_by_test_id("stSidebarNav")
            expect(nav).to_contain_text("Upload history")  # the viewer's own pages are listed ...
            expect(nav).not_to_contain_text("Upload monitoring")  # ... the ones it cannot use are not
            expect(nav).not_to_contain_text("Administration")
            assert_no_streamlit_exception(page)
            page.screenshot(path=str(screenshot_dir / f"permission-viewer-{path}.png"))
        page.goto(f"{url}/targets")
        wait_for_app_run(page)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("Your role (viewer) cannot set targets", exact=False)).to_be_visible(timeout=60_000)
        expect(main.get_by_role("button", name="Set target")).to_have_count(0)
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / "permission-viewer-targets.png"))
    finally:
        stop_server(proc)
