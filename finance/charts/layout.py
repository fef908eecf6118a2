"""House style for the plotly figures built in `finance.charts` and the views: title, fonts, margins, axes."""

from __future__ import annotations

import plotly.graph_objects as go

from finance.charts.palette import DARK_GREY, FONT, PALETTE


def base_layout(fig: go.Figure, *, title: str, subtitle: str = "", height: int = 420) -> go.Figure:
    """House style: left-aligned title (and optional subtitle), white background, palette, readable fonts.

    A legend the caller has already placed is kept where it is.
    """
    legend = fig.layout.legend.to_plotly_json() or {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.0,
        "xanchor": "right",
        "x": 1,
    }
    fig.update_layout(
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
    fig.update_xaxes(showgrid=False, linecolor=DARK_GREY, automargin=True)
    fig.update_yaxes(gridcolor="#E5E5E5", zerolinecolor=DARK_GREY, automargin=True)
    return fig


# A horizontal legend at the foot of the figure (container coordinates): below the axis labels and title however
# many lines they take, so it never covers them; plotly grows the bottom margin to fit it.
LEGEND_UNDER: dict[str, object] = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}
