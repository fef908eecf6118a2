"""The overview an audit committee member opens first: nine rated headline cards and three for information, each
with its direction of travel since the previous period, and a plain-English summary written from the same numbers.

Why built here: the summary may quote only figures the cards show, and the cards must equal the detail pages, so
both come from one `Position` (finance.committee.figures) and are formatted once with finance.format. The page
draws `Overview`; it computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from finance import benchmark
from finance.committee import rag
from finance.committee.adequacy import expected_loss_card, risk_minimum_card, status_card
from finance.committee.cards import (
    BETTER,
    COLLECTION_TITLE,
    COVER_TITLE,
    DSG_TITLE,
    MINIMUM_TITLE,
    NONE,
    SAME,
    WORSE,
    Card,
    Travel,
    When,
    collection_card,
    cover_card,
    dsg_card,
    minimum_card,
    mtfs_card,
    no_data,
    rank_card,
    variance_card,
)
from finance.committee.collection_figures import streams as collection_streams
from finance.committee.demand_card import demand_card
from finance.committee.figures import NO_MONITORING, periods, position, previous_period
from finance.committee.nowcast import Peers, nowcast, peer_group
from finance.committee.prudential_card import prudential_card
from finance.committee.queries import collection_fund_share, collection_targets, require_period, year_lines
from finance.committee.targets_view import card_target_text, progress_table, target_progress
from finance.errors import NotFoundError
from finance.format import period_label
from finance.monitoring import demand_split
from finance.reserves import risk_assessment
from finance.store import Store
from finance.targets import Progress
from finance.years import shift, start_year

__all__ = ["BETTER", "NONE", "SAME", "WORSE", "Card", "Overview", "Travel", "build", "summary"]
OVERVIEW_SHEETS = ("Revenue", "Collection", "DSG", "Reserves")


def _collection_rows(
    store: Store, code: str, year: str, lines: pd.DataFrame, last_year_lines: pd.DataFrame, period: int | None
) -> pd.DataFrame | None:
    """Every income stream's figures at `period` (None when there is no period or no Collection sheet then)."""
    if period is None or lines.empty or period not in set(lines["period"]):
        return None
    share = collection_fund_share(store, code, year, period)
    return collection_streams(lines, last_year_lines, period, collection_targets(store, code, year), share)


