"""The Demand page's uploaded section: the council's own Demand sheet — each metric's volume against the budget
assumption over the year's periods, and its Revenue line's forecast variance split into volume, price and other.

Why a view-model: the page and the committee pack draw the same section; the split is
`finance.monitoring.demand_split` (in-year forecast basis, as at the latest period with a Demand sheet) and the
figures, tables and their words are built here once for both (and tests) to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from finance.charts import DARK_BLUE, LEGEND_UNDER, LIGHT_GREY, ORANGE, Panel, base_layout
from finance.format import gbp_m, period_label
from finance.monitoring import DemandSplit, MetricSplit, demand_split
from finance.store import Store

# the three parts of a line's variance, as the chart, its table and its words name them
VOLUME, PRICE, OTHER = "Volume effect", "Price effect", "Other (rest of the line's variance)"


@dataclass(frozen=True)
class UploadedDemand:
    split: DemandSplit | None
    heading: str
    caption: str  # basis, as-at period, source upload and the formulas
    message: str  # '' when there is a split to show
    table: pd.DataFrame  # the split, one row per metric (DemandSplit.table)
    inputs: pd.DataFrame  # what the sheet said per metric: volumes and unit costs (narrow enough for the pack)
    split_panel: Panel | None  # the variance split as bars; its table, by line and part, is the pack's (the page's
    # window is too narrow beside the chart: the page draws the chart across the page, over `table`)
    volume_panels: tuple[Panel, ...]  # per metric: forecast volume against the budget assumption by period


def _line_name(m: MetricSplit) -> str:
    return f"{m.directorate} — {m.service}" if m.service else m.directorate


def _lines(split: DemandSplit) -> dict[str, list[MetricSplit]]:
    out: dict[str, list[MetricSplit]] = {}
    for m in split.metrics:
        out.setdefault(_line_name(m), []).append(m)
    return out


def _wrap(label: str, width: int = 22) -> str:
    """A bar label on lines of at most about `width` characters (a long label would squeeze the bars)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def _inputs(split: DemandSplit) -> pd.DataFrame:
    """What the sheet said, two rows a metric (as budgeted, as forecast): narrow enough for a printed page."""
    rows = [
        {
            "Line": m.service or m.directorate,
            "Metric": m.metric,
            "Unit": m.unit,
            "Budgeted or forecast": which,
            "Volume": volume,
            "Unit cost (£ a year)": cost,
        }
        for m in split.metrics
        for which, volume, cost in (
            ("budgeted", m.budgeted_volume, m.budgeted_unit_cost_gbp),
            ("forecast", m.forecast_volume, m.forecast_unit_cost_gbp),
        )
    ]
    return pd.DataFrame(rows)


def _split_panel(split: DemandSplit) -> Panel:
    """Horizontal stacked bars: a bar per metric (its volume and price effects) and one per line ('other')."""
    labels: list[str] = []
    volume: list[float | None] = []
    price: list[float | None] = []
    other: list[float | None] = []
    rows: list[dict[str, object]] = []
    words: list[str] = []
    for line, metrics in _lines(split).items():
        short = metrics[0].service or metrics[0].directorate
        for m in metrics:
            label = _wrap(m.metric)
            labels.append(_wrap(f"{m.metric} ({short})") if label in labels else label)  # bars need unique labels
            volume.append(round(m.volume_effect_gbp / 1e6, 3))
            price.append(round(m.price_effect_gbp / 1e6, 3))
            other.append(None)
            rows.append({"Line": short, "Part": f"{m.metric}: volume effect", "£m": volume[-1]})
            rows.append({"Line": short, "Part": f"{m.metric}: price effect", "£m": price[-1]})
        first = metrics[0]
        labels.append(_wrap(f"Other: rest of the {short} line"))
        volume.append(None)
        price.append(None)
        other.append(round(first.line_other_gbp / 1e6, 3))
        rows.append({"Line": short, "Part": "Other", "£m": other[-1]})
        total = round(first.line_variance_gbp / 1e6, 3)
        rows.append({"Line": short, "Part": "Line forecast variance", "£m": total})
        parts = ", ".join(
            f"{m.metric} volume {gbp_m(m.volume_effect_gbp, decimals=2, signed=True)} and price "
            f"{gbp_m(m.price_effect_gbp, decimals=2, signed=True)}"
            for m in metrics
        )
        words.append(
            f"{line}: forecast variance {gbp_m(first.line_variance_gbp, decimals=2, signed=True)} = {parts}, other "
            f"{gbp_m(first.line_other_gbp, decimals=2, signed=True)}"
        )
    fig = go.Figure(
        [
            go.Bar(y=labels, x=volume, name=VOLUME, orientation="h", marker={"color": DARK_BLUE}),
            go.Bar(y=labels, x=price, name=PRICE, orientation="h",
                   marker={"color": ORANGE, "pattern": {"shape": "/"}}),
            go.Bar(y=labels, x=other, name=OTHER, orientation="h",
                   marker={"color": LIGHT_GREY, "pattern": {"shape": "."}}),
        ]
    )  # fmt: skip
    fig.update_layout(barmode="relative", legend=LEGEND_UNDER)
    fig.update_yaxes(autorange="reversed", title=None, type="category", ticklabelstandoff=6)
    fig.update_xaxes(title="£m (+ = overspend)", zerolinecolor="#3D3D3D")
    base_layout(
        fig,
        title=f"Forecast variance by demand driver, {split.as_at}",
        subtitle="in-year forecast (monitoring); volume and price effect per metric, other per line",
        height=max(360, 48 * len(labels) + 200),
    )
    caption = (
        f"Horizontal bar chart of the uploaded Demand sheet, in-year forecast as at {split.as_at}. "
        + "; ".join(words)
        + "."
    )
    return Panel("dm-own-split", f"Forecast variance split by demand, {split.as_at}", fig, pd.DataFrame(rows), caption)


