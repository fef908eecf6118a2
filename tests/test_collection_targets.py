"""The Collection sheet's target rate is a target in the one targets store: written with the upload, read back by
the debt-recovery figures (the forecast is compared with it), withdrawn with its upload — for any stream the sheet
names, not only the usual six: stored and audited, compared with, drawn on the collection chart naming its stream,
listed in `collection --json` and `overview --json`, shown on the Targets page and nameable there and on the CLI."""

from __future__ import annotations

import json

import pytest

from finance.committee import build_collection_view
from finance.errors import InputError
from finance.store import Store
from finance.targets import STREAMS, collection_key, current_targets, set_target_from_text
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


PARKING = "Parking penalty charges"


def _parking(store: Store) -> int:
    """Last year's profile (P3 and P12) and this year's P3 with a target of 88% for a stream outside the six."""
    load_upload(store, _book(3, "2024-25", [[PARKING, 2_000, 600, None]]), "p3.xlsx", isolated=False)
    load_upload(store, _book(12, "2024-25", [[PARKING, 2_000, 1_800, None]]), "p12.xlsx", isolated=False)
    rows = [["Council tax", 100_000, 28_000, 96], [PARKING, 2_500, 500, "88%"]]
    return load_upload(store, _book(3, "2025-26", rows), "now.xlsx", isolated=False).upload_id


def test_a_target_rate_for_any_stream_is_stored_and_audited_as_its_own_series(store: Store) -> None:
    add_authority(store)
    audited = store.scalar("SELECT count(*) FROM audit_log")
    upload_id = _parking(store)
    target = current_targets(store, AUTHORITY)["collection_rate_parking_penalty_charges"]
    assert (target.value, target.direction, target.set_via, target.upload_id) == (88.0, "at_least", "collection_sheet",
                                                                                  upload_id)  # fmt: skip
    assert target.series.title == "In-year collection rate, Parking penalty charges (%)"
    assert target.series.stream == PARKING and target.series.basis == "collection"
    assert target.label == "Target: at least 88.0% by 31 Mar 2026 (set by local)"
    row = store.query_one("SELECT stream, sheet_row, set_by FROM target WHERE target_id = ?", [target.target_id])
    assert row is not None and row[:2] == (PARKING, 3) and row[2] == target.set_by
    assert store.scalar("SELECT count(*) FROM audit_log") == audited + 3  # one audited write per upload
    # the catalogue's own streams are unchanged: council tax's target is the catalogue's series
    council_tax = current_targets(store, AUTHORITY)[collection_key("Council tax")]
    assert council_tax.series.title == "In-year collection rate, Council tax (%)" and council_tax.value == 96.0
    withdraw_upload(store, upload_id)
    assert "collection_rate_parking_penalty_charges" not in current_targets(store, AUTHORITY)


def test_any_streams_target_is_compared_drawn_listed_and_shown(store: Store) -> None:
    from finance.charts import target_traces
    from finance.committee import build_overview, targets_page

    add_authority(store)
    _parking(store)
    view = build_collection_view(store, AUTHORITY, "2025-26")
    assert view.streams is not None
    parking = view.streams.set_index("stream").loc[PARKING]
    # forecast 20.0 + (90.0 − 30.0) = 80.0 against the target 88.0 (not last year's 90.0): 8 points of £2.5m short
    assert (parking["compared_with"], parking["target_pct"]) == ("target", 88.0)
    assert parking["forecast_pct"] == pytest.approx(80.0)
    assert parking["shortfall_gbp"] == pytest.approx(0.08 * 2_500_000)
    profile = next(p for p in view.panels if p.key == "collection-profile")
    drawn = target_traces(profile.figure)
    assert "Target for parking penalty charges: at least 88.0% by 31 Mar 2026 (set by local)" in drawn
    assert "Target for council tax: at least 96.0% by 31 Mar 2026 (set by local)" in drawn
    said = f"{PARKING}: Target: at least 88.0% by 31 Mar 2026 (set by local): off track — 80.0%"
    assert any(t.startswith(said) for t in view.target_texts)
    collection_json = view.as_dict()
    listed = {r["stream"]: r["target_pct"] for r in collection_json["streams"]}  # type: ignore[union-attr]
    assert listed == {"Council tax": 96.0, PARKING: 88.0}
    assert collection_json["targets"] == list(view.target_texts)
    built = build_overview(store, AUTHORITY, "2025-26")
    overview = built.as_dict()
    judged = {t["series_title"]: t["status"] for t in overview["targets"]}  # type: ignore[union-attr]
    assert judged["In-year collection rate, Parking penalty charges (%)"] == "off track"
    card = built.card("collection")  # the weakest stream, with its own target under it (not council tax's)
    assert "weakest of 2 streams: Parking penalty charges, forecast 80.0%" in card.detail_text
    assert card.target_text.startswith(f"{PARKING}: Target: at least 88.0% by 31 Mar 2026 (set by local): off track")
    page = targets_page(store, AUTHORITY)
    assert "In-year collection rate, Parking penalty charges (%)" in set(page.current["Series"])
    assert ("collection_rate_parking_penalty_charges", "In-year collection rate, Parking penalty charges (%) [%]",
            "the cumulative in-year collection rate at the latest monitoring period held") in page.series  # fmt: skip


