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
    bar: tuple[int, Any] | None = None,
    series_words: str = "",
    yref: str = "y",
) -> go.Figure:
    """Draw `target` (None: nothing) on `fig`, its value divided by `scale` (1e6 for a chart in £m).

    - By default a dashed line across the plot at the target value (`axis="x"`: a vertical line, for charts
      whose values run along the x axis), with the label written beside it and a legend entry.
    - With `start=(x, y)` (the latest value, already scaled) and `at` (the target date's place on the x axis): a
      dashed path from the latest value to the target at the target date, ending in a star, named with the label.
    - With `bar=(index, category)` (a bar chart whose categories are series, e.g. one bar per income stream): a
      dashed line across that one bar only (`index` is the category's place on the axis, from 0).
    `series_words` names the series in the label ("Target for general fund balance: …") on a chart showing more
    than one; `yref` the y axis of the line ("y2": the lower panel of a two-panel chart). The hover says when the
    target was set, by whom and how (`Target.provenance`). The figure is returned, changed in place."""
    if target is None:
        return fig
    value = target.value / scale
    label = target_label(target, series_words)
    hover = f"{label}<br>{target.provenance}"
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
                hovertemplate=f"{hover}<extra></extra>",
                meta="target",
            )
        )
        return fig
    if bar is not None:
        index, category = bar
        fig.add_shape(type="line", xref="x", yref="y", x0=index - 0.45, x1=index + 0.45, y0=value, y1=value,
                      line=_LINE)  # fmt: skip
        fig.add_annotation(x=index, y=value, xref="x", yref="y", text=f"target {target.value_text}", showarrow=False,
                           yanchor="bottom", font={"color": TARGET_COLOUR, "size": 11}, hovertext=hover)  # fmt: skip
        fig.add_trace(go.Scatter(x=[category], y=[value], mode="lines", line=_LINE, name=label,
                                 hovertemplate=f"{hover}<extra></extra>", meta="target"))  # fmt: skip
        return fig
    return draw_level(fig, value, label, hover=hover, axis=axis, meta="target", yref=yref)


def draw_level(
    fig: go.Figure,
    value: float,
    label: str,
    *,
    hover: str = "",
    colour: str = TARGET_COLOUR,
    axis: Literal["y", "x"] = "y",
    meta: str = "level",
    yref: str = "y",
) -> go.Figure:
    """A labelled dashed line across the plot at `value` (already scaled), with a legend entry: how a target is
    drawn, and how a level that is not a target but is read the same way (the risk-based minimum balance) is
    drawn beside one, in its own `colour`. `hover` (when, by whom, from what) shows on the label."""
    line = {**_LINE, "color": colour}
    annotation = {"annotation_text": label, "annotation_font": {"color": colour, "size": 11},
                  "annotation_hovertext": hover or label}  # fmt: skip
    if fig._has_subplots():  # plotly draws the line on every subplot
        if axis == "x":
            fig.add_vline(x=value, line=line, annotation_position="top", **annotation)
        else:
            fig.add_hline(y=value, yref=yref, line=line, annotation_position="top left", **annotation)
    else:  # what add_vline / add_hline add to a single plot, without their search for subplots (5x slower)
        _spanning_line(fig, value, line, axis, yref, {k.removeprefix("annotation_"): v for k, v in annotation.items()})
    # a legend entry too, so the label survives a narrow chart where the annotation is crowded
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name=label, hoverinfo="skip", meta=meta))
    return fig


def _spanning_line(
    fig: go.Figure, value: float, line: dict[str, Any], axis: str, yref: str, note: dict[str, Any]
) -> None:
    if axis == "x":
        fig.add_shape(type="line", x0=value, x1=value, xref="x", y0=0, y1=1, yref="y domain", line=line)
        place = {"x": value, "xanchor": "center", "xref": "x", "y": 1, "yanchor": "bottom", "yref": "y domain"}
    else:
        fig.add_shape(type="line", x0=0, x1=1, xref="x domain", y0=value, y1=value, yref=yref, line=line)
        place = {"x": 0, "xanchor": "left", "xref": "x domain", "y": value, "yanchor": "bottom", "yref": yref}
    fig.add_annotation(showarrow=False, **place, **note)


def target_label(target: Target, series_words: str = "") -> str:
    """The words a target is drawn with: its label, naming the series when `series_words` is given."""
    return target.label.replace("Target:", f"Target for {series_words}:", 1) if series_words else target.label


def target_traces(fig: go.Figure) -> list[str]:
    """The labels of the targets drawn on `fig` (for tests and alt text)."""
    return [str(t.name).replace("<br>", " ") for t in fig.data if getattr(t, "meta", None) == "target"]  # unwrapped
