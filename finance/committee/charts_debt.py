"""Figures of the debt-recovery page: each stream's rate against last year and its target, the forecast shortfall,
debt by age over the periods, and the movement in total debt with its provision cover.

Plotly only, from frames the view prepares. Values are written on the marks and every comparison is named in the
legend or on the mark, so nothing is carried by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from finance.charts import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    LIGHT_GREY,
    LIGHT_PURPLE,
    ORANGE,
    TURQUOISE,
    base_layout,
    draw_target,
)
from finance.format import gbp_m, pct
from finance.targets import Target

BAND_COLOURS = (TURQUOISE, DARK_BLUE, LIGHT_PURPLE, ORANGE, DARK_PINK)
BAND_PATTERNS = ("", "/", ".", "x", "-")


def _txt(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pct(float(v)) for v in values]


def rates_by_stream(
    rows: pd.DataFrame, *, now: str, last: str, title: str, targets: Mapping[str, Target] | None = None
) -> go.Figure:
    """Bars: this year's rate and last year's at the same period per stream; each stream's target for the year
    (`targets`, by stream) drawn the one way targets are (`draw_target`), across that stream's bars only.

    `rows`: stream, rate_pct, last_year_rate_pct."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=rows["stream"], y=rows["rate_pct"], name=now, marker={"color": DARK_BLUE},
                         text=_txt(rows["rate_pct"]), textposition="outside", cliponaxis=False))  # fmt: skip
    fig.add_trace(
        go.Bar(x=rows["stream"], y=rows["last_year_rate_pct"], name=last,
               marker={"color": LIGHT_GREY, "pattern": {"shape": "/"}}, text=_txt(rows["last_year_rate_pct"]),
               textposition="outside", cliponaxis=False)
    )  # fmt: skip
    for i, stream in enumerate(rows["stream"]):
        draw_target(fig, (targets or {}).get(str(stream)), bar=(i, str(stream)), series_words=str(stream).lower())
    fig.update_yaxes(title="% of the year's collectable amount collected", range=[0, 110])
    fig.update_xaxes(title=None)
    fig.update_layout(barmode="group", legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0})
    return base_layout(fig, title=title, height=480)


def shortfall(rows: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Horizontal bars: forecast shortfall (£m, positive = short) and its cash effect on the budget, per stream.

    `rows`: stream, shortfall_gbp, budget_effect_gbp (streams with no forecast are left out)."""
    given = rows[rows["shortfall_gbp"].notna()]
    fig = go.Figure()
    for column, name, colour in (
        ("shortfall_gbp", "Forecast shortfall", DARK_PINK),
        ("budget_effect_gbp", "Cash effect on the council's budget", DARK_BLUE),
    ):
        fig.add_trace(
            go.Bar(y=given["stream"], x=given[column] / 1e6, orientation="h", name=name, marker={"color": colour},
                   text=[gbp_m(v) for v in given[column]], textposition="outside", cliponaxis=False)
        )  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="£m (positive: short of the comparison; negative: ahead of it)")
    fig.update_layout(barmode="group", legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return base_layout(fig, title=title, subtitle=subtitle, height=460)


def ageing(bands: pd.DataFrame, *, title: str) -> go.Figure:
    """Stacked bars of debt (£m) by age band at each period. `bands`: period_label, age_band, balance_gbp."""
    fig = go.Figure()
    order = list(dict.fromkeys(bands["period_label"]))
    for i, (band, rows) in enumerate(bands.groupby("age_band", sort=False)):
        fig.add_trace(
            go.Bar(x=rows["period_label"], y=rows["balance_gbp"] / 1e6, name=str(band),
                   marker={"color": BAND_COLOURS[i % 5], "pattern": {"shape": BAND_PATTERNS[i % 5]}},
                   hovertemplate=f"{band} %{{x}}: £%{{y:.1f}}m<extra></extra>")
        )  # fmt: skip
    totals = bands.groupby("period_label", sort=False)["balance_gbp"].sum()
    fig.add_trace(
        go.Scatter(x=list(totals.index), y=totals / 1e6, mode="text", text=[gbp_m(v) for v in totals],
                   textposition="top center", showlegend=False, hoverinfo="skip", cliponaxis=False)
    )  # fmt: skip
    fig.update_xaxes(title="Monitoring period", type="category", categoryorder="array", categoryarray=order)
    fig.update_yaxes(title="Debt outstanding, £m")
    fig.update_layout(barmode="stack", legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return base_layout(fig, title=title, subtitle="Stacked by age of the debt; total written above", height=480)


def movement(totals: pd.DataFrame, *, title: str) -> go.Figure:
    """Total debt (£m) per period as a line, with the provision cover (%) on a second axis.

    `totals`: period_label, balance_gbp, cover_pct."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=totals["period_label"], y=totals["balance_gbp"] / 1e6, mode="lines+markers+text",
                   name="Total debt (£m)", line={"color": DARK_BLUE, "width": 2.5},
                   text=[gbp_m(v) for v in totals["balance_gbp"]], textposition="top center")
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=totals["period_label"], y=totals["cover_pct"], mode="lines+markers", yaxis="y2",
                   name="Provision cover (%, right axis, dashed)", line={"color": DARK_GREY, "dash": "dash"},
                   marker={"symbol": "square"})
    )  # fmt: skip
    fig.update_xaxes(title="Monitoring period", type="category")
    fig.update_yaxes(title="Total debt, £m", rangemode="tozero")
    fig.update_layout(
        yaxis2={"title": "Bad-debt provision ÷ debt, %", "overlaying": "y", "side": "right", "range": [0, 100]},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
    )
    return base_layout(fig, title=title, height=440)
