"""The overview's prudential-indicators card (issue 19, item 5): Red when the projected debt or financing costs
breach a limit the council has set, Green when all three limits are stated and met, "Not available" (never Green)
when the council has not given them — the same indicators, breaches and status the Capital page shows, on the real
demo database and workbooks loaded through the real upload path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finance.committee import build_capital_page, overview
from finance.committee.rag import Status
from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import add_authority, build

CODE, YEAR = "DEMO01", "2026-27"
FINANCING_LIMIT = "Financing costs limit (% of net revenue stream)"
CAPITAL = [["Scheme", "Budget", "Forecast", "Spend to date"], ["Depot", 100, 100, 60]]


@pytest.fixture
def demo(demo_db: str, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "prudential.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(str(path))
    yield store
    store.close()


def _position(store: Store, **stated: Any) -> None:
    """A later upload (P8) whose Instructions state this debt position and these limits (£000), and nothing else."""
    fields = {"Authority": CODE, "Financial year": YEAR, "Units": "£000", "Period": "P8", **stated}
    load_upload(store, build({"Capital": CAPITAL}, fields), "position.xlsx", isolated=False)


def test_within_every_limit_is_green_and_names_the_peaks_against_the_limits(demo: Store) -> None:
    card = overview.build(demo, CODE, YEAR).card("prudential")
    page = build_capital_page(demo, CODE, YEAR)
    assert card.status is Status.GREEN and page.rag == "Green" and page.data["prudential"]["breaches"] == []
    assert card.value_text == "Within all three limits" and card.figure == 0
    years = [y["year"] for y in page.data["prudential"]["years"]]
    assert card.title == f"Prudential limits: projected debt and financing costs, {years[0]} to {years[-1]}"
    peak = max(y["external_debt_gbp_m"] for y in page.data["prudential"]["years"])
    assert f"peak external debt £{peak:,.1f}m" in card.detail_text
    assert "operational boundary £450.0m and authorised limit £480.0m" in card.detail_text
    assert card.basis == "scenario_projection" and card.as_at == f"31 March {int(years[-1][:4]) + 1}"
    assert "from the debt position at 1 April 2026 stated in demo01-monitoring-2026-27-P07.xlsx" in card.basis_text


def test_a_breach_is_red_with_the_capital_pages_own_breaches_and_said_in_the_summary(demo: Store) -> None:
    limits = {"Authorised limit": 320_000, "Operational boundary": 300_000, FINANCING_LIMIT: 10}
    _position(demo, **{"External debt at 1 April": 310_000, **limits})
    view = overview.build(demo, CODE, YEAR)
    card = view.card("prudential")
    breaches = build_capital_page(demo, CODE, YEAR).data["prudential"]["breaches"]
    assert card.status is Status.RED and card.figure == len(breaches) >= 2
    assert breaches[0].startswith("2026-27: external debt £332.8m above the authorised limit £320.0m")
    assert card.value_text == "Breached in 2026-27" and card.detail_text.startswith(breaches[0])
    assert "Prudential limits (scenario projection): 2026-27: external debt £332.8m" in view.summary
    assert "— red." in view.summary


def test_a_breach_of_a_limit_stated_is_red_even_when_another_is_not_stated(demo: Store) -> None:
    _position(demo, **{"External debt at 1 April": 310_000, "Authorised limit": 320_000})
    card = overview.build(demo, CODE, YEAR).card("prudential")
    assert card.status is Status.RED and build_capital_page(demo, CODE, YEAR).rag == "Red"


def test_no_limits_given_is_not_available_never_green(demo: Store) -> None:
    _position(demo, **{"External debt at 1 April": 310_000})
    card = overview.build(demo, CODE, YEAR).card("prudential")
    assert card.status is Status.NOT_RATED and card.value_text == "Not available" and card.figure is None
    assert "the authorised limit is not stated" in card.detail_text
    assert "the operational boundary is not stated" in card.detail_text
    page = build_capital_page(demo, CODE, YEAR)  # the Capital page says the same: not assessed, not "within"
    assert page.rag is None and dict(page.metrics)["Prudential indicators"].startswith("Not assessed")


def test_all_but_one_limit_met_is_not_green_when_the_third_is_not_given(demo: Store) -> None:
    _position(demo, **{"External debt at 1 April": 310_000, "Authorised limit": 480_000, FINANCING_LIMIT: 10})
    card = overview.build(demo, CODE, YEAR).card("prudential")
    assert card.status is Status.NOT_RATED and card.detail_text == (
        "Not available: the operational boundary is not stated (Instructions sheet)."
    )


def test_no_programme_is_not_available_and_a_past_year_quotes_no_later_plan(demo: Store, store: Store) -> None:
    add_authority(store)
    card = overview.build(store, "DEMO01", "2025-26").card("prudential")
    assert card.status is Status.NOT_RATED and "no capital programme is held" in card.detail_text
    past = overview.build(demo, CODE, "2025-26").card("prudential")
    assert past.status is Status.NOT_RATED
    assert past.detail_text == "Not available: the capital programme held starts in 2026-27, after 2025-26."
