"""The resilience strips as one figure of small multiples, one row per indicator.

A browser draws one Plotly figure far faster than the same marks split over many: every figure pays its own
set-up (defaults, axes, drag layers, the mode bar, text measuring, a resize observer) before drawing a mark. The
page therefore shows the strips stacked in one figure, while each strip stays its own figure (`indicator_strip`)
for the pack and the tests that read one indicator. Stacking copies each strip's marks, shapes and labels onto its
own row's axes unchanged, so every number and word on the page is the strip's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from finance.charts import set_layout

TITLE_PX = 100  # a strip's title and two-line subtitle above its axis (the strip's own top margin)
AXIS_PX = 60  # its axis labels and title below (its own bottom margin)
LEGEND_PX = 40  # one legend above the first row, when the rows share one (`stack_strips(legend=True)`)
_LAYOUT_KEPT = ("font", "colorway", "plot_bgcolor", "paper_bgcolor", "hoverlabel")


def _axis_ref(ref: str | None, axis: str, row_axis: str) -> str | None:
    """A reference to the strip's only axis ('x', 'x domain', 'paper') moved to its row's axis (`row_axis`)."""
    if ref is None:
        return None
    if ref == "paper":
        return f"{row_axis} domain"
    if ref == axis or ref.startswith(f"{axis} "):
        return row_axis + ref[len(axis) :]
    return ref


def _moved(item: dict[str, Any], x: str, y: str) -> dict[str, Any]:
    """A shape or annotation of a single strip with its references moved to the row's axes."""
    moved = dict(item)
    moved["xref"] = _axis_ref(item.get("xref", "x"), "x", x)
    moved["yref"] = _axis_ref(item.get("yref", "y"), "y", y)
    return moved


def _title(fig: go.Figure, x: str, y: str) -> dict[str, Any]:
    """The strip's title and subtitle, placed above its row as the strip places them above its own plot."""
    title = fig.layout.title
    subtitle = title.subtitle.text if title.subtitle is not None and title.subtitle.text else ""
    text = f"<span style='font-size:16px'>{title.text or ''}</span>"
    if subtitle:
        text += f"<br><span style='font-size:13px'>{subtitle}</span>"
    return {
        "text": text,
        "xref": f"{x} domain",
        "yref": f"{y} domain",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "yshift": 12,
        "showarrow": False,
    }


def stack_strips(figures: Sequence[go.Figure], *, row_px: int, legend: bool = False) -> go.Figure:
    """One figure with each of `figures` (single-axis strips, each drawn `row_px` high on its own) as a row of the
    same height, top to bottom in the order given. An empty sequence gives an empty figure.

    `legend`: the figures draw the same series (same names, same marks), so one legend serves every row: the first
    figure's entries, above the first row; the other rows' traces are left out of it. Without, no legend (the
    strips label every mark in place)."""
    n = len(figures)
    height = max(n, 1) * row_px
    fig = go.Figure()
    if n == 0:
        return fig
    first = figures[0].layout.to_plotly_json()
    layout: dict[str, Any] = {key: first[key] for key in _LAYOUT_KEPT if key in first}
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for i, strip in enumerate(figures):
        suffix = "" if i == 0 else str(i + 1)
        x, y = f"x{suffix}", f"y{suffix}"
        top, bottom = i * row_px + TITLE_PX, (i + 1) * row_px - AXIS_PX
        xaxis = strip.layout.xaxis.to_plotly_json()
        yaxis = strip.layout.yaxis.to_plotly_json()
        layout[f"xaxis{suffix}"] = {**xaxis, "anchor": y}
        layout[f"yaxis{suffix}"] = {**yaxis, "anchor": x, "domain": [1 - bottom / height, 1 - top / height]}
        for trace in strip.data:  # a copy: the strip itself stays as it is (the pack draws it alone)
            shown = {} if i == 0 or not legend else {"showlegend": False}
            fig.add_trace(type(trace)({**trace.to_plotly_json(), "xaxis": x, "yaxis": y, **shown}))
        shapes.extend(_moved(s.to_plotly_json(), x, y) for s in strip.layout.shapes)
        annotations.extend(_moved(a.to_plotly_json(), x, y) for a in strip.layout.annotations)
        annotations.append(_title(strip, x, y))
    top_px = LEGEND_PX if legend else 0  # the rows keep their heights; the legend has its own band above them
    set_layout(
        fig,
        **layout,
        height=height + top_px,
        margin={"l": 10, "r": 10, "t": top_px, "b": 0},
        showlegend=legend,
        **({"legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"}} if legend else {}),
        shapes=shapes,
        annotations=annotations,
    )
    return fig
