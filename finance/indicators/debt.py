"""External debt and investments per authority over time, placed among its peers, and as % of NRE.

Why: "can we afford to borrow more?" starts from how much a council owes and holds against others like it. The
MHCLG borrowing and investment live table gives both at each quarter end (`finance.indicators.borrowing`); this
module lays the authority's values out by as-at date with, at each date, the peer group's median, quartiles and
the authority's position — always the same measure at the same date (like for like). A value as % of net revenue
expenditure is given only at 31 March and only where the RS outturn of the year ending then is held for the same
authority: never another year's NRE, never an RA budget estimate (a 31 March whose year has no RS outturn
held for anyone gets no % at all). A missing value ('[x]', a code listed twice) is
missing for the authority and left out of the peer figures, never zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from finance.format import ordinal
from finance.indicators import queries as q
from finance.indicators.measures import NO_RETURN, OK, Reading
from finance.indicators.peers import PeerStats, peer_stats
from finance.store import Store

#: measure → what it is, as titles say it
MEASURES: dict[str, str] = {
    "external_borrowing": "External borrowing (outstanding, excluding PFI and finance leases)",
    "investments": "Investments (outstanding)",
}
BASIS = "outturn"


@dataclass(frozen=True)
class DebtPoint:
    """One measure for the authority at one as-at date, with its peers at the same date."""

    measure: str
    as_at: date
    financial_year: str
    value_gbp: float | None
    published_text: str | None  # why there is no value, as published
    stats: PeerStats  # £, rank 1 = highest
    pct_nre: float | None  # 31 March only, ÷ the same year's RS outturn NRE
    pct_stats: PeerStats | None  # the peers' % of NRE at the same 31 March; None at a quarter end
    change_on_year_gbp: float | None  # against the same date a year earlier, same measure
    source_file: str
    source_sha256: str
    source_label: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "as_at": self.as_at.isoformat(),
            "financial_year": self.financial_year,
            "basis": BASIS,
            "value_gbp": self.value_gbp,
            "published_text": self.published_text,
            "peer_median_gbp": self.stats.median,
            "peer_lower_quartile_gbp": self.stats.lower_quartile,
            "peer_upper_quartile_gbp": self.stats.upper_quartile,
            "rank_highest": self.stats.rank,
            "n_ranked": self.stats.n_ranked,
            "n_peers": self.stats.n_peers,
            "pct_nre": self.pct_nre,
            "nre_year": self.financial_year if self.pct_stats is not None else None,
            "peer_median_pct_nre": None if self.pct_stats is None else self.pct_stats.median,
            "peer_lower_quartile_pct_nre": None if self.pct_stats is None else self.pct_stats.lower_quartile,
            "peer_upper_quartile_pct_nre": None if self.pct_stats is None else self.pct_stats.upper_quartile,
            "rank_highest_pct_nre": None if self.pct_stats is None else self.pct_stats.rank,
            "change_on_year_gbp": self.change_on_year_gbp,
            "source": {"file_name": self.source_file, "sha256": self.source_sha256, "label": self.source_label},
        }


@dataclass(frozen=True)
class DebtSeries:
    """An authority's external borrowing and investments at every as-at date held, oldest first."""

    code: str
    name: str
    group: str
    is_illustrative: bool
    points: tuple[DebtPoint, ...]

    def of(self, measure: str) -> tuple[DebtPoint, ...]:
        return tuple(p for p in self.points if p.measure == measure)

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": {"ons_code": self.code, "name": self.name},
            "group": self.group,
            "source": "MHCLG borrowing and investment live table (outstanding at each quarter end, £ thousand → £)",
            "pct_nre_rule": "31 March only, ÷ net revenue expenditure of the year ending then (RS outturn)",
            "series": {m: [p.as_dict() for p in self.of(m)] for m in MEASURES},
        }


def position(stats: PeerStats) -> str:
    """'5th highest of 36' (rank 1 = the highest value), '—' when the authority has no value."""
    return "—" if stats.rank is None else f"{ordinal(stats.rank)} highest of {stats.n_ranked}"


