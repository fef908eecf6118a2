"""Upload refusals list every problem at once — a sheet whose header lacks a column does not hide the cell problems
of the other sheets — and always say that nothing was loaded."""

from __future__ import annotations

import pytest

from finance.errors import InputError
from finance.store import Store
from finance.upload import prepare_upload
from tests.monitoring_corpus import REVENUE_ROWS, add_authority, all_sheets, build


def test_a_missing_column_and_bad_cells_on_other_sheets_are_all_reported(store: Store) -> None:
    add_authority(store)
    sheets = all_sheets()
    sheets["Revenue"] = [
        ["Directorate", "Service", "Forecast outturn", "Variance"],
        *[r[:2] + r[3:] for r in REVENUE_ROWS],
    ]
    savings = [list(r) for r in sheets["Savings"]]
    savings[1][2] = "lots"  # Savings!C2: Target is not a number
    sheets["Savings"] = savings
    capital = [list(r) for r in sheets["Capital"]]
    capital[1][1] = "n/a"  # Capital!B2: Budget is not a number
    sheets["Capital"] = capital
    before = store.dump()
    with pytest.raises(InputError) as refused:
        prepare_upload(store, build(sheets), "mixed.xlsx", isolated=False)
    where = {p.where for p in refused.value.problems}
    assert "Revenue!1:1" in where and any(
        "lacks required column(s): Budget" in p.message for p in refused.value.problems
    )
    assert {"Savings!C2", "Capital!B2"} <= where
    assert str(refused.value).startswith("mixed.xlsx: 3 problems, nothing was loaded")
    assert store.dump() == before


def test_a_workbook_with_no_readable_sheet_says_nothing_was_loaded(store: Store) -> None:
    add_authority(store)
    only_bad_header = build({"Revenue": [["Directorate", "Service", "Forecast outturn"], ["Adults", None, 1]]})
    with pytest.raises(InputError) as refused:
        prepare_upload(store, only_bad_header, "header.xlsx", isolated=False)
    assert "nothing was loaded" in str(refused.value)
    assert [p.where for p in refused.value.problems] == ["Revenue!1:1"]
