"""One deterministic projection without the Monte Carlo array machinery.

`model.project` works on (simulations, years) arrays so that a Monte Carlo run and the tornado share its
arithmetic; for the single path a page reruns on every slider move, building and broadcasting some forty small
arrays costs far more than the sums themselves. `project_path` walks the years with plain floats and returns the
same `Projection` (every array shaped (1, years)).

It is the same model, step for step: every sum, product and running total is taken in the order `model.project`
takes it (numpy's cumulative sums and products are sequential, its element-wise operations are IEEE double
arithmetic), so the two routes agree exactly — `tests/test_scenario_path.py` compares them over random scenarios
drawn from every base figure and assumption in `spec`. A line added to the model is added to both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from finance import years as fy
from finance.scenarios.demand import DemandLine, covered, growth_key
from finance.scenarios.financing import CapitalPlan, financing
from finance.scenarios.spec import DSG_FIRST_YEAR_START, RESERVES_POLICIES

if TYPE_CHECKING:
    from finance.scenarios.model import Projection

_NAN = float("nan")


def _running_product(factors: Sequence[float]) -> list[float]:
    out: list[float] = []
    acc = 1.0
    for i, f in enumerate(factors):
        acc = f if i == 0 else acc * f
        out.append(acc)
    return out


def _running_sum(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    acc = 0.0
    for i, x in enumerate(values):
        acc = x if i == 0 else acc + x
        out.append(acc)
    return out


def _growth(rates_pct: Sequence[float]) -> list[float]:
    return _running_product([1.0 + r / 100.0 for r in rates_pct])


def _dsg_charge(
    deficit_gbp_m: float, in_year: Sequence[float], years: Sequence[str], dsg_cliff: bool, written_off_pct: float
) -> list[float]:
    """As `model._dsg_charge`, for one path."""
    if not dsg_cliff:
        return [0.0] * len(years)
    cumulative = [deficit_gbp_m + c for c in _running_sum(in_year)]
    starts = [fy.start_year(y) for y in years]
    kept = 1.0 - float(written_off_pct) / 100.0
    charge: list[float] = []
    for t, start in enumerate(starts):
        if start < DSG_FIRST_YEAR_START:
            charge.append(0.0)
        elif t == 0 or starts[t - 1] < DSG_FIRST_YEAR_START:
            brought_forward = cumulative[t - 1] if t > 0 else deficit_gbp_m
            charge.append(brought_forward * kept + in_year[t])
        else:
            charge.append(in_year[t])
    return charge


def _demand_pressure(line: DemandLine, growth_pct: Sequence[float] | None) -> list[float]:
    """As `demand.pressures_gbp_m` for one line and one path (£m, change from the base)."""
    growth = line.growth_pct if growth_pct is None else growth_pct
    volume = [line.base_volume * f for f in _growth(growth)]
    unit_cost = [line.base_unit_cost_gbp * f for f in _growth(line.unit_cost_inflation_pct)]
    base_gbp = line.base_volume * line.base_unit_cost_gbp
    return [(q * c - base_gbp) / 1e6 for q, c in zip(volume, unit_cost, strict=True)]


def project_path(
    base: Mapping[str, float],
    values: Mapping[str, Sequence[float]],
    years: tuple[str, ...],
    *,
    reserves_policy: str = "earmarked_first",
    dsg_cliff: bool = False,
    dsg_written_off_pct: float = 0.0,
    earmarked_available_gbp_m: float | None = None,
    capital: CapitalPlan | None = None,
    base_year: str = "",
    demand: tuple[DemandLine, ...] = (),
) -> Projection:
    """`model.project` for one path: `values` holds every assumption as one value per year (and, optionally, a
    demand line's growth under `demand.growth_key(i)`).

    Same contract as `model.project` (raises ValueError on an unknown policy); the result's arrays are (1, years).
    """
    from finance.scenarios.model import Projection

    if reserves_policy not in RESERVES_POLICIES:
        raise ValueError(f"unknown reserves policy {reserves_policy!r}")
    n = len(years)
    v = {k: [float(x) for x in vals] for k, vals in values.items()}
    for k, vals in v.items():
        if len(vals) != n:
            raise ValueError(f"{k}: expected {n} values, got {len(vals)}")

    def b(key: str) -> float:
        return float(base.get(key, 0.0))

    steps = [
        (1.0 + (ci + ap) / 100.0) * (1.0 + tb / 100.0)
        for ci, ap, tb in zip(
            v["council_tax_increase_pct"], v["adult_social_care_precept_pct"], v["tax_base_growth_pct"], strict=True
        )
    ]
    base_collection = b("collection_rate_pct") or 100.0
    ct_factor = [
        f * (c / base_collection) for f, c in zip(_running_product(steps), v["collection_rate_pct"], strict=True)
    ]
    ctr, br, gr, fc = b("council_tax_requirement"), b("business_rates"), b("grants"), b("fees_and_charges")
    funding_base = ctr + br + gr + fc
    g_br, g_gr, g_fc = (
        _growth(v["business_rates_growth_pct"]),
        _growth(v["grant_change_pct"]),
        _growth(v["fees_growth_pct"]),
    )
    funding_change = [ctr * ct_factor[t] + br * g_br[t] + gr * g_gr[t] + fc * g_fc[t] - funding_base for t in range(n)]

    for replaced in covered(demand):  # never both: the demand lines give this service's demand
        v[replaced] = [0.0] * n
    adults = _running_product(
        [
            (1.0 + i / 100.0) * (1.0 + d / 100.0)
            for i, d in zip(v["adults_inflation_pct"], v["adults_demand_growth_pct"], strict=True)
        ]
    )
    children = _running_product(
        [
            (1.0 + i / 100.0) * (1.0 + d / 100.0)
            for i, d in zip(v["childrens_inflation_pct"], v["childrens_demand_growth_pct"], strict=True)
        ]
    )
    pay, non_pay, asc, csc = b("pay"), b("non_pay"), b("adults_social_care"), b("childrens_social_care")
    spending_base = pay + non_pay + asc + csc
    g_pay, g_np = _growth(v["pay_award_pct"]), _growth(v["non_pay_inflation_pct"])
    pressures = _running_sum(v["additional_pressures_gbp_m"])
    costs = None
    if capital is not None:
        costs = financing(capital, base_year, years, np.array([v["borrowing_rate_pct"]], dtype=float))
    capital_change = [0.0] * n if costs is None else [float(x) for x in costs.change_from_base[0]]
    demand_lines = [_demand_pressure(line, v.get(growth_key(i))) for i, line in enumerate(demand)]
    demand_change = [0.0] * n
    for i, line_gbp_m in enumerate(demand_lines):
        demand_change = line_gbp_m if i == 0 else [a + p for a, p in zip(demand_change, line_gbp_m, strict=True)]
    spending_change = [
        pay * g_pay[t] + non_pay * g_np[t] + asc * adults[t] + csc * children[t] - spending_base + pressures[t]
        + capital_change[t] + demand_change[t]
        for t in range(n)
    ]  # fmt: skip

    cum_before = [s - f for s, f in zip(spending_change, funding_change, strict=True)]
    incremental = [cum_before[t] - (cum_before[t - 1] if t else 0.0) for t in range(n)]
    delivered = [p * d / 100.0 for p, d in zip(v["savings_planned_gbp_m"], v["savings_delivery_pct"], strict=True)]
    delivered_cum = _running_sum(delivered)
    cum_gap = [c - d for c, d in zip(cum_before, delivered_cum, strict=True)]

    dsg = _dsg_charge(b("dsg_deficit"), v["dsg_in_year_deficit_gbp_m"], years, dsg_cliff, dsg_written_off_pct)
    contribution = v["reserves_contribution_gbp_m"]
    u, e = b("unallocated_reserves"), b("earmarked_reserves")
    drawable = e if earmarked_available_gbp_m is None else min(e, max(earmarked_available_gbp_m, 0.0))
    unalloc: list[float] = []
    earm: list[float] = []
    used: list[float] = []
    for t in range(n):
        need = cum_gap[t] + dsg[t]
        draw = max(need, 0.0)
        surplus = max(-need, 0.0)
        if reserves_policy == "earmarked_first":
            from_e = min(draw, max(drawable, 0.0))
            drawable = drawable - from_e
            e = e - from_e
            u = u - (draw - from_e)
        else:
            u = u - draw
        u = u + surplus + contribution[t]
        unalloc.append(u)
        earm.append(e)
        used.append(draw)

    nrb_base = b("net_revenue_budget")
    nrb = [nrb_base + s for s in spending_change]
    usable = [a + m for a, m in zip(unalloc, earm, strict=True)]
    pct = [x / r * 100.0 if r > 0 else _NAN for x, r in zip(usable, nrb, strict=True)]
    minimum = b("minimum_reserves")

    def row(xs: list[float]) -> np.ndarray:
        return np.array([xs], dtype=np.float64)

    return Projection(
        years=years,
        funding_change=row(funding_change),
        spending_change=row(spending_change),
        incremental_gap=row(incremental),
        cumulative_gap_before_savings=row(cum_before),
        savings_delivered=row(delivered),
        savings_delivered_cumulative=row(delivered_cum),
        cumulative_gap=row(cum_gap),
        reserves_used=row(used),
        dsg_charge=row(dsg),
        unallocated_closing=row(unalloc),
        earmarked_closing=row(earm),
        usable_closing=row(usable),
        headroom=row([x - minimum for x in unalloc]),
        net_revenue_budget=row(nrb),
        reserves_pct_of_nrb=row(pct),
        minimum_reserves=minimum,
        financing=costs,
        demand=tuple((line.label, row(p)) for line, p in zip(demand, demand_lines, strict=True)),
    )
