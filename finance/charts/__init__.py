"""Plotly figures built from domain results, shared by the pages and (later) the committee pack.

Figures are built here, not in pages, so the same chart is drawn for the browser and for export, and can be
tested without a running app. The colours are `finance.charts.palette`, the one palette every chart uses.
"""

from __future__ import annotations

from finance.charts.layout import LEGEND_UNDER, base_layout, readable, set_axes, set_layout, wrap
from finance.charts.palette import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    FONT,
    GRID,
    LIGHT_GREY,
    LIGHT_PURPLE,
    ORANGE,
    PALETTE,
    TURQUOISE,
)
from finance.charts.panel import Panel
from finance.charts.reserves import ranked_bar, series_line
from finance.charts.targets import TARGET_COLOUR, draw_level, draw_target, target_label, target_traces

__all__ = [
    "DARK_BLUE",
    "DARK_GREY",
    "DARK_PINK",
    "FONT",
    "GRID",
    "LEGEND_UNDER",
    "LIGHT_GREY",
    "LIGHT_PURPLE",
    "ORANGE",
    "PALETTE",
    "TARGET_COLOUR",
    "TURQUOISE",
    "Panel",
    "base_layout",
    "draw_level",
    "draw_target",
    "ranked_bar",
    "readable",
    "series_line",
    "set_axes",
    "set_layout",
    "target_label",
    "target_traces",
    "wrap",
]
