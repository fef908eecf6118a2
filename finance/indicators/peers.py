"""Where one authority sits among its peers for one indicator: median, quartiles, rank and quartile.

Why its own module: the ranking rules are easy to get subtly wrong. Authorities with no number ("no return",
"not meaningful", not on that year's return) are listed but never ranked — a missing return is not zero.
"Not depleting" is a real position (the lowest risk on the sustainability measure) and is ranked as +infinity;
a quartile that falls among such authorities is reported as not depleting (None with `*_not_depleting`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from finance.indicators.measures import Reading

HIGHER_RISK_WHEN = ("lower", "higher")


@dataclass(frozen=True)
class PeerStats:
    """The peer distribution and the authority's place in it.

    `rank` is 1 for the highest-risk position (ties share the best rank); `rank_lowest` is 1 for the lowest
    value; `quartile` is 1 for the highest-risk quarter. All None when the authority has no ranked value.
    Quantiles are linear between neighbours; +inf means "not depleting".
    """

    n_peers: int
    n_ranked: int
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    rank: int | None
    rank_lowest: int | None
    quartile: int | None


def quantile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated quantile of ascending `sorted_values`; +inf when it falls on or beside an infinity."""
    n = len(sorted_values)
    if n == 0:
        return None
    pos = q * (n - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    a, b = sorted_values[lo], sorted_values[hi]
    frac = pos - lo
    if frac == 0:
        return a
    if math.isinf(a) or math.isinf(b):
        return math.inf
    return a + (b - a) * frac


def peer_stats(readings: Mapping[str, Reading], code: str, higher_risk_when: str) -> PeerStats:
    """Position of `code` among `readings` (every peer's reading, `code` included)."""
    if higher_risk_when not in HIGHER_RISK_WHEN:
        raise ValueError(f"higher_risk_when must be one of {HIGHER_RISK_WHEN}")
    ranked = sorted(v for r in readings.values() if (v := r.sort_value) is not None)
    own = readings[code].sort_value if code in readings else None
    rank = rank_lowest = quartile = None
    n = len(ranked)
    if own is not None:
        rank_lowest = 1 + sum(1 for v in ranked if v < own)
        rank = rank_lowest if higher_risk_when == "lower" else 1 + sum(1 for v in ranked if v > own)
        quartile = 1 + (4 * (rank - 1)) // n
    return PeerStats(
        n_peers=len(readings),
        n_ranked=n,
        median=quantile(ranked, 0.5),
        lower_quartile=quantile(ranked, 0.25),
        upper_quartile=quantile(ranked, 0.75),
        rank=rank,
        rank_lowest=rank_lowest,
        quartile=quartile,
    )


def direction_of_travel(current: Reading, previous: Reading | None, higher_risk_when: str) -> str:
    """'improving', 'worsening' or 'unchanged' (lower risk = improving); else why there is no comparison."""
    now, before = current.sort_value, None if previous is None else previous.sort_value
    if now is None:
        return "no value this year"
    if before is None:
        return "no earlier figure on the same basis"
    if now == before:
        return "unchanged"
    rose = now > before
    return "worsening" if rose == (higher_risk_when == "higher") else "improving"
