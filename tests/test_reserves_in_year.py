"""In-year reserves that add up: the one forecast balance, ring-fenced reserves, the stated minimum, and the
workbooks that must be refused (nothing loaded, the cell named).

Workbooks are built here as a finance team would write them and go through the real loader.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from finance.committee import overview
from finance.committee.figures import position
from finance.committee.queries import year_lines
from finance.committee.rag import Status
from finance.errors import InputError
from finance.monitoring import reserve_balances, reserve_settings, sheet_lines
from finance.store import SQL_DIR, Store
from finance.upload import load_upload
from tests.monitoring_corpus import add_authority

CODE, YEAR = "DEMO01", "2026-27"
RESERVES_HEADER = ["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance"]


def workbook(
    reserves: list[list[Any]],
    *,
    variance_k: int = 2_000,
    fields: tuple[tuple[str, Any], ...] = (),
    period: int = 6,
) -> bytes:
    """A £000 workbook: Instructions (+ `fields`), one Revenue line with `variance_k`, and the Reserves lines."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    for row in (("Authority", CODE), ("Financial year", YEAR), ("Period", f"P{period}"), ("Units", "£000"), *fields):
        info.append(list(row))
    revenue = wb.create_sheet("Revenue")
    revenue.append(["Directorate", "Budget", "Forecast outturn"])
    revenue.append(["Adults", 100_000, 100_000 + variance_k])
    ws = wb.create_sheet("Reserves")
    ws.append(RESERVES_HEADER)
    for row in reserves:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


LINES = [
    ["General fund balance", "Unallocated", 12_000, 500, 11_500],
    ["Budget risk reserve", "Earmarked", 20_000, 6_000, 14_000],
    ["Insurance reserve", "Earmarked reserve", 5_000, -1_000, 6_000],  # a contribution: negative use
    ["Public health grant reserve", "Public health", 1_500, 300, 1_200],
    ["Schools balances", "Schools", 8_000, 0, 8_000],
    ["DSG reserve", "DSG", 0, 0, 0],
    ["Other grant reserve", "Not usable", 700, 100, 600],
    ["PFI reserve", "Ring-fenced", 400, 0, 400],
]


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store, CODE, "Northbridge (illustrative)")
    return store


def _position(store: Store, period: int = 6) -> Any:
    return position(year_lines(store, CODE, YEAR, ("Revenue", "Reserves")), period)


# -- the rule, on hand-made lines ----------------------------------------------------------------------------------


