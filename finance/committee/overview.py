"""The overview an audit committee member opens first: six headline cards, each rated, with its direction of
travel since the previous period, and a plain-English summary written from the same numbers.

Why built here: the summary may quote only figures the cards show, and the cards must equal the detail pages, so
both come from one `Position` (finance.committee.figures) and are formatted once with finance.format. The page
draws `Overview`; it computes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee import rag
from finance.committee.figures import NO_MONITORING, Position, periods, position, previous_period
from finance.committee.nowcast import Nowcast, Peers, nowcast, peer_group
from finance.committee.panels import variance_text
from finance.committee.queries import require_period, year_lines
from finance.committee.rag import Rule, Status
from finance.errors import NotFoundError
from finance.format import gbp_m, ordinal, pct, period_label
from finance.scenarios import current_scenario, gap_text, lacks_pay_or_prices, run
from finance.store import Store
from finance.years import shift, start_year

PAGES = {
    "variance": ("pages/monitoring.py", "In-year monitoring"),
    "reserves_cover": ("pages/nowcast.py", "Reserves nowcast"),
    "reserves_rank": ("pages/nowcast.py", "Reserves nowcast"),
    "mtfs_gap": ("pages/scenarios.py", "MTFS scenarios"),
    "dsg_ratio": ("pages/dsg.py", "DSG deficit"),
    "collection": ("pages/collection.py", "Income collection"),
}
DSG_TITLE = "DSG deficit vs usable reserves"
OVERVIEW_SHEETS = ("Revenue", "Collection", "DSG", "Reserves")
WORSE, BETTER, SAME, NONE = "worsening", "improving", "no change", "none"


@dataclass(frozen=True)
class Travel:
    """Direction of travel since the previous period: `direction` is worsening/improving/no change/none."""

    direction: str
    text: str

    @property
    def symbol(self) -> str:
        return {WORSE: "↘", BETTER: "↗", SAME: "→"}.get(self.direction, "–")


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    value_text: str
    detail_text: str
    status: Status
    rule: Rule
    travel: Travel
    page: str
    page_label: str
    value: float | None  # the rated number, in the rule's unit


@dataclass(frozen=True)
class Overview:
    authority: benchmark.Authority
    year: str
    period: int | None
    previous_period: int | None
    cards: tuple[Card, ...]
    summary: str
    message: str | None  # set when no monitoring is held for the year

    @property
    def heading(self) -> str:
        when = f"{period_label(self.period)} {self.year}" if self.period else self.year
        return f"{self.authority.name} — {when}"

    def card(self, key: str) -> Card:
        return next(c for c in self.cards if c.key == key)

    def table(self) -> pd.DataFrame:
        """The cards as a table (the download and the screen-reader alternative to the card grid)."""
        return pd.DataFrame(
            {
                "Measure": [c.title for c in self.cards],
                "Value": [c.value_text for c in self.cards],
                "Detail": [c.detail_text for c in self.cards],
                "Status": [c.status.label for c in self.cards],
                "Direction of travel": [f"{c.travel.symbol} {c.travel.text}" for c in self.cards],
                "Rule": [c.rule.text for c in self.cards],
            }
        )


def _travel(
    now: float | None, before: float | None, fmt: Callable[[float], str], worse_when: str, since: str
) -> Travel:
    if not since:
        return Travel(NONE, "No earlier period this year to compare with")
    if now is None or before is None:
        return Travel(NONE, f"No figure at {since} to compare with")
    was = fmt(before)
    if was == fmt(now):
        return Travel(SAME, f"No change since {since} ({was})")
    worse = (now > before) == (worse_when == "higher")
    return Travel(WORSE if worse else BETTER, f"{'Worsening' if worse else 'Improving'} since {since} (was {was})")


def _no_data(key: str, title: str, rule: Rule, text: str) -> Card:
    page, label = PAGES[key]
    return Card(key, title, "—", text, Status.NOT_RATED, rule, Travel(NONE, "Nothing to compare"), page, label, None)


def _cover_text(years: float) -> str:
    return "not being drawn down" if math.isinf(years) else f"{years:.1f} years"


def _variance_card(pos: Position, prev: Position | None, since: str) -> Card:
    r = rag.VARIANCE
    if pos.variance_gbp is None or pos.variance_pct is None:
        return _no_data(r.key, r.title, r, "No Revenue sheet uploaded for this period.")
    top = f"largest: {pos.top_directorate} {gbp_m(pos.top_directorate_variance_gbp, signed=True)}"
    return Card(
        r.key,
        r.title,
        variance_text(pos.variance_gbp),
        f"{pct(pos.variance_pct)} of the {gbp_m(pos.budget_gbp)} budget; {top}",
        rag.rate(r, pos.variance_pct),
        r,
        _travel(pos.variance_gbp, None if prev is None else prev.variance_gbp, variance_text, "higher", since),
        *PAGES[r.key],
        pos.variance_pct,
    )


def _cover_card(pos: Position, prev: Position | None, since: str, year_end: str) -> Card:
    r = rag.RESERVES_COVER
    cover = pos.cover_years
    if cover is None or pos.reserves_closing_gbp is None:
        return _no_data(r.key, "Usable reserves", r, "No Reserves sheet uploaded for this period.")
    return Card(
        r.key,
        "Usable reserves",
        gbp_m(pos.reserves_closing_gbp),
        f"forecast at {year_end}; {_cover_text(cover)} of cover at this year's draw of {gbp_m(pos.annual_draw_gbp)}",
        rag.rate(r, cover),
        r,
        _travel(pos.reserves_closing_gbp, None if prev is None else prev.reserves_closing_gbp, gbp_m, "lower", since),
        *PAGES[r.key],
        cover,
    )


def _rank_card(now: Nowcast | None, before: Nowcast | None, since: str, group: str) -> Card:
    r = rag.RESERVES_RANK
    title = "Reserves as % of spending"
    if now is None or now.value_pct is None or now.rank_lowest is None:
        return _no_data(r.key, title, r, "No official returns or monitoring to compare.")
    when = f"projected {now.as_at}" if now.projected else f"at {now.as_at} (latest official return)"
    peers = f"peers' {now.peer_year} returns" if now.projected else "official returns"
    return Card(
        r.key,
        title,
        pct(now.value_pct),
        f"{when}: {ordinal(now.rank_lowest)} lowest of {now.n_ranked} {group} ({peers})",
        rag.rate(r, now.quarter_from_lowest),
        r,
        _travel(now.value_pct, None if before is None else before.value_pct, pct, "lower", since),
        *PAGES[r.key],
        float(now.quarter_from_lowest or 0),
    )


def _mtfs_card(store: Store, code: str, year: str) -> Card:
    r = rag.MTFS_GAP
    saved = current_scenario(store, code)
    if saved is None:
        return _no_data(r.key, r.title, r, "No current MTFS scenario saved — mark one as current on the MTFS page.")
    scenario = saved.scenario()
    if scenario.base_year > year:  # a past year's overview quotes nothing from a later plan
        return _no_data(r.key, r.title, r, f"The current MTFS scenario starts from {scenario.base_year}, after {year}.")
    proj = run(scenario)
    gap_gbp_m = float(proj.cumulative_gap[0, -1])
    nrb_gbp = float(proj.net_revenue_budget[0, -1]) * 1e6
    share = 100 * gap_gbp_m * 1e6 / nrb_gbp if nrb_gbp > 0 else None
    detail = f"scenario '{saved.label}': {pct(share)} of the {proj.years[-1]} budget of {gbp_m(nrb_gbp)}"
    status = rag.rate(r, share)
    if lacks_pay_or_prices(scenario) and status is not Status.RED:  # its gap leaves out pay and prices: no comfort
        status = Status.NOT_RATED
        detail += "; not rated: the scenario has no pay or price assumptions, so its gap is understated"
    return Card(
        r.key,
        r.title,
        f"{gap_text(gap_gbp_m)} by {proj.years[-1]}",
        detail,
        status,
        r,
        Travel(NONE, "Changes when a new scenario is marked current"),
        *PAGES[r.key],
        share,
    )


def _dsg_card(pos: Position, prev: Position | None, since: str) -> Card:
    r = rag.DSG_RATIO
    ratio = pos.dsg_pct_reserves
    if ratio is None or pos.dsg_cumulative_gbp is None:
        return _no_data(r.key, DSG_TITLE, r, "No DSG or Reserves sheet uploaded for this period.")
    return Card(
        r.key,
        DSG_TITLE,
        pct(ratio),
        f"of usable reserves if the statutory override ended (it ends 31 March 2028); cumulative deficit "
        f"{gbp_m(pos.dsg_cumulative_gbp)}",
        rag.rate(r, ratio),
        r,
        _travel(ratio, None if prev is None else prev.dsg_pct_reserves, pct, "higher", since),
        *PAGES[r.key],
        ratio,
    )


def _points(v: float) -> str:
    return f"{pct(v, signed=True).removesuffix('%')} points"


def _collection_card(pos: Position, prev: Position | None, since: str, last_year: str) -> Card:
    r = rag.COLLECTION
    title = "Council tax collection"
    if pos.ct_rate_pct is None:
        return _no_data(r.key, title, r, "No council tax line on the Collection sheet for this period.")
    diff = pos.ct_points_vs_last_year
    here = period_label(pos.period)
    detail = (
        f"collected to {here}; no {here} {last_year} figure to compare with"
        if diff is None
        else f"{_points(diff)} vs {pct(pos.ct_rate_last_year_pct)} at {here} {last_year}"
    )
    return Card(
        r.key,
        title,
        f"{pct(pos.ct_rate_pct)} collected",
        detail,
        rag.rate(r, diff),
        r,
        _travel(diff, None if prev is None else prev.ct_points_vs_last_year, _points, "lower", since),
        *PAGES[r.key],
        diff,
    )


def build(store: Store, code: str, year: str, period: int | None = None) -> Overview:
    """The overview for `code` in `year` at `period` (default: the latest held), as the committee saw it then.

    Raises NotFoundError for unknown authorities, and for a `period` with no monitoring.

    With no monitoring for the year the cards that need it say so (status "Not rated") and `message` is set; the
    official reserves position and the MTFS scenario are still shown.
    """
    auth = benchmark.authority(store, code)
    lines = year_lines(store, code, year, OVERVIEW_SHEETS, up_to_period=period)
    held = periods(lines)
    require_period(held, period, year)
    group = benchmark.GROUP_LABELS.get(auth.cls, auth.cls).lower()
    try:
        peers: Peers | None = peer_group(store, auth, year)
    except NotFoundError:
        peers = None
    now_official = None if peers is None else nowcast(peers, year, None)
    if not held:
        cards = (
            _no_data("variance", rag.VARIANCE.title, rag.VARIANCE, "No monitoring uploaded."),
            _no_data("reserves_cover", "Usable reserves", rag.RESERVES_COVER, "No monitoring uploaded."),
            _rank_card(now_official, None, "", group),
            _mtfs_card(store, code, year),
            _no_data("dsg_ratio", DSG_TITLE, rag.DSG_RATIO, "No monitoring uploaded."),
            _no_data("collection", "Council tax collection", rag.COLLECTION, "No monitoring uploaded."),
        )
        message = NO_MONITORING.format(name=auth.name, year=year)
        return Overview(auth, year, None, None, cards, summary(auth.name, year, None, cards), message)
    period = held[-1]
    before = previous_period(held, period)
    last_year = shift(year, -1)
    last_collection = year_lines(store, code, last_year, ("Collection",))["Collection"]
    pos = position(lines, period, last_year_collection=last_collection)
    prev = None if before is None else position(lines, before, last_year_collection=last_collection)
    since = "" if before is None else period_label(before)
    now_cast = None if peers is None else nowcast(peers, year, pos)
    prev_cast = None if peers is None or prev is None else nowcast(peers, year, prev)
    cards = (
        _variance_card(pos, prev, since),
        _cover_card(pos, prev, since, f"31 March {start_year(year) + 1}"),
        _rank_card(now_cast, prev_cast, since, group),
        _mtfs_card(store, code, year),
        _dsg_card(pos, prev, since),
        _collection_card(pos, prev, since, last_year),
    )
    return Overview(auth, year, period, before, cards, summary(auth.name, year, period, cards, since), None)


def _lower(title: str) -> str:
    """'Usable reserves' -> 'usable reserves', but 'DSG deficit' and 'MTFS …' keep their capitals."""
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def summary(name: str, year: str, period: int | None, cards: tuple[Card, ...], since: str = "") -> str:
    """Plain English from the cards' own texts, so it can quote no figure the page does not show."""
    by = {c.key: c for c in cards}
    said: list[str] = []
    when = f"At {period_label(period)} {year}" if period else f"For {year}"
    v = by["variance"]
    if v.value is not None:
        verb = "is forecast to be on budget" if v.value_text == "On budget" else f"forecasts a {v.value_text}"
        said.append(f"{when}, {name} {verb} ({v.detail_text}) — {v.status.word.lower()}.")
    else:
        said.append(f"{when}, no monitoring has been uploaded for {name}.")
    c, k = by["reserves_cover"], by["reserves_rank"]
    if c.value is not None:
        said.append(f"Usable reserves are {c.value_text}, {c.detail_text} — {c.status.word.lower()}.")
    if k.value is not None:
        lead = "That is" if c.value is not None else "Usable reserves are"
        said.append(f"{lead} {k.value_text} of spending, {k.detail_text} — {k.status.word.lower()}.")
    d = by["dsg_ratio"]
    if d.value is not None:
        said.append(f"The DSG deficit is {d.value_text} {d.detail_text} — {d.status.word.lower()}.")
    t = by["collection"]
    if t.value is not None:
        said.append(f"Council tax: {t.value_text}, {t.detail_text} — {t.status.word.lower()}.")
    m = by["mtfs_gap"]
    if m.value is not None and m.value < 0:
        said.append(f"The current MTFS scenario shows a {m.value_text} — {m.status.word.lower()}.")
    elif m.value is not None:
        said.append(f"The MTFS gap still to close is {m.value_text} — {m.status.word.lower()}.")
    elif m.detail_text.startswith("The current MTFS scenario starts"):
        said.append(m.detail_text)
    else:
        said.append("No current MTFS scenario has been saved.")
    worse = [_lower(c.title) for c in cards if c.travel.direction == WORSE]
    better = [_lower(c.title) for c in cards if c.travel.direction == BETTER]
    if since and (worse or better):
        parts = ([f"worse: {', '.join(worse)}"] if worse else []) + ([f"better: {', '.join(better)}"] if better else [])
        said.append(f"Since {since}, " + "; ".join(parts) + ".")
    return " ".join(said)
