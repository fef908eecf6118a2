"""Figures of the official council tax receipts: the authority's quarterly profile, and its growth among peers.

Plotly only, from frames `receipts_view` prepares. The selected council is marked by colour, pattern and its
name in bold; peers not applicable (not billing authorities) or with no figure are named in the legend, not drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from finance.charts import DARK_BLUE, LIGHT_GREY, ORANGE, TURQUOISE, base_layout
from finance.format import gbp_m, pct

_YEAR_COLOURS = (LIGHT_GREY, TURQUOISE, DARK_BLUE)


def profile(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Bars per quarter, one trace per year (oldest lightest). `frame`: financial_year, quarter, receipts_gbp."""
    fig = go.Figure()
    years = sorted(frame["financial_year"].unique())
    for i, year in enumerate(years):
        rows = frame[frame["financial_year"] == year]
        colour = _YEAR_COLOURS[max(0, len(_YEAR_COLOURS) - len(years) + i)]
        fig.add_trace(
            go.Bar(x=[f"Q{q}" for q in rows["quarter"]], y=rows["receipts_gbp"] / 1e6, name=str(year),
                   marker={"color": colour}, text=[gbp_m(v) for v in rows["receipts_gbp"]], textposition="outside",
                   cliponaxis=False)
        )  # fmt: skip
    fig.update_xaxes(title="Quarter of the financial year (Q1 = April to June)")
    fig.update_yaxes(title="Receipts, £m")
    fig.update_layout(barmode="group", legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return base_layout(fig, title=title, height=440)


def peer_growth(peers: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Ranked horizontal bars of growth (%) for peers with a figure; the selected authority highlighted.

    `peers`: name, status, growth_pct, is_selected (sorted, highest first)."""
    shown = peers[peers["status"] == "figure"]
    names = [f"<b>{n}</b>" if s else str(n) for n, s in zip(shown["name"], shown["is_selected"], strict=True)]
    fig = go.Figure(
        go.Bar(y=names, x=shown["growth_pct"], orientation="h", text=[pct(v, signed=True) for v in shown["growth_pct"]],
               textposition="outside", cliponaxis=False,
               marker={"color": [ORANGE if s else LIGHT_GREY for s in shown["is_selected"]],
                       "pattern": {"shape": ["/" if s else "" for s in shown["is_selected"]]}},
               hovertemplate="%{y}: %{text}<extra></extra>")
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="Change in annual receipts on the year before, %")
    fig.update_layout(showlegend=False)
    return base_layout(fig, title=title, subtitle=subtitle, height=max(360, 22 * len(shown) + 140))
