"""Property tests of the MTFS model and its Monte Carlo (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.scenarios import make_scenario, run, simulate
from finance.scenarios.model import Scenario, Triangle
from finance.scenarios.spec import ASSUMPTION_KEYS, BASE, COST_KEYS

YEARS = ["2024-25", "2025-26", "2026-27", "2027-28"]
money = st.floats(min_value=0.0, max_value=1_000.0, allow_nan=False)
rate = st.floats(min_value=-20.0, max_value=20.0, allow_nan=False)
PCT_KEYS = [k for k, a in ASSUMPTION_KEYS.items() if a.unit == "pct" and k not in ("collection_rate_pct",
                                                                                   "savings_delivery_pct")]  # fmt: skip


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    base = {b.key: draw(money) for b in BASE if b.unit == "gbp_m"}
    base["collection_rate_pct"] = draw(st.floats(min_value=80.0, max_value=100.0))
    assumptions: dict[str, object] = {k: draw(st.lists(rate, min_size=4, max_size=4)) for k in PCT_KEYS}
    assumptions["collection_rate_pct"] = draw(st.floats(min_value=80.0, max_value=100.0))
    assumptions["savings_delivery_pct"] = draw(st.floats(min_value=0.0, max_value=100.0))
    assumptions["additional_pressures_gbp_m"] = draw(st.lists(st.floats(-50, 50), min_size=4, max_size=4))
    assumptions["savings_planned_gbp_m"] = draw(st.lists(st.floats(0, 50), min_size=4, max_size=4))
    policy = draw(st.sampled_from(["earmarked_first", "unallocated_only"]))
    return make_scenario("p", "2023-24", YEARS, base, assumptions, reserves_policy=policy)  # type: ignore[arg-type]


def _raise(scenario: Scenario, key: str, by: float) -> Scenario:
    return scenario.with_assumptions(**{key: tuple(v + by for v in scenario.assumptions[key])})


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.sampled_from(COST_KEYS), st.floats(min_value=0.0, max_value=10.0))
def test_raising_a_cost_never_lowers_the_gap(scenario: Scenario, key: str, by: float) -> None:
    before = run(scenario).cumulative_gap
    after = run(_raise(scenario, key, by)).cumulative_gap
    assert np.all(after >= before - 1e-9 * (1 + np.abs(before)))


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.floats(min_value=0.0, max_value=10.0))
def test_raising_council_tax_never_raises_the_gap(scenario: Scenario, by: float) -> None:
    before = run(scenario).cumulative_gap
    after = run(_raise(scenario, "council_tax_increase_pct", by)).cumulative_gap
    assert np.all(after <= before + 1e-9 * (1 + np.abs(before)))


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_no_pressures_and_no_growth_means_no_gap(scenario: Scenario) -> None:
    flat = dict.fromkeys(PCT_KEYS, 0.0)
    flat |= {"additional_pressures_gbp_m": 0.0, "savings_planned_gbp_m": 0.0}
    flat["collection_rate_pct"] = scenario.base["collection_rate_pct"]
    proj = run(scenario.with_assumptions(**flat))
    assert np.allclose(proj.cumulative_gap, 0.0, atol=1e-9)
    assert np.allclose(proj.usable_closing, scenario.base["unallocated_reserves"] + scenario.base["earmarked_reserves"])


@settings(max_examples=50, deadline=None)
@given(scenarios(), st.lists(st.sampled_from(PCT_KEYS), min_size=1, max_size=5, unique=True), st.integers(0, 10**6))
def test_collapsed_ranges_equal_the_deterministic_run(scenario: Scenario, keys: list[str], seed: int) -> None:
    flat = scenario.with_assumptions(**{k: scenario.assumptions[k][0] for k in keys})
    ranges = {k: Triangle(flat.assumptions[k][0], flat.assumptions[k][0], flat.assumptions[k][0]) for k in keys}
    mc = simulate(flat, simulations=50, seed=seed, ranges=ranges)
    proj = run(flat)
    for p in (10, 50, 90):
        assert np.allclose(mc.gap_percentiles_gbp_m[p], proj.cumulative_gap[0])
        assert np.allclose(mc.reserves_percentiles_gbp_m[p], proj.usable_closing[0])
    below = np.logical_or.accumulate(proj.headroom[0] < 0)
    assert mc.prob_below_minimum == tuple(float(b) for b in below)


@settings(max_examples=30, deadline=None)
@given(scenarios(), st.integers(0, 10**6))
def test_same_seed_gives_the_same_percentiles(scenario: Scenario, seed: int) -> None:
    ranges = {"pay_award_pct": Triangle(1.0, 3.0, 7.0), "savings_delivery_pct": Triangle(40.0, 90.0, 100.0)}
    first = simulate(scenario, simulations=500, seed=seed, ranges=ranges)
    again = simulate(scenario, simulations=500, seed=seed, ranges=ranges)
    assert first == again
