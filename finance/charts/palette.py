"""The one palette every chart uses (issue 15 folded the scenarios charts' copy into it).

The UK Government Analysis Function's colour-blind-safe categorical palette, in its order, plus the greys for
axes, grids and muted marks. Meaning is never carried by colour alone: labels and patterns say it too.
"""

from __future__ import annotations

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
LIGHT_GREY = "#BFC1C3"
GRID = "#E1E1E1"  # gridlines on the scenarios charts
PALETTE: tuple[str, ...] = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)

FONT = "Arial, Helvetica, sans-serif"
