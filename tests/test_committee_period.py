"""The committee pages and the pack as reported at an earlier period, not only the latest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from finance import pack
from finance.committee import collection_view, dsg_view, monitoring_view, nowcast_view, overview
from finance.errors import InputError, NotFoundError
from finance.monitoring import monitoring_lines
from finance.store import Store

CODE, YEAR = "DEMO01", "2026-27"


@pytest.fixture
def demo(demo_db: str, tmp_path: Path) -> Store:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return Store.open(str(path), read_only=True)


def test_views_at_an_earlier_period_use_that_periods_lines(demo: Store) -> None:
    latest = overview.build(demo, CODE, YEAR)
    at_p3 = overview.build(demo, CODE, YEAR, 3)
    assert latest.period == 7 and at_p3.period == 3 and at_p3.previous_period == 2
    assert "P3 (Jun)" in at_p3.heading
    # the P3 variance is what the P3 workbook's Revenue lines say, not the latest period's
    revenue = monitoring_lines(demo, CODE, YEAR, 3)["Revenue"]
    variance_gbp_m = (revenue["forecast_gbp"].astype(float).sum() - revenue["budget_gbp"].astype(float).sum()) / 1e6
    card = next(c for c in at_p3.cards if c.key == "variance")
    assert f"£{abs(variance_gbp_m):.1f}m" in card.value_text
    assert at_p3.summary != latest.summary
    for view in (monitoring_view, collection_view, dsg_view, nowcast_view):
        assert view.build(demo, CODE, YEAR, 3).period == 3


def test_a_period_with_no_monitoring_is_refused_in_words(demo: Store) -> None:
    with pytest.raises(NotFoundError, match="P9 of 2026-27"):
        overview.build(demo, CODE, YEAR, 9)
    with pytest.raises((NotFoundError, InputError)):
        pack.check_request(demo, CODE, YEAR, 9)


def test_a_pack_of_an_earlier_period_reports_that_period(demo: Store) -> None:
    built = pack.build_pack(demo, CODE, YEAR, 3, sections=("overview", "monitoring"))
    assert built.period == 3 and built.when == "P3 (Jun) 2026-27"
    assert built.overview.summary == overview.build(demo, CODE, YEAR, 3).summary