@dataclass(frozen=True)
class Overview:
    authority: benchmark.Authority
    year: str
    period: int | None
    previous_period: int | None
    cards: tuple[Card, ...]
    summary: str
    message: str | None  # set when no monitoring is held for the year
    targets: tuple[Progress, ...] = ()  # every current target of the council, judged on its own basis

    @property
    def heading(self) -> str:
        when = f"{period_label(self.period)} {self.year}" if self.period else self.year
        return f"{self.authority.name} — {when}"

    def card(self, key: str) -> Card:
        return next(c for c in self.cards if c.key == key)

    def table(self) -> pd.DataFrame:
        """The cards as a table (the download, the pack's table and the screen-reader alternative to the grid)."""
        return pd.DataFrame(
            {
                "Measure": [c.title for c in self.cards],
                "Value": [c.value_text for c in self.cards],
                "Basis": [c.basis_text or "—" for c in self.cards],
                "As at": [c.as_at or "—" for c in self.cards],
                "Detail": [c.detail_text for c in self.cards],
                "Status": [c.status.label for c in self.cards],
                "Direction of travel": [f"{c.travel.symbol} {c.travel.text}" for c in self.cards],
                "Compared with": [c.compares_with or "—" for c in self.cards],
                "Target": [c.target_text or "—" for c in self.cards],
                "Rule": [c.rule.text for c in self.cards],
            }
        )

    def as_dict(self) -> dict[str, Any]:
        """What `python -m finance overview --json` prints: the selection, the summary and every card."""
        return {
            "authority_code": self.authority.code,
            "authority_name": self.authority.name,
            "illustrative": self.authority.is_illustrative,
            "financial_year": self.year,
            "period": None if self.period is None else f"P{self.period}",
            "previous_period": None if self.previous_period is None else f"P{self.previous_period}",
            "message": self.message,
            "summary": self.summary,
            "cards": [c.as_dict() for c in self.cards],
            "targets": [p.as_dict() for p in self.targets],
        }

    def targets_table(self) -> pd.DataFrame:
        """The council's targets, each on track or off track against its own basis (empty when none)."""
        return progress_table(self.targets)


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
    risks = risk_assessment(store, code, year) if store.readable(code) else None
    if not held:
        cards: tuple[Card, ...] = (
            no_data("variance", rag.VARIANCE.title, rag.VARIANCE, "No monitoring uploaded."),
            no_data("reserves_cover", COVER_TITLE, rag.RESERVES_COVER, "No monitoring uploaded."),
            no_data("minimum_headroom", MINIMUM_TITLE, rag.MINIMUM_HEADROOM, "No monitoring uploaded."),
            risk_minimum_card(None, risks, None),
            rank_card(now_official, None, "", group),
            mtfs_card(store, code, year),
            no_data("dsg_ratio", DSG_TITLE, rag.DSG_RATIO, "No monitoring uploaded."),
            no_data("collection", COLLECTION_TITLE, rag.COLLECTION, "No monitoring uploaded."),
            prudential_card(store, code, year),
            expected_loss_card(risks, None),
            status_card(None, None),
            demand_card(None, None),
        )
        message = NO_MONITORING.format(name=auth.name, year=year)
        progress = target_progress(store, code, year, None)
        cards = _with_targets(cards, progress)
        return Overview(auth, year, None, None, cards, summary(auth.name, year, None, cards), message, progress)
    period = held[-1]
    before = previous_period(held, period)
    last_year = shift(year, -1)
    last_collection = year_lines(store, code, last_year, ("Collection",))["Collection"]
    pos = position(lines, period, last_year_collection=last_collection)
    prev = None if before is None else position(lines, before, last_year_collection=last_collection)
    since = "" if before is None else period_label(before)
    now_cast = None if peers is None else nowcast(peers, year, pos)
    prev_cast = None if peers is None or prev is None else nowcast(peers, year, prev)
    when = When(year, period, f"31 March {start_year(year) + 1}", since)
    cards = (
        variance_card(pos, prev, when),
        cover_card(pos, prev, when),
        minimum_card(pos, prev, when),
        risk_minimum_card(pos, risks, when),
        rank_card(now_cast, prev_cast, since, group),
        mtfs_card(store, code, year),
        dsg_card(pos, prev, when),
        collection_card(
            _collection_rows(store, code, year, lines["Collection"], last_collection, period),
            _collection_rows(store, code, year, lines["Collection"], last_collection, before),
            when,
            period,
        ),
        prudential_card(store, code, year),
        expected_loss_card(risks, when),
        status_card(pos, when),
        demand_card(demand_split(store, code, year, period) if store.readable(code) else None, when),
    )
    progress = target_progress(store, code, year, pos, lines["Collection"], last_collection)
    cards = _with_targets(cards, progress)
    return Overview(auth, year, period, before, cards, summary(auth.name, year, period, cards, since), None, progress)


def _with_targets(cards: tuple[Card, ...], progress: tuple[Progress, ...]) -> tuple[Card, ...]:
    return tuple(replace(c, target_text=card_target_text(c.key, progress, c.series_keys)) for c in cards)


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
    c, k, h = by["reserves_cover"], by["reserves_rank"], by["minimum_headroom"]
    if c.value is not None:
        said.append(f"Usable reserves are {c.value_text}, {c.detail_text} — {c.status.word.lower()}.")
    if h.value is not None:
        said.append(f"The general fund balance is forecast to be {h.value_text} the council's stated minimum "
                    f"({h.detail_text}) — {h.status.word.lower()}.")  # fmt: skip
    elif c.value is not None:
        said.append("The council has stated no minimum general fund balance, so headroom above it is not rated.")
    if k.value is not None:
        lead = "That is" if c.value is not None else "Usable reserves are"
        said.append(f"{lead} {k.value_text} of spending, {k.detail_text} — {k.status.word.lower()}.")
    d = by["dsg_ratio"]
    if d.value is not None:
        said.append(f"The DSG deficit is {d.value_text} {d.detail_text} — {d.status.word.lower()}.")
    t = by["collection"]
    if t.value is not None:
        said.append(f"Income collection: {t.value_text}, {t.detail_text} — {t.status.word.lower()}.")
    p = by.get("prudential")
    if p is not None and p.status is rag.Status.RED:
        said.append(f"Prudential limits (scenario projection): {p.detail_text} — red.")
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
