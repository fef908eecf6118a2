"""Income collection and debt recovery in figures: each stream's in-year collection rate against the same period
last year and its target, the forecast year-end rate, the shortfall in £ and its cash effect on the budget, and the
age of the debt.

The forecast is stated as a rule because a committee must be able to check it: this year's rate now plus the
change last year brought from the same period to the year end (last year's final rate − last year's rate at the
same period). The shortfall is the forecast's gap below the target (or, with no target, below last year's final
rate) times this year's collectable amount. Council tax and business rates are collected through the collection
fund, whose deficit is shared with the preceptors and the government, so their cash effect on the council's
budget is the shortfall at the council's share of the fund; any other stream's shortfall falls on the budget in
full. Pure: frames in, frames out; money in £, rates in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.targets import collection_key
from finance.workbook import AGE_BANDS, COLLECTION_FUND_STREAMS

FORECAST_RULE = (
    "Forecast year-end rate = this year's rate now + (last year's final rate − last year's rate at the same period)."
)
STREAM_COLUMNS = [
    "stream",
    "collectable_gbp",
    "collected_gbp",
    "rate_pct",
    "last_year_rate_pct",
    "last_year_final_pct",
    "forecast_pct",
    "target_pct",
    "compared_with",
    "benchmark_pct",
    "shortfall_gbp",
    "fund_share_pct",
    "budget_effect_gbp",
    "arrears_brought_forward_gbp",
    "arrears_collected_gbp",
    "write_offs_gbp",
    "arrears_gbp",
]


@dataclass(frozen=True)
class Share:
    """The council's share of the collection fund (%), and whether the upload stated it (not stated: 100%)."""

    pct: float = 100.0
    stated: bool = False