def _frame(rows: list[list[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["reserve", "reserve_type", "opening_gbp", "forecast_use_gbp", "closing_gbp"])
    return frame.astype(dict.fromkeys(("opening_gbp", "forecast_use_gbp", "closing_gbp"), "float64"))


def test_the_overspend_is_met_from_the_general_fund_and_ring_fenced_balances_are_not_usable() -> None:
    lines = _frame(
        [
            ["GF", "Unallocated", 10e6, 1e6, 9e6],
            ["Risk", "Earmarked", 20e6, 5e6, 15e6],
            ["Grant", "Earmarked", 3e6, -1e6, 4e6],
            ["Public health", "Ring-fenced", 2e6, 0.5e6, 1.5e6],
        ]
    )
    res = reserve_balances(lines, 3e6, minimum_gf_balance_gbp=4e6)
    assert res.usable_closing_sheet_gbp == 28e6  # ring-fenced £1.5m not counted
    assert res.overspend_deducted_gbp == 3e6
    assert res.usable_closing_gbp == 25e6  # Σ usable forecast closing − the overspend
    assert res.unallocated_closing_gbp == 6e6
    assert res.draw_gbp == 8e6  # forecast use (1 + 5 − 1) + the overspend
    assert res.cover_years == pytest.approx(25 / 8)
    assert res.headroom_gbp == 2e6  # 6 − 4
    assert res.unallocated_draw_gbp == 4e6
    assert res.ring_fenced_closing_gbp == 1.5e6

    already = reserve_balances(lines, 3e6, overspend_in_reserves=True, minimum_gf_balance_gbp=4e6)
    assert already.overspend_deducted_gbp == 0 and already.usable_closing_gbp == 28e6
    assert already.draw_gbp == 5e6 and already.headroom_gbp == 5e6

    underspend = reserve_balances(lines, -2e6)
    assert underspend.usable_closing_gbp == 28e6 and underspend.headroom_gbp is None  # no minimum stated
    no_draw = reserve_balances(_frame([["GF", "Unallocated", 5e6, -1e6, 6e6]]), None)
    assert math.isinf(no_draw.cover_years) and no_draw.overspend_gbp is None


# -- through the loader --------------------------------------------------------------------------------------------


def test_ring_fenced_types_and_their_synonyms_load_and_are_shown_but_not_usable(db: Store) -> None:
    load_upload(db, workbook(LINES), "p6.xlsx")
    stored = sheet_lines(db, "Reserves", CODE, YEAR)
    assert stored["reserve_type"].tolist() == ["Unallocated", "Earmarked", "Earmarked", *["Ring-fenced"] * 5]
    pos = _position(db)
    assert pos.reserves is not None
    assert pos.reserves.ring_fenced_closing_gbp == pytest.approx(10_200_000)
    # usable: 11.5 + 14 + 6 = £31.5m on the sheet, less the £2m overspend the general fund meets
    assert pos.reserves_closing_gbp == pytest.approx(29_500_000)
    assert pos.unallocated_closing_gbp == pytest.approx(9_500_000)
    assert pos.annual_draw_gbp == pytest.approx((500 + 6_000 - 1_000 + 2_000) * 1000)
    assert pos.cover_years == pytest.approx(29_500 / 7_500)


def test_instructions_say_the_overspend_is_already_in_the_forecast_and_state_the_minimum(db: Store) -> None:
    fields = (("Minimum general fund balance", "9,000"), ("Overspend already in reserves forecast", "Yes"))
    load_upload(db, workbook(LINES, fields=fields), "p6.xlsx")
    settings = reserve_settings(db, CODE, YEAR)
    assert settings["overspend_in_reserves"].tolist() == [True]
    assert settings["minimum_gf_balance_gbp"].tolist() == [9_000_000.0]  # in the workbook's units (£000)
    pos = _position(db)
    assert pos.reserves_closing_gbp == pytest.approx(31_500_000)  # nothing deducted: already in forecast use
    assert pos.headroom_gbp == pytest.approx(2_500_000)

    card = overview.build(db, CODE, YEAR).card("minimum_headroom")
    assert card.value_text == "£2.5m above" and card.figure == pytest.approx(2.5)
    assert card.status is Status.GREEN  # £2.5m is five years of this year's £0.5m draw on the general fund
    assert "stated minimum £9.0m" in card.detail_text


def test_headroom_below_the_stated_minimum_is_red_and_absent_is_not_rated(db: Store) -> None:
    load_upload(db, workbook(LINES, fields=(("Minimum general fund balance", 10_000),)), "p6.xlsx")
    view = overview.build(db, CODE, YEAR)
    card = view.card("minimum_headroom")
    # general fund £11.5m forecast − the £2m overspend = £9.5m, below the stated £10m minimum
    assert card.value_text == "£0.5m below" and card.status is Status.RED
    assert card.figure == pytest.approx(-0.5) and card.basis == "in_year_forecast"
    assert "£0.5m below the council's stated minimum" in view.summary and "— red" in view.summary

    load_upload(db, workbook(LINES, period=7), "p7.xlsx")  # P7 states no minimum
    later = overview.build(db, CODE, YEAR).card("minimum_headroom")
    assert later.status is Status.NOT_RATED and later.value is None
    assert later.detail_text.startswith("no minimum stated")
    assert "5%" not in later.detail_text  # the scenarios' convention never stands in for the council's minimum
    assert "no minimum general fund balance" in overview.build(db, CODE, YEAR).summary


def test_a_healthy_margin_above_the_minimum_is_green(db: Store) -> None:
    load_upload(db, workbook(LINES, variance_k=0, fields=(("Minimum general fund balance", 5_000),)), "p6.xlsx")
    card = overview.build(db, CODE, YEAR).card("minimum_headroom")
    assert card.figure == pytest.approx(6.5) and card.status is Status.GREEN  # £6.5m ≫ this year's £0.5m draw


# -- refused input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reserves", "fields", "where", "words"),
    [
        ([["Mystery reserve", "Sinking fund", 1_000, 0, 1_000]], (), "Reserves!B2", "Type must be one of"),
        (LINES[:1], (("Minimum general fund balance", -5_000),), "Instructions!B5", "must not be negative"),
        (LINES[:1], (("Minimum general fund balance", "about 5m"),), "Instructions!B5", "must be a number"),
        (LINES[:1], (("Overspend already in reserves forecast", "Maybe"),), "Instructions!B5", "Yes or No"),
        ([["General fund balance", "Unallocated", 12_000, 500, 12_000]], (), "Reserves!E2", "opening balance"),
    ],
)
def test_bad_reserves_input_is_refused_with_the_cell_named_and_nothing_loaded(
    db: Store, reserves: list[list[Any]], fields: tuple[tuple[str, Any], ...], where: str, words: str
) -> None:
    before = db.dump()
    with pytest.raises(InputError) as err:
        load_upload(db, workbook(reserves, fields=fields), "bad.xlsx")
    assert [(p.where, words in p.message) for p in err.value.problems] == [(where, True)]
    assert db.dump() == before


def test_a_workbook_before_any_authority_is_loaded_says_how_to_import_them(store: Store) -> None:
    before = store.dump()
    with pytest.raises(InputError) as err:
        load_upload(store, workbook(LINES[:1]), "first.xlsx")
    (problem,) = err.value.problems
    assert problem.where == "Instructions!B1"
    assert "no authorities are loaded yet" in problem.message and "import-official" in problem.message
    assert store.dump() == before


# -- old uploads and old databases -----------------------------------------------------------------------------------


def test_an_old_workbook_with_only_unallocated_and_earmarked_still_loads(db: Store) -> None:
    old = [["General fund", "General fund", 10_000, 0, 10_000], ["Risk", "Earmarked", 5_000, 1_000, 4_000]]
    load_upload(db, workbook(old, variance_k=0), "old.xlsx")
    pos = _position(db)
    assert pos.reserves_closing_gbp == pytest.approx(14_000_000) and pos.headroom_gbp is None


_RESERVE_COLUMNS = (
    "(upload_id, source_id, period, sheet_row, reserve, reserve_type, opening_gbp, forecast_use_gbp, closing_gbp)"
)


def test_a_database_made_before_ring_fenced_reserves_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at_utc TIMESTAMP)")
    for sql in sorted(SQL_DIR.glob("*.sql")):
        if sql.name < "065":
            conn.execute(sql.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migration VALUES (?, now())", [sql.name])
    conn.execute("INSERT INTO monitoring_reserves VALUES (1, 1, 6, 2, 'General fund', 'Unallocated', 10, 1, 9)")
    conn.close()
    store = Store.open(str(path))
    try:
        assert store.query("SELECT reserve, reserve_type, closing_gbp FROM monitoring_reserves") == [
            ("General fund", "Unallocated", 9)
        ]
        assert store.query("SELECT overspend_in_reserves, minimum_gf_balance_gbp FROM monitoring_upload") == []
        with pytest.raises(duckdb.ConstraintException):
            store.write(
                lambda tx: tx.execute(
                    f"INSERT INTO monitoring_reserves {_RESERVE_COLUMNS} "
                    "VALUES (1, 1, 6, 3, 'X', 'Sinking fund', 1, 0, 1)"
                )
            )
        store.write(
            lambda tx: tx.execute(
                f"INSERT INTO monitoring_reserves {_RESERVE_COLUMNS} VALUES (1, 1, 6, 3, 'PH', 'Ring-fenced', 1, 0, 1)"
            )
        )
    finally:
        store.close()
