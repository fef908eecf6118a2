"""How each of the council's targets stands, for the overview, its cards and the committee pack.

Why here: the committee's views already hold the values each target is judged on (the in-year forecast at the
latest period, the collection rates, the official year-end series), so each target is judged where that value is,
on its own basis only (`finance.targets.judge`; the rule in docs/METHODOLOGY.md, "Targets"). A user who may not
read the council's own data sees no targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from finance import benchmark
from finance.committee.figures import Position, collection_rates
from finance.committee.queries import collection_streams
from finance.format import period_label
from finance.monitoring import years_held
from finance.store import Store
from finance.targets import (
    BASIS_WORDS,
    CATALOGUE,
    DIRECTION_WORDS,
    UNITS_WORDS,
    Progress,
    Target,
    collection_key,
    collection_projection,
    collection_series,
    current_targets,
    date_text,
    judge,
    target_history,
    year_of,
)

# The overview card that shows each in-year series (its figure is on the series' own basis).
CARD_SERIES = {
    "variance": ("forecast_variance", "forecast_variance_pct"),
    "collection": ("collection_rate_council_tax",),
}
_BASIS_OF = {"outturn": "outturn (RS)", "illustrative": "illustrative returns", "budget_estimate": "budget estimate"}


def council_targets(store: Store, code: str) -> dict[str, Target]:
    """The council's current targets by series key; empty for a user who may not read its own data."""
    return current_targets(store, code) if store.readable(code) else {}


def in_force(target: Target, year: str) -> bool:
    """Whether an in-year target applies to `year`: its date is at or after that year's end."""
    return year_of(target.target_date) >= year


def _past_year(store: Store, code: str, year: str) -> bool:
    """Whether `year` is before the latest year of the council's own monitoring: that year's view (overview, pack)
    shows no targets, which were set for the years after it, and quotes no later value to judge them on."""
    held = years_held(store, code)
    return bool(held) and year < held[-1]


def _year_end(store: Store, code: str, target: Target) -> Progress:
    if target.series_key not in benchmark.MEASURES:
        return judge(target, None, "", why_not="judged on the Resilience profile page, beside the indicator")
    series = benchmark.series(store, code=code, measure=target.series_key, point="closing")
    held = series[series["basis"].isin(["outturn", "illustrative"]) & series["value"].notna()]
    if held.empty:
        return judge(target, None, "")
    last = held.sort_values("financial_year").iloc[-1]
    words = f"{_BASIS_OF[str(last['basis'])]} at {benchmark.as_at(str(last['financial_year']), 'closing')}"
    return judge(target, float(last["value"]), words)


def _collection(target: Target, now: pd.DataFrame, last: pd.DataFrame, year: str, period: int) -> Progress:
    """`target` on its stream's projected year-end rate; the stream matched by its series key, so a sheet naming it
    in another case or punctuation ('council tax', 'Parking penalty charges.') is the same stream."""

    def rate(frame: pd.DataFrame, p: int) -> float | None:
        if frame.empty:
            return None
        same = [collection_key(str(s)) == target.series_key for s in frame["stream"]]
        rows = frame[pd.Series(same, index=frame.index, dtype=bool) & (frame["period"] == p)]
        return None if rows.empty or pd.isna(rows["rate_pct"].iloc[0]) else float(rows["rate_pct"].iloc[0])

    final_last = rate(last, 12)
    projected, how = collection_projection(rate(now, period), period, rate(last, period), final_last)
    words = f"in-year collection at {period_label(period)} {year}, {how}"
    return judge(target, projected, words, why_not=how)


