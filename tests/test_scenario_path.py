"""The single-path projection (`run`, `path.project_path`) agrees exactly with the Monte Carlo array route
(`run_arrays`, `model.project`) over the whole space of scenarios: every base figure and every assumption in
`spec` drawn within its bounds, one value a year, both reserves policies, the DSG cliff, the earmarked cap and a
capital programme, demand lines (replacing a blanket demand growth or not). A line added to the model but to one
route only makes these fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance import years as fy
from finance.scenarios import make_scenario, run
from finance.scenarios.demand import GROUPS, DemandLine, growth_key
from finance.scenarios.financing import MRP_METHODS, CapitalPlan, Loan
from finance.scenarios.model import Projection, Scenario, assumption_arrays, project, run_arrays
from finance.scenarios.path import project_path
from finance.scenarios.spec import ASSUMPTIONS, BASE, RESERVES_POLICIES


def _bounded(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_years = draw(st.integers(min_value=3, max_value=5))
    base_year = draw(st.sampled_from(["2023-24", "2024-25", "2025-26", "2026-27", "2027-28", "2028-29"]))
    years = fy.following(base_year, n_years)
    base = {
        b.key: draw(_bounded(0.0, min(b.maximum, 2_000.0)) if b.unit == "gbp_m" else _bounded(50.0, b.maximum))
        for b in BASE
    }
    assumptions: dict[str, object] = {}
    for a in ASSUMPTIONS:
        # Mostly the page's slider range; sometimes anywhere the spec allows (money lines capped at £5bn a year).
        wide = draw(st.booleans())
        low = max(a.minimum, -5_000.0) if wide else max(a.slider_min, a.minimum)
        high = min(a.maximum, 5_000.0) if wide else min(a.slider_max, a.maximum)
        assumptions[a.key] = draw(st.lists(_bounded(low, high), min_size=n_years, max_size=n_years))
    capital = None
    if draw(st.booleans()):
        plan_years = [fy.shift(base_year, -1), base_year, *years, fy.shift(years[-1], 1)]
        loans = draw(
            st.lists(
                st.builds(
                    Loan,
                    st.sampled_from(plan_years),
                    _bounded(0.0, 300.0),
                    st.integers(min_value=1, max_value=60),
                ),
                max_size=6,
            )
        )
        capital = CapitalPlan(tuple(loans), mrp_method=draw(st.sampled_from(MRP_METHODS)))
    per_year = st.lists(_bounded(-50.0, 50.0), min_size=n_years, max_size=n_years)
    demand = draw(
        st.lists(
            st.builds(
                DemandLine,
                st.just("Directorate"),
                st.sampled_from(["Placements", "Home care", ""]),
                st.sampled_from(["Children looked after", "Hours", "Households"]),
                st.just("units"),
                _bounded(0.0, 1e6),
                _bounded(0.0, 1e6),
                per_year,
                per_year,
                st.sampled_from(GROUPS),
            ),
            max_size=12,
        )
    )
    return make_scenario(
        "equality",
        base_year,
        years,
        base,
        assumptions,  # type: ignore[arg-type]
        reserves_policy=draw(st.sampled_from(RESERVES_POLICIES)),
        dsg_cliff=draw(st.booleans()),
        dsg_written_off_pct=draw(_bounded(0.0, 100.0)),
        earmarked_available_gbp_m=draw(st.none() | _bounded(-10.0, 2_000.0)),
        capital=capital,
        demand=tuple(demand),
    )


def _assert_same(single: Projection, arrays: Projection) -> None:
    for f in dataclasses.fields(Projection):
        a, b = getattr(single, f.name), getattr(arrays, f.name)
        if isinstance(b, np.ndarray):
            assert a.shape == b.shape == (1, len(arrays.years)), f.name
            assert a.dtype == b.dtype, f.name
            assert np.array_equal(a, b, equal_nan=True), (f.name, a, b)
        elif f.name == "demand":
            assert [label for label, _ in a] == [label for label, _ in b]
            for (_, x), (_, y) in zip(a, b, strict=True):
                assert x.shape == y.shape == (1, len(arrays.years))
                assert np.array_equal(x, y), (x, y)
        elif f.name == "financing":
            assert (a is None) == (b is None)
            if b is not None:
                for g in dataclasses.fields(b):
                    assert np.array_equal(getattr(a, g.name), getattr(b, g.name)), g.name
        else:
            assert a == b, f.name


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_single_path_equals_the_array_route(scenario: Scenario) -> None:
    single, arrays = run(scenario), run_arrays(scenario)
    _assert_same(single, arrays)
    assert single.exhaustion_year() == arrays.exhaustion_year()
    assert single.below_minimum_year() == arrays.below_minimum_year()
    assert single.table().equals(arrays.table())


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.data())
def test_a_demand_growth_given_in_values_is_used_by_both_routes(scenario: Scenario, data: st.DataObject) -> None:
    """The tornado and sliders move a demand line's growth through `values[growth_key(i)]`."""
    values: dict[str, list[float]] = {k: list(v) for k, v in scenario.assumptions.items()}
    for i in range(len(scenario.demand)):
        values[growth_key(i)] = data.draw(st.lists(_bounded(-50.0, 50.0), min_size=3, max_size=3).map(
            lambda g: (g * 2)[: len(scenario.years)]))  # fmt: skip
    options = {"reserves_policy": scenario.reserves_policy, "dsg_cliff": scenario.dsg_cliff,
               "dsg_written_off_pct": scenario.dsg_written_off_pct, "capital": scenario.capital,
               "earmarked_available_gbp_m": scenario.earmarked_available_gbp_m, "base_year": scenario.base_year,
               "demand": scenario.demand}  # fmt: skip
    arrays = assumption_arrays(scenario) | {
        k: np.asarray(v, dtype=float).reshape(1, -1) for k, v in values.items() if k not in scenario.assumptions
    }
    _assert_same(
        project_path(scenario.base, values, scenario.years, **options),  # type: ignore[arg-type]
        project(scenario.base, arrays, scenario.years, **options),  # type: ignore[arg-type]
    )


