"""The MTFS model: from a base year and per-year assumptions to the budget gap and the reserves trajectory.

Pure and vectorised: `project` works on arrays of shape (simulations, years), so one deterministic run is the
one-row case of a Monte Carlo run and both use exactly the same arithmetic. All money is in £m; percentages are
per year.

The conventions (issue 4, DOMAIN.md "MTFS conventions"):
- the base year balances, so the gap is the change in spending less the change in funding;
- the **incremental gap** is the new gap arising in a year, the **cumulative gap** their running total (the
  recurring gap in that year if nothing is done);
- delivered savings are recurring, so they come off the cumulative gap in every later year;
- whatever cumulative gap remains after savings is met from reserves each year by the reserves policy (a gap
  met from reserves comes back next year); a surplus and planned contributions go to unallocated reserves;
- unallocated reserves are allowed to go below zero: that shortfall is the sum the council could not fund;
- under `earmarked_first` only the earmarked reserves the scenario says are available (not committed to their
  purposes) are drawn; when it does not say, all of them are assumed drawable (and the page warns so);
- the starting balances are those at the start of the first projected year; each scenario states their as-at
  date and source (`balances_as_at`, `balances_source`), so a committee sees how old they are;
- demand lines (`finance.scenarios.demand`) add volume × unit cost pressure lines to spending, and replace the
  blanket adults' or children's demand growth for the service they cover (never both).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from finance import years as fy
from finance.scenarios.demand import DemandLine, covered, pressures_gbp_m
from finance.scenarios.financing import CapitalPlan, Financing, financing
from finance.scenarios.path import project_path
from finance.scenarios.spec import (
    ASSUMPTION_KEYS,
    ASSUMPTIONS,
    BASE,
    DEFAULT_MINIMUM_PCT_OF_NRB,
    DSG_FIRST_YEAR_START,
    RESERVES_POLICIES,
)

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Triangle:
    """A triangular range for one assumption: low ≤ mode ≤ high, in the assumption's unit."""

    low: float
    mode: float
    high: float


@dataclass(frozen=True)
class Scenario:
    """One MTFS scenario, validated (build it with `finance.scenarios.files` or `make_scenario`).

    `base` holds every base figure (£m; `collection_rate_pct` in %); `assumptions` every assumption, one value
    per forecast year. `ranges` are the optional triangular ranges used by the Monte Carlo run.
    """

    name: str
    base_year: str
    years: tuple[str, ...]
    base: Mapping[str, float]
    assumptions: Mapping[str, tuple[float, ...]]
    reserves_policy: str = "earmarked_first"
    dsg_cliff: bool = False
    dsg_written_off_pct: float = 0.0
    ranges: Mapping[str, Triangle] = field(default_factory=dict)
    authority: str | None = None
    description: str = ""
    balances_as_at: date | None = None  # the date the starting reserves balances are at (None: not stated)
    balances_source: str = ""  # where they come from, in words (a return, a report)
    earmarked_available_gbp_m: float | None = None  # earmarked reserves free to draw (None: not stated, all)
    capital: CapitalPlan | None = None  # the capital programme's new borrowing, whose MRP and interest the gap carries
    demand: tuple[DemandLine, ...] = ()  # demand drivers: each a pressure line (volume × unit cost) in the gap

    @property
    def replaced_growth(self) -> frozenset[str]:
        """The blanket demand growth keys its demand lines replace (never both: the model ignores them)."""
        return covered(self.demand)

    def with_assumptions(self, **values: float | tuple[float, ...]) -> Scenario:
        """A copy with some assumptions changed (a scalar applies to every year)."""
        merged = dict(self.assumptions)
        for key, value in values.items():
            if key not in ASSUMPTION_KEYS:
                raise KeyError(key)
            merged[key] = _per_year(value, len(self.years))
        return replace(self, assumptions=merged)


def _per_year(value: float | tuple[float, ...] | list[float], n_years: int) -> tuple[float, ...]:
    if isinstance(value, tuple | list):
        if len(value) != n_years:
            raise ValueError(f"expected {n_years} values, got {len(value)}")
        return tuple(float(v) for v in value)
    return (float(value),) * n_years


