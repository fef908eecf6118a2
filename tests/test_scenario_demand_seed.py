"""A scenario started for a council whose upload has a Demand sheet is seeded from it; an imported file's demand
lines must name that upload's Revenue lines (the demo database, built by the project's own demo and upload path)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

from finance import mtfs
from finance import years as fy
from finance.errors import InputError
from finance.monitoring import demand_split, years_held
from finance.scenarios import (
    ApprovedPlan,
    BaseFigures,
    Scenario,
    from_approved,
    from_file,
    from_returns,
    make_scenario,
    run,
    scenario_to_toml,
)
from finance.store import Store

DEMO = "DEMO01"


@pytest.fixture(scope="module")
def demo(demo_db: str) -> Iterator[Store]:
    s = Store.open(demo_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


def test_the_seeds_are_the_latest_uploads_forecast_volumes_and_unit_costs(demo: Store) -> None:
    uploaded = mtfs.uploaded_demand(demo, DEMO)
    assert uploaded is not None
    year = years_held(demo, DEMO)[-1]
    split = demand_split(demo, DEMO, year)
    assert split.period is not None and split.metrics
    assert [(s.metric, s.volume, s.unit_cost_gbp) for s in uploaded.seeds] == [
        (m.metric, m.forecast_volume, m.forecast_unit_cost_gbp) for m in split.metrics
    ]
    assert all(s.as_at == split.as_at and str(split.sha256) in s.source for s in uploaded.seeds)
    assert str(split.file_name) in uploaded.label and split.as_at in uploaded.label


def test_a_start_from_the_returns_carries_the_demand_lines_and_the_same_gap(demo: Store) -> None:
    uploaded = mtfs.uploaded_demand(demo, DEMO)
    assert uploaded is not None
    plain, seeded = from_returns(demo, DEMO), from_returns(demo, DEMO, uploaded)
    assert len(seeded.scenario.demand) == len(uploaded.seeds) and not plain.scenario.demand
    assert "demand lines of" in seeded.origin
    groups = {line.metric: line.group for line in seeded.scenario.demand}
    assert groups == {"Home care hours": "adults", "Residential and nursing placements": "adults",
                      "Children looked after": "childrens"}  # fmt: skip
    assert np.allclose(run(seeded.scenario).cumulative_gap, run(plain.scenario).cumulative_gap, atol=1e-9)
    # a slider on a line moves the gap by exactly that line's pressure
    first = seeded.scenario.demand[0]
    moved = replace(seeded.scenario, demand=(replace(first, growth_pct=(5.0,) * 3), *seeded.scenario.demand[1:]))
    extra = first.base_volume * first.base_unit_cost_gbp * (1.05 - 1) / 1e6
    gap = run(moved).cumulative_gap[0, 0] - run(seeded.scenario).cumulative_gap[0, 0]
    assert gap == pytest.approx(extra, abs=1e-9)


def test_a_start_from_an_approved_plan_keeps_its_gap_and_drops_the_blanket_growth(demo: Store) -> None:
    uploaded = mtfs.uploaded_demand(demo, DEMO)
    base_year = from_returns(demo, DEMO).scenario.base_year

    def plan_scenario(base: BaseFigures | None) -> Scenario:
        assert base is not None
        values = {"additional_pressures_gbp_m": [4.0, 3.0, 2.0], "adults_demand_growth_pct": 3.0}
        return make_scenario("plan", base_year, fy.following(base_year, 3), base.values_gbp_m(), values)

    plan = ApprovedPlan("MTFS v1", base_year, plan_scenario)
    plain, seeded = from_approved(demo, DEMO, plan), from_approved(demo, DEMO, plan, uploaded)
    assert seeded.scenario.demand and "demand lines of" in seeded.origin
    assert np.allclose(run(seeded.scenario).cumulative_gap, run(plain.scenario).cumulative_gap, atol=1e-9)
    assert seeded.scenario.replaced_growth == {"adults_demand_growth_pct", "childrens_demand_growth_pct"}
    # the returns give no adults' social care base, so the plan's 3% moved nothing; the seeded start sets it to 0
    assert plain.scenario.assumptions["adults_demand_growth_pct"] == (3.0,) * 3
    assert seeded.scenario.assumptions["adults_demand_growth_pct"] == (0.0,) * 3


def test_an_imported_file_naming_no_revenue_line_is_refused(demo: Store) -> None:
    uploaded = mtfs.uploaded_demand(demo, DEMO)
    seeded = from_returns(demo, DEMO, uploaded).scenario
    stray = replace(seeded, demand=(replace(seeded.demand[0], service="Younger adults"), *seeded.demand[1:]))
    data = scenario_to_toml(stray).encode()
    with pytest.raises(InputError) as err:
        from_file(data, "stray.toml", uploaded)
    (problem,) = err.value.problems
    assert problem.where == "demand[0].service" and "names no Revenue line" in problem.message
    assert problem.value == "Adults' Social Care / Younger adults"
    assert from_file(scenario_to_toml(seeded).encode(), "ok.toml", uploaded).scenario == seeded
    assert from_file(data, "stray.toml").scenario == stray  # no upload held: any named service
