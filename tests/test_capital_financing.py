"""The capital programme in the MTFS: MRP on new borrowing from the year after the spend (annuity or straight line),
interest on half a year's borrowing in its first year and all of it after, the base year's share left in the base,
and the line flowing into the gap, the tornado, the Monte Carlo and the scenario file. Amounts are worked by hand
below for a small programme."""

from __future__ import annotations

import numpy as np
import pytest

from finance.scenarios import (
    make_scenario,
    parse_scenario,
    run,
    scenario_to_toml,
    sensitivities,
    simulate,
)
from finance.scenarios.charts import gap_chart
from finance.scenarios.financing import CapitalPlan, Loan
from finance.scenarios.uncertainty import default_ranges

YEARS = ("2026-27", "2027-28", "2028-29")
# £10m borrowed in the base year 2025-26 for 5-year assets; £4m in 2026-27 for 2-year assets; £6m in 2029-30,
# after the last projected year (costs nothing within it); £1m in 2024-25, before the base (already in the base).
LOANS = (
    Loan("2025-26", 10.0, 5),
    Loan("2026-27", 4.0, 2),
    Loan("2029-30", 6.0, 3),
    Loan("2024-25", 1.0, 10),
)
BASE = {"net_revenue_budget": 300.0, "council_tax_requirement": 150.0, "unallocated_reserves": 20.0,
        "earmarked_reserves": 40.0}  # fmt: skip


def scenario(method: str | None, rate_pct: float = 5.0) -> object:
    capital = None if method is None else CapitalPlan(LOANS, method, "test programme")
    return make_scenario("capital", "2025-26", YEARS, BASE, {"borrowing_rate_pct": rate_pct}, capital=capital)


def test_straight_line_mrp_and_interest_by_hand() -> None:
    proj = run(scenario("straight_line"))  # type: ignore[arg-type]
    fin = proj.financing
    assert fin is not None
    # MRP: £10m / 5 = £2m a year from 2026-27; £4m / 2 = £2m a year in 2027-28 and 2028-29
    assert fin.mrp[0] == pytest.approx([2.0, 4.0, 4.0], abs=1e-12)
    # interest at 5%: £10m in full (0.5) from 2026-27; £4m on half (0.1) in 2026-27, then in full (0.2)
    assert fin.interest[0] == pytest.approx([0.6, 0.7, 0.7], abs=1e-12)
    # half a year on the base year's £10m (0.25) is already in the base budget
    assert fin.in_base_budget[0, 0] == pytest.approx(0.25, abs=1e-12)
    assert fin.change_from_base[0] == pytest.approx([2.35, 4.45, 4.45], abs=1e-12)
    without = run(scenario(None))  # type: ignore[arg-type]
    added = proj.cumulative_gap_before_savings[0] - without.cumulative_gap_before_savings[0]
    assert added == pytest.approx([2.35, 4.45, 4.45], abs=1e-12)
    assert proj.incremental_gap[0] - without.incremental_gap[0] == pytest.approx([2.35, 2.10, 0.0], abs=1e-12)
    assert fin.new_borrowing[0] == pytest.approx([4.0, 0.0, 0.0])
    assert fin.cumulative_borrowing[0] == pytest.approx([14.0, 14.0, 14.0])


def test_annuity_mrp_by_hand() -> None:
    fin = run(scenario("annuity")).financing  # type: ignore[arg-type]
    assert fin is not None
    # £10m over 5 years at 5%: year k takes 10 × 0.05 × 1.05^(k−1) / (1.05^5 − 1); 1.05^5 = 1.2762815625
    a1 = 0.5 / 0.2762815625  # 1.809748...
    # £4m over 2 years at 5%: 4 × 0.05 × 1.05^(k−1) / (1.05^2 − 1) = 0.2 / 0.1025 × 1.05^(k−1)
    b1 = 0.2 / 0.1025  # 1.951219...
    assert a1 == pytest.approx(1.8097480, abs=1e-7) and b1 == pytest.approx(1.9512195, abs=1e-7)
    assert fin.mrp[0] == pytest.approx([a1, a1 * 1.05 + b1, a1 * 1.1025 + b1 * 1.05], abs=1e-12)
    assert fin.mrp[0] == pytest.approx([1.8097480, 3.8514549, 4.0440276], abs=1e-7)
    assert b1 + b1 * 1.05 == pytest.approx(4.0)  # the annuity's MRP repays the loan over its life
    assert fin.interest[0] == pytest.approx([0.6, 0.7, 0.7], abs=1e-12)  # interest does not depend on the method