def _readings(values: Mapping[str, float | None], codes: list[str]) -> dict[str, Reading]:
    return {c: Reading(v, OK) if (v := values.get(c)) is not None else Reading(None, NO_RETURN) for c in codes}


def _values(store: Store, codes: list[str]) -> pd.DataFrame:
    """The members' rows: matched by the ONS code the workbook gives, else by the member's MHCLG E-code."""
    return store.query_df(
        """WITH m AS (SELECT code, ecode FROM authority WHERE code IN (SELECT unnest(?::VARCHAR[])))
           SELECT coalesce(b.ons_code, m.code) AS code, b.measure, b.period_end, b.financial_year,
                  CAST(b.value_gbp AS DOUBLE) AS value_gbp, b.published_text, b.source_label, s.file_name, s.sha256
           FROM borrowing_value b
           JOIN source_file s USING (source_id)
           LEFT JOIN m ON b.ons_code IS NULL AND m.ecode = b.lgf_code
           WHERE b.measure IN ('external_borrowing', 'investments')
             AND (b.ons_code IN (SELECT code FROM m) OR (b.ons_code IS NULL AND m.code IS NOT NULL))
           ORDER BY b.period_end""",
        [codes],
    )


def _nre(store: Store, codes: list[str]) -> dict[tuple[str, str], float]:
    rows = store.query(
        """SELECT code, financial_year, CAST(value_gbp AS DOUBLE) FROM official_value
           WHERE measure = 'net_revenue_expenditure' AND basis = 'outturn' AND value_gbp > 0
             AND code IN (SELECT unnest(?::VARCHAR[]))""",
        [codes],
    )
    return {(str(c), str(y)): float(v) for c, y, v in rows}


def _clean(v: object) -> float | None:
    return None if v is None or v != v else float(v)  # type: ignore[arg-type]


def debt_series(store: Store, code: str, group: str = "MD") -> DebtSeries:
    """The authority's external borrowing and investments at every as-at date the live table holds, each placed
    among the peer `group` at the same date, with % of NRE at 31 March where the year's RS outturn NRE is held.

    Raises `NotFoundError` for an unknown authority, `InputError` for an unknown group. Empty `points` when the
    live table is not imported or does not list the authority.
    """
    g = q.check_group(group)
    info = q.authority(store, code)
    codes = [str(c) for c in q.group_members(store, info, g)["code"]]
    frame = _values(store, codes)
    nre = _nre(store, codes)
    nre_years = {y for _, y in nre}
    by_key: dict[tuple[str, date], dict[str, float | None]] = {}
    for c, m, end, value in zip(frame["code"], frame["measure"], frame["period_end"], frame["value_gbp"], strict=True):
        by_key.setdefault((str(m), _as_date(end)), {})[str(c)] = _clean(value)
    own = frame[frame["code"] == info.code]
    points = []
    for row in own.itertuples(index=False):
        end = _as_date(row.period_end)
        measure, year = str(row.measure), str(row.financial_year)
        peers = by_key[(measure, end)]
        pct_stats = pct = None
        if end.month == 3 and year in nre_years:
            ratios = {c: v / nre[(c, year)] * 100 for c, v in peers.items() if v is not None and (c, year) in nre}
            pct_stats = peer_stats(_readings(ratios, codes), info.code, "higher")
            pct = ratios.get(info.code)
        earlier = by_key.get((measure, end.replace(year=end.year - 1)), {}).get(info.code)
        value = _clean(row.value_gbp)
        points.append(
            DebtPoint(
                measure=measure,
                as_at=end,
                financial_year=year,
                value_gbp=value,
                published_text=None if row.published_text is None else str(row.published_text),
                stats=peer_stats(_readings(peers, codes), info.code, "higher"),
                pct_nre=pct,
                pct_stats=pct_stats,
                change_on_year_gbp=None if value is None or earlier is None else value - earlier,
                source_file=str(row.file_name),
                source_sha256=str(row.sha256),
                source_label=str(row.source_label),
            )
        )
    return DebtSeries(info.code, info.name, g, info.is_illustrative, tuple(points))


def _as_date(value: Any) -> date:
    return pd.Timestamp(value).date()
