"""The Demand page's uploaded section: the council's own Demand sheet — each metric's volume against the budget
assumption over the year's periods, and its Revenue line's forecast variance split into volume, price and other.

Why a view-model: the page draws; the split is `finance.monitoring.demand_split` (in-year forecast basis, as at the
latest period with a Demand sheet) and the charts are built here once for the page (and tests) to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from finance.format import period_label
from finance.monitoring import DemandSplit, demand_split
from finance.store import Store


@dataclass(frozen=True)
class UploadedDemand:
    split: DemandSplit | None
    heading: str
    caption: str
    message: str  # '' when there is a split to show
    table: pd.DataFrame
    charts: tuple[go.Figure, ...]


def _chart(volumes: pd.DataFrame, directorate: str, service: str | None, metric: str, unit: str) -> go.Figure:
    rows = volumes[
        (volumes["directorate"] == directorate)
        & (volumes["service"].fillna("") == (service or ""))
        & (volumes["metric"] == metric)
    ]
    periods = [period_label(int(p)) for p in rows["period"]]
    fig = go.Figure(
        [
            go.Scatter(
                x=periods,
                y=rows["budgeted_volume"],
                name="Budgeted volume (assumption)",
                mode="lines",
                line={"dash": "dash"},
            ),
            go.Scatter(x=periods, y=rows["forecast_volume"], name="Forecast volume", mode="lines+markers"),
        ]
    )
    fig.update_layout(title=f"{metric} ({unit}): forecast volume against the budget assumption, by period",
                      yaxis_title=unit, xaxis_title="Monitoring period")  # fmt: skip
    return fig


def uploaded_demand(store: Store, code: str, year: str) -> UploadedDemand:
    """The section for `code` in `year`: a message instead when the user may not read the council's own data or no
    Demand sheet is held."""
    heading = f"The council's own demand (Demand sheet), {year}"
    if not store.readable(code):
        return UploadedDemand(None, heading, "", "The council's own uploads are not open to your role.",
                              pd.DataFrame(), ())  # fmt: skip
    split = demand_split(store, code, year)
    if not split.metrics:
        none = f"No Demand sheet uploaded for {year}: add one to a monitoring workbook (metric, unit, budgeted and "
        return UploadedDemand(split, heading, "", none + "forecast volume and unit cost).", pd.DataFrame(), ())
    caption = (
        f"Basis: in-year forecast (monitoring), as at {split.as_at}; source: upload {split.upload_id} "
        f"({split.file_name}, sha256 {split.sha256}). Volume effect = (forecast − budgeted volume) × budgeted unit "
        "cost; price effect = (forecast − budgeted unit cost) × forecast volume; other = the line's forecast "
        "variance − its metrics' volume and price effects. Unit costs are £ a year per unit."
    )
    charts = tuple(_chart(split.volumes, m.directorate, m.service, m.metric, m.unit) for m in split.metrics)
    return UploadedDemand(split, heading, caption, "", split.table(), charts)
