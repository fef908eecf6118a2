"""AppTest fixtures: the real app.py (navigation, sidebar, bootstrap) on a temporary database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_db: str) -> Callable[..., AppTest]:
    """`app()` gives an AppTest of app.py on a private copy of the demo database.

    Pass `db=` to use a prepared database (a missing or empty one is bootstrapped by the app, as on a first run),
    `official_dir=` to have official files imported at start, `query=` for the URL's query string (a link).
    """

    # AppTest resets Streamlit's legacy-`pages/` flag before every run, so each run would start in the mode a live
    # server is in only for its very first run (ui/shell.py). Start every run as a live server does after that
    # first run; the first-run path itself is tested in a real browser (tests/browser/test_reserves_browser.py).
    original_init = PagesManager.__init__

    def steady_state_init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", steady_state_init)

    def make(db: str | None = None, official_dir: str | None = None, query: dict[str, str] | None = None) -> AppTest:
        if db is None:
            db = str(tmp_path / "app.duckdb")
            copy_database(demo_db, db)
        monkeypatch.setenv("HEADROOM_DB", db)
        monkeypatch.setenv("HEADROOM_OFFICIAL_DIR", official_dir or str(tmp_path / "no-official"))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update(query or {})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def show_tables(at: AppTest) -> AppTest:
    """Turn on every "Show the data table" toggle (`ui.render.table_on_request`) and run again, as a reader who
    asks for every table would; the page's other widgets keep their values."""
    toggles = [t for t in at.toggle if str(t.key).endswith("-show") and not t.value]
    for toggle in toggles:
        toggle.set_value(True)
    if toggles:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at