def test_annuity_at_zero_rate_is_the_straight_line() -> None:
    annuity = run(scenario("annuity", 0.0)).financing  # type: ignore[arg-type]
    straight = run(scenario("straight_line", 0.0)).financing  # type: ignore[arg-type]
    assert annuity is not None and straight is not None
    assert annuity.mrp[0] == pytest.approx(straight.mrp[0]) and annuity.interest[0] == pytest.approx([0, 0, 0])


def test_the_line_is_in_the_table_the_chart_the_tornado_and_the_monte_carlo() -> None:
    s = scenario("annuity")
    proj = run(s)  # type: ignore[arg-type]
    table = proj.gap_table()
    assert list(table["Capital financing costs (change from base year) £m"]) == pytest.approx(
        np.round(proj.financing.change_from_base[0], 3)  # type: ignore[union-attr]
    )
    names = [t.name for t in gap_chart(proj).data]
    assert "Capital financing costs (in the gap)" in names
    moved = {x.key: x for x in sensitivities(s)}  # type: ignore[arg-type]
    rate = moved["borrowing_rate_pct"]
    assert rate.up_change_gbp_m > 0 > rate.down_change_gbp_m
    assert "borrowing_rate_pct" not in {x.key for x in sensitivities(scenario(None))}  # type: ignore[arg-type]
    ranges = default_ranges(s)  # type: ignore[arg-type]
    assert ranges["borrowing_rate_pct"].low == 4.0 and ranges["borrowing_rate_pct"].high == 7.0
    wide = simulate(s, 2_000, 7, {"borrowing_rate_pct": ranges["borrowing_rate_pct"]})  # type: ignore[arg-type]
    fixed = simulate(scenario(None), 2_000, 7, {"borrowing_rate_pct": ranges["borrowing_rate_pct"]})  # type: ignore[arg-type]
    assert wide.gap_percentiles_gbp_m[90][-1] - wide.gap_percentiles_gbp_m[10][-1] > 0.05
    assert fixed.gap_percentiles_gbp_m[90][-1] == pytest.approx(fixed.gap_percentiles_gbp_m[10][-1])


def test_scenario_file_round_trips_the_capital_table() -> None:
    s = scenario("straight_line")
    again = parse_scenario(scenario_to_toml(s))  # type: ignore[arg-type]
    assert again == s


LOAN = 'loans = [{{ year = "{year}", borrowing_gbp_m = {amount}, asset_life_years = {life} }}]'


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ('mrp_method = "reducing"\nloans = []', "capital.mrp_method"),
        (
            'loans = [{ year = "2026-27", borrowing_gbp_m = -1.0, asset_life_years = 5 }]',
            "capital.loans[0].borrowing_gbp_m",
        ),
        (
            'loans = [{ year = "2026-27", borrowing_gbp_m = 1.0, asset_life_years = 0 }]',
            "capital.loans[0].asset_life_years",
        ),
        (
            'loans = [{ year = "2026-27", borrowing_gbp_m = 1.0, asset_life_years = 2.5 }]',
            "capital.loans[0].asset_life_years",
        ),
        ('loans = [{ year = "26-27", borrowing_gbp_m = 1.0, asset_life_years = 5 }]', "capital.loans[0].year"),
    ],
)
def test_bad_capital_tables_are_refused_by_key(table: str, where: str) -> None:
    text = scenario_to_toml(scenario(None)) + "\n[capital]\n" + table + "\n"  # type: ignore[arg-type]
    with pytest.raises(Exception) as err:
        parse_scenario(text)
    assert where in [p.where for p in err.value.problems]  # type: ignore[attr-defined]
