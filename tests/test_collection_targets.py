"""The Collection sheet's target rate is a target in the one targets store: written with the upload, read back by
the debt-recovery figures (the forecast is compared with it), withdrawn with its upload, refused for a stream no
target can be held for."""

from __future__ import annotations

import pytest

from finance.committee import build_collection_view
from finance.errors import InputError
from finance.store import Store
from finance.targets import STREAMS, collection_key, current_targets
from finance.upload import load_upload, withdraw_upload
from finance.workbook import STREAM_CHOICES
from tests.monitoring_corpus import AUTHORITY, FIELDS, add_authority, build

HEADER = ["Stream", "Collectable", "Collected to date", "Target collection rate (%)"]


def _book(period: int, year: str, rows: list[list[object]]) -> bytes:
    return build({"Collection": [HEADER, *rows]}, FIELDS | {"Financial year": year, "Period": f"P{period}"})


def test_the_streams_a_target_can_be_held_for_are_the_sheets_usual_streams() -> None:
    assert STREAMS == STREAM_CHOICES


def test_target_rate_is_stored_compared_with_and_withdrawn_with_its_upload(store: Store) -> None:
    add_authority(store)
    load_upload(store, _book(3, "2024-25", [["Sundry debt", 10_000, 2_000, None]]), "a.xlsx", isolated=False)
    load_upload(store, _book(12, "2024-25", [["Sundry debt", 10_000, 9_000, None]]), "b.xlsx", isolated=False)
    now = load_upload(store, _book(3, "2025-26", [["Sundry debt", 12_000, 1_440, "92%"]]), "c.xlsx", isolated=False)
    target = current_targets(store, AUTHORITY)[collection_key("Sundry debt")]
    assert (target.value, target.units, target.direction, target.set_via) == (
        92.0,
        "pct",
        "at_least",
        "collection_sheet",
    )
    assert target.target_date.isoformat() == "2026-03-31" and target.upload_id == now.upload_id
    rows = build_collection_view(store, AUTHORITY, "2025-26").streams
    assert rows is not None
    sd = rows.set_index("stream").loc["Sundry debt"]
    # forecast 12.0 + (90.0 − 20.0) = 82.0 against the target 92.0, not last year's 90.0
    assert (sd["compared_with"], sd["target_pct"]) == ("target", 92.0)
    assert sd["shortfall_gbp"] == pytest.approx(0.10 * 12_000_000)
    withdraw_upload(store, now.upload_id)
    assert collection_key("Sundry debt") not in current_targets(store, AUTHORITY)


def test_a_target_on_a_stream_with_no_target_series_is_refused_at_its_cell(store: Store) -> None:
    add_authority(store)
    before = store.dump()
    with pytest.raises(InputError) as caught:
        load_upload(store, _book(3, "2025-26", [["Parking fines", 2_000, 500, 80]]), "p.xlsx", isolated=False)
    [problem] = caught.value.problems
    assert problem.where == "Collection!D2" and "Parking fines has none" in problem.message
    assert store.dump() == before