def test_the_benchmark_scenario_is_not_trivial_and_agrees() -> None:
    """A scenario where every mechanism bites (DSG cliff, earmarked cap, capital, demand lines, savings), so the
    equality above is not only met by zeros."""
    scenario = make_scenario(
        "bites", "2025-26", fy.following("2025-26", 5),
        {"net_revenue_budget": 281.0, "council_tax_requirement": 160.236, "unallocated_reserves": 11.991,
         "earmarked_reserves": 51.398, "pay": 120.0, "non_pay": 60.0, "adults_social_care": 90.0,
         "childrens_social_care": 70.0, "business_rates": 60.0, "grants": 50.0, "fees_and_charges": 20.0,
         "dsg_deficit": 24.0},
        {"council_tax_increase_pct": 2.99, "adult_social_care_precept_pct": 2.0, "pay_award_pct": 3.5,
         "additional_pressures_gbp_m": [14.3, 13.2, 16.7, 10.0, 10.0], "savings_planned_gbp_m": 5.0,
         "savings_delivery_pct": 80.0, "dsg_in_year_deficit_gbp_m": 6.0, "borrowing_rate_pct": 4.5},
        dsg_cliff=True, dsg_written_off_pct=50.0, earmarked_available_gbp_m=20.0,
        capital=CapitalPlan((Loan("2025-26", 30.0, 40), Loan("2027-28", 12.0, 20)), mrp_method="annuity"),
        demand=(DemandLine("Children's Services", "Placements", "Children looked after", "children", 420.0, 65_000.0,
                           (6.0,) * 5, (4.0,) * 5, "childrens"),
                DemandLine("Adults", "Home care", "Hours", "hours", 1.2e6, 24.0, (3.0,) * 5, (5.0,) * 5, "adults")),
    )  # fmt: skip
    single = run(scenario)
    _assert_same(single, run_arrays(scenario))
    assert single.dsg_charge[0, 3] > 0 and single.financing is not None and len(single.demand) == 2
    assert single.demand[0][1][0, 0] == pytest.approx(420.0 * 1.06 * 65_000.0 * 1.04 / 1e6 - 420.0 * 0.065)
    assert single.earmarked_closing[0, -1] == pytest.approx(51.398 - 20.0)
    assert single.exhaustion_year() is not None


def test_an_unknown_policy_is_refused_by_both_routes() -> None:
    scenario = make_scenario("x", "2025-26", fy.following("2025-26", 3), {"net_revenue_budget": 1.0})
    with pytest.raises(ValueError, match="unknown reserves policy"):
        project_path(scenario.base, scenario.assumptions, scenario.years, reserves_policy="spend_it_all")
    with pytest.raises(ValueError, match="unknown reserves policy"):
        run_arrays(dataclasses.replace(scenario, reserves_policy="spend_it_all"))
