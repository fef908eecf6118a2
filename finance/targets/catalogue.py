"""The series a council can set a target on, each with its units and the one basis its target is judged on.

Why a catalogue: a target is only useful where Headroom draws and judges it, so a target may name only a series
Headroom charts (the reserves benchmark, the resilience indicators, the monitoring variance, collection by stream,
the DSG deficit); a target on anything else is refused naming it. Each series states its units (a target in £ on
a % series is refused) and its basis — the kind of number its target is compared with — so "on track" never
compares a target with a value of another basis (an outturn target is never judged on a budget estimate).

The indicator keys are `finance.indicators.profile.INDICATORS` keys (tests keep the two in step); the reserves
levels are `finance.benchmark.MEASURES` keys; the in-year series are the monitoring workbook's. The Collection sheet
takes any income stream by name, so beside the six streams listed here the collection rate of any other stream the
council collects is a series too (`collection_series`): its target stores the stream's name, from which the series
is read back (`series_of`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Units = Literal["gbp", "pct"]
Direction = Literal["at_least", "at_most"]
Basis = Literal["year_end", "in_year_forecast", "collection"]

UNITS_WORDS: dict[str, str] = {"gbp": "£", "pct": "%"}
DIRECTION_WORDS: dict[str, str] = {"at_least": "at least", "at_most": "at most"}
BASIS_WORDS: dict[str, str] = {
    "year_end": "the balance or ratio at 31 March, from the year's outturn return (RS; illustrative for the demo)",
    "in_year_forecast": "the council's in-year forecast at the latest monitoring period held",
    "collection": "the cumulative in-year collection rate at the latest monitoring period held",
}


@dataclass(frozen=True)
class TargetSeries:
    """One targetable series: its key, what it is in words, units, the basis it is judged on, and which way is
    better when no target says (used for the chart only; the target's own direction decides on track)."""

    key: str
    title: str
    units: Units
    basis: Basis
    group: str
    stream: str | None = None  # a collection rate's income stream, as the Collection sheet names it


def _year_end(key: str, title: str, units: Units) -> TargetSeries:
    return TargetSeries(key, title, units, "year_end", "Reserves and resilience indicators")


# The income streams a collection-rate target can be held for: the Collection sheet's usual streams (kept equal to
# `finance.workbook.STREAM_CHOICES` by tests/test_collection_targets.py; this layer cannot import the workbook's).
STREAMS = (
    "Council tax",
    "Business rates",
    "Adult social care charges",
    "Sundry debt",
    "Commercial property rents",
    "Housing benefit overpayments",
)


def collection_key(stream: str) -> str:
    """The series key of one income stream's collection rate: 'Council tax' → 'collection_rate_council_tax'."""
    return "collection_rate_" + re.sub(r"[^a-z0-9]+", "_", stream.lower()).strip("_")


def _collection(stream: str) -> TargetSeries:
    title = f"In-year collection rate, {stream} (%)"
    return TargetSeries(collection_key(stream), title, "pct", "collection", "Income collection", stream)


CATALOGUE: dict[str, TargetSeries] = {
    s.key: s
    for s in (
        _year_end("unallocated_reserves", "Unallocated reserves (general fund balance) at 31 March", "gbp"),
        _year_end("earmarked_reserves", "Other earmarked reserves at 31 March", "gbp"),
        _year_end("usable_reserves", "Usable reserves (unallocated + other earmarked) at 31 March", "gbp"),
        _year_end("usable_reserves_pct_nre", "Level of usable reserves (% of NRE)", "pct"),
        _year_end("unallocated_reserves_pct_nre", "Level of unallocated reserves (% of NRE)", "pct"),
        _year_end("earmarked_reserves_pct_nre", "Level of other earmarked reserves (% of NRE)", "pct"),
        _year_end("usable_reserves_change_3y_pct", "Change in usable reserves (3 years, %)", "pct"),
        _year_end("unallocated_reserves_change_3y_pct", "Change in unallocated reserves (3 years, %)", "pct"),
        _year_end("earmarked_reserves_change_3y_pct", "Change in other earmarked reserves (3 years, %)", "pct"),
        _year_end("usable_reserves_change_1y_pct", "Change in usable reserves (1 year, %)", "pct"),
        _year_end("council_tax_ratio_pct", "Council tax ratio (% of NRE)", "pct"),
        _year_end("dsg_deficit_pct_usable_reserves", "DSG deficit ratio (% of usable reserves)", "pct"),
        _year_end("external_borrowing_pct_nre", "External borrowing (% of NRE)", "pct"),
        _year_end("interest_payable_pct_nre", "Interest payable (% of NRE)", "pct"),
        _year_end("social_care_ratio_pct_nre", "Social care ratio (% of NRE)", "pct"),
        TargetSeries(
            "forecast_variance",
            "Forecast revenue variance for the year, £ (positive = overspend)",
            "gbp",
            "in_year_forecast",
            "Budget monitoring",
        ),
        TargetSeries(
            "forecast_variance_pct",
            "Forecast revenue variance for the year, % of budget (positive = overspend)",
            "pct",
            "in_year_forecast",
            "Budget monitoring",
        ),
        TargetSeries(
            "dsg_deficit",
            "Cumulative DSG deficit, forecast at the year end, £",
            "gbp",
            "in_year_forecast",
            "Budget monitoring",
        ),
        *(_collection(stream) for stream in STREAMS),
    )
}


def collection_series(stream: str) -> TargetSeries:
    """The collection-rate series of any income stream the Collection sheet names: one of the catalogue's six (by
    its key, whatever the case or punctuation), else a series of that stream's own ('Parking penalty charges' →
    key 'collection_rate_parking_penalty_charges', 'In-year collection rate, Parking penalty charges (%)')."""
    return CATALOGUE.get(collection_key(stream)) or _collection(stream.strip())


def series_of(key: str, stream: str | None = None) -> TargetSeries:
    """The series a stored target names: the catalogue's, or the collection rate of `stream` (the stream stored with
    the target). Raises KeyError for a key that is neither — a target is only ever stored for one of them."""
    if key in CATALOGUE:
        return CATALOGUE[key]
    if stream is not None and collection_key(stream) == key:
        return collection_series(stream)
    raise KeyError(key)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9%£]+", " ", text.strip().lower()).strip()


