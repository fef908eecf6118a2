"""Plotly figures for the scenarios page: gap, reserves trajectory, Monte Carlo fan, tornado and comparison.

Built here, not in the page, so they are tested without Streamlit and look the same wherever they appear. Money
is shown in £m with the unit on every axis, years as 2025-26, and colours from the UK Government Analysis
Function palette, which stays distinguishable for the common forms of colour-blindness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from finance.charts import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    GRID,
    LIGHT_PURPLE,
    ORANGE,
    PALETTE,
    TURQUOISE,
    draw_level,
    draw_target,
)
from finance.format import gbp_m
from finance.scenarios.marks import LINE_OF_SERIES, ReserveMarks
from finance.scenarios.model import Projection
from finance.scenarios.sensitivity import Sensitivity
from finance.scenarios.uncertainty import MonteCarlo

MONEY_HOVER = "%{x}: £%{y:,.1f}m<extra>%{fullData.name}</extra>"
# Figures are built from plain dicts with the "none" template and styled here: a named template such as
# plotly_white costs ~20 ms a figure to apply, which alone would break the page's 150 ms slider budget.
_AXIS: dict[str, Any] = {"gridcolor": GRID, "linecolor": DARK_GREY, "zerolinecolor": DARK_GREY, "automargin": True}


def money_m(value_gbp_m: float, *, signed: bool = False) -> str:
    """£m → '£12.3m' ('−£4.5m' for negatives), written as everywhere else in Headroom (`finance.format`)."""
    return gbp_m(value_gbp_m * 1e6, signed=signed)


def _money_axis(title: str) -> dict[str, Any]:
    # Unit in the title, plain numbers on the ticks: a £ prefix would print negatives as "£−5m".
    return {**_AXIS, "title": {"text": title}, "zeroline": True, "rangemode": "tozero", "tickformat": ",~f"}


def _year_axis() -> dict[str, Any]:
    return {**_AXIS, "title": {"text": "Financial year"}, "type": "category"}


def _figure(title: str, data: list[dict[str, Any]], y_title: str = "£m", **layout: Any) -> go.Figure:
    base: dict[str, Any] = {
        "title": {"text": title},
        "template": "none",
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": DARK_GREY},
        "legend": {"orientation": "h", "y": -0.25},
        "margin": {"l": 70, "r": 20, "t": 60, "b": 70},
        "hovermode": "x unified",
        "xaxis": _year_axis(),
        "yaxis": _money_axis(y_title),
    }
    base.update(layout)
    return go.Figure({"data": data, "layout": base})


def _line(x: Sequence[str], y: Any, name: str, colour: str, **extra: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "x": list(x),
        "y": [float(v) for v in y],
        "name": name,
        "mode": "lines+markers",
        "line": {"color": colour},
        "hovertemplate": MONEY_HOVER,
    }
    for key, value in extra.items():
        if key == "line":
            trace["line"] = {**trace["line"], **value}
        else:
            trace[key] = value
    return trace


def gap_chart(proj: Projection, reference: tuple[str, Mapping[str, float]] | None = None) -> go.Figure:
    """Incremental gap (bars) and cumulative gap before and after savings (lines) by year, £m.

    `reference` is an optional (label, {year: cumulative gap £m}) drawn as a grey dashed line, for comparing a
    scenario with another series such as an approved MTFS; years it does not give are left out.
    """
    years = list(proj.years)
    bar = {
        "type": "bar",
        "x": years,
        "y": [float(v) for v in proj.incremental_gap[0]],
        "name": "Incremental gap (new in year)",
        "marker": {"color": DARK_BLUE},
        "hovertemplate": MONEY_HOVER,
    }
    return _figure(
        "Budget gap by year",
        [
            bar,
            _line(years, proj.cumulative_gap_before_savings[0], "Cumulative gap before savings", ORANGE,
                  line={"dash": "dot"}),
            _line(years, proj.cumulative_gap[0], "Cumulative gap after savings", DARK_PINK, line={"width": 3}),
            *_financing(proj, years),
            *_demand(proj, years),
            *_reference(reference, years),
        ],
        "Budget gap (£m)",
    )  # fmt: skip


def _financing(proj: Projection, years: list[str]) -> list[dict[str, Any]]:
    """The capital programme's financing costs in the gap (change from the base year), when there is one."""
    if proj.financing is None:
        return []
    change = proj.financing.change_from_base[0]
    return [_line(years, change, "Capital financing costs (in the gap)", TURQUOISE, line={"dash": "dashdot"})]


