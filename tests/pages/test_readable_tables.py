"""Every table a page shows has headers in words, not a program's names (`value_pct`, `ons_code`, `sha256`).

Each page in pages/ is rendered through the real app.py (AppTest), on the demo database and on every official
return imported with Sefton selected, and every data frame's headers are read as the browser receives them. A
new page or table is covered without editing this test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import show_tables

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
# A header a person reads starts with a capital, a digit or a symbol and has no underscores; '' is a label column.
RAW = re.compile(r"^[a-z]|_")


def _raw_headers(at: AppTest) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in PAGES:
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        show_tables(at)  # the tables a reader asks for too
        raw = [str(c) for frame in at.dataframe for c in frame.value.columns if RAW.search(str(c))]
        if raw:
            found[page] = raw
    return found


def test_every_page_of_the_demo_shows_headers_in_words(app: Callable[..., AppTest]) -> None:
    at = app()
    shown = 0
    for page in PAGES:
        at.switch_page(f"pages/{page}").run()
        shown += len(show_tables(at).dataframe)
    assert shown > 40  # the pages really drew their tables
    assert _raw_headers(at) == {}


@pytest.mark.official
def test_every_page_with_official_data_shows_headers_in_words(
    app: Callable[..., AppTest], demand_db: str, tmp_path: Path
) -> None:
    db = tmp_path / "official.duckdb"
    shutil.copy(demand_db, db)
    at = app(db=str(db))
    at.session_state["authority_code"] = "E08000014"
    assert _raw_headers(at) == {}


def test_pages_draw_tables_only_through_the_shared_helper() -> None:
    """`ui.render.show_table` is what gives a table its words: a page calling `st.dataframe` itself would skip it."""
    direct = [p.name for p in (ROOT / "pages").glob("*.py") if "st.dataframe(" in p.read_text(encoding="utf-8")]
    direct += [p.name for p in (ROOT / "ui").glob("*.py") if p.name != "render.py" and "st.dataframe(" in p.read_text()]
    assert direct == []
