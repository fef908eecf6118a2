"""Reserve quality: Purpose and Status on the Reserves sheet, the Reserve plan sheet, what a scenario started from
an upload may draw on, and the workbooks that must be refused (every problem named by cell, nothing loaded).

Workbooks are built here as a finance team would write them and go through the real loader.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from finance.errors import InputError
from finance.monitoring import reserve_balances, sheet_lines, uncommitted_earmarked
from finance.mtfs import latest_series, starting_scenario
from finance.scenarios import BaseFigure, BaseFigures, run
from finance.scenarios.caveats import earmarked_text
from finance.store import Store
from finance.upload import load_upload, template_bytes
from tests.monitoring_corpus import AUTHORITY, add_authority, build
from tests.refusals import assert_only_refusals_added

YEAR = "2025-26"
FIELDS: dict[str, Any] = {"Authority": AUTHORITY, "Financial year": YEAR, "Period": "P6", "Units": "£000"}
HEADER = ["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance", "Purpose", "Status"]
RESERVES: list[list[Any]] = [
    HEADER,
    ["General fund balance", "Unallocated", 12_000, 500, 11_500, "Working balance", None],
    ["Budget risk reserve", "Earmarked", 20_000, 6_000, 14_000, "Budget risks", "Uncommitted"],
    ["Insurance reserve", "Earmarked", 5_000, -1_000, 6_000, "Notified claims", "committed"],
    ["Transformation reserve", "Earmarked", 4_000, 1_000, 3_000, None, "available"],  # a synonym: Uncommitted
    ["Schools balances", "Schools", 8_000, 0, 8_000, "Schools' own balances", None],
]
PLAN: list[list[Any]] = [
    ["Reserve", "Year", "Planned use"],
    ["Budget risk reserve", "2026-27", 2_500],
    ["budget risk reserve", "2027-28", 2_000],  # spelt differently: the Reserves sheet's name is kept
    ["Insurance reserve", "2026/27", -400],
]


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def _load(store: Store, sheets: dict[str, list[list[Any]]], fields: dict[str, Any] = FIELDS) -> Any:
    return load_upload(store, build(sheets, fields), "reserves.xlsx", isolated=False)


def test_purpose_status_and_plan_load_and_the_uncommitted_total_is_summed(db: Store) -> None:
    result = _load(db, {"Reserves": RESERVES, "Reserve plan": PLAN})
    assert result.line_counts == {"Reserves": 5, "Reserve plan": 3}
    lines = sheet_lines(db, "Reserves", AUTHORITY, YEAR, 6)
    assert list(lines["status"].fillna("")) == ["", "Uncommitted", "Committed", "Uncommitted", ""]
    assert list(lines["purpose"])[:2] == ["Working balance", "Budget risks"]
    balances = reserve_balances(lines, None)
    assert balances.earmarked_uncommitted_closing_gbp == 17_000_000.0  # 14,000 + 3,000 (£000)
    assert balances.earmarked_committed_closing_gbp == 6_000_000.0
    assert uncommitted_earmarked(db, AUTHORITY, YEAR) == (17_000_000.0, 6)
    plan = db.query("SELECT reserve, plan_year, planned_use_gbp FROM reserve_plan_line ORDER BY sheet_row")
    assert plan == [
        ("Budget risk reserve", "2026-27", Decimal("2500000.00")),
        ("Budget risk reserve", "2027-28", Decimal("2000000.00")),
        ("Insurance reserve", "2026-27", Decimal("-400000.00")),
    ]


def test_an_old_workbook_without_the_new_columns_still_loads_and_states_no_status(db: Store) -> None:
    old = [row[:5] for row in RESERVES]
    _load(db, {"Reserves": old})
    lines = sheet_lines(db, "Reserves", AUTHORITY, YEAR, 6)
    assert lines["status"].isna().all() and lines["purpose"].isna().all()
    assert reserve_balances(lines, None).earmarked_uncommitted_closing_gbp is None
    assert uncommitted_earmarked(db, AUTHORITY, YEAR) is None


def _refused(store: Store, sheets: dict[str, list[list[Any]]], fields: dict[str, Any] = FIELDS) -> list[Any]:
    before = store.dump()
    with pytest.raises(InputError) as err:
        _load(store, sheets, fields)
    assert_only_refusals_added(before, store.dump())
    return [(p.where, p.message, p.value) for p in err.value.problems]


def _with(rows: list[list[Any]], index: int, column: int, value: Any) -> list[list[Any]]:
    out = [list(r) for r in rows]
    out[index][column] = value
    return out


def test_an_unknown_status_is_refused_with_its_cell(db: Store) -> None:
    problems = _refused(db, {"Reserves": _with(RESERVES, 2, 6, "Pending")})
    assert problems == [("Reserves!G3", "Status must be one of Committed, Uncommitted", "Pending")]


def test_a_status_on_a_reserve_that_is_not_earmarked_is_refused(db: Store) -> None:
    problems = _refused(db, {"Reserves": _with(RESERVES, 1, 6, "Uncommitted")})
    assert problems == [
        ("Reserves!G2", "Status applies to earmarked reserves only: leave it blank for a Unallocated reserve",
         "Uncommitted"),
    ]  # fmt: skip


def test_an_earmarked_reserve_without_a_status_is_refused_when_the_column_is_there(db: Store) -> None:
    problems = _refused(db, {"Reserves": _with(RESERVES, 3, 6, None)})
    assert [w for w, _, _ in problems] == ["Reserves!G4"]
    assert "Status is required for an earmarked reserve" in problems[0][1]


def test_every_reserve_plan_problem_is_listed_with_its_cell(db: Store) -> None:
    plan = [
        *PLAN,
        ["Parks reserve", "2026-27", 100],  # not on the Reserves sheet
        ["Insurance reserve", "2033-34", 100],  # not an MTFS year
        ["Budget risk reserve", "2026-27", 100],  # a second line for the same reserve and year
    ]
    problems = _refused(db, {"Reserves": RESERVES, "Reserve plan": plan})
    assert [(w, m.split(":")[0].split(" (")[0]) for w, m, _ in problems] == [
        ("Reserve plan!A5", "is not a reserve on the Reserves sheet"),
        ("Reserve plan!B6", "Year must be one of the MTFS years"),
        ("Reserve plan!A7", "duplicate line"),
    ]
    assert "2026-27 to 2030-31" in problems[1][1]


def test_a_reserve_plan_number_that_is_not_finite_is_refused(db: Store) -> None:
    problems = _refused(db, {"Reserves": RESERVES, "Reserve plan": _with(PLAN, 1, 2, "Infinity")})
    assert problems == [("Reserve plan!C2", "Planned use must be a number", "Infinity")]


def test_a_reserve_plan_without_a_reserves_sheet_is_refused(db: Store) -> None:
    problems = _refused(db, {"Revenue": [["Directorate", "Budget", "Forecast outturn"], ["Adults", 1, 1]],
                             "Reserve plan": PLAN})  # fmt: skip
    assert problems == [("Reserve plan", "a Reserve plan needs the Reserves sheet in the same workbook (it names "
                         "the reserves)", "")]  # fmt: skip


def test_plan_years_follow_the_workbooks_mtfs_sheet_when_it_has_one(db: Store) -> None:
    mtfs = [["Year", "Gap before savings"], ["2026-27", 14_300], ["2027-28", 13_200], ["2028-29", 16_700]]
    plan = [*PLAN, ["Insurance reserve", "2029-30", 100]]  # within 5 years, but not an MTFS year of this workbook
    problems = _refused(db, {"Reserves": RESERVES, "MTFS": mtfs, "Reserve plan": plan})
    assert [w for w, _, _ in problems] == ["Reserve plan!B5"]
    assert "the MTFS sheet's years: 2026-27 to 2028-29" in problems[0][1]


def _base() -> BaseFigures:
    def figure(key: str, label: str, value: float) -> BaseFigure:
        return BaseFigure(key, label, value, "2024-25", "illustrative", "demo")

    return BaseFigures(
        AUTHORITY,
        "Northbridge",
        YEAR,
        True,
        (
            figure("net_revenue_budget", "Net revenue budget", 300.0),
            figure("unallocated_reserves", "Unallocated reserves", 11.5),
            figure("earmarked_reserves", "Earmarked reserves", 23.0),
        ),
    )


MTFS_ROWS = [["Year", "Gap before savings"], ["2026-27", 10_000], ["2027-28", 10_000], ["2028-29", 10_000]]


def test_a_scenario_from_an_upload_draws_only_on_uncommitted_earmarked_reserves_then_the_general_fund(
    db: Store,
) -> None:
    _load(db, {"Reserves": RESERVES, "MTFS": MTFS_ROWS})
    series = latest_series(db, AUTHORITY)
    assert series is not None and series.earmarked_uncommitted_gbp_m == pytest.approx(17.0)
    scenario = starting_scenario(series, _base())
    assert scenario.earmarked_available_gbp_m == pytest.approx(17.0)
    assert "uncommitted earmarked reserves, forecast closing balance at P6 2025-26" in scenario.description
    assert earmarked_text(scenario) is None  # the amount is stated: no warning
    proj = run(scenario)
    # cumulative gaps 10, 20, 30 (£m): year 1 takes 10 of the 17 uncommitted, year 2 the other 7 and 13 from the
    # general fund (11.5 → -1.5), year 3 all 30 from the general fund; the 6 committed are never touched
    assert list(proj.earmarked_closing[0]) == pytest.approx([13.0, 6.0, 6.0])
    assert list(proj.unallocated_closing[0]) == pytest.approx([11.5, -1.5, -31.5])


def test_without_a_status_column_every_earmarked_pound_is_drawable_and_the_warning_applies(db: Store) -> None:
    _load(db, {"Reserves": [row[:5] for row in RESERVES], "MTFS": MTFS_ROWS})
    series = latest_series(db, AUTHORITY)
    assert series is not None and series.earmarked_uncommitted_gbp_m is None
    scenario = starting_scenario(series, _base())
    assert scenario.earmarked_available_gbp_m is None
    assert (earmarked_text(scenario) or "").startswith("All £23.0m of earmarked reserves are assumed drawable")
    assert list(run(scenario).earmarked_closing[0]) == pytest.approx([13.0, 0.0, 0.0])


def test_the_template_has_the_status_column_and_a_reserve_plan_sheet_that_round_trip(db: Store) -> None:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(authority=AUTHORITY, year=YEAR, period=6)))
    assert [c.value for c in wb["Reserves"][1]] == HEADER
    assert [c.value for c in wb["Reserve plan"][1]] == ["Reserve", "Year", "Planned use"]
    for name in wb.sheetnames:
        if name not in ("Instructions", "Reserves", "Reserve plan"):
            del wb[name]
    for name in ("Reserves", "Reserve plan"):  # the example rows are refused until deleted
        wb[name].delete_rows(2)
    for row in RESERVES[1:]:
        wb["Reserves"].append(row)
    for row in PLAN[1:]:
        wb["Reserve plan"].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    result = load_upload(db, buf.getvalue(), "template.xlsx", isolated=False)
    assert result.line_counts == {"Reserves": 5, "Reserve plan": 3}


def test_a_database_made_before_reserve_quality_keeps_its_lines_with_no_status(tmp_path: Any) -> None:
    import duckdb

    from finance.store import SQL_DIR

    path = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at_utc TIMESTAMP)")
    for sql in sorted(SQL_DIR.glob("*.sql")):
        if sql.name < "110":
            conn.execute(sql.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migration VALUES (?, now())", [sql.name])
    conn.execute("INSERT INTO monitoring_reserves VALUES (1, 1, 6, 2, 'Budget risk', 'Earmarked', 10, 1, 9)")
    conn.close()
    store = Store.open(str(path))
    try:
        rows = store.query("SELECT reserve, reserve_type, closing_gbp, purpose, status FROM monitoring_reserves")
        assert rows == [("Budget risk", "Earmarked", 9, None, None)]
        with pytest.raises(duckdb.ConstraintException):  # a status belongs to earmarked reserves only
            store.write(
                lambda tx: tx.execute(
                    "INSERT INTO monitoring_reserves VALUES (1, 1, 6, 3, 'GF', 'Unallocated', 1, 0, 1, NULL, "
                    "'Committed')"
                )
            )
    finally:
        store.close()
