"""The demo council's Demand sheet (illustrative, like everything in the demo): the metrics behind two Revenue
lines, built from each line's own budget and forecast variance so the volume and price effects reconcile to it.

Why derived rather than drawn: the split must add up — volume effect + price effect + other = the line's forecast
variance — and the budget assumption must match the line's budget within 1% (no warning on the demo's uploads).
Each metric takes a share of its line's budget at a budgeted unit cost (£ a year); of its share of the forecast
variance, 70% comes from volume, 20% from price and the rest is "other". No random draws: the rest of the demo's
figures are unchanged.
"""

from __future__ import annotations

DEMAND_HEADER = [
    "Directorate", "Service", "Metric", "Unit", "Budgeted volume", "Budgeted unit cost", "Forecast volume",
    "Forecast unit cost",
]  # fmt: skip
# (directorate, service) -> (metric, unit, share of the line's budget, budgeted unit cost £ a year)
_METRICS: dict[tuple[str, str], tuple[tuple[str, str, float, float], ...]] = {
    ("Adults' Social Care", "Older people"): (
        ("Home care hours", "hours", 0.45, 24.5),
        ("Residential and nursing placements", "placements", 0.55, 48_000.0),
    ),
    ("Children's Services", "Children's social care"): (("Children looked after", "children", 1.0, 82_000.0),),
}
VOLUME_SHARE, PRICE_SHARE = 0.7, 0.2


def demand_rows(revenue_rows: list[list[object]]) -> list[list[object]]:
    """The Demand sheet's rows for one period's Revenue rows ([directorate, service, budget £000, forecast £000,
    variance £000])."""
    out: list[list[object]] = []
    for directorate, service, budget_k, _, variance_k in revenue_rows:
        for metric, unit, share, cost in _METRICS.get((str(directorate), str(service)), ()):
            budget_volume = round(float(budget_k) * 1000 * share / cost)  # type: ignore[arg-type]
            variance_gbp = float(variance_k) * 1000 * share  # type: ignore[arg-type]
            forecast_volume = budget_volume + round(VOLUME_SHARE * variance_gbp / cost)
            forecast_cost = round(cost + PRICE_SHARE * variance_gbp / forecast_volume, 2)
            out.append([directorate, service, metric, unit, budget_volume, cost, forecast_volume, forecast_cost])
    return out
