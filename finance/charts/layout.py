"""House style for the plotly figures built in `finance.charts` and the views: title, fonts, margins, axes — and
the one layout rule every finished figure follows (`readable`), so nothing on a chart overlaps or is cut.

Why a rule applied to the finished figure rather than care in each builder: the builders placed legends by guessing
a paper fraction below the plot (`y=-0.2`), which lands on the axis title or the tick labels as soon as a chart is
shorter, narrower or its labels longer; plotly does not wrap titles, subtitles, axis titles or legend entries, so a
long one is cut at the chart's edge; and text drawn outside a bar is clipped at the plot area. `readable` fixes all
of these in one place, whatever the builder did: `Panel` applies it to every panel's figure, the views that hand a
page a bare figure apply it themselves, and a test reads every chart on every page for it.
"""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go

from finance.charts.palette import DARK_GREY, FONT, PALETTE

# Characters a line may hold before it is wrapped: a title (16 px bold) and a subtitle (13 px) on a chart the full
# width of a page at 1280 px, an axis title along a half-width chart's axis, a legend entry on one line.
TITLE_CHARS = 80
SUBTITLE_CHARS = 110
AXIS_TITLE_CHARS = 55  # along the x axis; a y axis title runs up a plot a few hundred pixels high
Y_AXIS_TITLE_CHARS = 40
LEGEND_ENTRY_CHARS = 90
#: The smallest font a bar's value label may be shrunk to so that it fits its bar; below it the label is left off.
MIN_LABEL_PX = 10
#: The gap between the bars of one group, as a fraction of a bar's slot, so neighbouring labels stay apart.
BAR_GROUP_GAP = 0.12
_TITLE_LINE_PX, _SUBTITLE_LINE_PX, _TOP_PAD_PX = 24, 18, 16
_LEGEND_ROW_PX, _PLOTLY_HEIGHT_PX, _SHARED_ROW_CHARS, _LABEL_STANDOFF_PX = 21, 450, 35, 60
#: The legend: one horizontal block at the very bottom of the figure (container coordinates), below the axis title
#: and any note, however many lines they take, where plotly makes room for it rather than drawing it over them.
LEGEND_UNDER: dict[str, object] = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}
LEGEND = LEGEND_UNDER


def wrap(text: str, width: int) -> str:
    """`text` with lines of at most `width` characters (broken at spaces, joined by plotly's <br>); lines already
    broken by the builder are kept, and a word longer than `width` is never split."""
    lines = str(text).replace("<br />", "<br>").replace("<br/>", "<br>").split("<br>")
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line])
    return "<br>".join(out)


def base_layout(fig: go.Figure, *, title: str, subtitle: str = "", height: int = 420) -> go.Figure:
    """House style: left-aligned title (and optional subtitle), white background, palette, readable fonts.

    A legend the caller has already placed is kept where it is until `readable` puts it below the chart.
    """
    legend = fig.layout.legend.to_plotly_json() or {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.0,
        "xanchor": "right",
        "x": 1,
    }
    set_layout(
        fig,
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            "x": 0,
            "xanchor": "left",
            "font": {"size": 16},
        },
        font={"family": FONT, "size": 13, "color": DARK_GREY},
        colorway=list(PALETTE),
        height=height,
        margin={"l": 10, "r": 10, "t": 80 if subtitle else 60, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=legend,
        hoverlabel={"font": {"family": FONT}},
    )
    set_axes(fig, "x", showgrid=False, linecolor=DARK_GREY, automargin=True)
    set_axes(fig, "y", gridcolor="#E5E5E5", zerolinecolor=DARK_GREY, automargin=True)
    return fig


def set_layout(fig: go.Figure, **props: Any) -> go.Figure:
    """`fig.update_layout(**props)` for properties given as plain values and nested dicts (no "a_b" path keys).

    Each top-level property is merged with what the figure already has and set once, still validated by plotly;
    `update_layout` walks every nested key as a path of its own, about 15 ms a figure against 1 ms, and a page or a
    pack builds dozens of figures.
    """
    _set(fig.layout, props)
    return fig


def _set(obj: Any, props: dict[str, Any]) -> None:
    for key, value in props.items():
        if isinstance(value, dict) and key in obj:  # (a new subplot's axis, "xaxis2", is not in it yet)
            value = _merged(obj[key].to_plotly_json(), value)
        obj[key] = value


def set_axes(fig: go.Figure, letter: str, **props: Any) -> go.Figure:
    """`fig.update_xaxes(**props)` (letter "x") or `update_yaxes` for plain values, set directly on every axis."""
    for axis in _axes(fig, letter):
        _set(axis, props)
    return fig


def _axes(fig: go.Figure, letter: str) -> list[Any]:
    layout = fig.layout
    return [layout[k] for k in layout if k.startswith(f"{letter}axis")]


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        current = out.get(key)
        out[key] = _merged(current, value) if isinstance(value, dict) and isinstance(current, dict) else value
    return out


def _shows_legend(fig: go.Figure) -> bool:
    if fig.layout.showlegend is False:
        return False
    named = [t for t in fig.data if t.showlegend is not False and t.name]
    return len(named) > 1 or (len(named) == 1 and fig.layout.showlegend is True)


