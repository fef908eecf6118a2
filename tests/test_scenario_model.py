"""The MTFS model's arithmetic: the Sefton worked example, recurring savings, reserves policy, exhaustion, DSG."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from finance.scenarios import example_scenario, make_scenario, run
from finance.scenarios.model import Scenario

YEARS = ["2024-25", "2025-26", "2026-27"]
SEFTON_CTR_GBP_M = 160.236  # Sefton 2023-24 council tax requirement (issue 4)


def _scenario(base: dict[str, float] | None = None, **assumptions: object) -> Scenario:
    full = {"net_revenue_budget": 200.0, "council_tax_requirement": 100.0, "unallocated_reserves": 10.0,
            "earmarked_reserves": 30.0, "minimum_reserves": 5.0, **(base or {})}  # fmt: skip
    return make_scenario("t", "2023-24", YEARS, full, assumptions)  # type: ignore[arg-type]


def test_sefton_as_published_at_zero_council_tax_is_44_2m() -> None:
    scenario = example_scenario().with_assumptions(council_tax_increase_pct=0.0, adult_social_care_precept_pct=0.0)
    proj = run(scenario)
    # Sefton CPC report (Nov 2023): £14.3m, £13.2m, £16.7m; £44.2m by 2026-27.
    assert proj.incremental_gap[0] == pytest.approx([14.3, 13.2, 16.7])
    assert proj.cumulative_gap[0] == pytest.approx([14.3, 27.5, 44.2])


def test_sefton_at_4_99_pct_a_year_is_about_19_0m() -> None:
    proj = run(example_scenario())  # 2.99% core + 2% ASC precept, as shipped
    expected = 44.2 - SEFTON_CTR_GBP_M * (1.0499**3 - 1)
    assert proj.cumulative_gap[0, -1] == pytest.approx(expected)
    assert round(float(proj.cumulative_gap[0, -1]), 1) == 19.0  # "about £19m" in the report


def test_council_tax_compounds_on_the_base_requirement() -> None:
    proj = run(_scenario(council_tax_increase_pct=[2.0, 3.0, 4.0], tax_base_growth_pct=1.0))
    factors = np.cumprod([1.02 * 1.01, 1.03 * 1.01, 1.04 * 1.01])
    assert proj.funding_change[0] == pytest.approx(100.0 * (factors - 1))
    assert proj.cumulative_gap[0] == pytest.approx(-100.0 * (factors - 1))


def test_savings_of_5m_a_year_at_80_pct_remove_4_8_12m() -> None:
    proj = run(_scenario(additional_pressures_gbp_m=10.0, savings_planned_gbp_m=5.0, savings_delivery_pct=80.0))
    assert proj.savings_delivered[0] == pytest.approx([4.0, 4.0, 4.0])
    assert proj.savings_delivered_cumulative[0] == pytest.approx([4.0, 8.0, 12.0])
    assert proj.cumulative_gap_before_savings[0] == pytest.approx([10.0, 20.0, 30.0])
    assert proj.cumulative_gap[0] == pytest.approx([6.0, 12.0, 18.0])


def test_cost_lines_grow_by_inflation_and_demand() -> None:
    base = {"pay": 50.0, "adults_social_care": 40.0}
    proj = run(_scenario(base, pay_award_pct=4.0, adults_inflation_pct=2.0, adults_demand_growth_pct=3.0))
    pay = 50.0 * (np.cumprod([1.04] * 3) - 1)
    adults = 40.0 * (np.cumprod([1.02 * 1.03] * 3) - 1)
    assert proj.spending_change[0] == pytest.approx(pay + adults)


def test_earmarked_first_uses_earmarked_then_unallocated() -> None:
    proj = run(_scenario(additional_pressures_gbp_m=10.0))  # cumulative 10, 20, 30 met from 30 + 10
    assert proj.earmarked_closing[0] == pytest.approx([20.0, 0.0, 0.0])
    assert proj.unallocated_closing[0] == pytest.approx([10.0, 10.0, -20.0])
    assert proj.earmarked_exhaustion_year() == "2025-26"
    assert proj.exhaustion_year() == "2026-27"
    assert proj.below_minimum_year() == "2026-27"
    assert proj.headroom[0] == pytest.approx([5.0, 5.0, -25.0])


def test_unallocated_only_policy() -> None:
    scenario = _scenario(additional_pressures_gbp_m=4.0)
    proj = run(replace(scenario, reserves_policy="unallocated_only"))
    assert proj.earmarked_closing[0] == pytest.approx([30.0, 30.0, 30.0])
    assert proj.unallocated_closing[0] == pytest.approx([6.0, -2.0, -14.0])
    assert proj.exhaustion_year() == "2025-26"
    assert proj.below_minimum_year() == "2025-26"


def test_surplus_and_contributions_go_to_unallocated() -> None:
    proj = run(_scenario(council_tax_increase_pct=10.0, reserves_contribution_gbp_m=1.0))
    surplus = 100.0 * (np.cumprod([1.1] * 3) - 1)
    assert proj.unallocated_closing[0] == pytest.approx(10.0 + np.cumsum(surplus + 1.0))
    assert proj.exhaustion_year() is None


def test_reserves_pct_of_nrb_uses_the_years_budget() -> None:
    proj = run(_scenario(additional_pressures_gbp_m=[20.0, 0.0, 0.0]))
    nrb = np.array([220.0, 220.0, 220.0])
    usable = np.array([20.0, 0.0, -20.0])  # 40 of reserves less the recurring 20 each year
    assert proj.net_revenue_budget[0] == pytest.approx(nrb)
    assert proj.reserves_pct_of_nrb[0] == pytest.approx(usable / nrb * 100)


def test_minimum_defaults_to_5_pct_of_nrb() -> None:
    scenario = make_scenario("t", "2023-24", YEARS, {"net_revenue_budget": 281.0})
    assert scenario.base["minimum_reserves"] == pytest.approx(14.05)


def _dsg(base_year: str, **options: object) -> Scenario:
    from finance import years as fy

    return make_scenario(
        "dsg", base_year, fy.following(base_year, 4),
        {"net_revenue_budget": 300.0, "council_tax_requirement": 0.0, "unallocated_reserves": 20.0,
         "earmarked_reserves": 60.0, "dsg_deficit": 24.0},
        {"dsg_in_year_deficit_gbp_m": 5.0}, **options,
    )  # fmt: skip


def test_dsg_cliff_charges_the_deficit_from_2028_29() -> None:
    scenario = _dsg("2025-26", dsg_cliff=True, dsg_written_off_pct=50.0)
    proj = run(scenario)
    # years 2026-27, 2027-28, 2028-29, 2029-30; deficit at 31 March 2028 = 24 + 5 + 5 = 34, half written off
    assert proj.dsg_charge[0] == pytest.approx([0.0, 0.0, 17.0 + 5.0, 5.0])
    assert proj.usable_closing[0] == pytest.approx([80.0, 80.0, 58.0, 53.0])


def test_dsg_cliff_off_or_before_2028_changes_nothing() -> None:
    assert run(_dsg("2025-26")).dsg_charge[0] == pytest.approx([0.0] * 4)
    early = make_scenario("e", "2023-24", YEARS, {"net_revenue_budget": 1.0, "dsg_deficit": 50.0},
                          dsg_cliff=True)  # fmt: skip
    assert run(early).dsg_charge[0] == pytest.approx([0.0] * 3)


def test_dsg_cliff_in_first_forecast_year_uses_the_base_deficit() -> None:
    proj = run(_dsg("2027-28", dsg_cliff=True))
    assert proj.dsg_charge[0] == pytest.approx([24.0 + 5.0, 5.0, 5.0, 5.0])


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="policy"):
        run(replace(_scenario(), reserves_policy="spend_it_all"))


def test_table_has_one_row_a_year_in_gbp_m() -> None:
    table = run(example_scenario()).table()
    assert list(table["Year"]) == YEARS
    assert all(c == "Year" or c.endswith(("£m", "% of NRB")) for c in table.columns)
