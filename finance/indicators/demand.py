"""Official demand for one authority against its peer group: each series at one as-at point, with the peer median,
quartiles and rank, the authority's own history, and a like-for-like direction of travel.

Why these rules: a demand figure is only comparable with the same measure at the same as-at point, so the peer
position is taken at one point, and the direction of travel compares consecutive points of the same series from
the same collection (SEN2 became person-level in 2023: January 2022 → January 2023 is not a trend). A member
without the duty the series measures (a district has no children's services, a county no temporary accommodation
duty, an authority outside England none of these returns) is "not applicable" and left out of the median,
quartiles and rank; a member with the duty but no figure is "no return" (or the publisher's marker, e.g.
"suppressed (c)") and is left out too — never counted as zero. Group membership and the applicability rule come
only from `finance.peergroups` (`peer_group`, `applicability`), so every peer group (classes, ALL, NN, SN) works
here as it does everywhere else.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from finance.errors import NotFoundError
from finance.format import ordinal
from finance.indicators import queries as q
from finance.indicators.peers import quantile
from finance.official import DEMAND_CODE_ALIASES, DEMAND_METRICS, DEMAND_METRICS_BY_KEY, DemandMetric
from finance.peergroups import PeerGroup, applicability, peer_group
from finance.store import Store
from finance.years import parse_financial_year, start_year

FIGURE = "figure"
NOT_APPLICABLE = "not applicable"
NO_RETURN = "no return"
_MARKER_STATUS = {
    "c": "suppressed (c)",
    "[c]": "suppressed (c)",
    "x": "not available (x)",
    "[x]": "not available (x)",
    "z": "not applicable (z)",
    "[z]": "not applicable (z)",
    "..": "no return (..)",
}


@dataclass(frozen=True)
class PeerFigure:
    """One group member at the series' point: `value` only when `status` is "figure"."""

    code: str
    name: str
    value: float | None
    status: str


@dataclass(frozen=True)
class PointStats:
    """The group at one as-at point: own value, median, quartiles, rank (1 = highest) among members with figures."""

    period_end: date
    period_label: str
    definition: str
    value: float | None
    status: str
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    rank_highest: int | None
    n_ranked: int


@dataclass(frozen=True)
class DemandSeries:
    """One official series for the authority: the chosen point, its peers, the history, the direction of travel."""

    metric: DemandMetric
    point: PointStats | None
    source: str  # 'cla_number_and_rate_per_10k_children.csv (sha256 8228ce8c…)'
    peers: tuple[PeerFigure, ...]
    history: tuple[PointStats, ...]
    direction: str
    note: str = ""

    def position_text(self) -> str:
        p = self.point
        if p is None or p.rank_highest is None:
            return "—"
        return f"{ordinal(p.rank_highest)} highest of {p.n_ranked}"

    def as_dict(self) -> dict[str, Any]:
        m, p = self.metric, self.point
        return {
            "metric": m.key,
            "title": m.title,
            "unit": m.unit,
            "basis": m.basis,
            "publisher": m.publisher,
            "as_at": None if p is None else p.period_label,
            "period_end": None if p is None else p.period_end.isoformat(),
            "collection": None if p is None else p.definition,
            "value": None if p is None else p.value,
            "status": None if p is None else p.status,
            "peer_median": None if p is None else p.median,
            "peer_lower_quartile": None if p is None else p.lower_quartile,
            "peer_upper_quartile": None if p is None else p.upper_quartile,
            "rank_highest": None if p is None else p.rank_highest,
            "n_ranked": None if p is None else p.n_ranked,
            "direction_of_travel": self.direction,
            "source": self.source,
            "note": self.note,
            "peers": [{"code": f.code, "name": f.name, "value": f.value, "status": f.status} for f in self.peers],
            "history": [
                {
                    "as_at": h.period_label,
                    "period_end": h.period_end.isoformat(),
                    "collection": h.definition,
                    "value": h.value,
                    "status": h.status,
                    "peer_median": h.median,
                    "peer_lower_quartile": h.lower_quartile,
                    "peer_upper_quartile": h.upper_quartile,
                    "rank_highest": h.rank_highest,
                    "n_ranked": h.n_ranked,
                }
                for h in self.history
            ],
        }


@dataclass(frozen=True)
class DemandSeriesSet:
    """Every official demand series for one authority, with the group it was compared within."""

    authority: q.AuthorityInfo
    financial_year: str | None
    group: str
    peers: PeerGroup  # members (code, name, class, …), label, definition, source
    series: tuple[DemandSeries, ...] = field(default=())

    @property
    def members(self) -> pd.DataFrame:
        return self.peers.members

    def by_key(self) -> dict[str, DemandSeries]:
        return {s.metric.key: s for s in self.series}


