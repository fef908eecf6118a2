"""Figures for the demand page: one authority's series against its peers' median and quartiles over time, the
peer group at one as-at point, and the council's matching budget line.

Why segments: the own series is drawn one collection at a time (SEN2 aggregate, then person-level), so a line
never joins two definitions; points without a figure are gaps, never zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from finance.charts import DARK_BLUE, DARK_GREY, LEGEND_UNDER, LIGHT_GREY, ORANGE, TURQUOISE, base_layout
from finance.indicators.demand import DemandSeries, PeerFigure, PointStats
from finance.indicators.demand_budget import BudgetLine


def history_figure(series: DemandSeries, name: str, group_label: str) -> go.Figure:
    m = series.metric
    labels = [h.period_label for h in series.history]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels + labels[::-1],
            y=[h.upper_quartile for h in series.history] + [h.lower_quartile for h in series.history][::-1],
            fill="toself",
            fillcolor="rgba(191,193,195,0.35)",
            line={"width": 0},
            name="Peers' interquartile range",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[h.median for h in series.history],
            mode="lines+markers",
            line={"color": DARK_GREY, "dash": "dash"},
            name="Peer median",
        )
    )
    for i, (definition, points) in enumerate(_segments(series.history)):
        fig.add_trace(
            go.Scatter(
                x=[p.period_label for p in points],
                y=[p.value for p in points],
                mode="lines+markers",
                line={"color": DARK_BLUE if i % 2 == 0 else TURQUOISE, "width": 3},
                marker={"size": 9},
                name=f"{name} ({definition})",
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(title=m.unit, rangemode="tozero")
    return base_layout(
        fig,
        title=f"{m.title}: {name} against {group_label}",
        subtitle=f"{m.basis}, {m.publisher}; median and quartiles of peers with a figure at each point",
    )


def _segments(history: Sequence[PointStats]) -> list[tuple[str, list[PointStats]]]:
    out: list[tuple[str, list[PointStats]]] = []
    for h in history:
        if out and out[-1][0] == h.definition:
            out[-1][1].append(h)
        else:
            out.append((h.definition, [h]))
    return out


def peers_figure(series: DemandSeries, own_code: str, group_label: str) -> go.Figure:
    m, p = series.metric, series.point
    shown = sorted((f for f in series.peers if f.value is not None), key=lambda f: f.value or 0.0, reverse=True)
    chosen = [f.code == own_code for f in shown]
    names = [f"<b>{f.name} ◀</b>" if c else f.name for f, c in zip(shown, chosen, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=[f.value for f in shown],
            y=names,
            orientation="h",
            marker={
                "color": [ORANGE if c else DARK_BLUE for c in chosen],
                "pattern": {"shape": ["/" if c else "" for c in chosen]},
            },
            name="Peers with a figure (selected: hatched, ◀)",
        )
    )
    if p is not None and p.median is not None and names:
        fig.add_trace(
            go.Scatter(
                x=[p.median, p.median],
                y=[names[0], names[-1]],
                mode="lines",
                line={"color": DARK_GREY, "dash": "dash"},
                name=f"Median: {_fmt(series, p.median)}",
            )
        )
    left_out = _left_out(series.peers)
    if left_out:
        fig.add_trace(
            go.Scatter(x=[None], y=[None], mode="markers", marker={"opacity": 0, "color": LIGHT_GREY},
                       name=f"Not ranked: {left_out}", hoverinfo="skip")
        )  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None, tickfont={"size": 11})
    fig.update_xaxes(title=m.unit)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.07, "xanchor": "left", "x": 0})
    when = "" if p is None else f", {p.period_label}"
    return base_layout(
        fig,
        title=f"{m.short}{when}: {group_label}",
        subtitle=f"{m.basis}; {series.position_text()} (1 = highest)",
        height=max(420, 22 * len(shown) + 190),
    )


def _left_out(peers: Sequence[PeerFigure]) -> str:
    counts: dict[str, int] = {}
    for f in peers:
        if f.value is None:
            counts[f.status] = counts.get(f.status, 0) + 1
    return "; ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def _fmt(series: DemandSeries, value: float) -> str:
    return f"{value:,.{series.metric.decimals}f}"


def budget_figure(line: BudgetLine) -> go.Figure:
    """The line by period of one year: the periods are named without the year (the title says it) and the legend
    sits under the plot, so neither the axis labels nor the title are cut or covered."""
    table = line.table
    periods = [str(p).removesuffix(f" {line.financial_year}") for p in table["Period"]]
    fig = go.Figure()
    if "Cumulative forecast deficit (£m)" in table:
        deficit = table["Cumulative forecast deficit (£m)"]
        fig.add_trace(go.Bar(x=periods, y=deficit, name="Cumulative forecast deficit", marker={"color": DARK_BLUE}))
        title = f"Cumulative forecast deficit, £m, {line.financial_year}"
    else:
        forecast, budget = table["Forecast outturn (£m)"], table["Budget (£m)"]
        fig.add_trace(go.Bar(x=periods, y=forecast, name="Forecast outturn", marker={"color": DARK_BLUE}))
        dashed = {"color": ORANGE, "dash": "dash"}
        fig.add_trace(go.Scatter(x=periods, y=budget, name="Budget", mode="lines+markers", line=dashed))
        title = f"Forecast outturn and budget, £m, {line.financial_year}"
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(title="£m", rangemode="tozero")
    fig.update_layout(legend=LEGEND_UNDER)
    return base_layout(fig, title=title, subtitle=line.basis)