def test_a_stream_the_council_collects_may_be_named_by_the_form_the_cli_and_a_targets_sheet(
    store: Store, db_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from finance.cli import main
    from finance.committee import targets_page

    add_authority(store)
    _parking(store)
    page = targets_page(store, AUTHORITY)
    fields = {"series": "collection_rate_parking_penalty_charges", "value": 90, "units": "%", "direction": "at least",
              "target_date": "2030-03-31"}  # fmt: skip
    with pytest.raises(InputError):  # without the council's streams the key is unknown, as any typo would be
        set_target_from_text(store, AUTHORITY, fields, user="s151@council", via="app")
    set_target_from_text(store, AUTHORITY, fields, user="s151@council", via="app", streams=page.streams)
    assert current_targets(store, AUTHORITY)["collection_rate_parking_penalty_charges"].value == 90.0
    store.close()
    capsys.readouterr()
    assert main(["--db", db_path, "targets", "series", "--authority", AUTHORITY, "--json"]) == 0
    listed = {r["key"]: r["series"] for r in json.loads(capsys.readouterr().out)["series"]}
    assert listed["collection_rate_parking_penalty_charges"] == "In-year collection rate, Parking penalty charges (%)"
    assert main(["--db", db_path, "targets", "series", "--json"]) == 0  # the catalogue alone names the six only
    assert "collection_rate_parking_penalty_charges" not in {r["key"] for r in json.loads(capsys.readouterr().out)[
        "series"]}  # fmt: skip
    code = main(["--db", db_path, "targets", "set", "--user", "s151@council", "--authority", AUTHORITY, "--series",
                 "In-year collection rate, Parking penalty charges (%)", "--value", "91", "--units", "%",
                 "--direction", "at least", "--date", "2030-03-31", "--json"])  # fmt: skip
    assert code == 0 and json.loads(capsys.readouterr().out)["stream"] == PARKING
    code = main(["--db", db_path, "targets", "set", "--user", "s151@council", "--authority", AUTHORITY, "--series",
                 "In-year collection rate, Parking penalty chargez (%)", "--value", "91", "--units", "%",
                 "--direction", "at least", "--date", "2030-03-31"])  # fmt: skip
    assert code == 2 and "is not a series Headroom can hold a target for" in capsys.readouterr().err


def test_a_targets_sheet_may_name_a_stream_of_its_own_collection_sheet(store: Store) -> None:
    add_authority(store)
    targets = [["Series", "Value", "Units", "Direction", "Target date"],
               ["In-year collection rate, Parking penalty charges (%)", 92, "%", "at least", "2027-28"]]  # fmt: skip
    fields = FIELDS | {"Financial year": "2025-26", "Period": "P3"}
    collection = [HEADER, [PARKING, 2_500, 500, None]]
    load_upload(store, build({"Collection": collection, "Targets": targets}, fields), "t.xlsx", isolated=False)
    target = current_targets(store, AUTHORITY)["collection_rate_parking_penalty_charges"]
    assert (target.value, target.set_via, target.series.stream) == (92.0, "sheet", PARKING)
    before = store.dump()
    with pytest.raises(InputError) as caught:  # a stream no Collection sheet of the workbook names: refused
        load_upload(store, build({"Targets": targets}, fields), "u.xlsx", isolated=False)
    assert caught.value.problems[0].where == "Targets!A2"
    assert store.dump() == before


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        # two periods of one sheet (a Period column) naming the stream two ways: their targets would be one series
        ([["Parking fines", "P2", 2_000, 400, 80], ["parking-fines", "P3", 2_000, 500, 85]], "Collection!E3",
         "parking-fines and Parking fines differ only in case or punctuation"),
        ([["***", "P3", 2_000, 500, 80]], "Collection!E2", "a target needs a stream named with letters or digits"),
    ],
)  # fmt: skip
def test_target_rates_that_cannot_be_one_streams_own_are_refused_at_their_cell(
    store: Store, rows: list[list[object]], where: str, message: str
) -> None:
    add_authority(store)
    before = store.dump()
    header = ["Stream", "Period", "Collectable", "Collected to date", "Target collection rate (%)"]
    book = build({"Collection": [header, *rows]}, FIELDS | {"Financial year": "2025-26"})
    with pytest.raises(InputError) as caught:
        load_upload(store, book, "p.xlsx", isolated=False)
    [problem] = caught.value.problems
    assert problem.where == where and message in problem.message
    assert store.dump() == before