def _legend_rows(entries: list[Any]) -> int:
    """Rows a horizontal legend of these entries takes on a chart the width of a page at 1280 px: a long entry
    (with its symbol) fills a row of its own, short ones share a row three at a time."""
    lines = [str(t.name).count("<br>") + 1 for t in entries]
    long = [n for t, n in zip(entries, lines, strict=True) if len(str(t.name)) > _SHARED_ROW_CHARS or n > 1]
    short = len(entries) - len(long)
    return sum(long) + -(-short // 3)


def _text_outside(trace: Any) -> bool:
    """Whether the trace writes text that may fall outside the plot area (beside a bar, above a point)."""
    if trace.type == "bar":
        has_text = trace.text is not None or trace.texttemplate is not None
        return has_text and trace.textposition in (None, "outside", "auto")
    if trace.type == "scatter":
        return "text" in (trace.mode or "")
    return False


def readable(fig: go.Figure) -> go.Figure:
    """Apply the house layout rule to a finished figure (in place; returns it). Idempotent.

    - the legend, when there is one, is a horizontal block at the foot of the figure, below the axis title and
      notes (container coordinates: plotly widens the bottom margin for it); long entries are wrapped;
    - the title, subtitle and axis titles are wrapped to lines that fit, and the top margin grows with them;
    - text beside bars or points is drawn even where it leaves the plot area (never clipped), with room kept on
      the right for labels beside horizontal bars;
    - value labels on bars never overlap (`_room_for_bar_labels`): each is kept within its own bar's width,
      upright, with a gap between neighbouring bars of a group, and a label that would need a font smaller than
      `MIN_LABEL_PX` to fit is left off (its value stays in the hover and the table beside the chart).
    """
    if _shows_legend(fig) and fig.layout.legend.yref != "container":
        set_layout(fig, legend=LEGEND)
        entries = [t for t in fig.data if t.name and t.showlegend is not False]
        for trace in entries:
            if len(trace.name) > LEGEND_ENTRY_CHARS:
                trace.name = wrap(trace.name, LEGEND_ENTRY_CHARS)
        # the legend takes its rows from the figure's height: add them, so the plot keeps the height it was given
        fig.layout.height = (fig.layout.height or _PLOTLY_HEIGHT_PX) + _LEGEND_ROW_PX * _legend_rows(entries)
    title = fig.layout.title
    lines_px = 0
    if title.text:
        text = _rewrap(title, TITLE_CHARS)
        lines_px += _TITLE_LINE_PX * (text.count("<br>") + 1)
    if title.subtitle.text:
        text = _rewrap(title.subtitle, SUBTITLE_CHARS)
        lines_px += _SUBTITLE_LINE_PX * (text.count("<br>") + 1)
    if lines_px:
        fig.layout.margin.t = max(fig.layout.margin.t or 0, lines_px + _TOP_PAD_PX)
        title.yref, title.y, title.yanchor = "container", 0.99, "top"
    for axis in _axes(fig, "x"):
        _wrap_axis_title(axis, AXIS_TITLE_CHARS)
    for axis in _axes(fig, "y"):
        _wrap_axis_title(axis, Y_AXIS_TITLE_CHARS)
    beside_bars = left_of_axis = False
    for trace in fig.data:
        if _text_outside(trace):
            trace.cliponaxis = False
            if trace.type == "bar" and trace.orientation == "h":
                beside_bars = True
                left_of_axis = left_of_axis or any(_negative(x) for x in (trace.x if trace.x is not None else ()))
    _room_for_bar_labels(fig)
    if beside_bars:
        fig.layout.margin.r = max(fig.layout.margin.r or 0, 70)
    if left_of_axis:  # a label left of a negative bar would sit on the category names: move them aside
        set_axes(fig, "y", ticklabelstandoff=_LABEL_STANDOFF_PX)
    return fig


def _room_for_bar_labels(fig: go.Figure) -> None:
    """Bar value labels that never run into each other: plotly writes a label at its own size even where it is
    wider than its bar, so the labels of neighbouring bars ran together at 1280 px ("66.3%66.3%"). Each label is
    held to its bar's width (`constraintext`) and upright, grouped bars get a gap between them, and a label plotly
    would have to shrink below `MIN_LABEL_PX` is hidden (`uniformtext`, which also gives the bars' labels one
    size)."""
    labelled = [t for t in fig.data if t.type == "bar" and (t.text is not None or t.texttemplate is not None)]
    if not labelled:
        return
    for trace in labelled:
        trace.constraintext = "both"
        if trace.textangle is None:
            trace.textangle = 0
    bars = [t for t in fig.data if t.type == "bar"]
    if len(bars) > 1 and fig.layout.barmode in (None, "group"):
        fig.layout.bargroupgap = max(fig.layout.bargroupgap or 0, BAR_GROUP_GAP)
    fig.layout.uniformtext = {"minsize": MIN_LABEL_PX, "mode": "hide"}


def _negative(value: Any) -> bool:
    try:
        return float(value) < 0
    except (TypeError, ValueError):
        return False


def _rewrap(obj: Any, width: int) -> str:
    """`obj.text` wrapped to `width`, set only when wrapping changes it (each set costs plotly a validation)."""
    text: str = obj.text
    wrapped = wrap(text, width)
    if wrapped != text:
        obj.text = wrapped
    return wrapped


def _wrap_axis_title(axis: Any, width: int) -> None:
    if axis.title.text:
        _rewrap(axis.title, width)
