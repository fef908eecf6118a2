"""Prudential indicators from the capital programme and a scenario: projected debt, CFR and financing costs by year
against the limits the council sets, and how much more it could borrow within its financing-costs limit.

Like for like: every projected figure is a scenario projection (the scenario's borrowing rate and net revenue
budget, the programme's borrowing) from the debt position the workbook states at 1 April of its year; the limits
are the council's own, as stated in the same workbook. What is not stated is said, never assumed:

- projected external debt = external debt at 1 April + the programme's new borrowing to the end of the year (existing
  loans are taken to be refinanced as they mature, as councils' treasury strategies usually plan);
- projected CFR = CFR at 1 April + new borrowing − MRP on the new borrowing (MRP on the existing CFR is not stated in
  the workbook, so it is not deducted: the CFR shown is before it);
- projected financing costs = interest on existing debt (average rate × external debt at 1 April) + MRP and interest
  on the new borrowing; MRP on existing debt is not stated, so the costs shown are before it;
- net revenue stream: the scenario's net revenue budget for the year stands in for it;
- **borrowing capacity** = (limit % × net revenue stream − projected financing costs) ÷ (borrowing rate + 1 ÷ asset
  life): the new borrowing whose first full year of interest and straight-line MRP fits within the limit; the asset
  life is the programme's borrowing-weighted average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finance import years as fy
from finance.scenarios import (
    HeldPosition,
    HeldProgramme,
    Projection,
    Scenario,
    base_figures,
    current_position,
    current_programme,
    current_scenario,
    run,
    with_programme,
)
from finance.store import Store

BREACH = "Red"
WITHIN = "Green"


@dataclass(frozen=True)
class Indicators:
    """Prudential indicators by projected year (from the workbook's year on), £m and %; None where not stated."""

    years: tuple[str, ...]
    external_debt_gbp_m: tuple[float | None, ...]
    cfr_gbp_m: tuple[float | None, ...]
    financing_costs_gbp_m: tuple[float, ...]
    net_revenue_stream_gbp_m: tuple[float, ...]
    financing_pct: tuple[float | None, ...]
    borrowing_rate_pct: tuple[float, ...]
    capacity_gbp_m: tuple[float | None, ...]
    authorised_limit_gbp_m: float | None
    operational_boundary_gbp_m: float | None
    financing_limit_pct: float | None
    asset_life_years: float | None  # the programme's borrowing-weighted average

    def breaches(self) -> list[str]:
        """Each breach in words ('2027-28: external debt £512.0m above the authorised limit £480.0m')."""
        out: list[str] = []
        for i, year in enumerate(self.years):
            debt, ratio = self.external_debt_gbp_m[i], self.financing_pct[i]
            if debt is not None and self.authorised_limit_gbp_m is not None and debt > self.authorised_limit_gbp_m:
                out.append(f"{year}: external debt £{debt:,.1f}m above the authorised limit "
                           f"£{self.authorised_limit_gbp_m:,.1f}m")  # fmt: skip
            boundary = self.operational_boundary_gbp_m
            if debt is not None and boundary is not None and debt > boundary:
                out.append(f"{year}: external debt £{debt:,.1f}m above the operational boundary £{boundary:,.1f}m")
            if ratio is not None and self.financing_limit_pct is not None and ratio > self.financing_limit_pct:
                out.append(f"{year}: financing costs {ratio:.1f}% of net revenue stream, above the limit "
                           f"{self.financing_limit_pct:g}%")  # fmt: skip
        return out

    def not_assessed(self) -> list[str]:
        """What keeps an indicator from being assessed, in words ('the operational boundary is not stated'); empty
        when all three limits are stated and the projection gives the figure each is compared with."""
        out: list[str] = []
        limits = (
            (self.authorised_limit_gbp_m, "the authorised limit"),
            (self.operational_boundary_gbp_m, "the operational boundary"),
            (self.financing_limit_pct, "the financing costs limit (% of net revenue stream)"),
        )
        for limit, words in limits:
            if limit is None:
                out.append(f"{words} is not stated")
        if any(v is None for v in self.external_debt_gbp_m):
            out.append("external debt at 1 April is not stated, so projected debt is not known")
        if any(v is None for v in self.financing_pct):
            out.append("the net revenue stream is not positive in every year, so the financing costs ratio is unknown")
        return out

    @property
    def rag(self) -> str | None:
        """'Red' on any breach of a limit stated; 'Green' when every limit is stated and none is breached; None (not
        assessed) otherwise — a limit the council has not given is never taken as met."""
        if self.breaches():
            return BREACH
        return None if self.not_assessed() else WITHIN

    def table(self) -> pd.DataFrame:
        """The indicators as a prudential indicators report lays them out: one row per indicator (its unit in its
        name), one column per year, so the table reads at 1280 px however many indicators there are. Every cell is
        a number (rounded to £0.1m or 0.1%), kept a number for the downloads; a limit not stated is missing. Each
        year's status is in words beside the table (the panel's caption names every breach by year and why an
        indicator is not assessed), not in a row that would turn the year columns into text."""

        def r(values: tuple[float | None, ...]) -> list[float | None]:
            return [None if v is None else round(v, 1) for v in values]

        def each(value: float | None) -> list[float | None]:
            return [value] * len(self.years)

        rows: list[tuple[str, list[float | None]]] = [
            ("External debt, £m", r(self.external_debt_gbp_m)),
            ("Authorised limit, £m", each(self.authorised_limit_gbp_m)),
            ("Operational boundary, £m", each(self.operational_boundary_gbp_m)),
            ("CFR before MRP on existing debt, £m", r(self.cfr_gbp_m)),
            ("Financing costs, £m", r(self.financing_costs_gbp_m)),
            ("Net revenue stream, £m", r(self.net_revenue_stream_gbp_m)),
            ("Financing costs, % of net revenue stream", r(self.financing_pct)),
            ("Financing costs limit, % of net revenue stream", each(self.financing_limit_pct)),
            ("Borrowing rate, %", r(self.borrowing_rate_pct)),
            ("Borrowing capacity, £m", r(self.capacity_gbp_m)),
        ]
        columns = {y: [values[i] for _, values in rows] for i, y in enumerate(self.years)}
        return pd.DataFrame({"Indicator": [name for name, _ in rows], "Basis": "scenario projection", **columns})


def _m(value_gbp: float | None) -> float | None:
    return None if value_gbp is None else value_gbp / 1e6


def average_life_years(held: HeldProgramme) -> float | None:
    """The programme's borrowing-weighted average asset life, or None when it borrows nothing."""
    lines = held.lines[held.lines["borrowing_gbp"].fillna(0) > 0]
    total = float(lines["borrowing_gbp"].sum())
    return None if total <= 0 else float((lines["borrowing_gbp"] * lines["asset_life_years"]).sum() / total)


def indicators(
    held: HeldProgramme, position: HeldPosition | None, scenario: Scenario, proj: Projection
) -> Indicators | None:
    """The indicators for the scenario's years from the programme's year on (None when none overlap)."""
    first = fy.start_year(held.financial_year)
    index = [i for i, y in enumerate(proj.years) if fy.start_year(y) >= first]
    if not index:
        return None
    years = tuple(proj.years[i] for i in index)
    by_year = held.lines.groupby("programme_year")["borrowing_gbp"].sum().fillna(0.0)
    borrowed = [sum(float(v) for y, v in by_year.items() if fy.start_year(str(y)) <= fy.start_year(year)) / 1e6
                for year in years]  # fmt: skip
    fin = proj.financing
    mrp = np.cumsum(fin.mrp[0]) if fin is not None else np.zeros(len(proj.years))
    new_costs = fin.costs[0] if fin is not None else np.zeros(len(proj.years))
    debt0 = _m(position.external_debt_gbp) if position else None
    cfr0 = _m(position.cfr_gbp) if position else None
    rate0 = position.existing_rate_pct if position else None
    existing_interest = (debt0 or 0.0) * (rate0 or 0.0) / 100
    life = average_life_years(held)
    limit = position.financing_limit_pct if position else None
    rates = scenario.assumptions["borrowing_rate_pct"]
    debt, cfr, costs, nrs, ratio, capacity, rate_out = [], [], [], [], [], [], []
    for n, i in enumerate(index):
        cumulative = float(borrowed[n])
        debt.append(None if debt0 is None else debt0 + cumulative)
        cfr.append(None if cfr0 is None else cfr0 + cumulative - float(mrp[i]))
        cost = existing_interest + float(new_costs[i])
        stream = float(proj.net_revenue_budget[0, i])
        costs.append(cost)
        nrs.append(stream)
        ratio.append(cost / stream * 100 if stream > 0 else None)
        rate = float(rates[i])
        rate_out.append(rate)
        per_pound = rate / 100 + (1 / life if life else 0.0)
        capacity.append(
            None if limit is None or stream <= 0 or per_pound <= 0 else (limit / 100 * stream - cost) / per_pound
        )
    return Indicators(
        years,
        tuple(debt),
        tuple(cfr),
        tuple(costs),
        tuple(nrs),
        tuple(ratio),
        tuple(rate_out),
        tuple(capacity),
        _m(position.authorised_limit_gbp) if position else None,
        _m(position.operational_boundary_gbp) if position else None,
        limit,
        life,
    )


@dataclass(frozen=True)
class Assessment:
    """The prudential indicators of a council as the Capital page, the overview card and the pack all read them
    (built once, here), or why there are none (`why_not`, in words; '' when `indicators` is set)."""

    held: HeldProgramme | None
    position: HeldPosition | None
    scenario: Scenario | None
    origin: str  # the scenario projected from, in words ('the current scenario, …')
    indicators: Indicators | None
    why_not: str


def _scenario(store: Store, code: str) -> tuple[Scenario, str] | None:
    saved = current_scenario(store, code)
    if saved is not None and saved.scenario().capital is not None:
        return saved.scenario(), f"the current scenario, {saved.label}"
    try:
        base = base_figures(store, code)
    except Exception:
        return None
    return with_programme(store, base.scenario()), f"the returns held for {base.authority_name}"


def assess(store: Store, code: str) -> Assessment:
    """The council's current capital programme and debt position projected by its current scenario (else a
    scenario from its returns) into prudential indicators; `why_not` says what is missing when they cannot be."""
    held = current_programme(store, code)
    position = current_position(store, code)
    if held is None:
        return Assessment(None, position, None, "", None, "no capital programme is held (a Capital programme sheet)")
    if position is None:
        return Assessment(held, None, None, "", None, "the Instructions sheet states no debt position or limits")
    chosen = _scenario(store, code)
    if chosen is None:
        return Assessment(held, position, None, "", None, "no scenario with the authority's figures to project from")
    scenario, origin = chosen
    ind = indicators(held, position, scenario, run(scenario))
    if ind is None:
        why = f"the scenario's years end before the programme's year {held.financial_year}"
        return Assessment(held, position, scenario, origin, None, why)
    return Assessment(held, position, scenario, origin, ind, "")
