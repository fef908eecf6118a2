"""Everything the reserves nowcast page shows: the projected year-end usable reserves from the latest monitoring,
re-ranked among the peers' latest official figures, and the Reserves sheet lines behind the projection.

The caveat travels with every figure: the peers' figures are from their latest official return, a year or more
older than the projection, so the position is where the council would stand if the peers had not moved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.charts import DARK_BLUE, LIGHT_GREY, base_layout
from finance.committee import charts_position as charts
from finance.committee.charts_monitoring import grouped_bars_gbp
from finance.committee.figures import NO_MONITORING, periods, position
from finance.committee.nowcast import Nowcast, nowcast, peer_group
from finance.committee.panels import Panel, gbp_m_value, monitoring_basis, with_basis
from finance.committee.queries import require_period, year_lines
from finance.committee.targets_view import council_targets
from finance.format import gbp_m, ordinal, pct, period_label
from finance.monitoring import RING_FENCED, ReserveBalances
from finance.store import Store
from finance.targets import Target


@dataclass(frozen=True)
class NowcastView:
    authority: benchmark.Authority
    year: str
    period: int | None
    message: str | None
    caveat: str
    metrics: tuple[tuple[str, str], ...]
    panels: tuple[Panel, ...]
    nowcast: Nowcast | None = None


def rank_text(n: Nowcast) -> str:
    """'1st lowest of 35' (the same words as the overview card)."""
    return "—" if n.rank_lowest is None else f"{ordinal(n.rank_lowest)} lowest of {n.n_ranked}"


def _peer_panel(
    n: Nowcast, auth: benchmark.Authority, when: str, group_code: str | None = None, target: Target | None = None
) -> Panel:
    group = benchmark.GROUP_LABELS.get(group_code or auth.cls, group_code or auth.cls)
    frame = n.peers.assign(label=[pct(v) for v in n.peers["value"]])
    basis = "projected from " + when if n.projected else f"official {n.peer_year}"
    table = pd.DataFrame(
        {
            "Rank (1 = lowest)": range(1, len(frame) + 1),
            "Authority": frame["name"],
            "Usable reserves as % of spending": [round(float(v), 1) for v in frame["value"]],
            "Figure": [basis if c else f"official {n.peer_year}" for c in frame["is_council"]],
        }
    )
    return Panel(
        "nowcast-peers",
        "Where the council would stand",
        charts.ranked_peers(
            frame,
            title="Usable reserves as % of spending, among peers",
            subtitle=f"{group}; {auth.name} {'projected' if n.projected else 'official'} (hatched, ◀); peers: "
            f"31 March, {n.peer_year} returns",
            axis="% of net revenue expenditure",
            median=n.peer_median_pct,
            target=target,
        ),
        table,
        f"Bar chart of usable reserves as a percentage of spending for {auth.name} ({basis}: {pct(n.value_pct)}) "
        f"and its peers (official {n.peer_year}), lowest first: {rank_text(n)}; peer median "
        f"{pct(n.peer_median_pct)}.",
    )


def _reserves_panel(lines: pd.DataFrame, when: str, res: ReserveBalances) -> Panel:
    fig = grouped_bars_gbp(
        lines,
        "reserve",
        (
            ("opening_gbp", "Opening balance", LIGHT_GREY, ""),
            ("closing_gbp", "Forecast closing balance", DARK_BLUE, "/"),
        ),
        legend_y=-0.15,
    )
    base_layout(fig, title=f"Reserves: opening and forecast closing balances, {when}", height=420)
    table = pd.DataFrame(
        {
            "Reserve": lines["reserve"],
            "Type": lines["reserve_type"],
            "Opening (£m)": [gbp_m_value(v) for v in lines["opening_gbp"]],
            "Forecast use (£m, + = drawn down)": [gbp_m_value(v) for v in lines["forecast_use_gbp"]],
            "Forecast closing (£m)": [gbp_m_value(v) for v in lines["closing_gbp"]],
        }
    )
    table["Usable"] = ["No (ring-fenced)" if t == RING_FENCED else "Yes" for t in lines["reserve_type"]]
    overspend = (
        "the forecast overspend is already in the forecast use (the council says)"
        if res.overspend_in_reserves
        else f"less the forecast overspend of {gbp_m(res.overspend_deducted_gbp)} met from the general fund balance"
    )
    ring = (
        f" Ring-fenced balances ({gbp_m(res.ring_fenced_closing_gbp)} forecast) are shown but not counted."
        if (lines["reserve_type"] == RING_FENCED).any()
        else ""
    )
    return Panel(
        "nowcast-reserves",
        "The reserves behind the projection",
        fig,
        table,
        f"Grouped bar chart of each reserve's opening and forecast closing balance at {when}: usable reserves "
        f"{gbp_m(res.usable_opening_gbp)} at the start of the year; {gbp_m(res.usable_closing_sheet_gbp)} forecast "
        f"at its end on the sheet, {overspend}: {gbp_m(res.usable_closing_gbp)}.{ring}",
    )


def build(store: Store, code: str, year: str, period: int | None = None, group: str | None = None) -> NowcastView:
    """The page for `code` in `year`, among peer `group` (`finance.peergroups`; default the authority's class).
    Without monitoring the council's latest official position is shown and `message` says so. Raises
    NotFoundError when no official returns are loaded for its kind of authority (or the group is not available)."""
    auth = benchmark.authority(store, code)
    peers = peer_group(store, auth, year, group)
    lines = year_lines(store, code, year, ("Revenue", "Reserves"), up_to_period=period)
    target = council_targets(store, code).get("usable_reserves_pct_nre")
    held = periods(lines)
    require_period(held, period, year)
    pos = position(lines, held[-1]) if held else None
    n = nowcast(peers, year, pos)
    caveat = (
        f"Like for like: the council's {'projected ' if n.projected else ''}usable reserves at {n.as_at} and the "
        f"peers' {n.peer_basis_words} at {n.peer_as_at} are both unallocated + earmarked reserves (ring-fenced "
        f"excluded) ÷ {n.denominator_text}. The peers' figures are older than this forecast, so the position is "
        "where the council would stand if its peers had not moved since."
    )
    if not n.projected:
        message = NO_MONITORING.format(name=auth.name, year=year) + " Shown: the latest official position."
        metrics: tuple[tuple[str, str], ...] = (
            (f"Usable reserves as % of spending, {n.peer_year}", pct(n.value_pct)),
            ("Position among peers", rank_text(n)),
        )
        return NowcastView(auth, year, None, message, caveat, metrics, (_peer_panel(n, auth, year, group, target),), n)
    assert pos is not None
    when = f"{period_label(pos.period)} {year}"
    metrics = (
        (f"Forecast usable reserves, {n.as_at} (after the overspend)", gbp_m(n.closing_gbp)),
        ("Usable reserves as % of spending (projected)", pct(n.value_pct)),
        ("Position among peers (projected)", rank_text(n)),
        (f"Official {n.peer_year}: {pct(n.own_official_pct)} of spending",
         f"{ordinal(n.own_official_rank)} lowest" if n.own_official_rank else "no return"),
    )  # fmt: skip
    reserves = lines["Reserves"]
    panels = [_peer_panel(n, auth, when, group, target)]
    at = reserves[reserves["period"] == pos.period].reset_index(drop=True)
    if not at.empty and pos.reserves is not None:
        panels.append(with_basis(_reserves_panel(at, when, pos.reserves), monitoring_basis(year, pos.period)))
    return NowcastView(auth, year, pos.period, None, caveat, metrics, tuple(panels), n)
