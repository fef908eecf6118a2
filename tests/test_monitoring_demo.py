"""The demo authority's monitoring: generated workbooks loaded through the real loader, plausible and repeatable."""

from __future__ import annotations

from finance.monitoring import monitoring_lines, periods_held, revenue_by_period, upload_history
from finance.store import Store
from finance.upload import demo_workbooks, load_demo_monitoring
from tests.monitoring_corpus import add_authority


def test_demo_monitoring_loads_through_the_loader_and_is_repeatable(store: Store) -> None:
    add_authority(store, "DEMO01", "Northbridge")
    ids = load_demo_monitoring(store, "DEMO01")
    assert len(ids) == 19 and len(set(ids)) == 19
    assert periods_held(store, "DEMO01", "2025-26") == list(range(1, 13))
    assert periods_held(store, "DEMO01", "2026-27") == list(range(1, 8))
    history = upload_history(store, "DEMO01")
    assert set(history["uploaded_by"]) == {"demo"} and set(history["status"]) == {"current"}
    kinds = store.query("SELECT DISTINCT kind, basis FROM source_file")
    assert kinds == [("demo", "monitoring")]

    before = store.dump()
    assert load_demo_monitoring(store, "DEMO01") == ids  # identical files: recognised, nothing changes
    assert store.dump() == before


def test_demo_figures_are_plausible_for_a_metropolitan_district(store: Store) -> None:
    add_authority(store, "DEMO01", "Northbridge")
    load_demo_monitoring(store, "DEMO01")
    trend = revenue_by_period(store, "DEMO01", "2025-26")
    budget_m = trend["budget_gbp"] / 1e6
    assert budget_m.between(250, 350).all()
    assert trend["variance_gbp"].iloc[-1] > trend["variance_gbp"].iloc[0]  # pressures grow through the year
    lines = monitoring_lines(store, "DEMO01", "2026-27")
    assert 6 <= lines["Revenue"]["directorate"].nunique() <= 8
    dsg = lines["DSG"].iloc[0]
    assert dsg["cumulative_gbp"] == dsg["brought_forward_gbp"] + dsg["in_year_gbp"]
    collection = lines["Collection"].set_index("stream")
    rate = collection.loc["Council tax", "collected_gbp"] / collection.loc["Council tax", "collectable_gbp"]
    assert 0.5 < rate < 0.75  # seven of ten instalments by October
    assert set(lines["Savings"]["rag"]) <= {"Delivered", "Green", "Amber", "Red"}


def test_demo_workbooks_are_byte_identical_between_calls() -> None:
    first = demo_workbooks("DEMO01")
    demo_workbooks.cache_clear()
    second = demo_workbooks("DEMO01")
    assert first[0][0] == "demo01-monitoring-2025-26-P01.xlsx"
    assert first == second
