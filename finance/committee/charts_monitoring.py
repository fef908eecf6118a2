"""Figures of the in-year monitoring page: variance by directorate, its trend, the waterfall, savings, capital.

Plotly only (no streamlit), from tidy frames the view prepares, so the page, the committee pack and the tests
draw the same figures. Money is drawn in £m with the unit on the axis; every bar carries its value as text, and
over/underspends and savings ratings are told apart by words, symbols and patterns as well as colour (the UK
Government Analysis Function's colour-blind-safe palette).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from finance.charts import DARK_BLUE, DARK_GREY, DARK_PINK, LIGHT_GREY, ORANGE, TURQUOISE, base_layout, draw_target
from finance.committee.panels import variance_text
from finance.format import gbp_m
from finance.targets import Target

OVER, UNDER = ORANGE, DARK_BLUE


def variance_by_directorate(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal bars of variance (£) per directorate, largest overspend at the top.

    `frame`: directorate, variance_gbp (sorted as wanted, largest first)."""
    over = frame["variance_gbp"] > 0
    words = [variance_text(v).replace("On budget", "on budget") for v in frame["variance_gbp"]]
    fig = go.Figure(
        go.Bar(
            x=frame["variance_gbp"] / 1e6,
            y=[f"{d}: {w}" for d, w in zip(frame["directorate"], words, strict=True)],
            orientation="h",
            marker={
                "color": [OVER if o else UNDER for o in over],
                "pattern": {"shape": ["/" if o else "" for o in over]},
            },
            hovertemplate="%{y}<extra></extra>",
            name="Variance (overspend hatched)",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="Forecast variance, £m (positive = overspend)", zeroline=True)
    fig.update_layout(showlegend=False)
    return base_layout(fig, title=title, subtitle="Overspends hatched; underspends solid", height=420)


def variance_trend(frame: pd.DataFrame, *, title: str, target: Target | None = None) -> go.Figure:
    """The total forecast variance at each period: is it getting worse? `frame`: period_label, variance_gbp, pct.
    `target`: the council's target on the forecast variance (£), a labelled dashed line."""
    fig = go.Figure(
        go.Scatter(
            x=frame["period_label"],
            y=frame["variance_gbp"] / 1e6,
            mode="lines+markers+text",
            line={"color": DARK_PINK, "width": 2.5},
            marker={"size": 9, "symbol": "circle"},
            text=[gbp_m(v, signed=True) for v in frame["variance_gbp"]],
            textposition="top center",
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
            name="Forecast variance",
        )
    )
    fig.add_hline(y=0, line={"color": DARK_GREY, "width": 1})
    draw_target(fig, target, scale=1e6)
    fig.update_xaxes(title="Monitoring period", type="category")
    fig.update_yaxes(title="Forecast variance, £m (positive = overspend)", rangemode="tozero")
    fig.update_layout(showlegend=target is not None, legend={"orientation": "h", "y": -0.25, "x": 0})
    return base_layout(fig, title=title, height=380)


def waterfall(budget_gbp: float, steps: pd.DataFrame, forecast_gbp: float, *, title: str) -> go.Figure:
    """Budget → each directorate's variance → forecast outturn. `steps`: directorate, variance_gbp."""
    labels = ["Budget", *steps["directorate"], "Forecast outturn"]
    values = [budget_gbp / 1e6, *(steps["variance_gbp"] / 1e6), forecast_gbp / 1e6]
    text = [gbp_m(budget_gbp), *(gbp_m(v, signed=True) for v in steps["variance_gbp"]), gbp_m(forecast_gbp)]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=["absolute", *(["relative"] * len(steps)), "total"],
            text=text,
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": OVER}},
            decreasing={"marker": {"color": UNDER}},
            totals={"marker": {"color": DARK_GREY}},
            connector={"line": {"color": LIGHT_GREY}},
            hovertemplate="%{x}: %{text}<extra></extra>",
            name="Budget to forecast",
        )
    )
    low = min(budget_gbp, forecast_gbp) / 1e6
    span = abs(steps["variance_gbp"]).sum() / 1e6
    fig.update_yaxes(title="£m", range=[max(0.0, low - 2 * span - 5), max(budget_gbp, forecast_gbp) / 1e6 + span + 5])
    fig.update_xaxes(title=None, tickangle=-30)
    fig.update_layout(showlegend=False)
    return base_layout(
        fig, title=title, subtitle="Increases (overspends) in orange, decreases in blue; axis does not start at 0"
    )


RAG_ORDER = ("Delivered", "Green", "Amber", "Red")
RAG_SYMBOL = {"Delivered": "✔✔", "Green": "✔", "Amber": "▲", "Red": "✖"}


def savings_by_rag(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Target vs forecast delivered (£m) for each savings rating. `frame`: rag, target_gbp, forecast_gbp."""
    cats = [f"{RAG_SYMBOL[r]} {r}" for r in frame["rag"]]
    fig = go.Figure()
    for col, name, colour, shape in (
        ("target_gbp", "Target", LIGHT_GREY, ""),
        ("forecast_gbp", "Forecast delivered", TURQUOISE, "/"),
    ):
        fig.add_trace(
            go.Bar(
                x=cats,
                y=frame[col] / 1e6,
                name=name,
                marker={"color": colour, "pattern": {"shape": shape}, "line": {"color": DARK_GREY, "width": 1}},
                text=[gbp_m(v) for v in frame[col]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{x}} — {name}: %{{text}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="Savings rating (✔✔ delivered, ✔ on track, ▲ at risk, ✖ undeliverable)")
    fig.update_yaxes(title="£m", rangemode="tozero")
    return base_layout(fig, title=title, height=400)


def grouped_bars_gbp(
    frame: pd.DataFrame, label: str, series: tuple[tuple[str, str, str, str], ...], *, legend_y: float = -0.12
) -> go.Figure:
    """Horizontal grouped bars in £m, one row per `frame[label]`, each bar labelled with its value.

    `series`: (column in £, legend name, colour, fill pattern) per bar, so groups read in greyscale too.
    Title and height are the caller's (`base_layout`).
    """
    fig = go.Figure()
    for col, name, colour, shape in series:
        fig.add_trace(
            go.Bar(
                y=frame[label],
                x=frame[col] / 1e6,
                orientation="h",
                name=name,
                marker={"color": colour, "pattern": {"shape": shape}, "line": {"color": DARK_GREY, "width": 1}},
                text=[gbp_m(v) for v in frame[col]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{y}} — {name}: %{{text}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", legend={"orientation": "h", "yanchor": "top", "y": legend_y, "x": 0})
    top = float(frame[[col for col, *_ in series]].max().max()) / 1e6
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="£m", range=[0, max(top, 0.1) * 1.2])
    return fig


def capital(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Budget, forecast and spend to date (£m) per capital scheme. `frame`: scheme, budget_gbp, forecast_gbp,
    spend_to_date_gbp."""
    fig = grouped_bars_gbp(
        frame,
        "scheme",
        (
            ("budget_gbp", "Budget", LIGHT_GREY, ""),
            ("forecast_gbp", "Forecast", DARK_BLUE, ""),
            ("spend_to_date_gbp", "Spend to date", TURQUOISE, "."),
        ),
    )
    return base_layout(fig, title=title, height=max(420, 70 * len(frame) + 160))
