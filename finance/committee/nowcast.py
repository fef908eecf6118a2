"""The reserves nowcast: where the council's usable reserves would stand among its peers at this year end.

Official returns arrive a year or more late, so the committee would otherwise compare itself with a position that
has already changed. The nowcast takes the latest monitoring (forecast closing usable reserves = opening balances
− forecast use, from the Reserves sheet), divides it by the monitoring net revenue budget (the Revenue sheet's
total budget, the council's own figure for this year's spending), and places the result among the peers' latest
official closing usable reserves as % of net revenue expenditure. Caveat, stated wherever it shows: the peers'
figures are older (their latest return), so the rank is indicative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee.figures import Position
from finance.errors import NotFoundError
from finance.store import Store
from finance.years import start_year

MEASURE = "usable_reserves_pct_nre"


@dataclass(frozen=True)
class Nowcast:
    """The projected position. `rank_lowest` 1 = lowest of `n_ranked` (the peers with a figure, plus the council)."""

    code: str
    year: str
    period: int | None  # None = no monitoring: the latest official figure only
    closing_gbp: float | None
    budget_gbp: float | None
    value_pct: float | None
    peer_year: str
    peer_basis: str
    group: str
    rank_lowest: int | None
    n_ranked: int
    peer_median_pct: float | None
    own_official_pct: float | None  # the council's own figure in `peer_year`
    own_official_rank: int | None
    peers: pd.DataFrame  # code, name, value (%), is_council

    @property
    def quarter_from_lowest(self) -> int | None:
        """1 = lowest quarter of the group, 4 = highest."""
        if self.rank_lowest is None or not self.n_ranked:
            return None
        return 1 + (4 * (self.rank_lowest - 1)) // self.n_ranked

    @property
    def projected(self) -> bool:
        return self.period is not None

    @property
    def as_at(self) -> str:
        return (
            f"31 March {start_year(self.year) + 1}" if self.projected else f"31 March {start_year(self.peer_year) + 1}"
        )


def peer_ranking(store: Store, auth: benchmark.Authority) -> benchmark.Ranking:
    """The peers' latest official closing usable reserves as % of NRE (the authority's class, same kind).

    Raises `NotFoundError` when no official (or, for illustrative authorities, illustrative) returns are held.
    """
    held = benchmark.years_held(store, illustrative=auth.is_illustrative)
    if not held:
        raise NotFoundError("No official returns are loaded, so there are no peers to compare with.")
    return benchmark.rank(
        store, year=held[0], measure=MEASURE, point="closing", group=auth.cls, illustrative=auth.is_illustrative
    )


def nowcast(ranking: benchmark.Ranking, auth: benchmark.Authority, year: str, pos: Position | None) -> Nowcast:
    """Rank the projected closing usable reserves (from `pos`) among the peers of `ranking` (`peer_ranking`).

    With no monitoring position (or no Reserves/Revenue sheet in it) the council's own latest official figure is
    ranked instead (`period` None).
    """
    peer_year = ranking.year
    table = ranking.table
    own = ranking.position(auth.code)
    own_pct = None if own is None or pd.isna(own["value"]) else float(own["value"])
    own_rank = None if own is None or pd.isna(own["rank_lowest"]) else int(own["rank_lowest"])
    usable = pos is not None and pos.reserves_closing_gbp is not None and bool(pos.budget_gbp)
    if usable:
        assert pos is not None and pos.reserves_closing_gbp is not None and pos.budget_gbp
        value: float | None = 100 * pos.reserves_closing_gbp / pos.budget_gbp
        others = table[(table["code"] != auth.code) & table["value"].notna()]
        peers = pd.DataFrame(
            {
                "code": [*others["code"], auth.code],
                "name": [*others["name"], f"{auth.name} (projected)"],
                "value": [*others["value"].astype(float), value],
                "is_council": [False] * len(others) + [True],
            }
        )
        assert value is not None
        rank: int | None = 1 + int((others["value"].astype(float) < value).sum())
        n = len(others) + 1
    else:
        value, rank, n = own_pct, own_rank, ranking.ranked
        ranked = table[table["value"].notna()]
        peers = pd.DataFrame(
            {
                "code": ranked["code"],
                "name": ranked["name"],
                "value": ranked["value"].astype(float),
                "is_council": ranked["code"] == auth.code,
            }
        )
    peers = peers.sort_values("value", kind="stable").reset_index(drop=True)
    return Nowcast(
        code=auth.code,
        year=year,
        period=pos.period if usable and pos is not None else None,
        closing_gbp=pos.reserves_closing_gbp if usable and pos is not None else None,
        budget_gbp=pos.budget_gbp if usable and pos is not None else None,
        value_pct=value,
        peer_year=peer_year,
        peer_basis=ranking.basis,
        group=auth.cls,
        rank_lowest=rank,
        n_ranked=n,
        peer_median_pct=ranking.median,
        own_official_pct=own_pct,
        own_official_rank=own_rank,
        peers=peers,
    )
