"""The overview's cards: each headline figure with its basis, as-at date, rating, rule and direction of travel.

Why a card says so much: an audit committee member must be able to tell what kind of number they are reading — an
in-year forecast from the council's own monitoring, an official outturn, a scenario projection — at what date, and
what it is compared with, before trusting its colour. The page, the pack and `python -m finance overview --json`
all read these objects (built once by `overview.build`), so they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.committee import rag
from finance.committee.collection_figures import weakest
from finance.committee.dsg_view import period_end
from finance.committee.figures import Position
from finance.committee.nowcast import Nowcast
from finance.committee.panels import variance_text
from finance.committee.rag import Rule, Status
from finance.format import gbp_m, ordinal, pct, period_label
from finance.scenarios import current_scenario, gap_text, lacks_pay_or_prices, run
from finance.store import Store
from finance.targets import collection_key
from finance.years import DSG_OVERRIDE_END_TEXT, start_year

# What kind of number a card shows (the words of ../shared/DOMAIN.md's table of bases).
IN_YEAR_FORECAST = "in_year_forecast"  # the council's monthly monitoring
IN_YEAR_TO_DATE = "in_year_to_date"  # the monitoring's actuals to date (income collected)
OUTTURN = "outturn"  # RS returns
ILLUSTRATIVE = "illustrative"  # the generated demo returns
SCENARIO_PROJECTION = "scenario_projection"  # a saved MTFS scenario
BASIS_WORDS = {
    IN_YEAR_FORECAST: "in-year forecast (monitoring)",
    IN_YEAR_TO_DATE: "in-year actual to date (monitoring)",
    OUTTURN: "outturn (RS)",
    ILLUSTRATIVE: "illustrative returns",
    SCENARIO_PROJECTION: "scenario projection",
}

PAGES = {
    "variance": ("pages/monitoring.py", "In-year monitoring"),
    "reserves_cover": ("pages/nowcast.py", "Reserves nowcast"),
    "minimum_headroom": ("pages/nowcast.py", "Reserves nowcast"),
    "reserves_rank": ("pages/nowcast.py", "Reserves nowcast"),
    "mtfs_gap": ("pages/scenarios.py", "MTFS scenarios"),
    "dsg_ratio": ("pages/dsg.py", "DSG deficit"),
    "collection": ("pages/collection.py", "Income collection"),
}
DSG_TITLE = "DSG deficit vs usable reserves"
COVER_TITLE = "Usable reserves"
RANK_TITLE = "Reserves as % of spending"
MINIMUM_TITLE = "Headroom above minimum"
COLLECTION_TITLE = "Income collection"
NO_MINIMUM = "no minimum stated"
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
    value: float | None  # the rated number, in the rule's unit (`rule.measure`)
    figure: float | None = None  # the headline number, in `units`
    units: str = ""  # '£m', '%', 'years', 'percentage points'
    basis: str = ""  # a key of BASIS_WORDS ('' when there is no figure)
    basis_text: str = ""  # the basis in words, with its source ('in-year forecast (monitoring P7 (Oct) 2026-27)')
    as_at: str = ""  # the date the figure is at ('31 March 2027')
    compares_with: str = ""  # what the rating and the direction compare it with
    target_text: str = ""  # the council's target on this card's own series: on track / off track ('' when none)
    series_keys: tuple[str, ...] = ()  # the target series the card's figure is of, when it names them (a stream)

    def as_dict(self) -> dict[str, Any]:
        """The card as the CLI's JSON prints it: every field the page shows, numbers as numbers."""
        return {
            "key": self.key,
            "title": self.title,
            "value": None if self.figure is None or not math.isfinite(self.figure) else round(self.figure, 4),
            "units": self.units,
            "value_text": self.value_text,
            "detail": self.detail_text,
            "basis": self.basis or None,
            "basis_text": self.basis_text or None,
            "as_at": self.as_at or None,
            "rule": self.rule.text,
            "rated_measure": self.rule.measure,
            "rated_value": None if self.value is None or not math.isfinite(self.value) else round(self.value, 4),
            "rating": self.status.word,
            "direction": self.travel.direction,
            "direction_text": self.travel.text,
            "compares_with": self.compares_with or None,
            "target": self.target_text or None,
        }


