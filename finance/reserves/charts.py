"""Figures of the Reserve adequacy page: balances by type and status, by purpose, the uncommitted share, the planned
draw-down, the simulated loss distribution and each risk's contribution.

Plotly only, from frames the view prepares. Units on every axis, values on the marks where they fit, reference lines
(the risk-based minimum, the stated minimum, the forecast balance, a council's target) named in words on the chart,
never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
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

# Each kind of balance: its colour and bar pattern (the pattern tells them apart without colour).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "Unallocated (general fund)": (DARK_BLUE, ""),
    "Earmarked, uncommitted": (TURQUOISE, ""),
    "Earmarked, committed": (ORANGE, "/"),
    "Earmarked, status not given": (LIGHT_PURPLE, "."),
    "Ring-fenced (not usable)": (LIGHT_GREY, "x"),
}


def _reference(fig: go.Figure, y_m: float, text: str, colour: str, dash: str, position: str = "top left") -> None:
    fig.add_hline(
        y=y_m,
        line={"color": colour, "dash": dash, "width": 2},
        annotation_text=text,
        annotation_position=position,
        annotation_font={"color": colour},
    )


def balances_by_kind(
    frame: pd.DataFrame, targets: Sequence[tuple[Target, str]], *, title: str, subtitle: str
) -> go.Figure:
    """Stacked bars of forecast closing balances per period by kind. `frame`: period_label, kind, closing_gbp_m.
    `targets`: (target, the series in words) drawn the one way every chart draws a target (`draw_target`)."""
    fig = go.Figure()
    for kind, (colour, pattern) in KIND_STYLE.items():
        rows = frame[frame["kind"] == kind]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=rows["period_label"],
                y=rows["closing_gbp_m"],
                name=kind,
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate=f"{kind} %{{x}}: £%{{y:.1f}}m<extra></extra>",
            )
        )
    for target, words in targets:
        draw_target(fig, target, scale=1e6, series_words=words)
    fig.update_layout(barmode="stack", legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})
    fig.update_xaxes(title="Monitoring period", type="category")
    fig.update_yaxes(title="£m, forecast closing balance at 31 March")
    return base_layout(fig, title=title, subtitle=subtitle, height=500)


def by_purpose(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """One horizontal bar per reserve, labelled with its purpose. `frame`: label, kind, closing_gbp_m."""
    fig = go.Figure()
    for kind, (colour, pattern) in KIND_STYLE.items():
        rows = frame[frame["kind"] == kind]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=rows["label"],
                x=rows["closing_gbp_m"],
                orientation="h",
                name=kind,
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[gbp_m(v * 1e6) for v in rows["closing_gbp_m"]],
                cliponaxis=False,
                textposition="outside",
                hovertemplate="%{y}: £%{x:.1f}m<extra></extra>",
            )
        )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(frame["label"])[::-1])
    values = frame["closing_gbp_m"]
    room = (max(float(values.max()), 0.0) if len(values) else 1.0) * 1.2 or 1.0  # space for the value labels
    fig.update_xaxes(
        title="£m, forecast closing balance at 31 March", range=[min(float(values.min()), 0.0) * 1.2, room]
    )
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0})
    return base_layout(fig, title=title, subtitle=subtitle, height=max(420, 90 + 52 * len(frame)))


def uncommitted_share(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """The uncommitted share of earmarked reserves per period. `frame`: period_label, share_pct."""
    fig = go.Figure(
        go.Scatter(
            x=frame["period_label"],
            y=frame["share_pct"],
            mode="lines+markers+text",
            line={"color": TURQUOISE, "width": 2.5},
            marker={"size": 8},
            text=[pct(v) for v in frame["share_pct"]],
            textposition="top center",
            name="Uncommitted share",
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(title="Monitoring period", type="category")
    fig.update_yaxes(title="% of earmarked reserves uncommitted", range=[0, 105])
    return base_layout(fig, title=title, subtitle=subtitle)


def planned_drawdown(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Stacked bars of planned use by year and reserve. `frame`: plan_year, reserve, planned_use_gbp_m."""
    fig = go.Figure()
    colours = [DARK_BLUE, TURQUOISE, ORANGE, DARK_PINK, LIGHT_PURPLE, DARK_GREY, LIGHT_GREY]
    patterns = ["", "/", ".", "x", "-", "|", "+"]
    for i, (reserve, rows) in enumerate(frame.groupby("reserve", sort=False)):
        fig.add_trace(
            go.Bar(
                x=rows["plan_year"],
                y=rows["planned_use_gbp_m"],
                name=str(reserve),
                marker={"color": colours[i % len(colours)], "pattern": {"shape": patterns[i % 7]}},
                hovertemplate=f"{reserve} %{{x}}: £%{{y:.1f}}m<extra></extra>",
            )
        )
    totals = frame.groupby("plan_year", sort=False)["planned_use_gbp_m"].sum()
    fig.add_trace(
        go.Scatter(
            x=list(totals.index),
            y=list(totals.values),
            mode="text",
            name="Total",
            text=[gbp_m(v * 1e6) for v in totals.values],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="relative", legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})
    fig.update_xaxes(title="Financial year", type="category")
    fig.update_yaxes(title="£m planned use (positive = drawn down)")
    return base_layout(fig, title=title, subtitle=subtitle, height=480)


