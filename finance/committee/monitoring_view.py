"""Everything the in-year monitoring page shows, built in one call: the headline figures at the latest period and
five panels (variance by directorate, its trend, the budget-to-forecast waterfall, savings by rating, capital).

Why here: the page is a thin script, and the headline texts must be the overview card's own (both come from
`figures.position` and `panels.variance_text`), so the cross-check test can compare them as text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee import charts_monitoring as charts
from finance.committee.figures import NO_MONITORING, Position, periods, position
from finance.committee.panels import Panel, gbp_m_value, monitoring_basis, variance_text, with_basis
from finance.committee.queries import require_period, year_lines
from finance.committee.targets_view import council_targets, in_force
from finance.format import at_points, gbp_m, pct, period_label
from finance.store import Store
from finance.targets import Target

SHEETS = ("Revenue", "Savings", "Capital")


@dataclass(frozen=True)
class MonitoringView:
    authority: benchmark.Authority
    year: str
    period: int | None
    message: str | None
    metrics: tuple[tuple[str, str], ...]  # (label, value) as shown
    panels: tuple[Panel, ...]
    position: Position | None = None


def _directorates(revenue: pd.DataFrame) -> pd.DataFrame:
    grouped = revenue.groupby("directorate", as_index=False)[["budget_gbp", "forecast_gbp", "variance_gbp"]].sum()
    return grouped.sort_values("variance_gbp", ascending=False, kind="stable").reset_index(drop=True)


def _variance_panels(
    revenue: pd.DataFrame, period: int, year: str, pos: Position, target: Target | None = None
) -> list[Panel]:
    at = revenue[revenue["period"] == period]
    by_dir = _directorates(at)
    when = f"{period_label(period)} {year}"
    table = pd.DataFrame(
        {
            "Directorate": by_dir["directorate"],
            "Budget (£m)": [gbp_m_value(v) for v in by_dir["budget_gbp"]],
            "Forecast outturn (£m)": [gbp_m_value(v) for v in by_dir["forecast_gbp"]],
            "Variance (£m, + = overspend)": [gbp_m_value(v) for v in by_dir["variance_gbp"]],
            "Variance (% of budget)": [
                round(100 * v / b, 1) if b else None
                for v, b in zip(by_dir["variance_gbp"], by_dir["budget_gbp"], strict=True)
            ],
        }
    )
    worst = by_dir.iloc[0]
    bars = Panel(
        "monitoring-variance-by-directorate",
        "Forecast variance by directorate",
        charts.variance_by_directorate(by_dir, title=f"Forecast variance by directorate, {when}"),
        table,
        f"Bar chart of the forecast variance of each directorate at {when}, largest overspend first: "
        f"{worst['directorate']} {gbp_m(worst['variance_gbp'], signed=True)}. "
        f"In total {variance_text(pos.variance_gbp or 0.0).lower()}.",
    )
    totals = revenue.groupby("period", as_index=False)[["budget_gbp", "variance_gbp"]].sum()
    totals["period_label"] = [period_label(int(p)) for p in totals["period"]]
    trend_table = pd.DataFrame(
        {
            "Period": totals["period_label"],
            "Budget (£m)": [gbp_m_value(v) for v in totals["budget_gbp"]],
            "Forecast variance (£m, + = overspend)": [gbp_m_value(v) for v in totals["variance_gbp"]],
            "Variance (% of budget)": [
                round(100 * v / b, 1) if b else None
                for v, b in zip(totals["variance_gbp"], totals["budget_gbp"], strict=True)
            ],
        }
    )
    first, last = totals.iloc[0], totals.iloc[-1]
    trend = Panel(
        "monitoring-variance-trend",
        "Forecast variance through the year",
        charts.variance_trend(totals, title=f"Total forecast variance by period, {year}", target=target),
        trend_table,
        f"Line chart of the total forecast variance at each monitoring period of {year}: "
        + at_points([(gbp_m(p["variance_gbp"], signed=True), p["period_label"]) for p in (first, last)])
        + "."
        + ("" if target is None else f" {target.label}, drawn as a dashed line."),
    )
    fall = Panel(
        "monitoring-waterfall",
        "From budget to forecast outturn",
        charts.waterfall(
            pos.budget_gbp or 0.0, by_dir, pos.forecast_gbp or 0.0, title=f"Budget to forecast outturn, {when}"
        ),
        table,
        f"Waterfall from the {gbp_m(pos.budget_gbp)} budget through each directorate's variance to the "
        f"{gbp_m(pos.forecast_gbp)} forecast outturn at {when}.",
    )
    return [bars, trend, fall]


def _savings_panel(savings: pd.DataFrame, when: str) -> Panel:
    by = savings.groupby("rag", as_index=False)[["target_gbp", "forecast_gbp"]].sum()
    by["rag"] = pd.Categorical(by["rag"], categories=charts.RAG_ORDER, ordered=True)
    by = by.sort_values("rag").reset_index(drop=True)
    by["rag"] = by["rag"].astype(str)
    table = pd.DataFrame(
        {
            "Rating": [f"{charts.RAG_SYMBOL[r]} {r}" for r in by["rag"]],
            "Schemes": [int((savings["rag"] == r).sum()) for r in by["rag"]],
            "Target (£m)": [gbp_m_value(v) for v in by["target_gbp"]],
            "Forecast delivered (£m)": [gbp_m_value(v) for v in by["forecast_gbp"]],
        }
    )
    target, forecast = float(savings["target_gbp"].sum()), float(savings["forecast_gbp"].sum())
    return Panel(
        "monitoring-savings",
        "Savings by rating",
        charts.savings_by_rag(by, title=f"Savings: target and forecast delivered by rating, {when}"),
        table,
        f"Grouped bar chart of savings targets and forecast delivery by rating at {when}: "
        f"{gbp_m(forecast)} of the {gbp_m(target)} target forecast to be delivered "
        f"({pct(100 * forecast / target if target else None)}).",
    )


def _capital_panel(capital: pd.DataFrame, when: str) -> Panel:
    table = pd.DataFrame(
        {
            "Scheme": capital["scheme"],
            "Budget (£m)": [gbp_m_value(v) for v in capital["budget_gbp"]],
            "Forecast (£m)": [gbp_m_value(v) for v in capital["forecast_gbp"]],
            "Spend to date (£m)": [gbp_m_value(v) for v in capital["spend_to_date_gbp"]],
            "Slippage (£m, budget − forecast)": [
                gbp_m_value(b - f) for b, f in zip(capital["budget_gbp"], capital["forecast_gbp"], strict=True)
            ],
        }
    )
    slip = float(capital["budget_gbp"].sum() - capital["forecast_gbp"].sum())
    return Panel(
        "monitoring-capital",
        "Capital programme",
        charts.capital(capital, title=f"Capital programme: budget, forecast and spend to date, {when}"),
        table,
        f"Grouped bar chart of each capital scheme's budget, forecast and spend to date at {when}; forecast "
        f"slippage (budget less forecast) totals {gbp_m(slip)}.",
    )


def build(store: Store, code: str, year: str, period: int | None = None) -> MonitoringView:
    """The page for `code` in `year` at `period` (default: the latest held); `message` set (no panels) when none
    is held. Raises NotFoundError for a `period` with no monitoring."""
    auth = benchmark.authority(store, code)
    lines = year_lines(store, code, year, SHEETS, up_to_period=period)
    held = periods(lines)
    require_period(held, period, year)
    if not held:
        return MonitoringView(auth, year, None, NO_MONITORING.format(name=auth.name, year=year), (), ())
    period = held[-1]
    pos = position(lines, period)
    when = f"{period_label(period)} {year}"
    panels: list[Panel] = []
    metrics: tuple[tuple[str, str], ...] = ()
    revenue = lines["Revenue"]
    if pos.variance_gbp is not None:
        metrics = (
            ("Net revenue budget", gbp_m(pos.budget_gbp)),
            ("Forecast outturn", gbp_m(pos.forecast_gbp)),
            ("Forecast variance", variance_text(pos.variance_gbp)),
            ("Variance as % of budget", pct(pos.variance_pct)),
        )
        target = council_targets(store, code).get("forecast_variance")
        target = target if target is not None and in_force(target, year) else None
        panels += _variance_panels(revenue[revenue["period"] <= period], period, year, pos, target)
    savings = lines["Savings"]
    if not savings[savings["period"] == period].empty:
        panels.append(_savings_panel(savings[savings["period"] == period], when))
    capital = lines["Capital"]
    if not capital[capital["period"] == period].empty:
        panels.append(_capital_panel(capital[capital["period"] == period].reset_index(drop=True), when))
    basis = monitoring_basis(year, period)
    return MonitoringView(auth, year, period, None, metrics, tuple(with_basis(p, basis) for p in panels), pos)
