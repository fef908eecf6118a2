"""Charts for the reserves benchmark: the ranked peer group and one authority's series across the years."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from finance import benchmark
from finance.benchmark import Ranking
from finance.charts import DARK_BLUE, DARK_GREY, ORANGE, base_layout
from finance.format import gbp_m, pct


def _scale(measure: str) -> tuple[float, str]:
    """(divisor, axis title) so money is drawn in £m and ratios in %."""
    if benchmark.is_pct(measure):
        return 1.0, "% of net revenue expenditure"
    return 1e6, "£m"


def _fmt(measure: str, value: float | None) -> str:
    return pct(value) if benchmark.is_pct(measure) else gbp_m(value)


def ranked_bar(ranking: Ranking, *, highlight: str | None, title: str, subtitle: str = "") -> go.Figure:
    """Horizontal bars, lowest first (top), the chosen authority highlighted and labelled, median and
    quartiles marked as lines; authorities with no return are named under the chart, never drawn as zero."""
    div, axis_title = _scale(ranking.measure)
    ranked = ranking.table[ranking.table["rank_lowest"].notna()]
    missing = ranking.table[ranking.table["rank_lowest"].isna()]
    chosen = ranked["code"] == highlight
    names = [f"<b>{n} ◀</b>" if c else n for n, c in zip(ranked["name"], chosen, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=ranked["value"] / div,
            y=names,
            orientation="h",
            marker={
                "color": [ORANGE if c else DARK_BLUE for c in chosen],
                "pattern": {"shape": ["/" if c else "" for c in chosen]},
            },
            customdata=list(
                zip(
                    ranked["rank_lowest"].astype(int),
                    [_fmt(ranking.measure, v) for v in ranked["value"]],
                    strict=True,
                )
            ),
            hovertemplate="%{y}<br>%{customdata[1]}<br>rank %{customdata[0]} (1 = lowest)<extra></extra>",
            name="Authorities (selected: hatched, ◀)",
        )
    )
    # Median and quartiles as labelled lines in the legend (with their values), so they survive any width.
    for value, label, dash in (
        (ranking.lower_quartile, "Lower quartile", "dot"),
        (ranking.median, "Median", "dash"),
        (ranking.upper_quartile, "Upper quartile", "dashdot"),
    ):
        if value is not None:
            x = value / div
            fig.add_trace(
                go.Scatter(
                    x=[x, x],
                    y=[names[0], names[-1]] if names else [],
                    mode="lines",
                    line={"color": DARK_GREY, "dash": dash, "width": 1.5},
                    name=f"{label}: {_fmt(ranking.measure, value)}",
                    hoverinfo="name",
                )
            )
    if not missing.empty:
        fig.add_annotation(
            text="No return: " + ", ".join(missing["name"]),
            xref="paper",
            yref="paper",
            x=0,
            y=-0.12,
            showarrow=False,
            xanchor="left",
            align="left",
        )
    fig.update_yaxes(autorange="reversed", title=None, tickfont={"size": 11})
    fig.update_xaxes(title=axis_title)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.04, "xanchor": "left", "x": 0})
    return base_layout(fig, title=title, subtitle=subtitle, height=max(440, 22 * len(ranked) + 190))


def series_line(frame: pd.DataFrame, *, measure: str, title: str) -> go.Figure:
    """The authority's measure by financial year; budget estimates drawn hollow and labelled as such."""
    div, axis_title = _scale(measure)
    estimate = frame["basis"] == "budget_estimate"
    fig = go.Figure(
        go.Scatter(
            x=frame["financial_year"],
            y=frame["value"] / div,
            mode="lines+markers+text",
            line={"color": DARK_BLUE, "width": 2.5},
            marker={
                "size": 10,
                "color": ["white" if e else DARK_BLUE for e in estimate],
                "line": {"color": DARK_BLUE, "width": 2},
                "symbol": ["diamond-open" if e else "circle" for e in estimate],
            },
            text=[
                _fmt(measure, v) + (" (budget estimate)" if e else "")
                for v, e in zip(frame["value"], estimate, strict=True)
            ],
            textposition="top center",
            hovertemplate="%{x}: %{text}<extra></extra>",
            name=benchmark.MEASURES[measure],
            connectgaps=False,
        )
    )
    fig.update_xaxes(title="Financial year", type="category")
    fig.update_yaxes(title=axis_title, rangemode="tozero")
    return base_layout(fig, title=title, height=380)