def loss_distribution(
    total_gbp: np.ndarray, lines: list[tuple[float, str, str, str]], *, title: str, subtitle: str
) -> go.Figure:
    """Histogram of the simulated total loss (% of paths per £m band) with vertical lines named in the legend.
    `lines`: (£, label, colour, dash) — the risk-based minimum, the expected loss, the balances compared."""
    total_m = np.asarray(total_gbp, dtype=float) / 1e6
    edges = np.histogram_bin_edges(total_m, bins=40) if total_m.size else np.array([0.0, 1.0])
    counts, _ = np.histogram(total_m, bins=edges)
    top = float(counts.max()) / max(total_m.size, 1) * 100 * 1.08 if total_m.size else 1.0
    size = float(edges[1] - edges[0]) or 1.0
    fig = go.Figure(go.Histogram(x=total_m, histnorm="percent", marker={"color": DARK_BLUE}, name="Simulated years",
                                 xbins={"start": float(edges[0]), "end": float(edges[-1]), "size": size},
                                 hovertemplate="£%{x}m: %{y:.1f}% of years<extra></extra>"))  # fmt: skip
    for value_gbp, label, colour, dash in lines:
        fig.add_trace(go.Scatter(x=[value_gbp / 1e6] * 2, y=[0, top], mode="lines", name=label,
                                 line={"color": colour, "dash": dash, "width": 3},
                                 hovertemplate=f"{label}<extra></extra>"))  # fmt: skip
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    fig.update_xaxes(title="£m total loss in a year (simulated)")
    fig.update_yaxes(title="% of simulated years", range=[0, top])
    return base_layout(fig, title=title, subtitle=subtitle, height=500)


def contributions(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Each risk's mean loss, largest first; the five largest in dark blue. `frame`: label, mean_loss_gbp_m, top."""
    colours = [DARK_BLUE if top else LIGHT_GREY for top in frame["top"]]
    fig = go.Figure(
        go.Bar(
            y=frame["label"],
            x=frame["mean_loss_gbp_m"],
            orientation="h",
            marker={"color": colours},
            text=[gbp_m(v * 1e6, decimals=2) for v in frame["mean_loss_gbp_m"]],
            textposition="outside",
            name="Mean loss",
            hovertemplate="%{y}: £%{x:.2f}m<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(frame["label"])[::-1])
    fig.update_xaxes(title="£m mean loss in a year (likelihood × mean impact)")
    return base_layout(fig, title=title, subtitle=subtitle, height=max(360, 60 + 32 * len(frame)))
