"""The selection lives in the URL: a link or a reload opens where the user left off, and a selection made in the
sidebar or a page's peer-group picker is written back to the URL (AppTest on the real app.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from finance import benchmark
from finance.store import Store

SEFTON = "E08000014"


def test_a_link_selects_authority_year_and_period(app: Callable[..., AppTest]) -> None:
    at = app(query={"authority": "DEMO01", "year": "2025-26", "period": "P6"})
    assert at.session_state["authority_code"] == "DEMO01"
    assert at.session_state["financial_year"] == "2025-26"
    assert at.session_state["monitoring_period"] == 6
    assert at.selectbox(key="sidebar_year").value == "2025-26"
    assert at.query_params["period"] == "P6"


def test_changing_the_sidebar_writes_the_url(app: Callable[..., AppTest]) -> None:
    at = app()
    assert at.query_params["authority"] == "DEMO01"
    assert at.query_params["year"] == at.session_state["financial_year"]
    at.selectbox(key="sidebar_year").set_value("2025-26").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["year"] == "2025-26"
    assert at.session_state["financial_year"] == "2025-26"  # the URL's older value did not win back
    held = at.selectbox(key="sidebar_period").options
    assert len(held) > 2
    at.selectbox(key="sidebar_period").set_value(at.selectbox(key="sidebar_period").options[-1]).run()
    assert at.query_params["period"].startswith("P")
    at.run()  # a rerun keeps it
    assert at.query_params["year"] == "2025-26"


def test_invalid_values_in_the_link_are_ignored_with_a_note(app: Callable[..., AppTest]) -> None:
    at = app(query={"authority": "E99999999", "year": "1066-67", "period": "P99"})
    assert not at.exception
    assert at.session_state["authority_code"] == "DEMO01"
    notes = " ".join(c.value for c in at.sidebar.caption)
    for bad in ("E99999999", "1066-67", "P99"):
        assert bad in notes, notes
    assert at.query_params["authority"] == "DEMO01"  # the URL now says what is shown
    assert "period" not in at.query_params


def test_the_peer_group_lives_in_the_url(app: Callable[..., AppTest]) -> None:
    at = app(query={"group": "UA"})
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="rb_group").value == "UA"
    at.selectbox(key="rb_group").set_value("ALL").run()
    assert at.query_params["group"] == "ALL"
    assert at.selectbox(key="rb_group").value == "ALL"


def test_an_unknown_group_in_the_link_is_ignored_with_a_note(app: Callable[..., AppTest]) -> None:
    at = app(query={"group": "XYZ"})
    at.switch_page("pages/reserves.py").run()
    assert not at.exception
    assert at.selectbox(key="rb_group").value == "MD"
    assert any("XYZ" in c.value for c in at.caption)


@pytest.fixture
def official_and_demo(tmp_path: Path, official_db: str) -> str:
    """The official returns and the illustrative demo in one database, as a first run with official files makes."""
    from finance.demo import build_demo

    db = tmp_path / "both.duckdb"
    shutil.copy(official_db, db)
    store = Store.open(str(db))
    try:
        build_demo(store)
        store.checkpoint()
        listed = benchmark.authorities(store)
    finally:
        store.close()
    real = listed[~listed["is_illustrative"].astype(bool)].sort_values("name")
    assert len(real) > 100  # official returns are loaded
    (tmp_path / "first.txt").write_text(str(real["code"].iloc[0]))
    return str(db)


def test_with_official_data_the_demo_council_is_not_the_default(
    app: Callable[..., AppTest], official_and_demo: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HEADROOM_DEFAULT_AUTHORITY", raising=False)
    at = app(db=official_and_demo)
    code = at.session_state["authority_code"]
    assert code != "DEMO01"
    assert code == (tmp_path / "first.txt").read_text()  # the first official authority by name


def test_the_default_authority_setting_wins(
    app: Callable[..., AppTest], official_and_demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADROOM_DEFAULT_AUTHORITY", SEFTON)
    at = app(db=official_and_demo)
    assert at.session_state["authority_code"] == SEFTON
    at = app(db=official_and_demo, query={"authority": "DEMO01"})  # a link wins over the setting
    assert at.session_state["authority_code"] == "DEMO01"
