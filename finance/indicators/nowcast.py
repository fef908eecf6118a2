"""The nowcast: the indicators recomputed on the council's own forecast for the current year.

Why: the official returns arrive a year or more late. The latest monitoring upload already says where reserves
will close (Reserves sheet: opening − forecast use = forecast closing; DSG sheet: cumulative deficit), and the
current saved MTFS scenario says what the year's net revenue budget is. Putting those into the same formulas and
placing the result among the peers' *latest official* values shows where the council is heading — always
labelled as a projection against older peer data, never mixed into the official ranking.

What is projected: usable reserves (the forecast closing balances of the Reserves sheet's unallocated and earmarked
lines, after the forecast overspend; ring-fenced lines excluded) and the DSG deficit. The denominator stays the
peers' definition: the council's own net revenue expenditure from its latest return. What is not projected:
external borrowing, interest payable, financing costs, and the council tax ratio (no in-year council tax
requirement on the RS definition). Indicators whose inputs are missing say "not projected".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.indicators import measures as m
from finance.indicators.peers import PeerStats, peer_stats
from finance.indicators.profile import INDICATORS, IndicatorSpec, format_number, position_words
from finance.peergroups import applicability

PROJECTION = "projection"
NOT_PROJECTED = {
    "external_borrowing_pct_nre",
    "interest_payable_pct_nre",
    "financing_costs_pct_nre",
    "social_care_ratio_pct_nre",  # the monitoring gives no service lines
    "social_care_pct_total_service",
}


@dataclass(frozen=True)
class NowcastInputs:
    """The council's own forecast for `financial_year`, in £ (None where not available)."""

    financial_year: str
    period: int
    unallocated_opening_gbp: float
    earmarked_opening_gbp: float
    unallocated_closing_gbp: float
    earmarked_closing_gbp: float
    dsg_deficit_gbp: float | None = None
    net_revenue_budget_gbp: float | None = None
    council_tax_requirement_gbp: float | None = None
    scenario_label: str | None = None
    nre_year: str | None = None  # the return the net revenue expenditure denominator comes from

    @property
    def usable_closing_gbp(self) -> float:
        return self.unallocated_closing_gbp + self.earmarked_closing_gbp

    def describe(self) -> str:
        text = f"Projection for {self.financial_year} from monitoring P{self.period}"
        text += f" and scenario '{self.scenario_label}'" if self.scenario_label else ""
        return text + (f", ÷ net revenue expenditure {self.nre_year} (RS)" if self.nre_year else "")


@dataclass(frozen=True)
class NowcastResult:
    spec: IndicatorSpec
    reading: m.Reading
    stats: PeerStats


@dataclass(frozen=True)
class Nowcast:
    inputs: NowcastInputs
    peer_year: str
    results: tuple[NowcastResult, ...]

    def label(self) -> str:
        return f"{self.inputs.describe()}, against peers' official {self.peer_year}"

    def marker_label(self) -> str:
        """Short text beside the marker on a strip: 'projection 2026-27 (P7)'."""
        return f"projection {self.inputs.financial_year} (P{self.inputs.period})"

    def table(self) -> pd.DataFrame:
        rows = []
        for r in self.results:
            s, unit = r.stats, r.spec.unit
            rows.append(
                {
                    "Indicator": r.spec.title,
                    "Unit": unit,
                    "Projected value": format_number(r.reading.sort_value, unit)
                    if r.reading.sort_value is not None
                    else "not projected",
                    f"Peer median (official {self.peer_year})": format_number(s.median, unit),
                    "Would rank": position_words(s, r.spec),
                    "Years used": r.reading.years_used,
                    "Note": r.reading.note,
                }
            )
        return pd.DataFrame(rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label(),
            "financial_year": self.inputs.financial_year,
            "monitoring_period": self.inputs.period,
            "scenario": self.inputs.scenario_label,
            "peer_year": self.peer_year,
            "usable_reserves_closing_gbp": round(self.inputs.usable_closing_gbp, 2),
            "indicators": [
                {
                    "key": r.spec.key,
                    "value": r.reading.value,
                    "status": r.reading.status,
                    "years_used": r.reading.years_used,
                    "rank": r.stats.rank,
                    "n_ranked": r.stats.n_ranked,
                }
                for r in self.results
            ],
        }