_BY_WORDS: dict[str, str] = {
    **{_norm(s.key): s.key for s in CATALOGUE.values()},
    **{_norm(s.title): s.key for s in CATALOGUE.values()},
}


def find_series(text: object, streams: Sequence[str] = ()) -> TargetSeries | None:
    """The series named by its key or its title (case, spaces and punctuation ignored), or None. `streams`: income
    streams beyond the catalogue's six that the caller knows the council collects (its Collection sheets' streams),
    whose collection rates may be named too."""
    if text is None:
        return None
    words = _norm(str(text))
    key = _BY_WORDS.get(words)
    if key is not None:
        return CATALOGUE[key]
    for stream in streams:
        series = collection_series(stream)
        if words in (_norm(series.key), _norm(series.title)):
            return series
    return None


_UNITS: dict[str, tuple[Units, float]] = {
    "£": ("gbp", 1.0),
    "gbp": ("gbp", 1.0),
    "£m": ("gbp", 1e6),
    "gbp m": ("gbp", 1e6),
    "£000": ("gbp", 1e3),
    "£k": ("gbp", 1e3),
    "%": ("pct", 1.0),
    "pct": ("pct", 1.0),
    "percent": ("pct", 1.0),
}


def parse_units(text: object) -> tuple[Units, float] | None:
    """(units, multiplier to £ or %) from '£', '£m', '£000', '%' (and their words); None when not one of them."""
    if text is None:
        return None
    return _UNITS.get(re.sub(r"\s+", " ", str(text).strip().lower()))


_DIRECTIONS: dict[str, Direction] = {
    "at least": "at_least",
    "at_least": "at_least",
    "minimum": "at_least",
    "min": "at_least",
    ">=": "at_least",
    "≥": "at_least",
    "at most": "at_most",
    "at_most": "at_most",
    "maximum": "at_most",
    "max": "at_most",
    "<=": "at_most",
    "≤": "at_most",
}


def parse_direction(text: object) -> Direction | None:
    """'at least' / 'at most' (also 'minimum' / 'maximum', ≥ / ≤); None when not one of them."""
    if text is None:
        return None
    return _DIRECTIONS.get(re.sub(r"[\s_-]+", " ", str(text).strip().lower()))


def catalogue_rows(streams: Sequence[str] = ()) -> list[dict[str, str]]:
    """The catalogue as rows (key, series, units, basis) for the page, the CLI and the template's notes; then the
    collection rate of each of `streams` (a council's own streams) that the catalogue does not already hold."""
    own = {s.key: s for s in map(collection_series, streams) if s.key not in CATALOGUE}
    return [
        {"key": s.key, "series": s.title, "units": UNITS_WORDS[s.units], "judged on": BASIS_WORDS[s.basis]}
        for s in (*CATALOGUE.values(), *own.values())
    ]
