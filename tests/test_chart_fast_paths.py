"""The house style's quick paths give exactly the figure plotly's own calls give: `set_layout` is `update_layout`,
`set_axes` is `update_xaxes` / `update_yaxes`, and a target line on a single plot is `add_hline` / `add_vline`
(on a figure of subplots it is still drawn by plotly, on every subplot)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from finance.charts import TARGET_COLOUR, draw_level, set_axes, set_layout


def _figure() -> go.Figure:
    fig = go.Figure([go.Bar(x=["a", "b"], y=[1, -2], name="one"), go.Scatter(x=["a", "b"], y=[2, 1], name="two")])
    fig.update_layout(title={"text": "Kept", "font": {"color": "red"}}, legend={"x": 0.3}, margin={"l": 4})
    return fig


def _subplots() -> go.Figure:
    fig = make_subplots(rows=2, cols=1)
    fig.add_trace(go.Scatter(x=[1, 2], y=[3, 4]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[1, 2], y=[5, 6]), row=2, col=1)
    return fig


LAYOUT = {
    "title": {"text": "New", "subtitle": {"text": "Sub"}, "x": 0, "font": {"size": 16}},
    "legend": {"orientation": "h", "y": 0},
    "margin": {"t": 80, "b": 10},
    "colorway": ["#000000", "#ffffff"],
    "height": 300,
}


@pytest.mark.parametrize("make", [_figure, _subplots])
def test_set_layout_and_set_axes_give_what_plotly_updates_give(make: object) -> None:
    ours, plotly = make(), make()  # type: ignore[operator]
    set_layout(ours, **LAYOUT)
    plotly.update_layout(**LAYOUT)
    set_axes(ours, "x", showgrid=False, title={"text": "x title"})
    plotly.update_xaxes(showgrid=False, title={"text": "x title"})
    set_axes(ours, "y", gridcolor="#E5E5E5", range=[-1, 1])
    plotly.update_yaxes(gridcolor="#E5E5E5", range=[-1, 1])
    assert ours.to_plotly_json() == plotly.to_plotly_json()
    if make is _figure:
        assert ours.layout.title.font.color == "red"  # merged into what was there, as update_layout merges


@pytest.mark.parametrize("axis", ["x", "y"])
@pytest.mark.parametrize("yref", ["y", "y2"])
def test_a_level_on_a_single_plot_is_what_add_hline_or_add_vline_draws(axis: str, yref: str) -> None:
    ours, plotly = _figure(), _figure()
    draw_level(ours, 1.5, "Minimum: £1.5m", hover="set by the s151 officer", axis=axis, yref=yref)  # type: ignore[arg-type]
    line = {"color": TARGET_COLOUR, "width": 2.5, "dash": "dash"}
    note = {"annotation_text": "Minimum: £1.5m", "annotation_font": {"color": TARGET_COLOUR, "size": 11},
            "annotation_hovertext": "set by the s151 officer"}  # fmt: skip
    if axis == "x":
        plotly.add_vline(x=1.5, line=line, annotation_position="top", **note)
    else:
        plotly.add_hline(y=1.5, yref=yref, line=line, annotation_position="top left", **note)
    plotly.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name="Minimum: £1.5m", hoverinfo="skip",
                                meta="level"))  # fmt: skip
    assert ours.to_plotly_json() == plotly.to_plotly_json()


def test_a_level_on_a_figure_of_subplots_is_drawn_on_each_subplot() -> None:
    fig = draw_level(_subplots(), 2.0, "Target")
    assert len(fig.layout.shapes) == 2 and {s.yref for s in fig.layout.shapes} == {"y", "y2"}
