"""Charts for the reserves benchmark: the ranked peer group and one authority's series across the years.

The series draws each basis distinctly (outturn a solid line with filled circles, an RA budget estimate a lone
hollow diamond) with a legend, and never joins two bases or two years that are not consecutive.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from finance import benchmark
from finance.benchmark import Ranking
from finance.charts.layout import base_layout, readable
from finance.charts.palette import DARK_BLUE, DARK_GREY, ORANGE
from finance.charts.targets import draw_target
from finance.format import gbp_m, pct
from finance.targets import Target, year_of
from finance.years import year_from_start


def _scale(measure: str) -> tuple[float, str]:
    """(divisor, axis title) so money is drawn in £m and ratios in %."""
    if benchmark.is_pct(measure):
        return 1.0, "% of net revenue expenditure"
    return 1e6, "£m"


def _fmt(measure: str, value: float | None) -> str:
    return pct(value) if benchmark.is_pct(measure) else gbp_m(value)


def ranked_bar(
    ranking: Ranking, *, highlight: str | None, title: str, subtitle: str = "", target: Target | None = None
) -> go.Figure:
    """Horizontal bars, lowest first (top), the chosen authority highlighted and labelled, median and
    quartiles marked as lines; authorities with no return are named in the legend, never drawn as zero.
    `target`: the chosen authority's target on the measure ranked (at 31 March), a labelled vertical line."""
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
    if not missing.empty:  # a legend entry, so it never overlaps the other entries whatever the width
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", marker={"opacity": 0},
                name="No return (not ranked, never zero): " + ", ".join(missing["name"]), hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None, tickfont={"size": 11})
    fig.update_xaxes(title=axis_title)
    draw_target(fig, target, scale=div, axis="x")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.07, "xanchor": "left", "x": 0})
    return readable(base_layout(fig, title=title, subtitle=subtitle, height=max(440, 22 * len(ranked) + 190)))


_BASIS_STYLE = {
    # basis: (legend name, line mode, marker symbol, marker fill, line dash)
    "outturn": ("Outturn (RS)", "lines+markers+text", "circle", DARK_BLUE, "solid"),
    "illustrative": ("Illustrative", "lines+markers+text", "circle", DARK_BLUE, "solid"),
    "budget_estimate": ("Budget estimate (RA), not outturn", "markers+text", "diamond", "white", "dot"),
}


def _all_years(years: list[str]) -> list[str]:
    """Every financial year from the first to the last held, so a year not held is an empty slot on the axis."""
    if not years:
        return []
    first, last = int(min(years)[:4]), int(max(years)[:4])
    return [year_from_start(y) for y in range(first, last + 1)]


def series_line(frame: pd.DataFrame, *, measure: str, title: str, target: Target | None = None) -> go.Figure:
    """The authority's measure by financial year: one trace per basis, each in its own style and legend entry.

    Every year from the first to the last held has its slot on the axis; a year with no figure is a gap, and a line
    joins only consecutive years of the same basis (a budget estimate is a lone hollow diamond, never joined).
    `target` (the council's target on this measure at 31 March): a dashed path from the latest outturn (or
    illustrative) value to the target in the financial year of its date, the axis running on to that year."""
    div, axis_title = _scale(measure)
    judged = frame[frame["basis"].isin(["outturn", "illustrative"]) & frame["value"].notna()]
    target_year = None if target is None else year_of(target.target_date)
    held = list(frame["financial_year"]) + ([target_year] if target_year is not None else [])
    years = _all_years(held)
    fig = go.Figure()
    for basis, (name, mode, symbol, fill, dash) in _BASIS_STYLE.items():
        rows = frame[frame["basis"] == basis]
        if rows.empty:
            continue
        by_year = dict(zip(rows["financial_year"], rows["value"], strict=True))
        suffix = " (RA estimate)" if basis == "budget_estimate" else ""
        last = max(by_year)  # every value is in the table and on hover; the latest of each basis is labelled
        values = [by_year.get(y) for y in years]
        fig.add_trace(
            go.Scatter(
                x=years,
                y=[None if v is None or pd.isna(v) else v / div for v in values],
                mode=mode,
                line={"color": DARK_BLUE, "width": 2.5, "dash": dash},
                marker={"size": 13, "color": fill, "line": {"color": DARK_BLUE, "width": 2.5}, "symbol": symbol},
                text=["" if v is None or pd.isna(v) else _fmt(measure, v) + suffix for v in values],
                texttemplate=["%{text}" if y == last else "" for y in years],
                textposition="bottom center" if basis == "budget_estimate" else "top center",
                hovertemplate="%{x}: %{text} (" + name + ")<extra></extra>",
                name=name,
                connectgaps=False,
            )
        )
    if target is not None and not judged.empty:
        last = judged.sort_values("financial_year").iloc[-1]
        draw_target(fig, target, scale=div, start=(last["financial_year"], float(last["value"]) / div), at=target_year)
    elif target is not None:
        draw_target(fig, target, scale=div)
    fig.update_xaxes(title="Financial year (empty: no figure held)", type="category", categoryorder="array",
                     categoryarray=years, tickangle=-45, automargin=True)  # fmt: skip
    fig.update_yaxes(title=axis_title, rangemode="tozero")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0})
    base_layout(fig, title=title, height=440)
    return readable(fig.update_layout(margin={"t": 90}))
