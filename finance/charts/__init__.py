"""Plotly figures built from domain results, shared by the pages and (later) the committee pack.

Figures are built here, not in pages, so the same chart is drawn for the browser and for export, and can be
tested without a running app. The palette is the UK Government Analysis Function's colour-blind-safe
categorical palette; meaning is never carried by colour alone (labels and patterns say it too).
"""

from __future__ import annotations

import plotly.graph_objects as go

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
LIGHT_GREY = "#BFC1C3"
PALETTE = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)

FONT = "Arial, Helvetica, sans-serif"


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
