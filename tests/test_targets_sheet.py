"""The `Targets` sheet of the monthly workbook (issue 18 item 3): each row is a target set by the upload; an unknown
series, units not the series' own, an unknown direction or a target date before the end of the upload's period is
refused with its cell, every problem at once, and nothing is loaded (store.dump() unchanged)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from finance.errors import InputError
from finance.store import Store
from finance.targets import current_targets, target_history
from finance.upload import load_upload, withdraw_upload
from finance.workbook import template_bytes
from tests.monitoring_corpus import REVENUE_HEADER, REVENUE_ROWS, add_authority, build

HEADER = ["Series", "Target", "Units", "Direction", "Target date"]


def _workbook(*rows: list[object]) -> bytes:
    return build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Targets": [HEADER, *rows]})  # P6 2025-26


def test_a_targets_sheet_sets_targets_kept_with_its_upload(store: Store) -> None:
    add_authority(store)
    loaded = load_upload(
        store,
        _workbook(
            ["Unallocated reserves", 23, "£m", "At least", "2028-29"],
            ["In-year collection rate, Council tax (%)", 95.5, "%", "minimum", datetime(2026, 3, 31)],
        ),
        "p6.xlsx",
        isolated=False,
    )
    assert loaded.line_counts["Targets"] == 2
    held = current_targets(store, "DEMO01")
    unallocated, rate = held["unallocated_reserves"], held["collection_rate_council_tax"]
    assert (unallocated.value, unallocated.units, unallocated.direction, unallocated.target_date) == (
        23e6, "gbp", "at_least", date(2029, 3, 31)
    )  # fmt: skip
    assert (rate.value, rate.units, rate.set_via, rate.upload_id) == (95.5, "pct", "sheet", loaded.upload_id)
    withdraw_upload(store, loaded.upload_id)
    assert current_targets(store, "DEMO01") == {}  # withdrawn with its upload, kept in the history
    assert {t.state for t in target_history(store, "DEMO01")} == {"withdrawn"}


def test_bad_rows_are_refused_with_their_cells_and_nothing_is_loaded(store: Store) -> None:
    add_authority(store)
    before = store.dump()
    with pytest.raises(InputError) as caught:
        load_upload(
            store,
            _workbook(
                ["Staff morale", 80, "%", "At least", "2027-28"],
                ["Level of usable reserves (% of NRE)", 20, "£m", "At least", "2027-28"],
                ["forecast_variance", 0, "£", "sideways", "2026-03-31"],
                ["unallocated_reserves", 10, "£m", "At most", "2025-08-31"],
            ),
            "bad.xlsx",
            isolated=False,
        )
    said = {(p.where, p.message) for p in caught.value.problems}
    assert ("Targets!A2", "is not a series Headroom can hold a target for (see `python -m finance targets series` "
            "or the Targets page for the list)") in said  # fmt: skip
    assert ("Targets!C3", "Level of usable reserves (% of NRE) is in %, not £") in said
    assert ("Targets!D4", "must be 'at least' or 'at most'") in said
    assert ("Targets!E5", "is before the end of the upload's period, P6 2025-26 (30 Sep 2025)") in said
    assert len(said) == 4
    assert store.dump() == before


def test_the_template_has_a_targets_sheet() -> None:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    ws = wb["Targets"]
    assert [c.value for c in ws[1]][:5] == HEADER
    notes = [str(c.value) for row in wb["Instructions"].iter_rows(max_col=1) for c in row if c.value]
    (note,) = [n for n in notes if n.startswith("14. Targets")]
    assert "not a fraction" in note and "0.955" in note


def _percent_cells(*cells: str):  # type: ignore[no-untyped-def]
    def mutate(wb) -> None:  # type: ignore[no-untyped-def]
        for cell in cells:
            wb["Targets"][cell].number_format = "0.0%"

    return mutate


def test_a_percent_target_typed_into_a_percent_cell_is_refused_as_a_fraction(store: Store) -> None:
    """Excel stores 95.5% in a cell formatted '0.0%' as 0.955: the Targets sheet refuses it naming the cell, as the
    Collection sheet refuses its fraction rates, and loads nothing."""
    add_authority(store)
    before = store.dump()
    rows = [
        HEADER,
        ["In-year collection rate, Council tax (%)", 0.955, "%", "At least", "2025-26"],
        ["forecast_variance_pct", -0.25, "%", "at most", "2025-26"],
        ["Unallocated reserves", 0.5, "£m", "At least", "2028-29"],  # £m: half a million, not a fraction
    ]
    book = build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Targets": rows}, mutate=_percent_cells("B2", "B3"))
    with pytest.raises(InputError) as caught:
        load_upload(store, book, "fraction.xlsx", isolated=False)
    said = {p.where: p.message for p in caught.value.problems}
    assert said == {
        "Targets!B2": "0.955 looks like a fraction; type the rate as a percentage, e.g. 95.5 (a cell formatted as % "
        "stores 95.5% as 0.955); if you mean 0.955%, write it with its sign as text: 0.955%",
        "Targets!B3": "-0.25 looks like a fraction; type the rate as a percentage, e.g. -25 (a cell formatted as % "
        "stores -25% as -0.25); if you mean -0.25%, write it with its sign as text: -0.25%",
    }
    assert str(caught.value.problems[0]).startswith('Targets!B2 "0.955": 0.955 looks like a fraction')
    assert store.dump() == before


def test_a_percent_target_under_one_percent_written_with_its_sign_or_as_a_whole_number_is_taken(store: Store) -> None:
    add_authority(store)
    load_upload(
        store,
        _workbook(
            ["In-year collection rate, Council tax (%)", 95.5, "%", "At least", "2025-26"],
            ["forecast_variance_pct", "0.5%", "%", "at most", "2025-26"],
        ),
        "whole.xlsx",
        isolated=False,
    )
    held = current_targets(store, "DEMO01")
    assert held["collection_rate_council_tax"].value == 95.5
    assert held["forecast_variance_pct"].value == 0.5