def _volume_panel(split: DemandSplit, index: int, m: MetricSplit) -> Panel:
    v = split.volumes
    rows = v[
        (v["directorate"] == m.directorate) & (v["service"].fillna("") == (m.service or "")) & (v["metric"] == m.metric)
    ]
    periods = [period_label(int(p)) for p in rows["period"]]
    budgeted, forecast = [float(x) for x in rows["budgeted_volume"]], [float(x) for x in rows["forecast_volume"]]
    fig = go.Figure(
        [
            go.Scatter(x=periods, y=budgeted, name="Budgeted volume (the budget's assumption)", mode="lines",
                       line={"dash": "dash", "color": ORANGE}),
            go.Scatter(x=periods, y=forecast, name="Forecast volume", mode="lines+markers",
                       line={"color": DARK_BLUE, "width": 3}),
        ]
    )  # fmt: skip
    fig.update_layout(legend=LEGEND_UNDER)
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(title=m.unit, tickformat=",.0f")
    base_layout(fig, title=m.metric, subtitle=f"{m.unit}: forecast against the budget's assumption, by period")
    table = pd.DataFrame(
        {
            "Period": periods,
            "Budgeted": budgeted,  # the unit is in the title: a narrow window shows every column
            "Forecast": forecast,
        }
    )
    last = f"{forecast[-1] - budgeted[-1]:+,.0f} {m.unit} against the {budgeted[-1]:,.0f} budgeted at {periods[-1]}"
    start = "" if len(periods) < 2 else f", from {forecast[0] - budgeted[0]:+,.0f} at {periods[0]}"
    caption = (
        f"Line chart of {m.metric.lower()} ({m.service or m.directorate}), in-year forecast by monitoring period: "
        f"forecast volume {forecast[-1]:,.0f} {m.unit}, {last}{start}."
    )
    title = f"{m.metric}: volume against the budget assumption, {m.unit}"
    return Panel(f"dm-own-volume-{index}", title, fig, table, caption)


def uploaded_demand(store: Store, code: str, year: str) -> UploadedDemand:
    """The section for `code` in `year`: a message instead when the user may not read the council's own data or no
    Demand sheet is held."""
    heading = f"The council's own demand (Demand sheet), {year}"
    if not store.readable(code):
        return UploadedDemand(None, heading, "", "The council's own uploads are not open to your role.",
                              pd.DataFrame(), pd.DataFrame(), None, ())  # fmt: skip
    split = demand_split(store, code, year)
    if not split.metrics:
        none = f"No Demand sheet uploaded for {year}: add one to a monitoring workbook (metric, unit, budgeted and "
        message = none + "forecast volume and unit cost)."
        return UploadedDemand(split, heading, "", message, pd.DataFrame(), pd.DataFrame(), None, ())
    caption = (
        f"Basis: in-year forecast (monitoring), as at {split.as_at}; source: upload {split.upload_id} "
        f"({split.file_name}, sha256 {split.sha256}). Volume effect = (forecast − budgeted volume) × budgeted unit "
        "cost; price effect = (forecast − budgeted unit cost) × forecast volume; other = the line's forecast "
        "variance − its metrics' volume and price effects. Unit costs are £ a year per unit."
    )
    volumes = tuple(_volume_panel(split, i, m) for i, m in enumerate(split.metrics))
    return UploadedDemand(split, heading, caption, "", split.table(), _inputs(split), _split_panel(split), volumes)