def projected_series(official: m.AuthoritySeries, inputs: NowcastInputs) -> m.AuthoritySeries:
    """`official` plus the forecast year as if returned, so every formula (and its window) applies unchanged."""
    y, b = inputs.financial_year, official.primary_basis
    rows: list[tuple[str, str, str, str, float | None]] = [
        (year, basis, measure, point, value) for (year, basis, measure, point), value in official.items() if year != y
    ]
    rows += [
        (y, b, "unallocated_reserves", "opening", inputs.unallocated_opening_gbp),
        (y, b, "earmarked_reserves", "opening", inputs.earmarked_opening_gbp),
        (y, b, "unallocated_reserves", "closing", inputs.unallocated_closing_gbp),
        (y, b, "earmarked_reserves", "closing", inputs.earmarked_closing_gbp),
    ]
    if inputs.net_revenue_budget_gbp is not None:
        rows.append((y, b, "net_revenue_expenditure", "year", inputs.net_revenue_budget_gbp))
    if inputs.council_tax_requirement_gbp is not None:
        rows.append((y, b, "council_tax_requirement", "year", inputs.council_tax_requirement_gbp))
    if inputs.dsg_deficit_gbp is not None:
        rows.append((y, b, "dsg_adjustment_account", "closing", -inputs.dsg_deficit_gbp))
    return m.AuthoritySeries(official.code, rows, primary_basis=b)


def _missing_note(spec: IndicatorSpec, inputs: NowcastInputs) -> str:
    if inputs.net_revenue_budget_gbp is None and spec.unit == "% of NRE":
        return "not projected: no net revenue expenditure on the council's returns"
    if inputs.council_tax_requirement_gbp is None and spec.key == "council_tax_ratio_pct":
        return "not projected: no in-year council tax requirement on the returns' definition"
    if inputs.dsg_deficit_gbp is None and spec.key == "dsg_deficit_pct_usable_reserves":
        return "not projected: no DSG sheet in the monitoring"
    return "not projected: an input is missing"


def compute_nowcast(
    inputs: NowcastInputs,
    official: m.AuthoritySeries,
    peers: dict[str, m.AuthoritySeries],
    peer_year: str,
    classes: Mapping[str, str | None] | None = None,
) -> Nowcast:
    """Each indicator on the projection, ranked among `peers` (the authority excluded) at their `peer_year`.

    With `classes` (code → class), a peer an indicator does not apply to (`IndicatorSpec.applies_to`, or outside
    England) is left out of that indicator's comparison."""
    projected = projected_series(official, inputs)
    results = []
    for spec in INDICATORS:
        if spec.shown_when is not None and not spec.shown_when(projected, inputs.financial_year):
            continue
        if spec.key in NOT_PROJECTED:
            reading = m.Reading(None, m.NOT_REPORTED, PROJECTION, "", "not projected")
        else:
            r = spec.compute(projected, inputs.financial_year)
            if r.status == m.NO_RETURN:  # an input the forecast does not give: say so, not "no return"
                r = m.Reading(None, m.NOT_REPORTED, None, r.years_used, _missing_note(spec, inputs))
            reading = m.Reading(r.value, r.status, PROJECTION, r.years_used, r.note)
        readings = {
            c: spec.compute(s, peer_year)
            for c, s in peers.items()
            if c != official.code and (classes is None or applicability(c, classes.get(c), spec.applies_to).applies)
        }
        readings[official.code] = reading
        results.append(NowcastResult(spec, reading, peer_stats(readings, official.code, spec.higher_risk_when)))
    return Nowcast(inputs, peer_year, tuple(results))


def strip_markers(nowcast: Nowcast | None, shown_year: str) -> dict[str, float]:
    """Nowcast values to mark on the strips of `shown_year`, by indicator key.

    Only when the strips show the peers' year the nowcast was ranked against — otherwise the marker would sit
    among a different year's values. Indicators with no projected value are left out.
    """
    if nowcast is None or nowcast.peer_year != shown_year:
        return {}
    return {r.spec.key: v for r in nowcast.results if (v := r.reading.sort_value) is not None}