def _by_stream(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum per period and stream, keeping missing as missing (min_count=1)."""
    cols = [c for c in frame.columns if c.endswith("_gbp")]
    return frame.groupby(["period", "stream"], as_index=False, sort=False)[cols].sum(min_count=1)


def _rate(collected: float, collectable: float) -> float | None:
    return None if pd.isna(collectable) or collectable <= 0 else 100 * collected / collectable


def _rates_at(frame: pd.DataFrame, period: int) -> dict[str, float | None]:
    if frame.empty:
        return {}
    at = _by_stream(frame[frame["period"] == period])
    return {str(r.stream): _rate(r.collected_gbp, r.collectable_gbp) for r in at.itertuples()}


def _opt(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def streams(
    this: pd.DataFrame, before: pd.DataFrame, period: int, targets: dict[str, float], share: Share
) -> pd.DataFrame:
    """One row per stream held at `period` of this year (STREAM_COLUMNS).

    `this`/`before`: the Collection lines of this year and last year; `targets`: stream → the year's target rate
    (%), matched to the lines' streams by series key (case and punctuation aside). `forecast_pct` is None when last
    year's rate at the same period or its final (P12) rate is not held; at P12 it is the year's actual rate.
    `compared_with` is 'target', 'last year' or None; `shortfall_gbp` is positive when the forecast falls short.
    """
    now = _by_stream(this[this["period"] == period])
    last_at = _rates_at(before, period)
    last_final = _rates_at(before, 12)
    by_key = {collection_key(s): v for s, v in targets.items()}
    rows = []
    for r in now.itertuples():
        stream = str(r.stream)
        rate = _rate(r.collected_gbp, r.collectable_gbp)
        ly_at, ly_final = last_at.get(stream), last_final.get(stream)
        if period == 12:
            forecast = rate
        elif rate is None or ly_at is None or ly_final is None:
            forecast = None
        else:
            forecast = rate + (ly_final - ly_at)
        target = by_key.get(collection_key(stream))
        compared: str | None = "target" if target is not None else "last year"
        benchmark = target if target is not None else ly_final
        if benchmark is None:
            compared = None
        shortfall = None
        if forecast is not None and benchmark is not None:
            shortfall = (benchmark - forecast) / 100 * float(r.collectable_gbp)
        fund_share = share.pct if stream in COLLECTION_FUND_STREAMS else 100.0
        rows.append(
            {
                "stream": stream,
                "collectable_gbp": float(r.collectable_gbp),
                "collected_gbp": float(r.collected_gbp),
                "rate_pct": rate,
                "last_year_rate_pct": ly_at,
                "last_year_final_pct": ly_final,
                "forecast_pct": forecast,
                "target_pct": target,
                "compared_with": compared,
                "benchmark_pct": benchmark,
                "shortfall_gbp": shortfall,
                "fund_share_pct": fund_share,
                "budget_effect_gbp": None if shortfall is None else shortfall * fund_share / 100,
                "arrears_brought_forward_gbp": _opt(getattr(r, "arrears_brought_forward_gbp", None)),
                "arrears_collected_gbp": _opt(getattr(r, "arrears_collected_gbp", None)),
                "write_offs_gbp": _opt(getattr(r, "write_offs_gbp", None)),
                "arrears_gbp": _opt(getattr(r, "arrears_gbp", None)),
            }
        )
    return pd.DataFrame(rows, columns=STREAM_COLUMNS)


def weakest(rows: pd.DataFrame) -> pd.Series | None:
    """The stream with the largest shortfall against its target; with no stream below a target, the largest
    shortfall against last year's final rate; None when no stream falls short of either."""
    for compared in ("target", "last year"):
        short = rows[(rows["compared_with"] == compared) & (rows["shortfall_gbp"].fillna(0) > 0)]
        if not short.empty:
            return short.loc[short["shortfall_gbp"].idxmax()]
    return None


def ageing(debt: pd.DataFrame) -> pd.DataFrame:
    """Debt by period and age band (all streams): period, age_band, balance_gbp, provision_gbp; bands in order."""
    if debt.empty:
        return pd.DataFrame(columns=["period", "age_band", "balance_gbp", "provision_gbp"])
    out = debt.groupby(["period", "age_band"], as_index=False)[["balance_gbp", "provision_gbp"]].sum(min_count=1)
    out["order"] = [AGE_BANDS.index(b) for b in out["age_band"]]
    return out.sort_values(["period", "order"]).drop(columns="order").reset_index(drop=True)


def debt_totals(debt: pd.DataFrame) -> pd.DataFrame:
    """Total debt per period with its movement from the previous period held, provision and provision cover (%):
    period, balance_gbp, movement_gbp, provision_gbp, cover_pct."""
    if debt.empty:
        return pd.DataFrame(columns=["period", "balance_gbp", "movement_gbp", "provision_gbp", "cover_pct"])
    out = debt.groupby("period", as_index=False)[["balance_gbp", "provision_gbp"]].sum(min_count=1)
    out["movement_gbp"] = out["balance_gbp"].diff()
    out["cover_pct"] = (100 * out["provision_gbp"] / out["balance_gbp"]).where(out["balance_gbp"] > 0)
    return out[["period", "balance_gbp", "movement_gbp", "provision_gbp", "cover_pct"]]


def stream_debt(debt: pd.DataFrame, period: int) -> pd.DataFrame:
    """Debt of each stream at `period`: stream, balance_gbp, over_1_year_gbp, provision_gbp, cover_pct."""
    at = debt[debt["period"] == period]
    if at.empty:
        return pd.DataFrame(columns=["stream", "balance_gbp", "over_1_year_gbp", "provision_gbp", "cover_pct"])
    old = at[at["age_band"].isin(AGE_BANDS[3:])]
    out = at.groupby("stream", as_index=False, sort=False)[["balance_gbp", "provision_gbp"]].sum(min_count=1)
    out["over_1_year_gbp"] = [float(old.loc[old["stream"] == s, "balance_gbp"].sum()) for s in out["stream"]]
    out["cover_pct"] = (100 * out["provision_gbp"] / out["balance_gbp"]).where(out["balance_gbp"] > 0)
    return out[["stream", "balance_gbp", "over_1_year_gbp", "provision_gbp", "cover_pct"]]
