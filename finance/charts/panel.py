"""A chart with its table, caption and download name: the unit every page with charts is drawn from.

Why: each chart must carry alt text, units, the same numbers in a table with it and a download of them, so the
views (committee pages, MTFS scenarios) hand the page `Panel`s and the page draws every one the same way (chart
the page's full width, then its caption, table and downloads). It sits with the charts, below every package that
builds a view.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from finance.charts.layout import readable


@dataclass(frozen=True)
class Panel:
    key: str  # widget keys and the download file name start with this
    title: str
    figure: go.Figure
    table: pd.DataFrame
    caption: str  # the alt text: what the chart shows, in words, with its main figures

    def __post_init__(self) -> None:
        readable(self.figure)  # the house layout rule: nothing overlaps or is cut, whoever built the figure

    @property
    def download_name(self) -> str:
        return self.key
