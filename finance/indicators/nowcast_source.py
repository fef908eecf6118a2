"""Where the nowcast's inputs come from: the latest monitoring upload and the council's latest official return.

Kept apart from the pure nowcast (`nowcast.py`) so that module can be tested on hand-made inputs, and so the
indicators depend on the monitoring and scenarios packages only through their public query functions.
"""

from __future__ import annotations

import pandas as pd

from finance.indicators import queries as q
from finance.indicators.nowcast import Nowcast, NowcastInputs, compute_nowcast
from finance.indicators.profile import build_series
from finance.monitoring import reserve_balances, reserve_settings, sheet_lines, years_held
from finance.store import Store
from finance.years import shift

GBP_PER_M = 1_000_000.0


def own_nre(store: Store, code: str) -> tuple[str, float] | None:
    """(year, £) of the council's net revenue expenditure on its latest outturn (or illustrative) return: the
    nowcast's denominator, the same definition as the peers' (RS net revenue expenditure)."""
    row = store.query_one(
        """SELECT financial_year, CAST(value_gbp AS DOUBLE) FROM official_value
           WHERE code = ? AND measure = 'net_revenue_expenditure' AND point = 'year'
             AND basis IN ('outturn', 'illustrative') AND value_gbp IS NOT NULL
           ORDER BY financial_year DESC LIMIT 1""",
        [code],
    )
    return None if row is None else (str(row[0]), float(row[1]))


def nowcast_inputs(store: Store, code: str) -> NowcastInputs | None:
    """The latest year and period whose monitoring has a Reserves sheet; None when there is none, or when the
    acting user may not read the authority's own data (the official profile is shown without the nowcast).

    Usable reserves are the forecast closing balances after the forecast overspend, ring-fenced lines excluded
    (`finance.monitoring.balances`); the denominator is the council's own net revenue expenditure from its latest
    return (`own_nre`), so the projection and the peers' figures share one definition of each.
    """
    if not store.readable(code):
        return None
    for year in reversed(years_held(store, code)):
        reserves = sheet_lines(store, "Reserves", code, year)
        if reserves.empty:
            continue
        period = int(reserves["period"].max())
        revenue = sheet_lines(store, "Revenue", code, year, period)
        settings = reserve_settings(store, code, year)
        settings = settings[settings["period"] == period]
        stated = settings["overspend_in_reserves"]
        overspend_in = None if stated.empty or pd.isna(stated.iloc[0]) else bool(stated.iloc[0])
        balances = reserve_balances(
            reserves[reserves["period"] == period],
            None if revenue.empty else float(revenue["variance_gbp"].sum()),
            overspend_in_reserves=overspend_in,
        )
        dsg = sheet_lines(store, "DSG", code, year)
        dsg = dsg[dsg["period"] <= period]
        deficit = None
        if not dsg.empty:
            latest = dsg[dsg["period"] == dsg["period"].max()]
            deficit = float(latest["cumulative_gbp"].sum())
        nre = own_nre(store, code)
        return NowcastInputs(
            financial_year=year,
            period=period,
            unallocated_opening_gbp=balances.unallocated_opening_gbp,
            earmarked_opening_gbp=balances.earmarked_opening_gbp,
            unallocated_closing_gbp=balances.unallocated_closing_gbp,
            earmarked_closing_gbp=balances.earmarked_closing_gbp,
            dsg_deficit_gbp=deficit,
            net_revenue_budget_gbp=None if nre is None else nre[1],
            nre_year=None if nre is None else nre[0],
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
    peer_group = q.group_of(store, info, g)
    codes = peer_group.codes
    primary = "illustrative" if info.is_illustrative else "outturn"
    peer_year = q.latest_year(store, codes, primary)
    if peer_year is None:
        return None
    window = [shift(peer_year, -k) for k in range(4)]
    values = q.official_values(store, codes, years=window, all_years_for=info.code)
    no_borrowing = pd.DataFrame({"code": [], "financial_year": [], "value_gbp": []})
    series = build_series(values, no_borrowing, codes, primary)
    peers = {c: s for c, s in series.items() if s.basis_for(peer_year) is not None}
    return compute_nowcast(inputs, series[info.code], peers, peer_year, peer_group.class_of())
