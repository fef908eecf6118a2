"""Monte Carlo and sensitivity: ranges widen the outcomes the right way; the tornado ranks the levers."""

from __future__ import annotations

import numpy as np
import pytest

from finance.errors import InputError
from finance.scenarios import default_ranges, evaluate, example_scenario, make_scenario, sensitivities, simulate
from finance.scenarios.model import Scenario, Triangle
from finance.scenarios.uncertainty import simulate_projection

YEARS = ["2024-25", "2025-26", "2026-27"]


def _scenario() -> Scenario:
    return make_scenario(
        "mc", "2023-24", YEARS,
        {"net_revenue_budget": 300.0, "council_tax_requirement": 150.0, "unallocated_reserves": 15.0,
         "earmarked_reserves": 20.0, "minimum_reserves": 12.0, "pay": 100.0},
        {"pay_award_pct": 3.0, "additional_pressures_gbp_m": 2.0},
    )  # fmt: skip


def test_draws_are_held_across_years_and_lie_in_the_range() -> None:
    s = _scenario()
    proj = simulate_projection(s, 2_000, 7, {"pay_award_pct": Triangle(2.0, 3.0, 6.0)})
    # the pay line compounds one drawn rate: year-3 change = 100 * ((1 + r)^3 - 1) with r from year 1
    r = proj.spending_change[:, 0] - 2.0
    assert np.allclose(proj.spending_change[:, 2] - 6.0, 100.0 * ((1 + r / 100.0) ** 3 - 1))
    assert r.min() >= 2.0 - 1e-9 and r.max() <= 6.0 + 1e-9


def test_percentiles_order_and_skew() -> None:
    mc = simulate(_scenario(), 5_000, 1, {"pay_award_pct": Triangle(2.0, 3.0, 6.0)})
    p10, p50, p90 = (np.array(mc.gap_percentiles_gbp_m[p]) for p in (10, 50, 90))
    assert np.all(p10 < p50) and np.all(p50 < p90)
    # the range is skewed upwards from the deterministic 3%, so the median gap is above the deterministic one
    deterministic = evaluate(_scenario()).projection.cumulative_gap[0]
    assert np.all(p50 > deterministic)
    assert all(0.0 <= x <= 1.0 for x in mc.prob_below_minimum + mc.prob_exhausted)
    assert list(mc.prob_below_minimum) == sorted(mc.prob_below_minimum)  # "by each year" only accumulates


def test_probabilities_match_the_simulated_paths() -> None:
    ranges = {"pay_award_pct": Triangle(0.0, 3.0, 10.0)}
    mc = simulate(_scenario(), 3_000, 3, ranges)
    paths = simulate_projection(_scenario(), 3_000, 3, ranges)
    expected = np.logical_or.accumulate(paths.unallocated_closing <= 1e-9, axis=1).mean(axis=0)
    assert mc.prob_exhausted == pytest.approx(tuple(expected))
    assert 0 < mc.prob_exhausted[-1] < 1


def test_different_seeds_differ() -> None:
    ranges = {"pay_award_pct": Triangle(2.0, 3.0, 6.0)}
    a = simulate(_scenario(), 1_000, 1, ranges)
    b = simulate(_scenario(), 1_000, 2, ranges)
    assert a.gap_percentiles_gbp_m != b.gap_percentiles_gbp_m


def test_simulation_count_is_checked() -> None:
    with pytest.raises(InputError, match="simulations"):
        simulate(_scenario(), 0, 1)


def test_default_ranges_centre_on_the_scenario() -> None:
    ranges = default_ranges(_scenario())
    assert ranges["pay_award_pct"] == Triangle(2.0, 3.0, 5.0)
    assert ranges["savings_delivery_pct"] == Triangle(70.0, 100.0, 100.0)


def test_sensitivity_of_sefton_is_council_tax_and_pressures() -> None:
    items = {s.key: s for s in sensitivities(example_scenario())}
    assert set(items) == {"council_tax_increase_pct", "adult_social_care_precept_pct", "additional_pressures_gbp_m",
                          "tax_base_growth_pct", "collection_rate_pct", "savings_planned_gbp_m"}  # fmt: skip
    pressures = items["additional_pressures_gbp_m"]
    assert pressures.up_change_gbp_m == pytest.approx(3.0)  # £1m more a year, recurring: 1 + 1 + 1 by year 3
    assert pressures.down_change_gbp_m == pytest.approx(-3.0)
    ct = items["council_tax_increase_pct"]
    assert ct.up_change_gbp_m < 0 < ct.down_change_gbp_m
    # collection cannot go above 100%, so only the downward move changes anything
    assert items["collection_rate_pct"].up_change_gbp_m == 0.0
    assert items["savings_planned_gbp_m"].down_change_gbp_m == 0.0  # savings cannot be planned below zero
