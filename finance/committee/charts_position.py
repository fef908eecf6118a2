"""Figures of the income collection, DSG and reserves nowcast pages.

Plotly only, from frames the views prepare. Units on every axis, values written on the marks, the selected
council marked by shape, pattern and a text label as well as colour, and reference lines (England's rates, the
end of the statutory override, the peer median) named in words on the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from finance.charts import DARK_BLUE, DARK_GREY, DARK_PINK, LIGHT_GREY, ORANGE, TURQUOISE, base_layout, draw_target
from finance.format import gbp_m, pct
from finance.targets import Target
from finance.years import DSG_OVERRIDE_END, DSG_OVERRIDE_END_TEXT

STREAM_COLOURS = {
    "Council tax": DARK_BLUE,
    "Business rates": TURQUOISE,
    "Adult social care charges": DARK_PINK,
    "Sundry debt": ORANGE,
}
STREAM_SYMBOLS = {"Council tax": "circle", "Business rates": "square", "Adult social care charges": "diamond",
                  "Sundry debt": "triangle-up"}  # fmt: skip


def collection_profile(
    rates: pd.DataFrame, *, year: str, last_year: str, title: str, targets: Sequence[Target] = ()
) -> go.Figure:
    """Cumulative % collected by period per stream: this year solid with markers, last year dotted; each stream's
    target rate for the year (`targets`) a labelled dashed line.

    `rates`: stream, period_label, rate_pct, last_year_rate_pct (NaN where not held)."""
    fig = go.Figure()
    for stream, rows in rates.groupby("stream", sort=False):
        colour = STREAM_COLOURS.get(str(stream), DARK_GREY)
        fig.add_trace(
            go.Scatter(
                x=rows["period_label"],
                y=rows["last_year_rate_pct"],
                mode="lines",
                line={"color": colour, "dash": "dot", "width": 1.5},
                name=f"{stream}, {last_year} (dotted)",
                hovertemplate=f"{stream} {last_year} %{{x}}: %{{y:.1f}}%<extra></extra>",
                legendgroup=str(stream),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=rows["period_label"],
                y=rows["rate_pct"],
                mode="lines+markers",
                line={"color": colour, "width": 2.5},
                marker={"symbol": STREAM_SYMBOLS.get(str(stream), "circle"), "size": 8},
                name=f"{stream}, {year}",
                hovertemplate=f"{stream} {year} %{{x}}: %{{y:.1f}}%<extra></extra>",
                legendgroup=str(stream),
            )
        )
    fig.update_xaxes(title="Monitoring period", type="category", categoryorder="array",
                     categoryarray=list(dict.fromkeys(rates["period_label"])))  # fmt: skip
    for target in targets:  # one per stream: each names its stream
        draw_target(fig, target, series_words=(target.series.stream or "").lower())
    fig.update_yaxes(title="% collected (cumulative)", range=[0, 100])
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return base_layout(fig, title=title, subtitle=f"Solid: {year}; dotted: same period of {last_year}", height=520)


def year_end_vs_england(
    frame: pd.DataFrame, *, title: str, subtitle: str, targets: Mapping[str, Target] | None = None
) -> go.Figure:
    """Year-end in-year collection rate per stream as bars, England's published rate as a labelled marker, and the
    council's target for a stream's in-year collection rate (`targets`, by stream) across that stream's bar only.

    `frame`: stream, rate_pct, england_pct."""
    fig = go.Figure(
        go.Bar(
            x=frame["stream"],
            y=frame["rate_pct"],
            marker={"color": DARK_BLUE},
            text=[pct(v) for v in frame["rate_pct"]],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white"},
            name="This council",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=frame["stream"],
            y=frame["england_pct"],
            mode="markers+text",
            marker={"symbol": "line-ew-open", "size": 60, "color": ORANGE, "line": {"width": 4, "color": ORANGE}},
            text=[f"England {pct(v)}" for v in frame["england_pct"]],
            textposition="top center",
            cliponaxis=False,
            name="England, 2024-25 (MHCLG)",
            hovertemplate="%{text}<extra></extra>",
        )
    )
    drawn = [(i, str(stream), (targets or {}).get(str(stream))) for i, stream in enumerate(frame["stream"])]
    for i, stream, target in drawn:
        draw_target(fig, target, bar=(i, stream), series_words=stream.lower())
    lowest = min([80.0, *(t.value - 2 for _, _, t in drawn if t is not None)])
    bottom = int(lowest // 5 * 5)  # a target below the usual 80% floor stays on the chart
    fig.update_yaxes(title=f"In-year collection rate, % (axis from {bottom}%)", range=[bottom, 101])
    fig.update_xaxes(title=None)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0})
    return base_layout(fig, title=title, subtitle=subtitle, height=440 if any(t for *_, t in drawn) else 420)


def arrears(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Arrears (£m) per stream at the latest period. `frame`: stream, arrears_gbp (NaN = not given)."""
    given = frame[frame["arrears_gbp"].notna()]
    fig = go.Figure(
        go.Bar(
            y=given["stream"],
            x=given["arrears_gbp"] / 1e6,
            orientation="h",
            marker={"color": DARK_PINK},
            text=[gbp_m(v) for v in given["arrears_gbp"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="Arrears, £m", range=[0, max(float(given["arrears_gbp"].max() or 0) / 1e6, 0.1) * 1.2])
    fig.update_layout(showlegend=False)
    return base_layout(fig, title=title, height=340)


OVERRIDE_END = DSG_OVERRIDE_END


def dsg_trajectory(frame: pd.DataFrame, *, title: str, target: Target | None = None) -> go.Figure:
    """Cumulative DSG deficit over time (£m), official year ends as hollow diamonds, monitoring forecasts as a
    line, and the end of the statutory override marked. `frame`: date, deficit_gbp, source ('official'|'monitoring').
    `target`: the council's target on the forecast deficit, a dashed path from the latest forecast to its date."""
    fig = go.Figure()
    official = frame[frame["source"] == "official"]
    monitoring = frame[frame["source"] == "monitoring"]
    fig.add_trace(
        go.Scatter(
            x=official["date"],
            y=official["deficit_gbp"] / 1e6,
            mode="markers+text",
            marker={"symbol": "diamond-open", "size": 11, "color": DARK_BLUE, "line": {"width": 2}},
            text=[gbp_m(v) for v in official["deficit_gbp"]],
            textposition="top left",
            name="Official return, 31 March",
            hovertemplate="%{x|%d %b %Y}: %{text} (official)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=monitoring["date"],
            y=monitoring["deficit_gbp"] / 1e6,
            mode="lines+markers",
            line={"color": DARK_PINK, "width": 2.5},
            marker={"size": 6},
            name="Monitoring: forecast cumulative deficit at year end",
            hovertemplate="%{x|%b %Y}: £%{y:.1f}m forecast<extra></extra>",
        )
    )
    fig.add_shape(type="line", x0=OVERRIDE_END, x1=OVERRIDE_END, y0=0, y1=1, yref="paper",
                  line={"color": DARK_GREY, "dash": "dash", "width": 2})  # fmt: skip
    fig.add_annotation(x=OVERRIDE_END, y=0.04, yref="paper", text=f"Statutory override<br>ends {DSG_OVERRIDE_END_TEXT}",
                       showarrow=False, xanchor="right", yanchor="bottom", align="right")  # fmt: skip
    last_day = date(DSG_OVERRIDE_END.year, 9, 30)  # half a year past the override's end
    if target is not None and not monitoring.empty:
        latest = monitoring.iloc[-1]
        draw_target(fig, target, scale=1e6, start=(latest["date"], float(latest["deficit_gbp"]) / 1e6),
                    at=target.target_date)  # fmt: skip
        last_day = max(last_day, target.target_date + timedelta(days=60))
    else:
        draw_target(fig, target, scale=1e6)
    fig.update_xaxes(title="Date", range=[frame["date"].min() - pd.Timedelta(days=120), last_day])
    fig.update_yaxes(title="Cumulative DSG deficit, £m", rangemode="tozero")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return base_layout(fig, title=title, height=460)


def ranked_peers(
    frame: pd.DataFrame, *, title: str, subtitle: str, axis: str, median: float | None, target: Target | None = None
) -> go.Figure:
    """Peers as horizontal bars, lowest at the top, the council hatched, orange and labelled '◀'.

    `frame`: name, value (in `axis` units, e.g. %), is_council, label (the text written on the bar)."""
    names = [f"<b>{n} ◀</b>" if c else n for n, c in zip(frame["name"], frame["is_council"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=names,
            orientation="h",
            marker={
                "color": [ORANGE if c else DARK_BLUE for c in frame["is_council"]],
                "pattern": {"shape": ["/" if c else "" for c in frame["is_council"]]},
            },
            text=frame["label"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
            name="Authorities (selected: hatched, ◀)",
        )
    )
    height = max(440, 22 * len(frame) + 200)
    if median is not None and len(names):
        # drawn below the bars so it never crosses their labels; the legend entry names it with its value
        fig.add_vline(x=median, line={"color": DARK_GREY, "dash": "dash", "width": 1.5}, layer="below")
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": DARK_GREY, "dash": "dash", "width": 1.5},
                name=f"Peer median: {pct(median)}",
            )
        )
    top = max([float(frame["value"].max()) if len(frame) else 1.0, *([target.value] if target else [])])
    fig.update_yaxes(autorange="reversed", title=None, tickfont={"size": 11})
    fig.update_xaxes(title=axis, range=[0, max(top, 1.0) * 1.18])
    draw_target(fig, target, axis="x")  # the council's target on the measure (reserves as % of spending)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -100 / height, "xanchor": "left", "x": 0})
    return base_layout(fig, title=title, subtitle=subtitle, height=height)


def deficit_vs_reserves(deficit_gbp: float, reserves_gbp: float, *, title: str) -> go.Figure:
    """Two bars: the cumulative DSG deficit beside the usable reserves it would be set against."""
    fig = go.Figure(
        go.Bar(
            x=["Cumulative DSG deficit", "Forecast usable reserves"],
            y=[deficit_gbp / 1e6, reserves_gbp / 1e6],
            marker={
                "color": [DARK_PINK, TURQUOISE],
                "pattern": {"shape": ["x", ""]},
                "line": {"color": LIGHT_GREY, "width": 1},
            },
            text=[gbp_m(deficit_gbp), gbp_m(reserves_gbp)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(title="£m", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return base_layout(fig, title=title, height=360)
