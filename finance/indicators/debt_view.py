"""The debt and investments panels of the resilience page: each measure over time against its peers.

Why a view: the page draws `Panel`s (chart, caption, table, download) and stays one call; the pack and tests can
build the same ones without a running app. Four panels — external borrowing and investments in £m at every
quarter end held, then each as % of net revenue expenditure at 31 March — each with the peer group's median and
middle half at the same date, and a table with the same numbers under human column names.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from finance.charts import DARK_BLUE, LIGHT_GREY, ORANGE, Panel, base_layout
from finance.format import gbp_m, pct
from finance.indicators.debt import MEASURES, DebtPoint, DebtSeries, position
from finance.indicators.peers import PeerStats

_SHORT = {"external_borrowing": "External borrowing", "investments": "Investments"}


def _source(p: DebtPoint) -> str:
    return f"{p.source_label} — {p.source_file} (sha256 {p.source_sha256[:12]}…)"


def _money_table(series: DebtSeries, points: tuple[DebtPoint, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "As at": p.as_at.strftime("%d %B %Y"),
                "Financial year": p.financial_year,
                "Basis": "outturn (as at the date)",
                f"{series.name}": gbp_m(p.value_gbp) if p.value_gbp is not None else (p.published_text or "—"),
                "Peer median": gbp_m(p.stats.median),
                "Peer quartiles": f"{gbp_m(p.stats.lower_quartile)} – {gbp_m(p.stats.upper_quartile)}",
                "Position among peers": position(p.stats),
                "Peers with a figure": f"{p.stats.n_ranked} of {p.stats.n_peers}",
                "Change on a year earlier": gbp_m(p.change_on_year_gbp, signed=True),
                "Source": _source(p),
            }
            for p in points
        ]
    )


def _pct_table(series: DebtSeries, points: tuple[DebtPoint, ...]) -> pd.DataFrame:
    rows = []
    for p in points:
        s = p.pct_stats
        assert s is not None
        rows.append(
            {
                "As at": p.as_at.strftime("%d %B %Y"),
                "Divided by": f"net revenue expenditure {p.financial_year} (RS outturn)",
                f"{series.name}": pct(p.pct_nre) if p.pct_nre is not None else "not held for the same year",
                "Peer median": pct(s.median),
                "Peer quartiles": f"{pct(s.lower_quartile)} – {pct(s.upper_quartile)}",
                "Position among peers": position(s),
                "Peers with a figure": f"{s.n_ranked} of {s.n_peers}",
                "Source": _source(p),
            }
        )
    return pd.DataFrame(rows)


def _figure(
    name: str, xs: list[str], own: list[float | None], stats: list[PeerStats], *, scale: float, title: str, unit: str
) -> go.Figure:
    def y(v: float | None) -> float | None:
        return None if v is None else v / scale

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=[y(s.upper_quartile) for s in stats], mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))  # fmt: skip
    fig.add_trace(go.Scatter(x=xs, y=[y(s.lower_quartile) for s in stats], mode="lines", line={"width": 0},
                             fill="tonexty", fillcolor=LIGHT_GREY, name="peers' middle half (quartiles)"))  # fmt: skip
    median_line = {"color": DARK_BLUE, "dash": "dash"}
    fig.add_trace(go.Scatter(x=xs, y=[y(s.median) for s in stats], mode="lines+markers", name="peer median",
                             line=median_line, marker={"symbol": "circle", "size": 6}))  # fmt: skip
    fig.add_trace(go.Scatter(x=xs, y=[y(v) for v in own], mode="lines+markers", name=name,
                             line={"color": ORANGE, "width": 3}, marker={"symbol": "diamond", "size": 10}))  # fmt: skip
    fig.update_yaxes(title_text=unit, rangemode="tozero")
    fig.update_xaxes(title_text="as at", type="category")
    return base_layout(fig, title=title, height=380)


def _caption(name: str, what: str, points: tuple[DebtPoint, ...], fmt: str) -> str:
    held = [p for p in points if (p.value_gbp if fmt == "gbp" else p.pct_nre) is not None]
    if not held:
        return f"{what}: no figure held for {name}."
    last = held[-1]
    s = last.stats if fmt == "gbp" else last.pct_stats
    assert s is not None
    value = gbp_m(last.value_gbp) if fmt == "gbp" else pct(last.pct_nre)
    median = gbp_m(s.median) if fmt == "gbp" else pct(s.median)
    return (
        f"{what}, {name} (orange diamonds) against the peer median (dashed blue) and the peers' middle half (grey), "
        f"{held[0].as_at:%d %B %Y} to {last.as_at:%d %B %Y}. Latest: {value} at {last.as_at:%d %B %Y}, "
        f"{position(s)} (peer median {median})."
    )


def debt_panels(series: DebtSeries) -> tuple[Panel, ...]:
    """Borrowing and investments in £m at every as-at date, then each as % of NRE at 31 March (an empty chart
    saying so when no year has both). Empty when the live table holds nothing for the authority."""
    if not series.points:
        return ()
    name, code = series.name, series.code.lower()
    panels = []
    for measure, what in MEASURES.items():
        points = series.of(measure)
        xs = [f"{p.as_at:%b %Y}" for p in points]
        title = f"{what}, £m, as at each quarter end"
        fig = _figure(name, xs, [p.value_gbp for p in points], [p.stats for p in points], scale=1e6,
                      title=title, unit="£m")  # fmt: skip
        panels.append(Panel(f"debt-{measure}-{code}", title, fig, _money_table(series, points),
                            _caption(name, _SHORT[measure], points, "gbp")))  # fmt: skip
    for measure, what in MEASURES.items():
        points = tuple(p for p in series.of(measure) if p.pct_stats is not None)
        title = f"{what} at 31 March as % of that year's net revenue expenditure (both outturn)"
        stats = [p.pct_stats for p in points if p.pct_stats is not None]
        fig = _figure(name, [f"{p.as_at:%b %Y}" for p in points], [p.pct_nre for p in points], stats, scale=1.0,
                      title=title, unit="% of NRE")  # fmt: skip
        panels.append(Panel(f"debt-{measure}-pct-nre-{code}", title, fig, _pct_table(series, points),
                            _caption(name, f"{_SHORT[measure]} as % of NRE", points, "pct")))  # fmt: skip
    return tuple(panels)
