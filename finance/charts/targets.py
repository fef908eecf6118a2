"""Drawing a council's target on a chart, the same way on every chart that shows its series.

Why one helper: a target drawn as a line on one chart and a dot on another reads as two different things. Every
chart builder that draws a targetable series (`finance.targets.CATALOGUE`) takes the series' current target from
its view model and calls `draw_target`: a dashed line at the target (or, where the chart runs along time and the
target date is on its axis, a dashed path from the latest value to the target at the target date), labelled
"Target: at least £23.0m by 31 Mar 2029 (set by …)" in words on the chart and in the legend, so it never depends
on colour.
"""

from __future__ import annotations

from typing import Any, Literal

import plotly.graph_objects as go

from finance.charts.palette import LIGHT_PURPLE
from finance.targets import Target

TARGET_COLOUR = LIGHT_PURPLE
_LINE = {"color": TARGET_COLOUR, "width": 2.5, "dash": "dash"}


def draw_target(
    fig: go.Figure,
    target: Target | None,
    *,
    scale: float = 1.0,
    axis: Literal["y", "x"] = "y",
    start: tuple[Any, float] | None = None,
    at: Any = None,
    series_words: str = "",
) -> go.Figure:
    """Draw `target` (None: nothing) on `fig`, its value divided by `scale` (1e6 for a chart in £m).

    - By default a dashed line across the plot at the target value (`axis="x"`: a vertical line, for charts
      whose values run along the x axis), with the label written beside it and a legend entry.
    - With `start=(x, y)` (the latest value, already scaled) and `at` (the target date's place on the x axis): a
      dashed path from the latest value to the target at the target date, ending in a star, named with the label.
    `series_words` names the series in the label ("Target for general fund balance: …") on a chart showing more
    than one. The figure is returned, changed in place."""
    if target is None:
        return fig
    value = target.value / scale
    label = target_label(target, series_words)
    if start is not None and at is not None:
        fig.add_trace(
            go.Scatter(
                x=[start[0], at],
                y=[start[1], value],
                mode="lines+markers+text",
                line=_LINE,
                marker={"symbol": ["circle-open", "star"], "size": [6, 16], "color": TARGET_COLOUR},
                text=["", label],
                textposition="top left",
                cliponaxis=False,
                name=label,
                hovertemplate=f"{label}<extra></extra>",
                meta="target",
            )
        )
        return fig
    if axis == "x":
        fig.add_vline(x=value, line=_LINE, annotation_text=label, annotation_position="top",
                      annotation_font={"color": TARGET_COLOUR, "size": 11})  # fmt: skip
    else:
        fig.add_hline(y=value, line=_LINE, annotation_text=label, annotation_position="top left",
                      annotation_font={"color": TARGET_COLOUR, "size": 11})  # fmt: skip
    # a legend entry too, so the label survives a narrow chart where the annotation is crowded
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=_LINE, name=label, hoverinfo="skip", meta="target"))
    return fig


def target_label(target: Target, series_words: str = "") -> str:
    """The words a target is drawn with: its label, naming the series when `series_words` is given."""
    return target.label.replace("Target:", f"Target for {series_words}:", 1) if series_words else target.label


def target_traces(fig: go.Figure) -> list[str]:
    """The labels of the targets drawn on `fig` (for tests and alt text)."""
    return [str(t.name) for t in fig.data if getattr(t, "meta", None) == "target"]