def month_end_before(d: date, months: int) -> date:
    """The last day of the month `months` before `d`'s month (31 Dec 2025, 3 → 30 Sep 2025)."""
    index = d.year * 12 + d.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def demand_series(store: Store, code: str, year: str | None = None, group: str = "MD") -> DemandSeriesSet:
    """Every official demand series for `code` among `group`, each at the latest as-at point on or before the end
    of financial year `year` (default: the latest held), with its history. `NotFoundError` for an unknown authority,
    `InputError` for a malformed year or group."""
    info = q.authority(store, code)
    fy = None if year is None else parse_financial_year(year, "--year")
    peers = peer_group(store, info.code, group)
    classes = peers.class_of()
    listed = [(c, str(n), classes[c]) for c, n in zip(peers.codes, peers.members["name"], strict=True)]
    held = _values(store, peers.codes)
    sources = _sources(store, info.code)
    series = tuple(_series(m, info, listed, held, sources, fy) for m in DEMAND_METRICS)
    return DemandSeriesSet(info, fy, peers.group, peers, series)


#: (metric, period_end) → code → (period_label, definition, value or None, published_text)
Held = dict[tuple[str, date], dict[str, tuple[str, str, float | None, str | None]]]


def _values(store: Store, codes: list[str]) -> Held:
    """The members' figures, each under the member's own code (a figure published under a changed code — see
    `DEMAND_CODE_ALIASES` — is the member's when the member has none under its own)."""
    alias_of = {a: c for c in codes for a in DEMAND_CODE_ALIASES.get(c, ()) if a not in codes}
    rows = store.query(
        """SELECT code, metric, period_end, period_label, definition, value, published_text
           FROM demand_value WHERE code IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY code IN (SELECT unnest(?::VARCHAR[])) DESC""",
        [codes + sorted(alias_of), codes],
    )
    held: Held = {}
    for code, metric, end, label, definition, value, text in rows:
        points = held.setdefault((str(metric), _as_date(end)), {})
        points.setdefault(alias_of.get(str(code), str(code)), (str(label), str(definition), _num(value), text))
    return held


def _sources(store: Store, code: str) -> dict[tuple[str, date], str]:
    rows = store.query(
        """SELECT v.metric, v.period_end, s.file_name, s.sha256
           FROM demand_value v JOIN source_file s USING (source_id) WHERE v.code = ?""",
        [code],
    )
    return {(str(m), _as_date(d)): f"{f} (sha256 {str(h)[:12]}…)" for m, d, f, h in rows}


def _as_date(value: object) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _num(value: object) -> float | None:
    if value is None:
        return None
    f = float(value)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _not_applicable(metric: DemandMetric, code: str, class_code: str | None) -> str | None:
    """'not applicable: <why>' when the member lacks the duty `metric` measures (the peer-group rule), else None."""
    rule = applicability(code, class_code, metric.classes)
    return None if rule.applies else f"{NOT_APPLICABLE}: {rule.reason}"


def _point_figures(
    metric: DemandMetric,
    members: list[tuple[str, str, str | None]],
    held: dict[str, tuple[str, str, float | None, str | None]],
) -> tuple[list[PeerFigure], str, str]:
    """Each member's figure or status at one point; the point's label and collection."""
    first = next(iter(held.values()), ("", "", None, None))
    out: list[PeerFigure] = []
    for code, name, cls in members:
        row = held.get(code)
        if (why := _not_applicable(metric, code, cls)) is not None:
            out.append(PeerFigure(code, name, None, why))
        elif row is None:
            out.append(PeerFigure(code, name, None, NO_RETURN))
        elif row[2] is None:
            text = str(row[3])
            out.append(PeerFigure(code, name, None, _MARKER_STATUS.get(text.lower(), f"not published ({text})")))
        else:
            out.append(PeerFigure(code, name, row[2], FIGURE))
    return out, first[0], first[1]


def _stats(own: str, figures: list[PeerFigure], end: date, label: str, definition: str) -> PointStats:
    ranked = sorted(f.value for f in figures if f.value is not None)
    mine = next((f for f in figures if f.code == own), None)
    value = None if mine is None else mine.value
    rank = None if value is None else 1 + sum(1 for v in ranked if v > value)
    return PointStats(
        period_end=end,
        period_label=label,
        definition=definition,
        value=value,
        status=NO_RETURN if mine is None else mine.status,
        median=quantile(ranked, 0.5),
        lower_quartile=quantile(ranked, 0.25),
        upper_quartile=quantile(ranked, 0.75),
        rank_highest=rank,
        n_ranked=len(ranked),
    )