def make_scenario(
    name: str,
    base_year: str,
    years: tuple[str, ...] | list[str],
    base: Mapping[str, float],
    assumptions: Mapping[str, float | tuple[float, ...] | list[float]] | None = None,
    *,
    reserves_policy: str = "earmarked_first",
    dsg_cliff: bool = False,
    dsg_written_off_pct: float = 0.0,
    ranges: Mapping[str, Triangle] | None = None,
    authority: str | None = None,
    description: str = "",
    balances_as_at: date | None = None,
    balances_source: str = "",
    earmarked_available_gbp_m: float | None = None,
    capital: CapitalPlan | None = None,
    demand: tuple[DemandLine, ...] = (),
) -> Scenario:
    """A scenario from plain values, filling every default (lines not given are zero).

    The caller vouches for the values (the page's widgets and tests); files go through `files.parse_scenario`,
    which reports every problem. The minimum prudent level defaults to 5% of the net revenue budget.
    """
    full_base = {b.key: 0.0 for b in BASE}
    full_base["collection_rate_pct"] = 100.0
    full_base.update({k: float(v) for k, v in base.items()})
    if "minimum_reserves" not in base:
        full_base["minimum_reserves"] = round(full_base["net_revenue_budget"] * DEFAULT_MINIMUM_PCT_OF_NRB / 100, 3)
    given = dict(assumptions or {})
    given.setdefault("collection_rate_pct", full_base["collection_rate_pct"])
    per_year = {a.key: _per_year(given.get(a.key, a.default), len(years)) for a in ASSUMPTIONS}
    return Scenario(
        name=name,
        base_year=base_year,
        years=tuple(years),
        base=full_base,
        assumptions=per_year,
        reserves_policy=reserves_policy,
        dsg_cliff=dsg_cliff,
        dsg_written_off_pct=dsg_written_off_pct,
        ranges=dict(ranges or {}),
        authority=authority,
        description=description,
        balances_as_at=balances_as_at,
        balances_source=balances_source,
        earmarked_available_gbp_m=earmarked_available_gbp_m,
        capital=capital,
        demand=tuple(demand),
    )


