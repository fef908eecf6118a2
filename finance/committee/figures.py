"""The headline figures of one monitoring period, computed once for the overview and the detail pages.

Why one function: the audit committee must see the same number on the overview card, on the detail page, in the
summary sentence and in the CLI's lines, so every page derives its figures from `position(...)` over the same
current lines (`finance.monitoring`). Pure: frames in, a dataclass out; money in £, percentages as
percent (1.8, not 0.018). A sheet not uploaded gives None, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.monitoring import ReserveBalances, reserve_balances

NO_MONITORING = "No monitoring uploaded yet for {name} in {year} — upload it on the Upload monitoring page."
COUNCIL_TAX = "Council tax"
SETTINGS = "ReserveSettings"  # the lines key of `queries.reserve_settings`: what each period's Instructions state


@dataclass(frozen=True)
class Position:
    """Where the year stood at one period. None = that sheet was not uploaded for the period."""

    period: int
    budget_gbp: float | None = None
    forecast_gbp: float | None = None
    variance_gbp: float | None = None  # positive = overspend
    top_directorate: str | None = None  # the directorate with the largest overspend (or smallest underspend)
    top_directorate_variance_gbp: float | None = None
    reserves: ReserveBalances | None = None  # the Reserves sheet with the overspend applied (the one balance)
    dsg_cumulative_gbp: float | None = None
    ct_rate_pct: float | None = None  # cumulative council tax collected ÷ collectable
    ct_rate_last_year_pct: float | None = None  # the same period of the previous year

    @property
    def variance_pct(self) -> float | None:
        """Forecast variance as % of the net revenue budget."""
        if self.variance_gbp is None or not self.budget_gbp:
            return None
        return 100 * self.variance_gbp / self.budget_gbp

    @property
    def reserves_opening_gbp(self) -> float | None:
        """Usable reserves at 1 April (Unallocated + Earmarked lines)."""
        return None if self.reserves is None else self.reserves.usable_opening_gbp

    @property
    def reserves_closing_gbp(self) -> float | None:
        """Forecast closing usable reserves: Σ usable forecast closing balances − the overspend deducted."""
        return None if self.reserves is None else self.reserves.usable_closing_gbp

    @property
    def unallocated_opening_gbp(self) -> float | None:
        return None if self.reserves is None else self.reserves.unallocated_opening_gbp

    @property
    def unallocated_closing_gbp(self) -> float | None:
        """Forecast closing unallocated (general fund) balance after the overspend."""
        return None if self.reserves is None else self.reserves.unallocated_closing_gbp

    @property
    def annual_draw_gbp(self) -> float | None:
        """This year's draw on usable reserves: forecast use plus the overspend deducted (which reserves meet)."""
        return None if self.reserves is None else self.reserves.draw_gbp

    @property
    def cover_years(self) -> float | None:
        """Forecast closing usable reserves ÷ this year's draw; +inf when reserves are not being drawn down."""
        return None if self.reserves is None else self.reserves.cover_years

    @property
    def headroom_gbp(self) -> float | None:
        """Forecast closing unallocated balance − the stated minimum general fund balance (None: none stated)."""
        return None if self.reserves is None else self.reserves.headroom_gbp

    @property
    def dsg_pct_reserves(self) -> float | None:
        """Cumulative DSG deficit as % of forecast closing usable reserves (None when reserves are not positive)."""
        if self.dsg_cumulative_gbp is None or not self.reserves_closing_gbp or self.reserves_closing_gbp <= 0:
            return None
        return 100 * self.dsg_cumulative_gbp / self.reserves_closing_gbp

    @property
    def ct_points_vs_last_year(self) -> float | None:
        if self.ct_rate_pct is None or self.ct_rate_last_year_pct is None:
            return None
        return self.ct_rate_pct - self.ct_rate_last_year_pct


def periods(lines: dict[str, pd.DataFrame]) -> list[int]:
    """Periods with any sheet held, ascending."""
    held: set[int] = set()
    for frame in lines.values():
        held.update(int(p) for p in frame["period"].unique())
    return sorted(held)


def _at(frame: pd.DataFrame | None, period: int) -> pd.DataFrame | None:
    if frame is None or frame.empty:
        return None
    rows = frame[frame["period"] == period]
    return None if rows.empty else rows


def collection_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative % collected per period and stream: period, stream, collectable_gbp, collected_gbp, rate_pct."""
    if frame.empty:
        return pd.DataFrame(columns=["period", "stream", "collectable_gbp", "collected_gbp", "rate_pct"])
    grouped = frame.groupby(["period", "stream"], as_index=False)[["collectable_gbp", "collected_gbp"]].sum()
    grouped["rate_pct"] = (100 * grouped["collected_gbp"] / grouped["collectable_gbp"]).where(
        grouped["collectable_gbp"] > 0
    )
    return grouped


def _ct_rate(frame: pd.DataFrame | None, period: int) -> float | None:
    rows = _at(frame, period)
    if rows is None:
        return None
    ct = rows[rows["stream"] == COUNCIL_TAX]
    collectable = float(ct["collectable_gbp"].sum())
    return None if ct.empty or collectable <= 0 else 100 * float(ct["collected_gbp"].sum()) / collectable


def position(
    lines: dict[str, pd.DataFrame], period: int, *, last_year_collection: pd.DataFrame | None = None
) -> Position:
    """The headline figures at `period` from one year's lines (`queries.year_lines`)."""
    out: dict[str, object] = {"period": period}
    revenue = _at(lines.get("Revenue"), period)
    if revenue is not None:
        by_dir = revenue.groupby("directorate")["variance_gbp"].sum().sort_values(ascending=False, kind="stable")
        out |= {
            "budget_gbp": float(revenue["budget_gbp"].sum()),
            "forecast_gbp": float(revenue["forecast_gbp"].sum()),
            "variance_gbp": float(revenue["variance_gbp"].sum()),
            "top_directorate": str(by_dir.index[0]),
            "top_directorate_variance_gbp": float(by_dir.iloc[0]),
        }
    reserves = _at(lines.get("Reserves"), period)
    if reserves is not None:
        settings = _at(lines.get(SETTINGS), period)
        overspend_in, minimum = (None, None) if settings is None else _settings(settings)
        variance = out.get("variance_gbp")
        out["reserves"] = reserve_balances(
            reserves,
            variance if isinstance(variance, float) else None,
            overspend_in_reserves=overspend_in,
            minimum_gf_balance_gbp=minimum,
        )
    dsg = _at(lines.get("DSG"), period)
    if dsg is not None:
        out["dsg_cumulative_gbp"] = float(dsg["cumulative_gbp"].sum())
    out["ct_rate_pct"] = _ct_rate(lines.get("Collection"), period)
    out["ct_rate_last_year_pct"] = _ct_rate(last_year_collection, period)
    return Position(**out)  # type: ignore[arg-type]


def _settings(rows: pd.DataFrame) -> tuple[bool | None, float | None]:
    row = rows.iloc[-1]
    overspend, minimum = row["overspend_in_reserves"], row["minimum_gf_balance_gbp"]
    return (
        None if pd.isna(overspend) else bool(overspend),
        None if pd.isna(minimum) else float(minimum),
    )


def previous_period(held: list[int], period: int) -> int | None:
    """The latest period held before `period` in the same year, or None."""
    earlier = [p for p in held if p < period]
    return earlier[-1] if earlier else None
