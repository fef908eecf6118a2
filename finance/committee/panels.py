"""A chart with its table, caption and download name: the unit every committee page is drawn from.

Why: each chart must carry alt text, units, the same numbers in a table beside it and a download of them, so the
views hand the page `Panel`s and the page draws every one the same way (chart left, table and downloads right).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from finance.format import gbp_m


@dataclass(frozen=True)
class Panel:
    key: str  # widget keys and the download file name start with this
    title: str
    figure: go.Figure
    table: pd.DataFrame
    caption: str  # the alt text: what the chart shows, in words, with its main figures

    @property
    def download_name(self) -> str:
        return self.key


def gbp_m_value(value_gbp: float | None) -> float | None:
    """£ → £m rounded to 0.1 for tables (numbers stay numbers in downloads); None stays None."""
    if value_gbp is None or (isinstance(value_gbp, float) and math.isnan(value_gbp)):
        return None
    return round(value_gbp / 1e6, 1)


def variance_text(variance_gbp: float) -> str:
    """'£11.1m overspend', '£2.0m underspend' or 'On budget' (under £0.05m either way)."""
    if abs(variance_gbp) < 5e4:
        return "On budget"
    return f"{gbp_m(abs(variance_gbp))} {'overspend' if variance_gbp > 0 else 'underspend'}"
