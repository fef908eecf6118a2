"""The council's own demand (the Demand sheet of its monthly upload) and its Revenue lines' variance split by it.

Why here: both sides are current monitoring lines of the same upload period — the in-year forecast basis — so the
split never joins two bases. Per metric: volume effect = (forecast volume − budgeted volume) × budgeted unit cost;
price effect = (forecast unit cost − budgeted unit cost) × forecast volume; per Revenue line, "other" = the line's
forecast variance − the volume and price effects of all its metrics (unit costs are £ a year, so the effects are
full-year £ like the variance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.format import period_label
from finance.monitoring.queries import sheet_lines
from finance.store import Store

BASIS = "in-year forecast (monitoring)"


@dataclass(frozen=True)
class MetricSplit:
    directorate: str
    service: str
    metric: str
    unit: str
    budgeted_volume: float
    forecast_volume: float
    budgeted_unit_cost_gbp: float
    forecast_unit_cost_gbp: float
    line_variance_gbp: float
    volume_effect_gbp: float
    price_effect_gbp: float
    line_other_gbp: float  # the line's variance not explained by any of its metrics' volume and price effects

    @property
    def demand_effect_gbp(self) -> float:
        return self.volume_effect_gbp + self.price_effect_gbp


@dataclass(frozen=True)
class DemandSplit:
    """The split at the latest period with Demand lines ('as at'), and every period's volumes against budget."""

    authority_code: str
    financial_year: str
    period: int | None
    upload_id: int | None
    file_name: str | None
    sha256: str | None
    metrics: tuple[MetricSplit, ...]
    volumes: pd.DataFrame  # period, directorate, service, metric, unit, budgeted_volume, forecast_volume

    @property
    def as_at(self) -> str:
        return "" if self.period is None else f"{period_label(self.period, month=False)} {self.financial_year}"

    @property
    def largest(self) -> MetricSplit | None:
        """The largest demand driver: the metric whose volume + price effect is largest in size."""
        return max(self.metrics, key=lambda m: abs(m.demand_effect_gbp), default=None)

    def table(self) -> pd.DataFrame:
        """The split for display: £m, the effects first (they are what the table is for; a narrow window shows the
        first columns), then what the sheet said."""
        rows = [
            {
                "Service": m.service,
                "Metric": m.metric,
                "Volume effect (£m)": round(m.volume_effect_gbp / 1e6, 3),
                "Price effect (£m)": round(m.price_effect_gbp / 1e6, 3),
                "Other, whole line (£m)": round(m.line_other_gbp / 1e6, 3),
                "Line forecast variance (£m)": round(m.line_variance_gbp / 1e6, 3),
                "Directorate": m.directorate,
                "Unit": m.unit,
                "Budgeted volume": m.budgeted_volume,
                "Forecast volume": m.forecast_volume,
                "Budgeted unit cost (£ a year)": m.budgeted_unit_cost_gbp,
                "Forecast unit cost (£ a year)": m.forecast_unit_cost_gbp,
            }
            for m in self.metrics
        ]
        return pd.DataFrame(rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "basis": BASIS,
            "financial_year": self.financial_year,
            "period": self.period,
            "as_at": self.as_at,
            "source": {"upload_id": self.upload_id, "file_name": self.file_name, "sha256": self.sha256},
            "metrics": [
                {
                    "directorate": m.directorate,
                    "service": m.service,
                    "metric": m.metric,
                    "unit": m.unit,
                    "budgeted_volume": m.budgeted_volume,
                    "forecast_volume": m.forecast_volume,
                    "budgeted_unit_cost_gbp": m.budgeted_unit_cost_gbp,
                    "forecast_unit_cost_gbp": m.forecast_unit_cost_gbp,
                    "line_variance_gbp": m.line_variance_gbp,
                    "volume_effect_gbp": m.volume_effect_gbp,
                    "price_effect_gbp": m.price_effect_gbp,
                    "line_other_gbp": m.line_other_gbp,
                }
                for m in self.metrics
            ],
            "largest_driver": None if self.largest is None else self.largest.metric,
            "volumes": self.volumes.to_dict(orient="records"),
        }


# A Demand line is current while its upload's Revenue lines of the same period are (it explains those lines).
_DEMAND_SQL = """SELECT d.upload_id, d.period, d.sheet_row, d.directorate, d.service, d.metric, d.unit,
                        d.budgeted_volume, d.budgeted_unit_cost_gbp, d.forecast_volume, d.forecast_unit_cost_gbp
                 FROM monitoring_demand d
                 JOIN monitoring_current c ON c.upload_id = d.upload_id AND c.period = d.period AND c.sheet = 'Revenue'
                 WHERE c.authority_code = ? AND c.financial_year = ? AND d.period <= ?
                 ORDER BY d.period, d.sheet_row"""


def _key(directorate: object, service: object) -> tuple[str, str]:
    return (str(directorate).strip().casefold(), str(service or "").strip().casefold())


def demand_split(
    store: Store, authority_code: str, financial_year: str, up_to_period: int | None = None
) -> DemandSplit:
    """The uploaded demand for the year (up to a period, default all held): volumes per period and the variance
    split at the latest Demand period."""
    store.require_read(authority_code)
    demand = store.query_df(_DEMAND_SQL, [authority_code, financial_year, up_to_period or 12])
    volumes = demand[["period", "directorate", "service", "metric", "unit", "budgeted_volume", "forecast_volume"]]
    if demand.empty:
        return DemandSplit(authority_code, financial_year, None, None, None, None, (), volumes)
    period = int(demand["period"].max())
    now = demand[demand["period"] == period]
    revenue = sheet_lines(store, "Revenue", authority_code, financial_year, period)
    variance = {_key(r.directorate, r.service): float(r.variance_gbp) for r in revenue.itertuples()}
    effects: list[tuple[Any, float, float]] = []
    for r in now.itertuples():
        volume = (r.forecast_volume - r.budgeted_volume) * r.budgeted_unit_cost_gbp
        price = (r.forecast_unit_cost_gbp - r.budgeted_unit_cost_gbp) * r.forecast_volume
        effects.append((r, float(volume), float(price)))
    explained: dict[tuple[str, str], float] = {}
    for r, volume, price in effects:
        explained[_key(r.directorate, r.service)] = explained.get(_key(r.directorate, r.service), 0.0) + volume + price
    metrics = []
    for r, volume, price in effects:
        line = _key(r.directorate, r.service)
        line_variance = variance.get(line, 0.0)  # the upload's checks make every demand row name a Revenue line
        metrics.append(
            MetricSplit(
                str(r.directorate),
                str(r.service),
                str(r.metric),
                str(r.unit),
                float(r.budgeted_volume),
                float(r.forecast_volume),
                float(r.budgeted_unit_cost_gbp),
                float(r.forecast_unit_cost_gbp),
                line_variance,
                volume,
                price,
                line_variance - explained[line],
            )
        )
    upload_id = int(now["upload_id"].iloc[0])
    row = store.query_one("SELECT file_name, sha256 FROM monitoring_upload WHERE upload_id = ?", [upload_id])
    assert row is not None
    return DemandSplit(
        authority_code, financial_year, period, upload_id, str(row[0]), str(row[1]), tuple(metrics), volumes
    )