def travel(now: float | None, before: float | None, fmt: Callable[[float], str], worse_when: str, since: str) -> Travel:
    if not since:
        return Travel(NONE, "No earlier period this year to compare with")
    if now is None or before is None:
        return Travel(NONE, f"No figure at {since} to compare with")
    was = fmt(before)
    if was == fmt(now):
        return Travel(SAME, f"No change since {since} ({was})")
    worse = (now > before) == (worse_when == "higher")
    return Travel(WORSE if worse else BETTER, f"{'Worsening' if worse else 'Improving'} since {since} (was {was})")


def no_data(key: str, title: str, rule: Rule, text: str) -> Card:
    page, label = PAGES[key]
    return Card(key, title, "—", text, Status.NOT_RATED, rule, Travel(NONE, "Nothing to compare"), page, label, None)


@dataclass(frozen=True)
class When:
    """The monitoring period a set of cards is at: 'P7 (Oct) 2026-27', forecasting to 31 March 2027."""

    year: str
    period: int
    year_end: str  # '31 March 2027'
    since: str  # the previous period's label, '' when none

    @property
    def basis_text(self) -> str:
        return f"in-year forecast (monitoring {period_label(self.period)} {self.year})"

    @property
    def compares_since(self) -> str:
        return f"the previous period ({self.since})" if self.since else "no earlier period this year"


def _m(value_gbp: float | None) -> float | None:
    return None if value_gbp is None else value_gbp / 1e6


def _cover_text(years: float) -> str:
    return "not being drawn down" if math.isinf(years) else f"{years:.1f} years"


def variance_card(pos: Position, prev: Position | None, when: When) -> Card:
    r = rag.VARIANCE
    if pos.variance_gbp is None or pos.variance_pct is None:
        return no_data(r.key, r.title, r, "No Revenue sheet uploaded for this period.")
    top = f"largest: {pos.top_directorate} {gbp_m(pos.top_directorate_variance_gbp, signed=True)}"
    return Card(
        r.key, r.title, variance_text(pos.variance_gbp),
        f"{pct(pos.variance_pct)} of the {gbp_m(pos.budget_gbp)} budget; {top}",
        rag.rate(r, pos.variance_pct), r,
        travel(pos.variance_gbp, None if prev is None else prev.variance_gbp, variance_text, "higher", when.since),
        *PAGES[r.key], pos.variance_pct,
        figure=_m(pos.variance_gbp), units="£m", basis=IN_YEAR_FORECAST, basis_text=when.basis_text,
        as_at=when.year_end,
        compares_with=f"the net revenue budget (rating); {when.compares_since} (direction)",
    )  # fmt: skip


def _overspend_words(pos: Position) -> str:
    res = pos.reserves
    if res is None:
        return ""
    if res.overspend_in_reserves:
        return " (the forecast overspend is already in the reserves forecast, the council says)"
    if res.overspend_deducted_gbp > 0:
        return f" after the {gbp_m(res.overspend_deducted_gbp)} forecast overspend"
    return ""


def cover_card(pos: Position, prev: Position | None, when: When) -> Card:
    r = rag.RESERVES_COVER
    cover, res = pos.cover_years, pos.reserves
    if cover is None or res is None:
        return no_data(r.key, COVER_TITLE, r, "No Reserves sheet uploaded for this period.")
    ring = f"; ring-fenced {gbp_m(res.ring_fenced_closing_gbp)} not counted" if res.ring_fenced_closing_gbp else ""
    return Card(
        r.key, COVER_TITLE, gbp_m(res.usable_closing_gbp),
        f"forecast at {when.year_end}{_overspend_words(pos)}; {_cover_text(cover)} of cover at this year's draw of "
        f"{gbp_m(res.draw_gbp)}{ring}",
        rag.rate(r, cover), r,
        travel(res.usable_closing_gbp, None if prev is None else prev.reserves_closing_gbp, gbp_m, "lower",
               when.since),
        *PAGES[r.key], cover,
        figure=_m(res.usable_closing_gbp), units="£m", basis=IN_YEAR_FORECAST, basis_text=when.basis_text,
        as_at=when.year_end,
        compares_with=f"this year's draw on usable reserves (years of cover); {when.compares_since} (direction)",
    )  # fmt: skip


