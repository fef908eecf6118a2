"""The page view models issue 15 added so each page makes one call into finance (the pack, the upload history,
the demand page, the administration page's default folder), without Streamlit: each gives what its page drew when
the page called the functions behind it itself."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from finance import pack
from finance.admin_view import admin_view
from finance.committee import demand_page
from finance.indicators import demand_view, demand_year_options
from finance.monitoring import periods_held
from finance.store import Store
from finance.upload import history_table, history_view, withdraw_upload, withdrawable
from tests.conftest import copy_database

CODE, YEAR, SEFTON = "DEMO01", "2025-26", "E08000014"


@pytest.fixture
def demo(tmp_path: Path, demo_db: str) -> Iterator[Store]:
    store = Store.open(copy_database(demo_db, tmp_path / "demo.duckdb"))
    try:
        yield store
    finally:
        store.close()


def test_the_pack_page_offers_the_periods_newest_first_and_builds_the_named_file(demo: Store) -> None:
    page = pack.pack_page(demo, CODE, YEAR)
    held = periods_held(demo, CODE, YEAR)
    assert held and page.periods == tuple(reversed(held))
    assert page.default_index(held[0]) == len(held) - 1 and page.default_index(99) == 0  # not held: the newest
    assert page.period_text(None) == "No monitoring uploaded for this year"
    built = page.build(held[0], ["monitoring"], "xlsx")
    assert built.name == f"committee-pack-{CODE}-{YEAR}-P{held[0]}.xlsx" and built.mime == pack.FORMATS["xlsx"]
    assert built.sections == 1 and load_workbook(io.BytesIO(built.data)).sheetnames
    assert pack.pack_page(demo, CODE, "2015-16").periods == (None,)  # nothing held: one choice saying so


def test_the_history_view_is_the_table_and_what_can_still_be_withdrawn(demo: Store) -> None:
    before = history_view(demo, CODE)
    assert before.table.equals(history_table(demo, CODE)) and before.withdrawable == withdrawable(demo, CODE)
    withdraw_upload(demo, before.withdrawable[0])
    after = history_view(demo, CODE)
    assert after.withdrawable == before.withdrawable[1:]
    assert "Withdrawn" in set(after.table["Status"]) and after.table.equals(history_table(demo, CODE))


def test_the_admin_folder_starts_beside_the_database_without_a_schedule(demo: Store) -> None:
    view = admin_view(demo, None, None)
    assert view.default_folder == str(Path(demo.path).parent / "backups") == view.folder
    assert admin_view(demo, None, "/elsewhere").default_folder == view.default_folder


def test_the_demand_page_defaults_to_the_sidebars_year_where_held_and_builds_the_year_chosen(demand_db: str) -> None:
    store = Store.open(demand_db, read_only=True)
    try:
        years = demand_year_options(store, SEFTON)
        assert len(years) >= 2
        page = demand_page(store, SEFTON, None, years[1], "MD", "children")
        assert page.years == years and page.year_index == 1 and page.problem is None
        official, own = page.shown()
        assert official.summary.equals(demand_view(store, SEFTON, years[1], "MD", ("children",)).summary)
        assert own.heading.endswith(years[1])
        unheld = demand_page(store, SEFTON, "1999-00", "2000-01", "MD", "children")  # neither held: the newest
        assert unheld.year_index == 0
        assert unheld.shown()[0].summary.equals(demand_view(store, SEFTON, years[0], "MD", ("children",)).summary)
        chosen = demand_page(store, SEFTON, years[-1], years[0], "MD", "children")  # the picker's choice wins
        assert chosen.shown()[0].summary.equals(demand_view(store, SEFTON, years[-1], "MD", ("children",)).summary)
    finally:
        store.close()
