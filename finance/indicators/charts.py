"""The resilience page's figures: one strip per indicator, the authority's marker among its peers' values.

Built here (plotly only, no streamlit) so the page stays thin and the figures are testable. No composite score:
each strip stands alone, its higher-risk end labelled in words. The selected authority is marked by shape, size,
colour and a text label (never colour alone); a nowcast marker, when given, is a hollow pink triangle labelled
"projection". Sustainability values above `YEARS_CAP` and "not depleting" are drawn at the right edge.
"""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

from finance.charts import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    LIGHT_GREY,
    ORANGE,
    base_layout,
    draw_target,
    readable,
    set_axes,
    set_layout,
)
from finance.indicators.profile import IndicatorResult, coverage_text, format_number, format_value, rank_text
from finance.targets import Target

YEARS_CAP = 50.0
STRIP_HEIGHT_PX = 420  # the facts table beside a strip shows all its rows at this height


def _x(value: float, unit: str) -> float:
    if unit == "years" and (math.isinf(value) or value > YEARS_CAP):
        return YEARS_CAP
    return value


def _text_side(x: float, xs: list[float]) -> str:
    """Where a label sits beside its mark: centred, or inward when the mark is near either end of the strip (a
    centred label there is cut off by the chart's edge, e.g. "median not depleting" at the right-hand cap)."""
    lo, hi = min(xs), max(xs)
    if hi - lo <= 0:
        return "center"
    at = (x - lo) / (hi - lo)
    return "left" if at > 0.8 else "right" if at < 0.2 else "center"


def _why_empty(result: IndicatorResult) -> str:
    """Why a strip has no marks, in the reading's own words ("Not available: needs the balance at …")."""
    note = result.reading.note
    if note.startswith("not available"):
        return note[0].upper() + note[1:]
    return f"No value to place: {note or format_value(result.reading, result.spec.unit)}"


def _axis_title(unit: str) -> str:
    if unit == "years":
        return f"years (over {YEARS_CAP:.0f} or not depleting: drawn at {YEARS_CAP:.0f})"
    return unit


def indicator_strip(
    result: IndicatorResult,
    *,
    authority_name: str,
    nowcast_value: float | None = None,
    nowcast_label: str = "projection",
    target: Target | None = None,
) -> go.Figure:
    """A one-row strip: peers as dark-blue dots, the authority as a large orange diamond labelled with its name,
    the peer median (dashed, labelled) and the middle half shaded; the higher-risk end named on the axis; the
    council's `target` on the indicator (if any) as a labelled dashed vertical line."""
    spec, unit = result.spec, result.spec.unit
    peers = [p for p in result.peers if p.reading.sort_value is not None and p.code != result.code]
    fig = go.Figure()
    stats = result.stats
    target_value = None if target is None else target.value
    marks = [_x(v, unit) for v in (result.reading.sort_value, stats.median, nowcast_value, target_value)
             if v is not None]  # fmt: skip
    xs = [_x(p.reading.sort_value or 0.0, unit) for p in peers] + marks
    if stats.lower_quartile is not None and stats.upper_quartile is not None:
        fig.add_shape(  # what add_vrect adds to this single plot, without its search for subplots
            type="rect",
            x0=_x(stats.lower_quartile, unit),
            x1=_x(stats.upper_quartile, unit),
            xref="x",
            y0=0,
            y1=1,
            yref="y domain",
            fillcolor=LIGHT_GREY,
            opacity=0.35,
            line={"width": 0},
        )
    fig.add_trace(
        go.Scatter(
            x=xs[: len(peers)],
            y=[0.0] * len(peers),
            mode="markers",
            marker={"color": DARK_BLUE, "size": 9, "symbol": "circle", "opacity": 0.7},
            text=[f"{p.name}: {format_value(p.reading, unit)}" for p in peers],
            hovertemplate="%{text}<extra></extra>",
            name="Peers",
        )
    )
    if stats.median is not None:
        med = _x(stats.median, unit)
        fig.add_trace(
            go.Scatter(
                x=[med, med],
                y=[-0.8, 0.8],
                mode="lines+text",
                line={"color": DARK_GREY, "dash": "dash", "width": 2},
                text=[f"median {format_number(stats.median, unit)}", ""],
                textposition=f"bottom {_text_side(med, xs)}",
                textfont={"size": 11, "color": DARK_GREY},
                name=f"Peer median: {format_number(stats.median, unit)}; shaded: middle half",
                hoverinfo="name",
            )
        )
    own = result.reading.sort_value
    if own is not None:
        fig.add_trace(
            go.Scatter(
                x=[_x(own, unit)],
                y=[0.0],
                mode="markers+text",
                marker={"color": ORANGE, "size": 18, "symbol": "diamond", "line": {"color": DARK_GREY, "width": 1}},
                text=[f"{authority_name}: {format_value(result.reading, unit)}"],
                textposition=f"top {_text_side(_x(own, unit), xs)}",
                hoverinfo="text",
                name=authority_name,
            )
        )
    if nowcast_value is not None:
        fig.add_trace(
            go.Scatter(
                x=[_x(nowcast_value, unit)],
                y=[0.0],
                mode="markers+text",
                marker={"color": DARK_PINK, "size": 16, "symbol": "triangle-up-open", "line": {"width": 2}},
                text=[f"{nowcast_label}: {format_number(nowcast_value, unit)}"],
                textposition=f"bottom {_text_side(_x(nowcast_value, unit), xs)}",
                hoverinfo="text",
                name=nowcast_label,
            )
        )
    draw_target(fig, target, axis="x")
    risk = "lower" if spec.higher_risk_when == "lower" else "higher"
    left, right = ("higher risk", "lower risk") if risk == "lower" else ("lower risk", "higher risk")
    set_axes(fig, "x", title={"text": f"◀ {left}   ·   {_axis_title(unit)}   ·   {right} ▶"})
    set_axes(fig, "y", visible=False, range=[-1, 1])
    missing = [p.name for p in result.peers if p.reading.sort_value is None]
    position = rank_text(result)
    # two lines (a plotly subtitle does not wrap): the position as the table words it, then the coverage
    subtitle = f"Higher risk when {risk}." + (f" {authority_name}: {position}." if position != "—" else "")
    subtitle += f"<br>{coverage_text(result)}."
    if missing and len(missing) < len(result.peers):
        shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        subtitle += f" No value: {shown}."
    if not xs:  # nobody has a value (e.g. a window no return held): say why where the strip would be
        fig.add_annotation(
            text="<br>".join(textwrap.wrap(_why_empty(result), 48)),
            xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 12, "color": DARK_GREY},
        )  # fmt: skip
        set_axes(fig, "x", visible=False)
    base_layout(fig, title=spec.title, subtitle=subtitle, height=STRIP_HEIGHT_PX)
    # every mark is labelled in place (name, "median …", "projection …"), so no legend competes with the axis
    set_layout(fig, showlegend=False, margin={"t": 100, "b": 60})
    return readable(fig)
