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


def ranked_bar(ranking: Ranking, *, highlight: str | None, title: str) -> go.Figure:
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
            name="Authorities",
        )
    )
    for value, label, dash in (
        (ranking.lower_quartile, "Lower quartile", "dot"),
        (ranking.median, "Median", "dash"),
        (ranking.upper_quartile, "Upper quartile", "dot"),
    ):
        if value is not None:
            fig.add_vline(
                x=value / div,
                line={"color": DARK_GREY, "dash": dash, "width": 1.5},
                annotation={"text": f"{label} {_fmt(ranking.measure, value)}", "textangle": -90},
                annotation_position="top",
            )
    if not missing.empty:
        fig.add_annotation(
            text="No return: " + ", ".join(missing["name"]),
            xref="paper",
            yref="paper",
            x=0,
            y=-0.06,
            showarrow=False,
            xanchor="left",
            align="left",
        )
    fig.update_yaxes(autorange="reversed", title=None, tickfont={"size": 11})
    fig.update_xaxes(title=axis_title)
    return base_layout(fig, title=title, height=max(420, 22 * len(ranked) + 140))


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
