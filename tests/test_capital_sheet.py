"""The multi-year Capital programme sheet and the debt position on the Instructions sheet: a good workbook loads
every line in £ with its position; each kind of bad input is refused naming its cell, and nothing is loaded."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from finance.errors import InputError
from finance.store import Store
from finance.upload import load_upload, template_bytes
from tests.monitoring_corpus import AUTHORITY, FIELDS, add_authority, build

HEADER = ["Scheme", "Directorate", "Year", "Budget", "Grants and contributions", "Capital receipts", "Revenue",
          "Prudential borrowing", "Asset life (years)", "Slippage"]  # fmt: skip
ROWS: list[list[Any]] = [
    ["Town centre", "Place", "2025-26", 10_000, 4_000, 1_000, None, 5_000, 40, 500],
    ["Town centre", "Place", "2026-27", 6_000, 2_000, None, None, 4_000, 40, None],
    ["Fleet", "Neighbourhoods", "2026-27", 3_000, None, None, None, 3_000, 7, None],
    ["School places", "Children's", "2027-28", 8_000, 8_000, None, None, None, None, None],
]
POSITION = {
    "Capital financing requirement at 1 April": 420_000,
    "External debt at 1 April": 310_000,
    "Average interest rate on existing debt (%)": 3.9,
    "Authorised limit": 480_000,
    "Operational boundary": 450_000,
    "Financing costs limit (% of net revenue stream)": 10,
    "MRP method": "Straight line",
}


def workbook(rows: list[list[Any]] | None = None, position: dict[str, Any] | None = None, **extra: Any) -> bytes:
    fields = {**FIELDS, **POSITION, **(position or {})}
    sheets = {"Capital programme": [HEADER, *[list(r) for r in (ROWS if rows is None else rows)]], **extra}
    return build(sheets, {k: v for k, v in fields.items() if v is not None})


@pytest.fixture
def demo(store: Store) -> Store:
    add_authority(store)
    return store


def test_a_programme_and_position_load_in_pounds(demo: Store) -> None:
    result = load_upload(demo, workbook(), "programme.xlsx", isolated=False)
    assert result.line_counts == {"Capital programme": 4} and result.periods == []
    lines = demo.query(
        """SELECT scheme, programme_year, budget_gbp, grants_gbp, receipts_gbp, revenue_gbp, borrowing_gbp,
                  asset_life_years, slippage_gbp FROM capital_programme_line ORDER BY sheet_row"""
    )
    k = Decimal(1000)
    assert lines[0] == ("Town centre", "2025-26", 10_000 * k, 4_000 * k, 1_000 * k, None, 5_000 * k, 40, 500 * k)
    assert lines[3][6] is None and lines[3][7] is None  # no borrowing, no asset life: missing, not zero
    position = demo.query_one(
        """SELECT as_at, cfr_gbp, external_debt_gbp, existing_rate_pct, authorised_limit_gbp,
                  operational_boundary_gbp, financing_limit_pct, mrp_method FROM capital_position"""
    )
    assert position == (date(2025, 4, 1), 420_000 * k, 310_000 * k, Decimal("3.9"), 480_000 * k, 450_000 * k,
                        Decimal(10), "straight_line")  # fmt: skip


def test_funding_within_rounding_loads_beyond_it_is_refused(demo: Store) -> None:
    # £000 workbook: a step is £1,000, so sources may differ from the budget by £1,500 and no more
    within = [["Fleet", "Neighbourhoods", "2026-27", 3_000, 1_501, None, None, 1_500.5, 7, None]]
    assert load_upload(demo, workbook(within), "within.xlsx", isolated=False).status == "loaded"
    before = demo.dump()
    beyond = [["Fleet", "Neighbourhoods", "2026-27", 3_000, 1_000, None, None, 2_001.6, 7, None]]  # 1.6 steps
    with pytest.raises(InputError) as err:
        load_upload(demo, workbook(beyond), "beyond.xlsx", isolated=False)
    assert [(p.where, p.message.split(" (")[0]) for p in err.value.problems] == [
        (
            "Capital programme!D2",
            "Budget must equal grants and contributions + capital receipts + revenue + prudential borrowing",
        )
    ]
    assert demo.dump() == before


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        (["Fleet", "N", "2026-27", -3_000, None, None, None, None, None, None], "D2", "Budget must not be negative"),
        (["Fleet", "N", "2026-27", 3_000, None, None, None, 3_000, 0, None], "I2", "must be more than zero"),
        (["Fleet", "N", "2026-27", 3_000, None, None, None, 3_000, -5, None], "I2", "must be more than zero"),
        (["Fleet", "N", "2026-27", 3_000, None, None, None, 3_000, None, None], "I2", "Asset life (years) is required"),
        (["Fleet", "N", "2026-27", 3_000, None, None, None, 3_000, 7.5, None], "I2", "must be a whole number of years"),
        (["Fleet", "N", "2031-32", 3_000, 3_000, None, None, None, None, None], "C2", "Year must be one of the MTFS"),
        (["Fleet", "N", "2024-25", 3_000, 3_000, None, None, None, None, None], "C2", "Year must be one of the MTFS"),
        (["Fleet", "N", "2026-27", 3_000, -1_000, None, None, 4_000, 7, None], "E2", "must not be negative"),
    ],
)
def test_bad_rows_are_refused_by_cell_and_nothing_loads(demo: Store, row: list[Any], where: str, message: str) -> None:
    before = demo.dump()
    with pytest.raises(InputError) as err:
        load_upload(demo, workbook([row]), "bad.xlsx", isolated=False)
    assert any(p.where == f"Capital programme!{where}" and message in p.message for p in err.value.problems), [
        (p.where, p.message) for p in err.value.problems
    ]
    assert demo.dump() == before


def test_years_are_those_of_the_mtfs_sheet_when_the_workbook_has_one(demo: Store) -> None:
    mtfs = [["Year", "Gap before savings"], ["2026-27", 10_000], ["2027-28", 8_000], ["2028-29", 5_000]]
    ok = [["Fleet", "N", "2028-29", 3_000, 3_000, None, None, None, None, None]]
    assert load_upload(demo, workbook(ok, MTFS=mtfs), "with-mtfs.xlsx", isolated=False).status == "loaded"
    before = demo.dump()
    outside = [["Fleet", "N", "2029-30", 3_000, 3_000, None, None, None, None, None]]
    with pytest.raises(InputError) as err:
        load_upload(demo, workbook(outside, MTFS=mtfs), "outside.xlsx", isolated=False)
    assert [p.message for p in err.value.problems] == ["Year must be one of the MTFS years 2025-26 to 2028-29"]
    assert demo.dump() == before


def test_duplicate_scheme_year_is_refused(demo: Store) -> None:
    rows = [ROWS[2], ROWS[2]]
    before = demo.dump()
    with pytest.raises(InputError) as err:
        load_upload(demo, workbook(rows), "dup.xlsx", isolated=False)
    assert [p.where for p in err.value.problems] == ["Capital programme!A3"]
    assert demo.dump() == before


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("Authorised limit", -1, "Authorised limit must not be negative"),
        ("Operational boundary", "(450,000)", "Operational boundary must not be negative"),
        ("Financing costs limit (% of net revenue stream)", -2, "must not be negative"),
        ("Financing costs limit (% of net revenue stream)", 120, "must be a percentage from 0 to 100"),
        ("External debt at 1 April", "lots", "External debt at 1 April must be a number"),
        ("MRP method", "Whatever", "MRP method must be Annuity or Straight line"),
    ],
)
def test_bad_position_fields_are_refused_naming_the_cell(demo: Store, label: str, value: Any, message: str) -> None:
    before = demo.dump()
    with pytest.raises(InputError) as err:
        load_upload(demo, workbook(position={label: value}), "bad-position.xlsx", isolated=False)
    row = 2 + list({**FIELDS, **POSITION}).index(label)
    assert [(p.where, message in p.message) for p in err.value.problems] == [(f"Instructions!B{row}", True)]
    assert demo.dump() == before


def test_old_workbook_naming_its_current_year_sheet_capital_programme_still_loads(demo: Store) -> None:
    old = {"Capital programme": [["Scheme", "Budget", "Forecast", "Spend to date"], ["Depot", 2_000, 1_900, 800]]}
    result = load_upload(demo, build(old, FIELDS), "old.xlsx", isolated=False)
    assert result.line_counts == {"Capital": 1}
    assert demo.scalar("SELECT count(*) FROM capital_programme_line") == 0
    assert demo.scalar("SELECT forecast_gbp FROM monitoring_capital") == Decimal(1_900_000)


def test_template_has_the_programme_sheet_and_the_position_fields() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(authority=AUTHORITY)))
    sheet = wb["Capital programme"]
    assert [c.value for c in sheet[1]] == HEADER
    labels = {wb["Instructions"].cell(r, 1).value for r in range(1, 40)}
    assert set(POSITION) <= labels
    assert "Capital" in wb.sheetnames  # the current-year sheet stays
