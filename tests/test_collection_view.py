"""The debt-recovery figures from workbooks built here: rates by stream against last year, the forecast year-end rate
(this year's rate now + last year's change from the same period to the year end), the shortfall in £ and its cash
effect on the budget at the council's share of the collection fund, the weakest stream, and debt by age."""

from __future__ import annotations

import json
from typing import Any

import pytest

from finance.cli import main as cli
from finance.committee import build_collection_view, overview
from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import AUTHORITY, FIELDS, add_authority, build

HEADER = ["Stream", "Collectable", "Collected to date", "Arrears brought forward", "Arrears collected", "Write-offs"]
DEBT = ["Stream", "Age band", "Balance", "Bad-debt provision"]
# £000. Last year (2024-25): council tax 100,000 collectable, 30,000 collected by P3, 96,000 by P12;
# sundry debt 10,000 collectable, 2,000 by P3, 9,000 by P12.
LAST = {
    3: [["Council tax", 100_000, 30_000, 0, 0, 0], ["Sundry debt", 10_000, 2_000, 0, 0, 0]],
    12: [["Council tax", 100_000, 96_000, 0, 0, 0], ["Sundry debt", 10_000, 9_000, 0, 0, 0]],
}
# This year at P3: council tax 29% of 110,000; sundry debt 12% of 12,000; rents have no history.
NOW_P2 = [
    ["Council tax", 110_000, 20_000, 5_000, 500, 100],
    ["Sundry debt", 12_000, 1_000, 3_000, 200, 0],
]
NOW_P3 = [
    ["Council tax", 110_000, 31_900, 5_000, 1_000, 200],
    ["Sundry debt", 12_000, 1_440, 3_000, 400, 100],
    ["Commercial property rents", 2_000, 600, 0, 0, 0],
]


def _bands(stream: str, outstanding_k: int, split: tuple[float, ...]) -> list[list[Any]]:
    """Age bands adding up exactly to `outstanding_k`, the last band taking the remainder."""
    bands = ("0-30 days", "31-90 days", "91-365 days", "1-2 years", "Over 2 years")
    values = [round(outstanding_k * s) for s in split[:-1]]
    values.append(outstanding_k - sum(values))
    return [[stream, b, v, round(v * 0.1 * (i + 1))] for i, (b, v) in enumerate(zip(bands, values, strict=True))]


def _outstanding(row: list[Any]) -> int:
    return int(row[1] - row[2] + row[3] - row[4] - row[5])


def _load(store: Store, year: str, period: int, rows: list[list[Any]], **extra: Any) -> None:
    debt = [b for r in rows for b in _bands(r[0], _outstanding(r), (0.5, 0.2, 0.1, 0.1, 0.1))]
    sheets = {"Collection": [HEADER, *rows], "Debt": [DEBT, *debt]}
    data = build(sheets, FIELDS | {"Financial year": year, "Period": f"P{period}"} | extra)
    load_upload(store, data, f"c-{year}-{period}.xlsx", isolated=False)


@pytest.fixture
def loaded(store: Store) -> Store:
    add_authority(store)
    for period, rows in LAST.items():
        _load(store, "2024-25", period, rows)
    _load(store, "2025-26", 2, NOW_P2)
    _load(store, "2025-26", 3, NOW_P3, **{"Council share of the collection fund (%)": 80})
    return store


def test_rates_forecast_shortfall_and_budget_effect(loaded: Store) -> None:
    view = build_collection_view(loaded, AUTHORITY, "2025-26")
    assert view.period == 3
    assert view.streams is not None
    rows = view.streams.set_index("stream")
    ct, sd, rents = rows.loc["Council tax"], rows.loc["Sundry debt"], rows.loc["Commercial property rents"]
    assert ct["rate_pct"] == pytest.approx(100 * 31_900 / 110_000)
    assert ct["last_year_rate_pct"] == pytest.approx(30.0)
    # forecast = 29.0 + (96.0 − 30.0) = 95.0; no target: compared with last year's final 96.0
    assert ct["forecast_pct"] == pytest.approx(29.0 + 96.0 - 30.0)
    assert ct["compared_with"] == "last year"
    assert ct["shortfall_gbp"] == pytest.approx((96.0 - 95.0) / 100 * 110_000_000)
    assert ct["budget_effect_gbp"] == pytest.approx(0.8 * 1_100_000)  # through the fund, at the council's 80%
    # sundry debt: 12.0 + (90.0 − 20.0) = 82.0 against 90.0 → £960,000 short, all of it on the budget
    assert sd["forecast_pct"] == pytest.approx(82.0)
    assert sd["shortfall_gbp"] == pytest.approx(0.08 * 12_000_000)
    assert sd["budget_effect_gbp"] == pytest.approx(sd["shortfall_gbp"])
    assert rents["forecast_pct"] != rents["forecast_pct"]  # no last year: no forecast (NaN), never a guess
    assert dict(view.metrics)["Weakest stream (forecast against last year)"] == "Council tax: £1.1m short"
    assert view.forecast_rule.startswith("Forecast year-end rate = this year's rate now + (last year's final rate")
    assert view.share_note.startswith("Council share of the collection fund: 80.0%")


