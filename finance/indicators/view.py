"""What the resilience page shows for a chosen authority and year: the official profile, and the nowcast.

Why a view: the sidebar offers monitoring years (the current year) as well as the years of the official returns.
For a year with no official figures yet, the page shows the latest official year held before it — saying so —
with the council's own projection for the current year marked on the same strips. One call, so the page stays
thin and the CLI could show the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from finance.charts import Panel
from finance.errors import NotFoundError
from finance.indicators import queries as q
from finance.indicators.charts import STRIP_HEIGHT_PX, indicator_strip
from finance.indicators.debt import debt_series
from finance.indicators.debt_view import debt_panels
from finance.indicators.nowcast import Nowcast, strip_markers
from finance.indicators.nowcast_source import resilience_nowcast
from finance.indicators.profile import IndicatorResult, Profile, facts_table, resilience_profile
from finance.indicators.small_multiples import stack_strips
from finance.store import Store
from finance.targets import Target, current_targets, judge
from finance.years import parse_financial_year


@dataclass(frozen=True)
class ResilienceView:
    requested_year: str
    profile: Profile
    nowcast: Nowcast | None
    markers: dict[str, float]
    note: str = ""


def resilience_view(store: Store, code: str, year: str, group: str = "MD") -> ResilienceView:
    """The profile for `year` (or the latest official year before it, with a note) and the nowcast, if any.

    Raises `NotFoundError` when the authority is unknown or has no official figures up to `year`.
    """
    fy = parse_financial_year(year, "year")
    info = q.authority(store, code)
    held = q.official_years(store, info.code)
    note = ""
    shown = fy
    if fy not in held:
        earlier = [y for y in held if y < fy]
        if not earlier:
            listed = ", ".join(held) or "none"
            raise NotFoundError(f"No official figures for {info.name} up to {fy}. Years held: {listed}.")
        shown = earlier[-1]
        note = f"No official figures for {fy} yet: showing {shown}, the latest year held."
    profile = resilience_profile(store, info.code, shown, group)
    nowcast = resilience_nowcast(store, info.code, group)
    return ResilienceView(fy, profile, nowcast, strip_markers(nowcast, shown), note)


@dataclass(frozen=True)
class Strip:
    """One indicator as the page and the pack draw it: its strip chart beside its facts table."""

    key: str
    figure: go.Figure
    facts: pd.DataFrame


def strips(view: ResilienceView, targets: Mapping[str, Target] | None = None) -> tuple[Strip, ...]:
    """Every indicator's strip chart (the nowcast marked where there is one, and the council's target on it) and
    facts table."""
    targets = targets or {}
    profile, nowcast = view.profile, view.nowcast
    label = "" if nowcast is None else nowcast.marker_label()
    name = profile.authority.name
    return tuple(
        Strip(
            r.spec.key,
            indicator_strip(
                r,
                authority_name=name,
                nowcast_value=view.markers.get(r.spec.key),
                nowcast_label=label,
                target=targets.get(r.spec.key),
            ),
            facts_table(r),
        )
        for r in profile.results
    )


@dataclass(frozen=True)
class ResiliencePage:
    """Everything the "Resilience profile" page draws, built in one call so the app can cache it whole."""

    view: ResilienceView
    strips: tuple[Strip, ...]
    table: pd.DataFrame  # every indicator (Profile.table)
    peers: pd.DataFrame  # the peer values behind the strips (Profile.peer_table)
    nowcast_table: pd.DataFrame | None  # None when there is no nowcast
    debt: tuple[Panel, ...] = ()  # external borrowing and investments over time; empty when none is held
    group_note: str = ""  # what the peer group is and where its members come from
    #: indicator title → the group's members under it (Authority, ONS code, Class, In this comparison)
    members: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: every strip stacked in one figure of small multiples (what the page draws: one figure draws much faster)
    strips_figure: go.Figure = field(default_factory=go.Figure)
    #: the debt panels' charts stacked the same way, one legend above them (empty when there are no panels)
    debt_figure: go.Figure = field(default_factory=go.Figure)


def resilience_page(store: Store, code: str, year: str, group: str = "MD") -> ResiliencePage:
    """`resilience_view` with its figures and tables built."""
    view = resilience_view(store, code, year, group)
    nowcast = None if view.nowcast is None else view.nowcast.table()
    targets = current_targets(store, view.profile.authority.code) if store.readable(code) else {}
    table = view.profile.table()
    if targets:
        table["Target"] = [_target_words(r, targets.get(r.spec.key), view.profile.financial_year)
                           for r in view.profile.results]  # fmt: skip
    debt = debt_panels(debt_series(store, view.profile.authority.code, group))
    profile = view.profile
    pg = profile.peer_group
    note = "" if pg is None else f"Peer group: {pg.definition}. Members from {pg.source}."
    members = {r.spec.title: profile.members_table(r.spec.key) for r in profile.results}
    drawn = strips(view, targets)
    stacked = stack_strips([s.figure for s in drawn], row_px=STRIP_HEIGHT_PX)
    debt_figure = stack_strips([p.figure for p in debt], row_px=DEBT_ROW_PX, legend=True)
    return ResiliencePage(view, drawn, table, profile.peer_table(), nowcast, debt, note, members, stacked, debt_figure)


DEBT_ROW_PX = 380  # a debt panel's own height: its title above, the plot, its "as at" axis below


def _target_words(result: IndicatorResult, target: Target | None, year: str) -> str:
    """The council's target on the indicator judged on the value shown (its own basis: the year's return), or '—'."""
    if target is None:
        return "—"
    basis = {"outturn": "outturn (RS)", "budget_estimate": "budget estimate (RA)"}.get(
        result.reading.basis or "", result.reading.basis or "official return"
    )
    if result.reading.basis == "budget_estimate":  # a target is judged on outturn only, never an estimate
        return judge(target, None, "", why_not=f"the {year} figure is a budget estimate, not an outturn").text
    return judge(target, result.reading.value, f"{basis} {year}").text
