"""Monte Carlo over the triangular ranges: how wide the gap could be, and how likely reserves run short.

Each simulation draws every ranged assumption (and each demand line's volume growth) once from its triangle (low,
mode, high) and holds it for every forecast year: an assumption that turns out high tends to stay high, so
independent draws per year would understate the spread. Everything runs as one vectorised call to `model.project`,
and a seed makes the result repeatable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finance.errors import InputError
from finance.scenarios.demand import DEFAULT_SPREAD_PCT, GROWTH_MAX_PCT, GROWTH_MIN_PCT, covered, growth_key
from finance.scenarios.model import Array, Projection, Scenario, Triangle, assumption_arrays, project_scenario
from finance.scenarios.spec import ASSUMPTION_KEYS

PERCENTILES: tuple[int, ...] = (10, 50, 90)
MAX_SIMULATIONS = 200_000


@dataclass(frozen=True)
class MonteCarlo:
    """Percentiles per year (£m) and probabilities by each year (0–1) from `simulate`."""

    years: tuple[str, ...]
    simulations: int
    seed: int
    ranges: Mapping[str, Triangle]
    gap_percentiles_gbp_m: Mapping[int, tuple[float, ...]]  # cumulative gap after savings
    reserves_percentiles_gbp_m: Mapping[int, tuple[float, ...]]  # usable reserves, closing
    prob_below_minimum: tuple[float, ...]  # unallocated below the minimum in that year or before
    prob_exhausted: tuple[float, ...]  # unallocated used up in that year or before

    def table(self) -> pd.DataFrame:
        cols: dict[str, list[object]] = {"Year": list(self.years)}
        for p in PERCENTILES:
            cols[f"Cumulative gap P{p} £m"] = [round(x, 3) for x in self.gap_percentiles_gbp_m[p]]
        for p in PERCENTILES:
            cols[f"Usable reserves P{p} £m"] = [round(x, 3) for x in self.reserves_percentiles_gbp_m[p]]
        cols["Chance below minimum by year %"] = [round(100 * x, 1) for x in self.prob_below_minimum]
        cols["Chance reserves exhausted by year %"] = [round(100 * x, 1) for x in self.prob_exhausted]
        return pd.DataFrame(cols)

    def as_dict(self) -> dict[str, object]:
        return {
            "simulations": self.simulations,
            "seed": self.seed,
            "ranges": {k: vars(t) for k, t in self.ranges.items()},
            "years": [
                {
                    "year": year,
                    **{f"cumulative_gap_p{p}_gbp_m": self.gap_percentiles_gbp_m[p][i] for p in PERCENTILES},
                    **{f"usable_reserves_p{p}_gbp_m": self.reserves_percentiles_gbp_m[p][i] for p in PERCENTILES},
                    "probability_below_minimum": self.prob_below_minimum[i],
                    "probability_exhausted": self.prob_exhausted[i],
                }
                for i, year in enumerate(self.years)
            ],
        }


def default_ranges(scenario: Scenario) -> dict[str, Triangle]:
    """Ranges for a scenario that gives none: cost pressures skewed upwards, delivery skewed downwards.

    A starting point for the page, not a forecast: pay and inflation −1/+2 points, demand growth −1/+3 points,
    savings delivery 30 points below to 0 above, the borrowing rate (with a capital programme) −1/+2 points, each
    around the scenario's first-year value; each demand line's growth by `demand_ranges` (a blanket demand growth a
    demand line replaces is left out: it moves nothing).
    """
    out: dict[str, Triangle] = {}
    spreads = {
        "pay_award_pct": (1.0, 2.0),
        "non_pay_inflation_pct": (1.0, 2.0),
        "adults_inflation_pct": (1.0, 2.0),
        "childrens_inflation_pct": (1.0, 2.0),
        "adults_demand_growth_pct": (1.0, 3.0),
        "childrens_demand_growth_pct": (1.0, 3.0),
        "savings_delivery_pct": (30.0, 0.0),
    }
    if scenario.capital is not None:  # the borrowing rate matters only with a programme to borrow for
        spreads["borrowing_rate_pct"] = (1.0, 2.0)
    for key in covered(scenario.demand):
        spreads.pop(key)
    for key, (down, up) in spreads.items():
        spec = ASSUMPTION_KEYS[key]
        values = scenario.assumptions[key]
        if len(set(values)) > 1:
            continue
        mode = values[0]
        out[key] = Triangle(max(spec.minimum, mode - down), mode, min(spec.maximum, mode + up))
    out.update(demand_ranges(scenario))
    return out


def demand_ranges(scenario: Scenario) -> dict[str, Triangle]:
    """Each demand line's range on its volume growth: its own (`growth_range`), else −1/+3 points around its value;
    a line whose growth varies by year has none unless it gives one."""
    out: dict[str, Triangle] = {}
    for i, line in enumerate(scenario.demand):
        if line.growth_range is not None:
            out[growth_key(i)] = line.growth_range
        elif len(set(line.growth_pct)) == 1:
            mode, (down, up) = line.growth_pct[0], DEFAULT_SPREAD_PCT
            out[growth_key(i)] = Triangle(max(GROWTH_MIN_PCT, mode - down), mode, min(GROWTH_MAX_PCT, mode + up))
    return out


def _ranges_for(scenario: Scenario, ranges: Mapping[str, Triangle] | None) -> dict[str, Triangle]:
    return {**demand_ranges(scenario), **scenario.ranges} if ranges is None else dict(ranges)


def draw(ranges: Mapping[str, Triangle], simulations: int, seed: int) -> dict[str, Array]:
    """One column of draws per ranged assumption, (simulations, 1); a collapsed range gives its value."""
    rng = np.random.default_rng(seed)
    out: dict[str, Array] = {}
    for key in sorted(ranges):
        t = ranges[key]
        if t.high - t.low <= 0:
            out[key] = np.full((simulations, 1), t.mode)
        else:
            out[key] = rng.triangular(t.low, t.mode, t.high, size=(simulations, 1))
    return out


def simulate_projection(
    scenario: Scenario, simulations: int, seed: int, ranges: Mapping[str, Triangle] | None = None
) -> Projection:
    """Every simulated path; `ranges` default to the scenario's own and its demand lines' (`demand_ranges`)."""
    use = _ranges_for(scenario, ranges)
    known = {*ASSUMPTION_KEYS, *(growth_key(i) for i in range(len(scenario.demand)))}
    bad = [k for k, t in use.items() if k not in known or not t.low <= t.mode <= t.high]
    if bad:
        raise InputError.single(f"uncertainty.{bad[0]}", "must name an assumption and have low ≤ mode ≤ high")
    if not 1 <= simulations <= MAX_SIMULATIONS:
        raise InputError.single("--simulations", f"must be between 1 and {MAX_SIMULATIONS:,}", str(simulations))
    values = assumption_arrays(scenario)
    values.update(draw(use, simulations, seed))
    return project_scenario(scenario, values)


def simulate(
    scenario: Scenario, simulations: int = 10_000, seed: int = 1, ranges: Mapping[str, Triangle] | None = None
) -> MonteCarlo:
    """Percentiles and probabilities over `simulations` draws (seeded, so the same seed gives the same result).

    Raises `InputError` if `simulations` is out of range or a range is malformed.
    """
    use = _ranges_for(scenario, ranges)
    proj = simulate_projection(scenario, simulations, seed, use)
    gap = np.percentile(proj.cumulative_gap, PERCENTILES, axis=0)
    reserves = np.percentile(proj.usable_closing, PERCENTILES, axis=0)
    below = np.logical_or.accumulate(proj.headroom < 0, axis=1).mean(axis=0)
    exhausted = np.logical_or.accumulate(proj.unallocated_exhausted, axis=1).mean(axis=0)
    n = proj.n_simulations
    return MonteCarlo(
        years=scenario.years,
        simulations=n,
        seed=seed,
        ranges=use,
        gap_percentiles_gbp_m={p: tuple(float(x) for x in gap[i]) for i, p in enumerate(PERCENTILES)},
        reserves_percentiles_gbp_m={p: tuple(float(x) for x in reserves[i]) for i, p in enumerate(PERCENTILES)},
        prob_below_minimum=tuple(float(x) for x in below),
        prob_exhausted=tuple(float(x) for x in exhausted),
    )