def test_ageing_movement_and_cover_over_the_periods(loaded: Store) -> None:
    view = build_collection_view(loaded, AUTHORITY, "2025-26")
    panels = {p.key: p for p in view.panels}
    ageing = panels["debt-ageing"].table
    p3 = ageing[ageing["Period"] == "P3 (Jun)"]
    total_p3_k = sum(_outstanding(r) for r in NOW_P3)
    assert p3["Debt outstanding (£m)"].sum() == pytest.approx(total_p3_k / 1000, abs=0.3)
    assert list(p3["Age band"]) == ["0-30 days", "31-90 days", "91-365 days", "1-2 years", "Over 2 years"]
    movement = panels["debt-movement"].table
    total_p2_k = sum(_outstanding(r) for r in NOW_P2)
    assert list(movement["Total debt (£m)"]) == [round(total_p2_k / 1000, 1), round(total_p3_k / 1000, 1)]
    assert movement["Movement since the previous period (£m)"].iloc[1] == round((total_p3_k - total_p2_k) / 1000, 1)
    streams = panels["debt-streams"].table.set_index("Stream")
    assert streams.loc["Council tax", "Write-offs to date (£m)"] == 0.2
    assert streams.loc["Sundry debt", "Over 1 year old (£m)"] == pytest.approx(
        0.2 * _outstanding(NOW_P3[1]) / 1000, abs=0.1
    )


def test_no_share_stated_is_taken_as_100_percent_with_a_note(loaded: Store) -> None:
    view = build_collection_view(loaded, AUTHORITY, "2025-26", period=2)
    assert view.streams is not None
    assert "states no 'Council share of the collection fund (%)'" in view.share_note
    shares = view.streams.set_index("stream")["fund_share_pct"]
    assert (shares["Council tax"], shares["Sundry debt"]) == (100.0, 100.0)
    at_p3 = build_collection_view(loaded, AUTHORITY, "2025-26").streams
    assert at_p3 is not None
    assert at_p3.set_index("stream")["fund_share_pct"].to_dict() == {
        "Council tax": 80.0,
        "Sundry debt": 100.0,  # not through the collection fund: all of it falls on the budget
        "Commercial property rents": 100.0,
    }


def test_overview_card_covers_every_stream_and_names_the_weakest(loaded: Store) -> None:
    card = overview.build(loaded, AUTHORITY, "2025-26").card("collection")
    assert card.title == "Income collection"
    assert card.value_text == "£1.1m short"
    assert card.detail_text.startswith(
        "weakest of 3 streams: Council tax, forecast 95.0% at the year end vs last year 96.0%"
    )
    assert card.value == pytest.approx(-1.0)  # rated in points below the comparison: −1.0 is red
    assert card.status.word == "Red"


def test_cli_prints_streams_ageing_and_receipts(
    loaded: Store, db_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded.close()
    capsys.readouterr()
    assert cli(["--db", db_path, "collection", "--authority", AUTHORITY, "--year", "2025-26", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "P3" and data["basis"] == "in-year actual to date (monitoring P3 (Jun) 2025-26)"
    streams = {s["stream"]: s for s in data["streams"]}
    assert streams["Council tax"]["forecast_pct"] == pytest.approx(95.0)
    assert streams["Sundry debt"]["shortfall_gbp"] == pytest.approx(960_000)
    assert streams["Commercial property rents"]["forecast_pct"] is None
    p3 = [a for a in data["ageing"] if a["period"] == 3]
    assert sum(a["balance_gbp"] for a in p3) == pytest.approx(1000 * sum(_outstanding(r) for r in NOW_P3))
    assert [d["period"] for d in data["debt_by_period"]] == [2, 3]
    assert (
        data["official_receipts"]["message"] == "No official council tax receipts are held for illustrative councils."
    )
    assert cli(["--db", db_path, "collection", "--authority", AUTHORITY, "--year", "2025-26", "--period", "5"]) == 2
    assert cli(["--db", db_path, "collection", "--authority", AUTHORITY, "--year", "2025-26", "--group", "XX"]) == 2