def target_progress(
    store: Store,
    code: str,
    year: str,
    pos: Position | None,
    collection: pd.DataFrame | None = None,
    last_collection: pd.DataFrame | None = None,
    targets: Mapping[str, Target] | None = None,
) -> tuple[Progress, ...]:
    """Every current target of the council judged on its own basis: year-end series on the latest outturn (or
    illustrative) value; in-year series on the forecast at `pos` (an in-year target in force for `year` only);
    collection on the projected year-end rate from the `collection` lines (with last year's). None for a year before
    the council's latest monitoring year."""
    held = council_targets(store, code) if targets is None else targets
    if held and _past_year(store, code, year):
        return ()  # a target is set for the present: a past year's view quotes no later plan
    out: list[Progress] = []
    for key, target in held.items():
        basis = target.series.basis
        if basis == "year_end":
            out.append(_year_end(store, code, target))
            continue
        if not in_force(target, year):
            continue
        if pos is None:
            out.append(judge(target, None, "", why_not=f"no monitoring is held for {year}"))
        elif basis == "in_year_forecast":
            value = {
                "forecast_variance": pos.variance_gbp,
                "forecast_variance_pct": pos.variance_pct,
                "dsg_deficit": pos.dsg_cumulative_gbp,
            }[key]
            out.append(judge(target, value, f"in-year forecast at {period_label(pos.period)} {year}"))
        else:
            now = collection_rates(collection if collection is not None else pd.DataFrame())
            last = collection_rates(last_collection if last_collection is not None else pd.DataFrame())
            out.append(_collection(target, now, last, year, pos.period))
    return tuple(out)


def progress_table(progress: tuple[Progress, ...]) -> pd.DataFrame:
    """The targets as the overview and the pack list them: series, target, by, set by, value judged, status."""
    return pd.DataFrame(
        {
            "Series": [p.target.series.title for p in progress],
            "Target": [f"{DIRECTION_WORDS[p.target.direction]} {p.target.value_text}" for p in progress],
            "By": [date_text(p.target.target_date) for p in progress],
            "Set by": [f"{p.target.set_by}, {p.target.set_at:%d %b %Y}" for p in progress],
            "Judged on": [p.judged_on or "—" for p in progress],
            "Status": [p.status for p in progress],
            "In words": [p.text for p in progress],
        }
    )


def card_target_text(card_key: str, progress: tuple[Progress, ...], series_keys: tuple[str, ...] = ()) -> str:
    """The words under an overview card for the targets on its own series ('' when none): `series_keys` when the
    card names them (the collection card: the stream it names), else the card's usual series (`CARD_SERIES`). A
    collection target says its stream."""
    keys = series_keys or CARD_SERIES.get(card_key, ())
    return " ".join(
        f"{p.target.series.stream}: {p.text}" if p.target.series.basis == "collection" else p.text
        for p in progress
        if p.target.series_key in keys
    )


@dataclass(frozen=True)
class TargetsPage:
    """What the Targets page shows: the council's targets (current first, then their history) and the series a
    target may name, as the form offers them (key → title, with its units and the basis it is judged on)."""

    authority: benchmark.Authority
    current: pd.DataFrame
    history: pd.DataFrame
    series: tuple[tuple[str, str, str], ...]  # (key, title with units, what it is judged on)
    streams: tuple[str, ...] = ()  # the council's own income streams (Collection sheets), for `set_target_from_text`


def _rows(targets: tuple[Target, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Series": [t.series.title for t in targets],
            "Target": [f"{DIRECTION_WORDS[t.direction]} {t.value_text}" for t in targets],
            "By": [date_text(t.target_date) for t in targets],
            "Rests on": [t.mandate or "—" for t in targets],
            "Set by": [t.set_by for t in targets],
            "Set at (UTC)": [f"{t.set_at:%Y-%m-%d %H:%M}" for t in targets],
            "How": [t.set_via for t in targets],
            "State": [t.state for t in targets],
        }
    )


def targets_page(store: Store, code: str) -> TargetsPage:
    """The Targets page for `code`: the series a target may name are the catalogue's and the collection rate of every
    other stream the council's Collection sheets name. Raises NotFoundError for an unknown authority,
    NotPermittedError for a user who may not read its own data."""
    auth = benchmark.authority(store, code)
    history = target_history(store, code)
    current = tuple(t for t in history if t.state == "current")
    older = tuple(reversed([t for t in history if t.state != "current"]))
    streams = collection_streams(store, code)
    own = {s.key: s for s in map(collection_series, streams) if s.key not in CATALOGUE}  # beyond the six
    series = tuple((s.key, f"{s.title} [{UNITS_WORDS[s.units]}]", BASIS_WORDS[s.basis])
                   for s in (*CATALOGUE.values(), *own.values()))  # fmt: skip
    return TargetsPage(auth, _rows(current), _rows(older), series, streams)
