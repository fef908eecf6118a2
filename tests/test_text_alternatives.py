"""Text alternatives (the words beside every chart) say each thing once: a one-period series names its period
once ("+£9.9m at P6 (Sep)", never "+£9.9m at P6 (Sep), +£9.9m at P6 (Sep)"), a one-year span names its year once.
The generator is tested directly, then every committee page's panels are built from the demo for each period held
and their captions read."""

from __future__ import annotations

from typing import Any

import pytest

from finance.committee import (
    build_capital_page,
    build_collection_view,
    build_dsg_view,
    build_monitoring_view,
    build_nowcast_view,
)
from finance.format import at_points, repeated_clauses, span
from finance.store import Store

CODE, YEAR = "DEMO01", "2026-27"


def test_a_point_is_said_once() -> None:
    assert at_points([("+£9.9m", "P6 (Sep)"), ("+£9.9m", "P6 (Sep)")]) == "+£9.9m at P6 (Sep)"
    assert at_points([("+£1.0m", "P1 (Apr)"), ("+£9.9m", "P6 (Sep)")]) == "+£1.0m at P1 (Apr), +£9.9m at P6 (Sep)"
    assert at_points([]) == ""


def test_a_span_of_one_year_is_one_year() -> None:
    assert span("2026-27", "2026-27") == "2026-27"
    assert span("2026-27", "2028-29") == "2026-27 to 2028-29"


def test_repetition_is_found() -> None:
    assert repeated_clauses("Line chart: +£9.9m at P6 (Sep), +£9.9m at P6 (Sep).") == ["+£9.9m at P6 (Sep)"]
    assert repeated_clauses("Line chart: +£1.0m at P1 (Apr), +£9.9m at P6 (Sep).") == []


def _panels(built: Any) -> list[Any]:
    found = list(getattr(built, "panels", []) or [])
    for name in ("capital", "borrowing"):
        found += list(getattr(getattr(built, name, None), "panels", []) or [])
    return found


@pytest.mark.parametrize("period", [1, 2, 7])
def test_no_committee_caption_repeats_itself(demo_db: str, period: int) -> None:
    store = Store.open(demo_db, read_only=True)
    try:
        views = [
            build(store, CODE, YEAR, period)
            for build in (build_monitoring_view, build_collection_view, build_dsg_view, build_nowcast_view)
        ] + [build_capital_page(store, CODE, YEAR, period)]
    finally:
        store.close()
    captions = [p.caption for v in views for p in _panels(v)]
    assert len(captions) >= 8
    assert {c: repeated_clauses(c) for c in captions if repeated_clauses(c)} == {}
    trend = next(p for p in _panels(views[0]) if p.key == "monitoring-variance-trend")
    assert trend.caption.count(" at P") == (1 if period == 1 else 2)