def minimum_card(pos: Position, prev: Position | None, when: When) -> Card:
    r = rag.MINIMUM_HEADROOM
    res = pos.reserves
    if res is None:
        return no_data(r.key, MINIMUM_TITLE, r, "No Reserves sheet uploaded for this period.")
    if res.minimum_gf_balance_gbp is None or res.headroom_gbp is None:
        return Card(
            r.key, MINIMUM_TITLE, "—",
            f"{NO_MINIMUM}: give the council's 'Minimum general fund balance' (from the s25 report) on the "
            f"Instructions sheet; forecast general fund balance {gbp_m(res.unallocated_closing_gbp)} at "
            f"{when.year_end}{_overspend_words(pos)}",
            Status.NOT_RATED, r, Travel(NONE, "Nothing to compare: no minimum stated"), *PAGES[r.key], None,
            basis=IN_YEAR_FORECAST, basis_text=when.basis_text, as_at=when.year_end, compares_with=NO_MINIMUM,
        )  # fmt: skip
    headroom, draw = res.headroom_gbp, res.unallocated_draw_gbp
    years = headroom / draw if draw > 0 else (math.inf if headroom >= 0 else -math.inf)
    side = "above" if headroom >= 0 else "below"
    before = None if prev is None else prev.headroom_gbp
    return Card(
        r.key, MINIMUM_TITLE, f"{gbp_m(abs(headroom))} {side}",
        f"stated minimum {gbp_m(res.minimum_gf_balance_gbp)}; forecast general fund balance "
        f"{gbp_m(res.unallocated_closing_gbp)} at {when.year_end}{_overspend_words(pos)}; this year's draw on it "
        f"{gbp_m(draw)}",
        rag.rate(r, years), r,
        travel(headroom, before, lambda v: gbp_m(v, signed=True), "lower", when.since),
        *PAGES[r.key], years,
        figure=_m(headroom), units="£m", basis=IN_YEAR_FORECAST, basis_text=when.basis_text, as_at=when.year_end,
        compares_with=f"the council's stated minimum general fund balance ({gbp_m(res.minimum_gf_balance_gbp)}); "
        f"{when.compares_since} (direction)",
    )  # fmt: skip


def rank_card(now: Nowcast | None, before: Nowcast | None, since: str, group: str) -> Card:
    r = rag.RESERVES_RANK
    if now is None or now.value_pct is None or now.rank_lowest is None:
        return no_data(r.key, RANK_TITLE, r, "No official returns or monitoring to compare.")
    peers = f"peers' {now.peer_basis_words} at {now.peer_as_at}"
    own = (
        f"projected {now.as_at}" if now.projected else f"{now.peer_basis_words} at {now.as_at} (latest official return)"
    )
    basis = IN_YEAR_FORECAST if now.projected else (ILLUSTRATIVE if now.peer_basis == ILLUSTRATIVE else OUTTURN)
    basis_text = (
        f"in-year forecast (monitoring {period_label(now.period)} {now.year}) ÷ {now.denominator_text}"
        if now.projected and now.period is not None
        else f"{BASIS_WORDS[basis]} {now.peer_year}"
    )
    return Card(
        r.key, RANK_TITLE, pct(now.value_pct),
        f"{own} vs {peers}: {ordinal(now.rank_lowest)} lowest of {now.n_ranked} {group}; both usable reserves "
        f"(unallocated + earmarked, ring-fenced excluded) ÷ {now.denominator_text}",
        rag.rate(r, now.quarter_from_lowest), r,
        travel(now.value_pct, None if before is None else before.value_pct, pct, "lower", since),
        *PAGES[r.key], float(now.quarter_from_lowest or 0),
        figure=now.value_pct, units="%", basis=basis, basis_text=basis_text, as_at=now.as_at,
        compares_with=f"{peers} ({now.n_ranked - 1} {group} with a figure)",
    )  # fmt: skip


def mtfs_card(store: Store, code: str, year: str) -> Card:
    r = rag.MTFS_GAP
    saved = current_scenario(store, code)
    if saved is None:
        return no_data(r.key, r.title, r, "No current MTFS scenario saved — mark one as current on the MTFS page.")
    scenario = saved.scenario()
    if scenario.base_year > year:  # a past year's overview quotes nothing from a later plan
        return no_data(r.key, r.title, r, f"The current MTFS scenario starts from {scenario.base_year}, after {year}.")
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
        r.key, r.title, f"{gap_text(gap_gbp_m)} by {proj.years[-1]}", detail, status, r,
        Travel(NONE, "Changes when a new scenario is marked current"), *PAGES[r.key], share,
        figure=gap_gbp_m, units="£m", basis=SCENARIO_PROJECTION,
        basis_text=f"scenario projection ('{saved.label}'), cumulative to {proj.years[-1]}",
        as_at=f"31 March {start_year(proj.years[-1]) + 1}",
        compares_with=f"the scenario's {proj.years[-1]} net revenue budget",
    )  # fmt: skip


