"""Where the nowcast's inputs come from: the latest monitoring upload and the current saved MTFS scenario.

Kept apart from the pure nowcast (`nowcast.py`) so that module can be tested on hand-made inputs, and so the
indicators depend on the monitoring and scenarios packages only through their public query functions.
"""

from __future__ import annotations

import pandas as pd

from finance.indicators import queries as q
from finance.indicators.nowcast import Nowcast, NowcastInputs, compute_nowcast
from finance.indicators.profile import build_series
from finance.monitoring import sheet_lines, years_held
from finance.scenarios import current_scenario, run
from finance.store import Store
from finance.years import shift

GBP_PER_M = 1_000_000.0
_TYPES = ("Unallocated", "Earmarked")


def _scenario_budget(store: Store, code: str, year: str) -> tuple[float | None, float | None, str | None]:
    """(net revenue budget £, council tax requirement £, label) for `year` from the current scenario.

    The base year's own figures when `year` is the base year; the model's projected net revenue budget when it
    is a projection year (council tax is not separated out there, so None); nothing when the scenario does not
    cover the year.
    """
    saved = current_scenario(store, code)
    if saved is None:
        return None, None, None
    scenario = saved.scenario()
    if year == scenario.base_year:
        nrb, ctr = scenario.base.get("net_revenue_budget"), scenario.base.get("council_tax_requirement")
        return (
            None if nrb is None else nrb * GBP_PER_M,
            None if ctr is None else ctr * GBP_PER_M,
            saved.label,
        )
    if year in scenario.years:
        projection = run(scenario)
        i = projection.years.index(year)
        return float(projection.net_revenue_budget[0, i]) * GBP_PER_M, None, saved.label
    return None, None, None


def nowcast_inputs(store: Store, code: str) -> NowcastInputs | None:
    """The latest year and period whose monitoring has a Reserves sheet; None when there is none, or when the
    acting user may not read the authority's own data (the official profile is shown without the nowcast)."""
    if not store.readable(code):
        return None
    for year in reversed(years_held(store, code)):
        reserves = sheet_lines(store, "Reserves", code, year)
        if reserves.empty:
            continue
        period = int(reserves["period"].max())
        lines = reserves[reserves["period"] == period]
        sums = lines.groupby("reserve_type")[["opening_gbp", "forecast_use_gbp"]].sum()
        opening = {k: float(sums.at[k, "opening_gbp"]) if k in sums.index else 0.0 for k in _TYPES}
        use = {k: float(sums.at[k, "forecast_use_gbp"]) if k in sums.index else 0.0 for k in _TYPES}
        dsg = sheet_lines(store, "DSG", code, year)
        dsg = dsg[dsg["period"] <= period]
        deficit = None
        if not dsg.empty:
            latest = dsg[dsg["period"] == dsg["period"].max()]
            deficit = float(latest["cumulative_gbp"].sum())
        nrb, ctr, label = _scenario_budget(store, code, year)
        revenue = sheet_lines(store, "Revenue", code, year)
        revenue = revenue[revenue["period"] == period]
        if not revenue.empty and float(revenue["budget_gbp"].sum()) > 0:
            # the year's approved budget (a fact) before a scenario's projection of it
            nrb = float(revenue["budget_gbp"].sum())
        return NowcastInputs(
            financial_year=year,
            period=period,
            unallocated_opening_gbp=opening["Unallocated"],
            earmarked_opening_gbp=opening["Earmarked"],
            unallocated_closing_gbp=opening["Unallocated"] - use["Unallocated"],
            earmarked_closing_gbp=opening["Earmarked"] - use["Earmarked"],
            dsg_deficit_gbp=deficit,
            net_revenue_budget_gbp=nrb,
            council_tax_requirement_gbp=ctr,
            scenario_label=label,
        )
    return None


def resilience_nowcast(store: Store, code: str, group: str = "MD") -> Nowcast | None:
    """The indicators on the latest monitoring forecast, placed among the peers' latest official values.

    None when the authority has no monitoring with a Reserves sheet, or its peer group has no official figures.
    Raises `NotFoundError` for an unknown authority and `InputError` for an unknown group.
    """
    g = q.check_group(group)
    info = q.authority(store, code)
    inputs = nowcast_inputs(store, info.code)
    if inputs is None:
        return None
    members = q.group_members(store, info, g)
    codes = [str(c) for c in members["code"]]
    primary = "illustrative" if info.is_illustrative else "outturn"
    peer_year = q.latest_year(store, codes, primary)
    if peer_year is None:
        return None
    window = [shift(peer_year, -k) for k in range(4)]
    values = q.official_values(store, codes, years=window, all_years_for=info.code)
    no_borrowing = pd.DataFrame({"code": [], "financial_year": [], "value_gbp": []})
    series = build_series(values, no_borrowing, codes, primary)
    peers = {c: s for c, s in series.items() if s.basis_for(peer_year) is not None}
    return compute_nowcast(inputs, series[info.code], peers, peer_year)
