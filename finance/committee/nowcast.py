"""The reserves nowcast for the committee pages: where the council's usable reserves would stand among its peers
at this year end — computed by the resilience indicators' nowcast engine (`finance.indicators.nowcast`), so the
overview, the nowcast page and the resilience profile give one projection, not two.

Like for like: the council's figure and the peers' use the same definitions. The numerator is usable reserves at
31 March — unallocated + earmarked, ring-fenced balances (public health, schools, DSG) excluded, as the RS return
counts them — for the council the forecast closing balance after the forecast overspend
(`finance.monitoring.balances`). The denominator is net revenue expenditure as the RS return defines it: the
peers' own for the peer year, and the council's own from its latest RS return (not the monitoring budget, which
is a different definition). What differs is the date and basis of the numerator — a projection at this year's 31
March against the peers' outturn at an earlier one — and every text that shows the rank says both.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee.figures import Position
from finance.errors import NotFoundError
from finance.indicators import (
    INDICATORS,
    READING_OK,
    AuthoritySeries,
    NowcastInputs,
    authority_info,
    build_series,
    compute_nowcast,
    group_members,
    latest_return_year,
    official_values,
    peer_stats,
)
from finance.store import Store
from finance.years import shift, start_year

KEY = "usable_reserves_pct_nre"
NRE = "net_revenue_expenditure"
SPEC = next(s for s in INDICATORS if s.key == KEY)


@dataclass(frozen=True)
class Peers:
    """The peer group's official series, fetched once and reused for every period's projection."""

    code: str
    peer_year: str
    basis: str
    official: AuthoritySeries  # the council's own official figures
    series: dict[str, AuthoritySeries]  # peers on the peer year's return (the council included)
    names: dict[str, str]
    own_nre_year: str | None  # the council's latest return with net revenue expenditure (the denominator)
    own_nre_gbp: float | None


@dataclass(frozen=True)
class Nowcast:
    """The position. `rank_lowest` 1 = lowest of `n_ranked` (the peers with a figure, and the council)."""

    code: str
    year: str
    period: int | None  # None = no monitoring: the latest official figure only
    closing_gbp: float | None
    budget_gbp: float | None  # the denominator: the council's net revenue expenditure (RS definition)
    denominator_text: str  # 'net revenue expenditure (RS): the council's 2023-24, the peers' 2023-24'
    value_pct: float | None
    peer_year: str
    peer_basis: str
    rank_lowest: int | None
    n_ranked: int
    peer_median_pct: float | None
    own_official_pct: float | None  # the council's own figure in `peer_year`
    own_official_rank: int | None
    peers: pd.DataFrame  # code, name, value (%), is_council; lowest first

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
        """The 31 March the value is at: this year's end when projected, else the peers' (official) year end."""
        return f"31 March {start_year(self.year if self.projected else self.peer_year) + 1}"

    @property
    def peer_as_at(self) -> str:
        return f"31 March {start_year(self.peer_year) + 1}"

    @property
    def peer_basis_words(self) -> str:
        """'outturn' (RS returns) or 'illustrative outturn' (the demo's generated returns)."""
        return "illustrative outturn" if self.peer_basis == "illustrative" else "outturn"


def peer_group(
    store: Store, auth: benchmark.Authority, up_to_year: str | None = None, group: str | None = None
) -> Peers:
    """The peers (`group`, default the authority's class; illustrative only with illustrative) and their latest
    official year, up to `up_to_year` when given (a past year's view never quotes a later year's return). Usable
    reserves apply to every class: only the members on no return (outside England, or none that year) drop out.

    Raises `NotFoundError` when the group has no official (or illustrative) figures (up to that year).
    """
    info = authority_info(store, auth.code)
    members = group_members(store, info, group or auth.cls)
    codes = [str(c) for c in members["code"]]
    basis = "illustrative" if info.is_illustrative else "outturn"
    peer_year = latest_return_year(store, codes, basis, up_to_year=up_to_year)
    if peer_year is None:
        when = f" for {up_to_year} or earlier" if up_to_year else ""
        raise NotFoundError(
            f"No official returns are loaded for this group{when}, so there are no peers to compare with."
        )
    values = official_values(store, codes, years=[shift(peer_year, -k) for k in range(4)], all_years_for=info.code)
    no_borrowing = pd.DataFrame({"code": [], "financial_year": [], "value_gbp": []})
    series = build_series(values, no_borrowing, codes, basis)
    on_return = {c: s for c, s in series.items() if s.basis_for(peer_year) is not None}
    names = dict(zip(members["code"], members["name"], strict=True))
    own = series[info.code]
    nre_year = next(
        (y for y in reversed(own.years()) if y <= peer_year and own.get(y, basis, NRE, "year") is not None), None
    )
    nre = None if nre_year is None else own.get(nre_year, basis, NRE, "year")
    return Peers(info.code, peer_year, basis, own, on_return, names, nre_year, nre)


def _denominator_text(peers: Peers) -> str:
    if peers.own_nre_year is None:
        return "net revenue expenditure (RS)"
    if peers.own_nre_year == peers.peer_year:
        return f"net revenue expenditure {peers.peer_year} (RS)"
    return f"net revenue expenditure (RS): the council's {peers.own_nre_year}, the peers' {peers.peer_year}"


def _peer_frame(peers: Peers, council_value: float | None, projected: bool) -> pd.DataFrame:
    rows = [
        (c, peers.names.get(c, c), r.value, False)
        for c, s in peers.series.items()
        if c != peers.code and (r := SPEC.compute(s, peers.peer_year)).status == READING_OK and r.value is not None
    ]
    if council_value is not None:
        suffix = " (projected)" if projected else ""
        rows.append((peers.code, peers.names.get(peers.code, peers.code) + suffix, council_value, True))
    frame = pd.DataFrame(rows, columns=["code", "name", "value", "is_council"])
    return frame.sort_values("value", kind="stable").reset_index(drop=True)


def nowcast(peers: Peers, year: str, pos: Position | None) -> Nowcast:
    """The council's usable reserves as % of spending among `peers`: projected from `pos` when it has the Reserves
    and Revenue sheets, else its own latest official figure (`period` None)."""
    own = SPEC.compute(peers.official, peers.peer_year)
    others = {c: SPEC.compute(s, peers.peer_year) for c, s in peers.series.items()}
    official_stats = peer_stats(others | {peers.code: own}, peers.code, SPEC.higher_risk_when)
    own_pct = own.value if own.status == READING_OK else None
    denominator = _denominator_text(peers)
    res = None if pos is None else pos.reserves
    if res is None or pos is None or peers.own_nre_gbp is None:
        return Nowcast(peers.code, year, None, None, None, f"net revenue expenditure {peers.peer_year} (RS)",
                       own_pct, peers.peer_year, peers.basis, official_stats.rank_lowest, official_stats.n_ranked,
                       official_stats.median, own_pct, official_stats.rank_lowest,
                       _peer_frame(peers, own_pct, False))  # fmt: skip
    inputs = NowcastInputs(
        financial_year=year,
        period=pos.period,
        unallocated_opening_gbp=res.unallocated_opening_gbp,
        earmarked_opening_gbp=res.earmarked_opening_gbp,
        unallocated_closing_gbp=res.unallocated_closing_gbp,
        earmarked_closing_gbp=res.earmarked_closing_gbp,
        dsg_deficit_gbp=pos.dsg_cumulative_gbp,
        net_revenue_budget_gbp=peers.own_nre_gbp,
    )
    result = next(r for r in compute_nowcast(inputs, peers.official, peers.series, peers.peer_year).results
                  if r.spec.key == KEY)  # fmt: skip
    value = result.reading.value if result.reading.status == READING_OK else None
    return Nowcast(
        code=peers.code,
        year=year,
        period=pos.period,
        closing_gbp=res.usable_closing_gbp,
        budget_gbp=peers.own_nre_gbp,
        denominator_text=denominator,
        value_pct=value,
        peer_year=peers.peer_year,
        peer_basis=peers.basis,
        rank_lowest=result.stats.rank_lowest,
        n_ranked=result.stats.n_ranked,
        peer_median_pct=result.stats.median,
        own_official_pct=own_pct,
        own_official_rank=official_stats.rank_lowest,
        peers=_peer_frame(peers, value, True),
    )