def _demand(proj: Projection, years: list[str]) -> list[dict[str, Any]]:
    """The demand lines' pressure in the gap (volume × unit cost, change from the base), when there are any."""
    total = proj.demand_total
    if total is None:
        return []
    return [_line(years, total[0], "Demand lines' pressure (in the gap)", LIGHT_PURPLE, line={"dash": "longdash"})]


def _reference(reference: tuple[str, Mapping[str, float]] | None, years: list[str]) -> list[dict[str, Any]]:
    if reference is None:
        return []
    label, values = reference
    shown = [y for y in years if y in values]
    return [_line(shown, [values[y] for y in shown], label, DARK_GREY, line={"dash": "dash"})]


def reserves_chart(proj: Projection, marks: ReserveMarks | None = None) -> go.Figure:
    """Closing unallocated, earmarked and usable reserves, the minimum line and the exhaustion year, £m.

    `marks` (the council's, for a scenario written for it): each reserve target drawn the one way targets are
    (`finance.charts.draw_target`), naming the balance it is on; the risk-based minimum for the general fund
    balance (`draw_level`), beside the scenario's own minimum prudent level."""
    years = list(proj.years)
    data = [
        _line(years, proj.usable_closing[0], "Usable reserves", DARK_BLUE, line={"width": 3}),
        _line(years, proj.unallocated_closing[0], "Unallocated (general fund)", TURQUOISE),
        _line(years, proj.earmarked_closing[0], "Earmarked", LIGHT_PURPLE),
        _line(years, [proj.minimum_reserves] * len(years), "Minimum prudent level", DARK_PINK,
              mode="lines", line={"dash": "dash"}),
    ]  # fmt: skip
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    exhausted = proj.exhaustion_year()
    if exhausted is not None:
        shapes.append(
            {"type": "line", "x0": exhausted, "x1": exhausted, "y0": 0, "y1": 1, "yref": "paper",
             "line": {"color": ORANGE, "width": 2, "dash": "dot"}}
        )  # fmt: skip
        annotations.append(
            {"x": exhausted, "y": 1, "yref": "paper", "text": f"Reserves exhausted {exhausted}",
             "showarrow": False, "font": {"color": ORANGE}, "yanchor": "bottom"}
        )  # fmt: skip
    fig = _figure(
        "Reserves at each year end", data, "Reserves at year end (£m)", shapes=shapes, annotations=annotations
    )
    if marks is not None:
        for target in marks.targets:
            draw_target(fig, target, scale=1e6, series_words=LINE_OF_SERIES[target.series_key][1])
        if (level := marks.risk_minimum) is not None:
            # grey: the scenario's own minimum prudent level is the pink dashed line
            draw_level(fig, level.value_gbp_m, level.label, hover=level.hover, colour=DARK_GREY)
    return fig


Reference = tuple[str, Mapping[str, float]]  # (label, {year: cumulative gap £m}), e.g. the approved MTFS


def fan_chart(mc: MonteCarlo, reference: Reference | None = None, marks: ReserveMarks | None = None) -> go.Figure:
    """P10–P90 bands and P50 lines of the cumulative gap and of usable reserves, £m (and `reference`, if given,
    as in `gap_chart`); the council's usable reserves target (`marks`), the one balance the chart shows, drawn the
    one way targets are, naming it."""
    years = list(mc.years)
    data: list[dict[str, Any]] = []
    for label, pct, colour, fill in (
        ("Cumulative gap", mc.gap_percentiles_gbp_m, DARK_PINK, "rgba(128,22,80,0.18)"),
        ("Usable reserves", mc.reserves_percentiles_gbp_m, DARK_BLUE, "rgba(18,67,109,0.18)"),
    ):
        data.append(_line(years, pct[90], f"{label} P90", colour, mode="lines", line={"width": 0}, showlegend=False))
        data.append(
            _line(
                years,
                pct[10],
                f"{label} P10–P90",
                colour,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=fill,
            )
        )
        data.append(_line(years, pct[50], f"{label} P50", colour, line={"width": 3}))  # fmt: skip
    data.extend(_reference(reference, years))
    fig = _figure(f"Uncertainty: {mc.simulations:,} simulations (seed {mc.seed})", data, "£m, P10 to P90")
    for target in marks.targets if marks is not None else ():
        if target.series_key == "usable_reserves":
            draw_target(fig, target, scale=1e6, series_words=LINE_OF_SERIES[target.series_key][1])
    return fig