def _series(
    metric: DemandMetric,
    info: q.AuthorityInfo,
    members: list[tuple[str, str, str | None]],
    held: Held,
    sources: dict[tuple[str, date], str],
    fy: str | None,
) -> DemandSeries:
    if _not_applicable(metric, info.code, info.class_code) is not None:
        note = f"{metric.short}: not applicable to {info.name} (no {metric.duty} duty)."
        return DemandSeries(metric, None, "", (), (), NOT_APPLICABLE, note)
    ends = sorted(end for key, end in held if key == metric.key)
    history: list[PointStats] = []
    peers_at: dict[date, list[PeerFigure]] = {}
    for end in ends:
        figures, label, definition = _point_figures(metric, members, held[(metric.key, end)])
        peers_at[end] = figures
        history.append(_stats(info.code, figures, end, label, definition))
    chosen, note = _choose(ends, fy)
    if chosen is None:
        why = "no figures held" if not ends else f"no figure as at a point on or before the end of {fy}"
        return DemandSeries(metric, None, "", (), tuple(history), "no figure", f"{metric.short}: {why}.")
    point = next(h for h in history if h.period_end == chosen)
    before = month_end_before(chosen, metric.months)
    previous = next((h for h in history if h.period_end == before), None)
    return DemandSeries(
        metric=metric,
        point=point,
        source=sources.get((metric.key, chosen), ""),
        peers=tuple(peers_at[chosen]),
        history=tuple(history),
        direction=direction_text(metric, point, previous, before),
        note=note,
    )


def _choose(ends: list[date], fy: str | None) -> tuple[date | None, str]:
    """The latest point on or before the end of `fy` (all points when None), and a note when it is before `fy`."""
    if not ends:
        return None, ""
    if fy is None:
        return ends[-1], ""
    year_end = date(start_year(fy) + 1, 3, 31)
    held = [e for e in ends if e <= year_end]
    if not held:
        return None, ""
    chosen = held[-1]
    if chosen < date(start_year(fy), 4, 1):
        return chosen, f"no figure as at a point in {fy}: showing the latest before it"
    return chosen, ""


def direction_text(metric: DemandMetric, now: PointStats, before: PointStats | None, before_end: date) -> str:
    """'up 620 (+19.9%) from 3,116 at January 2024', 'down …', 'unchanged …', or why there is no comparison:
    only the immediately preceding point (`before_end`) of the same series and collection is compared."""
    if now.value is None:
        return f"no figure {at(now.period_label)}"
    if before is None or before.value is None:
        when = before.period_label if before is not None else f"{before_end.day} {before_end:%B %Y}"
        return f"no figure for the previous point ({when}) to compare with"
    if before.definition != now.definition:
        return (
            f"not comparable: {before.period_label} is from the {before.definition}, "
            f"{now.period_label} from the {now.definition}"
        )
    change = now.value - before.value
    fmt = f"{{:,.{metric.decimals}f}}"
    prior = f"{fmt.format(before.value)} {at(before.period_label)}"
    if round(change, metric.decimals) == 0:
        return f"unchanged from {prior}"
    pct = "" if before.value == 0 else f" ({change / before.value * 100:+.1f}%)"
    return f"{'up' if change > 0 else 'down'} {fmt.format(abs(change))}{pct} from {prior}"


def financial_year_of(d: date) -> str:
    """The financial year a date falls in: 31 March 2025 → '2024-25', 31 December 2025 → '2025-26'."""
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def demand_year_options(store: Store, code: str) -> list[str]:
    """The financial years in which any official demand point for `code` falls, newest first (the page's choice of
    "figures up to the end of"); empty when none is held."""
    rows = store.query("SELECT DISTINCT period_end FROM demand_value WHERE code = ?", [code.strip().upper()])
    return sorted({financial_year_of(_as_date(r[0])) for r in rows}, reverse=True)


def at(label: str) -> str:
    """'at 31 March 2025', 'at January 2025', 'in calendar year 2024'."""
    return f"in {label}" if label.startswith("calendar") else f"at {label}"


def demand_metric(key: str) -> DemandMetric:
    """The metric `key`; `NotFoundError` for an unknown one."""
    if key not in DEMAND_METRICS_BY_KEY:
        raise NotFoundError(f"No demand series {key!r}.")
    return DEMAND_METRICS_BY_KEY[key]
