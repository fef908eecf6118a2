"""Service spending: one authority's net current expenditure by service for a year, beside its peers.

Why shares as well as pounds: a county and a district spend on different scales, so the peer comparison that
means something is each service's share of the authority's own total service expenditure; the pounds are shown
for the authority and as a peer median. Every figure is outturn, from one return per authority and year (RS
where held, else RSX — the same definition, net current expenditure, column 1 of RS and C7 of RSX). 2010-11
has one combined social care line where later years have adults' and children's: it is shown under its own
title and never set beside the two lines of another year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from finance.errors import NotFoundError
from finance.format import gbp_m, ordinal, pct
from finance.indicators import queries as q
from finance.indicators.peers import quantile
from finance.peergroups import EVERY_CLASS, HOUSING_AND_BILLING, UPPER_TIER, PeerGroup, applicability
from finance.store import Store
from finance.years import parse_financial_year

#: Service key → title, in the publisher's order (as finance.official's service table; repeated here so the
#: indicators do not reach into the importer's internals).
SERVICES: tuple[tuple[str, str], ...] = (
    ("education", "Education services"),
    ("highways", "Highways and transport services"),
    ("childrens_social_care", "Children's social care"),
    ("adult_social_care", "Adult social care"),
    ("social_care", "Social care (adults' and children's combined, 2010-11)"),
    ("public_health", "Public health"),
    ("housing", "Housing services (GFRA only)"),
    ("cultural", "Cultural and related services"),
    ("environmental", "Environmental and regulatory services"),
    ("planning", "Planning and development services"),
    ("police", "Police services"),
    ("fire", "Fire and rescue services"),
    ("central", "Central services"),
    ("other", "Other services"),
    ("total_service", "Total service expenditure"),
)
TOTAL = "total_service"
#: The classes each service line applies to (`finance.peergroups`): a peer of another class is "not applicable"
#: for that line and left out of its median and position; lines not named here apply to every class.
SERVICE_APPLIES_TO: dict[str, frozenset[str]] = {
    "education": UPPER_TIER,
    "childrens_social_care": UPPER_TIER,
    "adult_social_care": UPPER_TIER,
    "social_care": UPPER_TIER,
    "public_health": UPPER_TIER,
    "housing": HOUSING_AND_BILLING,
}


def applies_to(line: str) -> frozenset[str]:
    """The classes service `line` applies to."""
    return SERVICE_APPLIES_TO.get(line, EVERY_CLASS)


@dataclass(frozen=True)
class ServiceRow:
    line: str
    title: str
    value_gbp: float | None
    published_text: str | None
    share_pct: float | None  # of the authority's own total service expenditure
    peer_median_gbp: float | None
    peer_median_share_pct: float | None
    share_rank_highest: int | None  # 1 = the largest share among the peers with a figure
    n_peers_with_figure: int


@dataclass(frozen=True)
class ServiceSpending:
    authority: q.AuthorityInfo
    financial_year: str
    group: str
    source: str  # e.g. "RSX outturn 2024-25 (RSX_LA_Data_2024-25_data_by_LA.ods)"
    years_held: tuple[str, ...]
    n_peers: int
    rows: tuple[ServiceRow, ...]
    peer_group: PeerGroup | None = None
    with_share: dict[str, frozenset[str]] = field(default_factory=dict)  # line → members with a share that year

    def members_table(self, line: str) -> pd.DataFrame:
        """The peer group's members under service `line`: Authority, ONS code, Class, In this comparison."""
        if self.peer_group is None:
            return pd.DataFrame(columns=["Authority", "ONS code", "Class", "In this comparison"])
        return self.peer_group.comparison_table(applies_to(line), self.with_share.get(line, frozenset()))

    def table(self) -> pd.DataFrame:
        """One row per service, as a person reads it (£m and % rounded for display only)."""
        return pd.DataFrame(
            [
                {
                    "Service": r.title,
                    "Net current expenditure": r.published_text or gbp_m(r.value_gbp),
                    "Share of total service expenditure": pct(r.share_pct),
                    "Peer median": gbp_m(r.peer_median_gbp),
                    "Peer median share": pct(r.peer_median_share_pct),
                    "Share position": (
                        "—"
                        if r.share_rank_highest is None
                        else f"{ordinal(r.share_rank_highest)} highest of {r.n_peers_with_figure}"
                    ),
                }
                for r in self.rows
            ]
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": {"ons_code": self.authority.code, "name": self.authority.name},
            "financial_year": self.financial_year,
            "group": self.group,
            "peer_group": None if self.peer_group is None else self.peer_group.as_dict(),
            "basis": "outturn",
            "measure": "net current expenditure (£)",
            "source": self.source,
            "years_held": list(self.years_held),
            "n_peers": self.n_peers,
            "services": [
                {
                    "line": r.line,
                    "title": r.title,
                    "value_gbp": r.value_gbp,
                    "published_text": r.published_text,
                    "share_of_total_pct": _round(r.share_pct),
                    "peer_median_gbp": r.peer_median_gbp,
                    "peer_median_share_pct": _round(r.peer_median_share_pct),
                    "share_rank_highest": r.share_rank_highest,
                    "n_peers_with_figure": r.n_peers_with_figure,
                }
                for r in self.rows
            ],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _num(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)  # type: ignore[arg-type]


def service_spending(store: Store, code: str, year: str | None = None, group: str = "MD") -> ServiceSpending:
    """Net current expenditure by service for `code` in `year` (default: the latest year with service lines
    held for it), with the peer `group`'s median and the authority's share position.

    Raises `NotFoundError` for an unknown authority or a year with no service lines held for it, `InputError`
    for a malformed year or group.
    """
    g = q.check_group(group)
    info = q.authority(store, code)
    years = q.service_years(store, info.code)
    if year is None:
        if not years:
            raise NotFoundError(f"No service spending is held for {info.name}: import an RS or RSX return.")
        fy = years[-1]
    else:
        fy = parse_financial_year(year, "--year")
    if fy not in years:
        held = ", ".join(years) or "none"
        raise NotFoundError(f"No service spending held for {info.name} in {fy}. Years held: {held}.")
    group_of = q.group_of(store, info, g)
    codes = group_of.codes
    frame = q.service_lines(store, codes, years=[fy])
    texts = q.service_texts(store, info.code, fy)
    values: dict[str, dict[str, float | None]] = {}
    for c, measure, value in zip(frame["code"], frame["measure"], frame["value_gbp"], strict=True):
        values.setdefault(str(c), {})[str(measure).removeprefix("service:")] = _num(value)
    own = values.get(info.code, {})
    classes = group_of.class_of()
    rows = []
    with_share: dict[str, frozenset[str]] = {}
    for key, title in SERVICES:
        if key not in own:
            continue
        rule = applies_to(key)
        compared = {
            c: lines
            for c, lines in values.items()
            if c == info.code or (info.class_code in rule and applicability(c, classes.get(c), rule).applies)
        }
        rows.append(_row(key, title, info.code, own, compared, texts))
        with_share[key] = frozenset(c for c, lines in compared.items() if _share(lines, key) is not None)
    return ServiceSpending(
        authority=info,
        financial_year=fy,
        group=g,
        source=q.service_source(store, info.code, fy),
        years_held=tuple(years),
        n_peers=len(values),
        rows=tuple(rows),
        peer_group=group_of,
        with_share=with_share,
    )


def _share(lines: dict[str, float | None], key: str) -> float | None:
    value, total = lines.get(key), lines.get(TOTAL)
    if value is None or total is None or total <= 0:
        return None
    return value / total * 100


def _row(
    key: str,
    title: str,
    code: str,
    own: dict[str, float | None],
    values: dict[str, dict[str, float | None]],
    texts: dict[str, str],
) -> ServiceRow:
    pounds = sorted(v for lines in values.values() if (v := lines.get(key)) is not None)
    shares = {c: s for c, lines in values.items() if (s := _share(lines, key)) is not None}
    mine = shares.get(code)
    rank = None if mine is None else 1 + sum(1 for s in shares.values() if s > mine)
    return ServiceRow(
        line=key,
        title=title,
        value_gbp=own.get(key),
        published_text=texts.get(key),
        share_pct=mine,
        peer_median_gbp=quantile(pounds, 0.5),
        peer_median_share_pct=quantile(sorted(shares.values()), 0.5),
        share_rank_highest=rank,
        n_peers_with_figure=len(shares),
    )


def service_year_options(store: Store, code: str) -> list[str]:
    """The years with service spending held for `code`, newest first (the page's year choices)."""
    return list(reversed(q.service_years(store, code.strip().upper())))


def service_page(store: Store, code: str, wanted_year: str | None, group: str = "MD") -> tuple[ServiceSpending, str]:
    """What the "Service spending" page shows: `wanted_year` (the sidebar's) where service lines are held for it,
    else the latest year that is, with a note saying so. Errors as `service_spending`."""
    if wanted_year is not None and wanted_year in q.service_years(store, code.strip().upper()):
        return service_spending(store, code, wanted_year, group), ""
    spending = service_spending(store, code, None, group)
    note = (
        f"No service spending held for {wanted_year}: showing {spending.financial_year}, the latest year held."
        if wanted_year is not None
        else ""
    )
    return spending, note


@dataclass(frozen=True)
class ServicesView:
    """The "Service spending" page: its year choices (newest first) and the one shown, the spending and its notes."""

    years: list[str]
    year_index: int  # the default choice: the sidebar's year where held, else the latest
    spending: ServiceSpending
    note: str  # why another year than the one asked for is shown ("" when none)
    table: pd.DataFrame


def services_view(
    store: Store, code: str, chosen_year: str | None, sidebar_year: str | None, group: str = "MD"
) -> ServicesView:
    """The page for `code`: the year chosen on the page (None before any choice: the sidebar's where service
    lines are held for it, else the latest held), among peer group `group`. Errors as `service_spending`."""
    years = service_year_options(store, code)
    year_index = years.index(sidebar_year) if sidebar_year in years else 0
    year = chosen_year if chosen_year in years else (years[year_index] if years else None)
    spending, note = service_page(store, code, year, group)
    if sidebar_year is not None and sidebar_year not in years:
        note = f"No service spending held for {sidebar_year}, the sidebar's year: showing the latest year held."
    return ServicesView(years, year_index, spending, note, spending.table())
