"""The resilience strips stacked in one figure: each strip's marks, shapes and words on its own row, unchanged."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from finance.charts import base_layout
from finance.indicators.small_multiples import AXIS_PX, LEGEND_PX, TITLE_PX, stack_strips


def _strip(title: str, xs: list[float], median: float, *, empty: bool = False) -> go.Figure:
    fig = go.Figure()
    fig.add_vrect(x0=min(xs), x1=median, fillcolor="#ccc", line_width=0)
    fig.add_trace(go.Scatter(x=xs, y=[0.0] * len(xs), mode="markers", name="Peers"))
    fig.add_vline(x=median, annotation_text=f"Target {median}", annotation_position="top")
    if empty:
        fig.add_annotation(text="Not available", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    fig.update_xaxes(title_text=f"◀ higher risk · {title} · lower risk ▶")
    fig.update_yaxes(visible=False, range=[-1, 1])
    return base_layout(fig, title=title, subtitle="Higher risk when lower.<br>35 of 36 peers have a figure.")


def test_each_strip_keeps_its_marks_and_words_on_its_own_row() -> None:
    a, b = _strip("Council tax ratio", [40.0, 51.2, 60.0], 51.2), _strip("DSG deficit", [0.0, 5.4, 73.7], 5.4)
    before = a.to_plotly_json()
    fig = stack_strips([a, b], row_px=420)

    assert fig.layout.height == 840
    assert [(t.xaxis, t.yaxis, list(t.x)) for t in fig.data] == [
        ("x", "y", [40.0, 51.2, 60.0]),
        ("x2", "y2", [0.0, 5.4, 73.7]),
    ]
    assert fig.layout.xaxis.title.text == "◀ higher risk · Council tax ratio · lower risk ▶"
    assert fig.layout.xaxis2.title.text == "◀ higher risk · DSG deficit · lower risk ▶"
    assert fig.layout.yaxis2.range == (-1, 1) and fig.layout.yaxis2.visible is False
    # the shaded middle half and the target line sit on their own row's x axis
    assert [(s.xref, s.x0) for s in fig.layout.shapes if s.type == "rect"] == [("x", 40.0), ("x2", 0.0)]
    assert {(s.xref, s.x0) for s in fig.layout.shapes if s.type == "line"} == {("x", 51.2), ("x2", 5.4)}
    texts = [ann.text for ann in fig.layout.annotations]
    assert "Target 51.2" in texts and "Target 5.4" in texts
    titles = [t for t in texts if "Council tax ratio" in t or "DSG deficit" in t]
    assert len(titles) == 2 and all("35 of 36 peers have a figure." in t for t in titles)
    # rows one under the other, each leaving its title's and its axis's room, top to bottom in the order given
    top, second = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert top == pytest.approx((1 - (420 - AXIS_PX) / 840, 1 - TITLE_PX / 840))
    assert second == pytest.approx((AXIS_PX / 840, 1 - (420 + TITLE_PX) / 840))
    assert a.to_plotly_json() == before  # the strip itself is untouched: the pack draws it alone


def test_a_note_placed_on_the_whole_strip_is_placed_on_its_row() -> None:
    fig = stack_strips([_strip("A", [1.0, 2.0], 1.5), _strip("B", [1.0, 2.0], 1.5, empty=True)], row_px=400)
    [note] = [a for a in fig.layout.annotations if a.text == "Not available"]
    assert (note.xref, note.yref, note.x, note.y) == ("x2 domain", "y2 domain", 0.5, 0.5)


def test_no_strips_gives_an_empty_figure() -> None:
    assert len(stack_strips([], row_px=420).data) == 0


def _series(title: str, ys: list[float]) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=["Mar 2019", "Mar 2020"], y=ys, name="Sefton"))
    fig.add_trace(go.Scatter(x=["Mar 2019", "Mar 2020"], y=[y + 1 for y in ys], name="peer median"))
    return base_layout(fig, title=title)


def test_rows_of_the_same_series_share_one_legend_above_them() -> None:
    """The debt panels: each chart draws the same series, so the stacked figure has one legend (the first row's
    entries) in a band of its own above the rows, which keep their heights."""
    fig = stack_strips([_series("Borrowing", [1.0, 2.0]), _series("Investments", [3.0, 4.0])], row_px=380, legend=True)
    assert fig.layout.showlegend is True
    assert [(t.name, t.showlegend, t.yaxis) for t in fig.data] == [
        ("Sefton", None, "y"), ("peer median", None, "y"), ("Sefton", False, "y2"), ("peer median", False, "y2")
    ]  # fmt: skip
    assert fig.layout.height == 2 * 380 + LEGEND_PX and fig.layout.margin.t == LEGEND_PX
    assert fig.layout.yaxis.domain == pytest.approx((1 - (380 - AXIS_PX) / 760, 1 - TITLE_PX / 760))
    assert (fig.layout.legend.y, fig.layout.legend.yanchor) == (1, "bottom")  # above the first row's title
    assert stack_strips([_series("A", [1.0, 2.0])], row_px=380).layout.showlegend is False  # the strips: none