def dsg_card(pos: Position, prev: Position | None, when: When) -> Card:
    r = rag.DSG_RATIO
    ratio = pos.dsg_pct_reserves
    if ratio is None or pos.dsg_cumulative_gbp is None:
        return no_data(r.key, DSG_TITLE, r, "No DSG or Reserves sheet uploaded for this period.")
    return Card(
        r.key, DSG_TITLE, pct(ratio),
        f"of usable reserves if the statutory override ended (it ends {DSG_OVERRIDE_END_TEXT}); cumulative deficit "
        f"{gbp_m(pos.dsg_cumulative_gbp)}",
        rag.rate(r, ratio), r,
        travel(ratio, None if prev is None else prev.dsg_pct_reserves, pct, "higher", when.since),
        *PAGES[r.key], ratio,
        figure=ratio, units="%", basis=IN_YEAR_FORECAST, basis_text=when.basis_text, as_at=when.year_end,
        compares_with=f"forecast usable reserves at {when.year_end} ({gbp_m(pos.reserves_closing_gbp)}); "
        f"{when.compares_since} (direction)",
    )  # fmt: skip


def _points(v: float) -> str:
    return f"{pct(v, signed=True).removesuffix('%')} points"


def _weakest_points(rows: pd.DataFrame | None, stream: str | None = None) -> tuple[pd.Series | None, float | None]:
    """The weakest stream (or `stream`) and its forecast's points above (+) or below (−) its comparison."""
    if rows is None or rows.empty:
        return None, None
    if stream is None:
        weak = weakest(rows)
        if weak is None:  # nobody short: rate the closest call
            given = rows[rows["forecast_pct"].notna() & rows["benchmark_pct"].notna()]
            if given.empty:
                return None, None
            weak = given.loc[(given["forecast_pct"] - given["benchmark_pct"]).idxmin()]
    else:
        match = rows[rows["stream"] == stream]
        weak = None if match.empty else match.iloc[0]
    if weak is None or pd.isna(weak["forecast_pct"]) or pd.isna(weak["benchmark_pct"]):
        return weak, None
    return weak, float(weak["forecast_pct"] - weak["benchmark_pct"])


def collection_card(rows: pd.DataFrame | None, prev_rows: pd.DataFrame | None, when: When, period: int) -> Card:
    """All income streams at `period` (`collection_figures.streams`), rated on the weakest one."""
    r = rag.COLLECTION
    if rows is None or rows.empty:
        return no_data(r.key, COLLECTION_TITLE, r, "No Collection sheet uploaded for this period.")
    weak, points = _weakest_points(rows)
    here = period_label(period)
    n = len(rows)
    if weak is None or points is None:
        return no_data(
            r.key, COLLECTION_TITLE, r,
            f"{n} streams collected to {here}; no target and no {here} and P12 figures last year to forecast from.",
        )  # fmt: skip
    short = float(weak["shortfall_gbp"])
    value_text = f"{gbp_m(short)} short" if short > 0 else "All streams on course"
    lead = "weakest" if short > 0 else "closest"
    detail = (
        f"{lead} of {n} streams: {weak['stream']}, forecast {pct(weak['forecast_pct'])} at the year end vs "
        f"{weak['compared_with']} {pct(weak['benchmark_pct'])} ({_points(points)}); "
        f"cash effect on the budget {gbp_m(weak['budget_effect_gbp'])}"
    )
    _, before = _weakest_points(prev_rows, str(weak["stream"]))
    return Card(
        r.key, COLLECTION_TITLE, value_text, detail, rag.rate(r, points), r,
        travel(points, before, _points, "lower", when.since),
        *PAGES[r.key], points,
        figure=short / 1e6, units="£m", basis=IN_YEAR_TO_DATE,
        basis_text=f"in-year actual to date (monitoring {here} {when.year}), forecast to the year end",
        as_at=f"{period_end(when.year, period):%-d %B %Y}",
        compares_with=f"each stream's target, else last year's final rate (rating); {when.compares_since} "
        "(direction, same stream)", series_keys=(collection_key(str(weak["stream"])),),
    )  # fmt: skip