@dataclass(frozen=True)
class Projection:
    """Model output: every array is (simulations, years) in £m unless named otherwise."""

    years: tuple[str, ...]
    funding_change: Array
    spending_change: Array
    incremental_gap: Array  # new gap arising in the year, before savings
    cumulative_gap_before_savings: Array
    savings_delivered: Array  # new savings delivered in the year
    savings_delivered_cumulative: Array
    cumulative_gap: Array  # after delivered savings: what is left for reserves or other action
    reserves_used: Array  # drawn from reserves in the year (gap met from reserves plus any DSG charge)
    dsg_charge: Array
    unallocated_closing: Array
    earmarked_closing: Array
    usable_closing: Array
    headroom: Array  # unallocated closing less the minimum prudent level
    net_revenue_budget: Array
    reserves_pct_of_nrb: Array  # usable reserves as % of the year's net revenue budget (NaN when NRB ≤ 0)
    minimum_reserves: float
    financing: Financing | None = None  # the capital programme's MRP and interest (None: no programme)
    demand: tuple[tuple[str, Array], ...] = ()  # (line label, pressure £m, change from the base) per demand line

    @property
    def demand_total(self) -> Array | None:
        """Every demand line's pressure added up, £m (None: no demand lines)."""
        return None if not self.demand else np.asarray(sum(a for _, a in self.demand), dtype=float)

    @property
    def n_simulations(self) -> int:
        return int(self.cumulative_gap.shape[0])

    def first_year_index(self, exhausted: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """Per simulation, the index of the first True year, or -1."""
        any_hit = exhausted.any(axis=1)
        return np.where(any_hit, exhausted.argmax(axis=1), -1)

    @property
    def unallocated_exhausted(self) -> npt.NDArray[np.bool_]:
        return self.unallocated_closing <= 1e-9

    @property
    def earmarked_exhausted(self) -> npt.NDArray[np.bool_]:
        return self.earmarked_closing <= 1e-9

    def exhaustion_year(self, row: int = 0) -> str | None:
        """The first year the reserves the policy can draw are used up (unallocated at or below zero)."""
        idx = int(self.first_year_index(self.unallocated_exhausted)[row])
        return None if idx < 0 else self.years[idx]

    def earmarked_exhaustion_year(self, row: int = 0) -> str | None:
        idx = int(self.first_year_index(self.earmarked_exhausted)[row])
        return None if idx < 0 else self.years[idx]

    def below_minimum_year(self, row: int = 0) -> str | None:
        idx = int(self.first_year_index(self.headroom < 0)[row])
        return None if idx < 0 else self.years[idx]

    def table(self, row: int = 0) -> pd.DataFrame:
        """One simulation (the deterministic run is row 0) as a table a person reads, one row a year, £m."""
        arrays = {
            "Incremental gap £m": self.incremental_gap,
            "Cumulative gap before savings £m": self.cumulative_gap_before_savings,
            "Savings delivered in year £m": self.savings_delivered,
            "Savings delivered cumulative £m": self.savings_delivered_cumulative,
            "Cumulative gap after savings £m": self.cumulative_gap,
            "Met from reserves £m": self.reserves_used,
            "DSG charge to reserves £m": self.dsg_charge,
            "Unallocated reserves (closing) £m": self.unallocated_closing,
            "Earmarked reserves (closing) £m": self.earmarked_closing,
            "Usable reserves (closing) £m": self.usable_closing,
            "Headroom above minimum £m": self.headroom,
            "Usable reserves % of NRB": self.reserves_pct_of_nrb,
        }
        if self.financing is not None:
            arrays[self.FINANCING_COLUMN] = self.financing.change_from_base
        for column, (_, pressure) in zip(self.demand_columns, self.demand, strict=True):
            arrays[column] = pressure
        cols: dict[str, object] = {"Year": list(self.years)}
        cols.update({name: np.round(np.asarray(a[row], dtype=float), 3) for name, a in arrays.items()})
        return pd.DataFrame(cols)

    FINANCING_COLUMN = "Capital financing costs (change from base year) £m"
    GAP_COLUMNS = (
        "Year",
        "Incremental gap £m",
        "Cumulative gap before savings £m",
        "Savings delivered cumulative £m",
        "Cumulative gap after savings £m",
    )
    RESERVES_COLUMNS = (
        "Year",
        "Met from reserves £m",
        "Unallocated reserves (closing) £m",
        "Earmarked reserves (closing) £m",
        "Usable reserves (closing) £m",
        "Headroom above minimum £m",
        "Usable reserves % of NRB",
    )

    @property
    def demand_columns(self) -> tuple[str, ...]:
        """One column per demand line, named by its metric and service (numbered if two read the same)."""
        out: list[str] = []
        for label, _ in self.demand:
            column = f"Demand pressure: {label} £m"
            out.append(column if column not in out else f"Demand pressure: {label} [{len(out) + 1}] £m")
        return tuple(out)

    def gap_table(self, row: int = 0) -> pd.DataFrame:
        """The gap chart's figures, £m (with the capital financing line when the scenario has a programme and a
        line per demand driver)."""
        columns = [
            *self.GAP_COLUMNS,
            *([self.FINANCING_COLUMN] if self.financing is not None else []),
            *self.demand_columns,
        ]
        return self.table(row)[columns]

    def reserves_table(self, row: int = 0) -> pd.DataFrame:
        """The reserves chart's figures, £m (and % of NRB)."""
        return self.table(row)[list(self.RESERVES_COLUMNS)]


def _growth(rate_pct: Array) -> Array:
    return np.asarray(np.cumprod(1.0 + rate_pct / 100.0, axis=1), dtype=np.float64)


def project(
    base: Mapping[str, float],
    values: Mapping[str, Array],
    years: tuple[str, ...],
    *,
    reserves_policy: str = "earmarked_first",
    dsg_cliff: bool = False,
    dsg_written_off_pct: float | Array = 0.0,
    earmarked_available_gbp_m: float | None = None,
    capital: CapitalPlan | None = None,
    base_year: str = "",
    demand: tuple[DemandLine, ...] = (),
) -> Projection:
    """Run the model on arrays of assumptions, each (simulations, years) or broadcastable to it.

    `values` must hold every assumption key (see `spec.ASSUMPTIONS`). Raises ValueError on an unknown policy.
    `earmarked_available_gbp_m` caps what `earmarked_first` may take from earmarked reserves over the whole
    period (None: every earmarked reserve is drawable). `capital` adds the MRP and interest on its new borrowing
    (see `financing`) to spending, as the change from `base_year`. `demand` adds each line's pressure (growth from
    `values[demand.growth_key(i)]` when given, else the line's own) and ignores the blanket demand growth it replaces.
    """
    if reserves_policy not in RESERVES_POLICIES:
        raise ValueError(f"unknown reserves policy {reserves_policy!r}")
    n_years = len(years)
    drawn = [np.shape(values[k]) for k in values if k not in ASSUMPTION_KEYS]
    shape = np.broadcast_shapes(*(np.shape(values[a.key]) for a in ASSUMPTIONS), *drawn, (1, n_years))
    # Every assumption as a full (simulations, years) array: a per-simulation draw of shape (n, 1) must be
    # repeated across the years before growth compounds along them.
    v = {a.key: np.broadcast_to(np.asarray(values[a.key], dtype=float), shape) for a in ASSUMPTIONS}

    def b(key: str) -> float:
        return float(base.get(key, 0.0))

    ct_rate = (v["council_tax_increase_pct"] + v["adult_social_care_precept_pct"]) / 100.0
    ct_factor = np.cumprod((1.0 + ct_rate) * (1.0 + v["tax_base_growth_pct"] / 100.0), axis=1)
    base_collection = b("collection_rate_pct") or 100.0
    ct_factor = ct_factor * (v["collection_rate_pct"] / base_collection)
    funding_base = b("council_tax_requirement") + b("business_rates") + b("grants") + b("fees_and_charges")
    funding = (
        b("council_tax_requirement") * ct_factor
        + b("business_rates") * _growth(v["business_rates_growth_pct"])
        + b("grants") * _growth(v["grant_change_pct"])
        + b("fees_and_charges") * _growth(v["fees_growth_pct"])
    )
    funding_change = np.broadcast_to(funding - funding_base, shape)

    for replaced in covered(demand):  # never both: the demand lines give this service's demand
        v[replaced] = np.zeros(shape)
    adults = np.cumprod(
        (1.0 + v["adults_inflation_pct"] / 100.0) * (1.0 + v["adults_demand_growth_pct"] / 100.0), axis=1
    )
    children = np.cumprod(
        (1.0 + v["childrens_inflation_pct"] / 100.0) * (1.0 + v["childrens_demand_growth_pct"] / 100.0), axis=1
    )
    spending_base = b("pay") + b("non_pay") + b("adults_social_care") + b("childrens_social_care")
    spending = (
        b("pay") * _growth(v["pay_award_pct"])
        + b("non_pay") * _growth(v["non_pay_inflation_pct"])
        + b("adults_social_care") * adults
        + b("childrens_social_care") * children
    )
    pressures = np.cumsum(np.broadcast_to(v["additional_pressures_gbp_m"], shape), axis=1)
    costs = None if capital is None else financing(capital, base_year, years, np.asarray(v["borrowing_rate_pct"]))
    capital_change = 0.0 if costs is None else costs.change_from_base
    demand_lines = pressures_gbp_m(demand, values, shape)
    demand_change = np.sum(demand_lines, axis=0) if demand_lines else 0.0
    spending_change = np.broadcast_to(spending - spending_base + pressures + capital_change + demand_change, shape)

    cum_before = spending_change - funding_change
    incremental = np.diff(cum_before, axis=1, prepend=0.0)
    delivered = np.broadcast_to(v["savings_planned_gbp_m"] * v["savings_delivery_pct"] / 100.0, shape)
    delivered_cum = np.cumsum(delivered, axis=1)
    cum_gap = cum_before - delivered_cum

    dsg_charge = _dsg_charge(base, v, years, shape, dsg_cliff, dsg_written_off_pct)
    contribution = np.broadcast_to(v["reserves_contribution_gbp_m"], shape)

    unalloc = np.empty(shape)
    earm = np.empty(shape)
    used = np.empty(shape)
    u = np.full(shape[0], b("unallocated_reserves"))
    e = np.full(shape[0], b("earmarked_reserves"))
    drawable = e if earmarked_available_gbp_m is None else np.minimum(e, max(earmarked_available_gbp_m, 0.0))
    for t in range(n_years):
        need = cum_gap[:, t] + dsg_charge[:, t]
        draw = np.maximum(need, 0.0)
        surplus = np.maximum(-need, 0.0)
        if reserves_policy == "earmarked_first":
            from_e = np.minimum(draw, np.maximum(drawable, 0.0))
            drawable = drawable - from_e
            e = e - from_e
            u = u - (draw - from_e)
        else:
            u = u - draw
        u = u + surplus + contribution[:, t]
        unalloc[:, t] = u
        earm[:, t] = e
        used[:, t] = draw

    nrb = b("net_revenue_budget") + spending_change
    usable = unalloc + earm
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pct = np.where(nrb > 0, usable / nrb * 100.0, np.nan)
    minimum = b("minimum_reserves")
    return Projection(
        years=years,
        funding_change=np.asarray(funding_change),
        spending_change=np.asarray(spending_change),
        incremental_gap=incremental,
        cumulative_gap_before_savings=cum_before,
        savings_delivered=np.asarray(delivered),
        savings_delivered_cumulative=delivered_cum,
        cumulative_gap=cum_gap,
        reserves_used=used,
        dsg_charge=dsg_charge,
        unallocated_closing=unalloc,
        earmarked_closing=earm,
        usable_closing=usable,
        headroom=unalloc - minimum,
        net_revenue_budget=nrb,
        reserves_pct_of_nrb=pct,
        minimum_reserves=minimum,
        financing=costs,
        demand=tuple((line.label, p) for line, p in zip(demand, demand_lines, strict=True)),
    )


def _dsg_charge(
    base: Mapping[str, float],
    v: Mapping[str, Array],
    years: tuple[str, ...],
    shape: tuple[int, ...],
    dsg_cliff: bool,
    written_off_pct: float | Array,
) -> Array:
    """What the DSG deficit takes from usable reserves each year once the statutory override has ended.

    In the first year after 31 March 2028 the whole cumulative deficit then held counts, less the share written
    off by government; in later years each year's new deficit counts in full. Before that, and without the
    cliff, nothing.
    """
    charge = np.zeros(shape)
    if not dsg_cliff:
        return charge
    in_year = np.broadcast_to(v["dsg_in_year_deficit_gbp_m"], shape)
    cumulative = float(base.get("dsg_deficit", 0.0)) + np.cumsum(in_year, axis=1)
    starts = [fy.start_year(y) for y in years]
    kept = 1.0 - np.asarray(written_off_pct, dtype=float) / 100.0
    for t, start in enumerate(starts):
        if start < DSG_FIRST_YEAR_START:
            continue
        if t == 0 or starts[t - 1] < DSG_FIRST_YEAR_START:
            brought_forward = cumulative[:, t - 1] if t > 0 else float(base.get("dsg_deficit", 0.0))
            charge[:, t] = np.reshape(brought_forward * kept, -1) + in_year[:, t]
        else:
            charge[:, t] = in_year[:, t]
    return charge


def assumption_arrays(scenario: Scenario) -> dict[str, Array]:
    """The scenario's assumptions as (1, years) arrays, ready for `project`."""
    return {k: np.asarray(vals, dtype=float).reshape(1, -1) for k, vals in scenario.assumptions.items()}


def run(scenario: Scenario) -> Projection:
    """The deterministic projection of one scenario (one row), by the single-path route (`path.project_path`)."""
    return project_path(
        scenario.base,
        scenario.assumptions,
        scenario.years,
        reserves_policy=scenario.reserves_policy,
        dsg_cliff=scenario.dsg_cliff,
        dsg_written_off_pct=scenario.dsg_written_off_pct,
        earmarked_available_gbp_m=scenario.earmarked_available_gbp_m,
        capital=scenario.capital,
        base_year=scenario.base_year,
        demand=scenario.demand,
    )


def run_arrays(scenario: Scenario) -> Projection:
    """The same projection by the Monte Carlo route (`project` on (1, years) arrays); `run` must agree with it."""
    return project_scenario(scenario, assumption_arrays(scenario))


def project_scenario(scenario: Scenario, values: Mapping[str, Array]) -> Projection:
    """`project` for this scenario's base, years and settings, on assumption arrays `values` (the Monte Carlo
    draws, the tornado's swings, or the scenario's own values as (1, years) arrays)."""
    return project(
        scenario.base,
        values,
        scenario.years,
        reserves_policy=scenario.reserves_policy,
        dsg_cliff=scenario.dsg_cliff,
        dsg_written_off_pct=scenario.dsg_written_off_pct,
        earmarked_available_gbp_m=scenario.earmarked_available_gbp_m,
        capital=scenario.capital,
        base_year=scenario.base_year,
        demand=scenario.demand,
    )
