"""What the resilience page shows for a chosen authority and year: the official profile, and the nowcast.

Why a view: the sidebar offers monitoring years (the current year) as well as the years of the official returns.
For a year with no official figures yet, the page shows the latest official year held before it — saying so —
with the council's own projection for the current year marked on the same strips. One call, so the page stays
thin and the CLI could show the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from finance.errors import NotFoundError
from finance.indicators import queries as q
from finance.indicators.nowcast import Nowcast, strip_markers
from finance.indicators.nowcast_source import resilience_nowcast
from finance.indicators.profile import Profile, resilience_profile
from finance.store import Store
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
