"""A shared link opens on the authority and year it names, a reload keeps them, and the first load of a new
server lists the pages by title, never by file name (issue 22, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from finance import benchmark
from finance.store import Store
from tests.browser.conftest import assert_no_streamlit_exception, start_server, stop_server, wait_for_app_run

PAGE_FILES = ("adequacy", "collection", "upload_history", "methodology", "overview", "resilience", "dsg")


def _other_authority(db: Path) -> tuple[str, str]:
    """An authority that is not the one a visit opens on (the demo council), with its name."""
    store = Store.open(str(db))
    try:
        listed = benchmark.authorities(store)
    finally:
        store.close()
    row = listed[listed["code"] != "DEMO01"].sort_values("name").iloc[0]
    return str(row["code"]), str(row["name"])


def test_a_link_and_a_reload_keep_the_selection(page: Page, tmp_path: Path, demo_db: str, screenshot_dir: Path) -> None:
    db = tmp_path / "headroom.duckdb"
    shutil.copy(demo_db, db)
    code, name = _other_authority(db)
    proc, url = start_server(db, tmp_path / "server.log")
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{url}/reserves?authority={code}&year=2023-24")  # a new server: its very first run
        wait_for_app_run(page)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Reserves benchmark", timeout=90_000)
        listed = {line.strip() for line in nav.inner_text().splitlines()}
        assert "Reserve adequacy" in listed
        assert not listed & set(PAGE_FILES), listed  # titles, not script names
        authority = page.get_by_test_id("stSelectbox").filter(has_text="Authority").locator("input")
        expect(authority).to_have_value(f"{name} · {code}", timeout=60_000)
        year = page.get_by_test_id("stSelectbox").filter(has_text="Financial year").locator("input")
        expect(year).to_have_value("2023-24")
        page.reload()
        wait_for_app_run(page)
        expect(authority).to_have_value(f"{name} · {code}", timeout=60_000)
        expect(year).to_have_value("2023-24")
        assert f"authority={code}" in page.url and "year=2023-24" in page.url
        assert_no_streamlit_exception(page)
        page.screenshot(path=str(screenshot_dir / "url-selection-after-reload.png"), full_page=True)
    finally:
        stop_server(proc)