def tornado_chart(items: Sequence[Sensitivity], final_year: str) -> go.Figure:
    """Change in the final-year cumulative gap when each assumption moves down or up one point, £m."""
    shown = list(reversed(items[:12]))  # largest swing at the top
    labels = [f"{s.label} ({s.step})" for s in shown]
    hover = "%{y}: £%{x:+,.2f}m<extra></extra>"
    data = [
        {"type": "bar", "orientation": "h", "y": labels, "x": [s.down_change_gbp_m for s in shown],
         "name": "Assumption lower", "marker": {"color": TURQUOISE}, "hovertemplate": hover},
        {"type": "bar", "orientation": "h", "y": labels, "x": [s.up_change_gbp_m for s in shown],
         "name": "Assumption higher", "marker": {"color": DARK_PINK}, "hovertemplate": hover},
    ]  # fmt: skip
    return _figure(
        f"Sensitivity of the {final_year} cumulative gap",
        data,
        barmode="overlay",
        hovermode="closest",
        height=max(300, 40 * len(shown) + 160),
        xaxis=_money_axis(f"Change in {final_year} cumulative gap (£m)"),
        yaxis={**_AXIS, "title": {"text": "Assumption"}},
    )


def lines_chart(title: str, series: Mapping[str, Mapping[str, float]], y_title: str = "£m") -> go.Figure:
    """One line per named series of {year: £m} over the years any of them gives (e.g. MTFS versions' gaps)."""
    years = sorted({y for values in series.values() for y in values})
    data = []
    for i, (name, values) in enumerate(series.items()):
        shown = [y for y in years if y in values]
        data.append(_line(shown, [values[y] for y in shown], name, PALETTE[i % len(PALETTE)]))
    return _figure(title, data, y_title, xaxis={**_year_axis(), "categoryorder": "array", "categoryarray": years})


def compare_chart(
    projections: Mapping[str, Projection], reference: Reference | None = None, marks: ReserveMarks | None = None
) -> go.Figure:
    """Cumulative gap (top) and usable reserves (bottom) of 2–4 scenarios on one chart, £m; `reference`, if given,
    is drawn on the gap panel as in `gap_chart`; the council's usable reserves target (`marks`) on the lower panel."""
    data: list[dict[str, Any]] = []
    for i, (name, proj) in enumerate(projections.items()):
        colour = PALETTE[i % len(PALETTE)]
        years = list(proj.years)
        data.append(_line(years, proj.cumulative_gap[0], name, colour, legendgroup=name))
        data.append(_line(years, proj.usable_closing[0], name, colour, legendgroup=name, showlegend=False,
                          line={"dash": "dash"}, xaxis="x2", yaxis="y2"))  # fmt: skip
    years = sorted({y for proj in projections.values() for y in proj.years})
    data.extend(_reference(reference, years))
    fig = _figure(
        "Scenarios compared: cumulative gap after savings (top) and usable reserves (bottom)",
        data,
        height=600,
        xaxis={**_year_axis(), "anchor": "y", "matches": "x2", "showticklabels": False, "title": {"text": ""}},
        yaxis={**_money_axis("Cumulative gap (£m)"), "domain": [0.55, 1.0]},
        xaxis2={**_year_axis(), "anchor": "y2"},
        yaxis2={**_money_axis("Usable reserves (£m)"), "domain": [0.0, 0.45], "anchor": "x2"},
    )
    for target in marks.targets if marks is not None else ():
        if target.series_key == "usable_reserves":
            draw_target(fig, target, scale=1e6, series_words=LINE_OF_SERIES[target.series_key][1], yref="y2")
    return fig
