"""What a scenario leaves out, said in words, so that a scenario cannot flatter (issue 14, item 9).

A scenario started from the official returns has a budget, council tax and reserves but no pay bill, no non-pay
spending and no social care lines: the returns do not split spending that way. Its pay and inflation sliders then
move nothing and its gap is far too small, and with council tax rising it can even show a surplus. Its starting
balances are a dated outturn; a scenario file may carry older ones. And `earmarked_first` drawing every earmarked
reserve assumes none is committed. Each of these is a rule here, stated as a sentence the page, the CLI and the
overview's MTFS card all read, never re-worded elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from finance import years as fy
from finance.format import gbp_m
from finance.scenarios.model import Scenario
from finance.scenarios.spec import ASSUMPTION_KEYS


@dataclass(frozen=True)
class CostLine:
    """A spending line the model grows by its own assumptions; without a base figure they move nothing."""

    name: str  # as said in a sentence
    base_key: str
    assumption_keys: tuple[str, ...]


COST_LINES: tuple[CostLine, ...] = (
    CostLine("pay", "pay", ("pay_award_pct",)),
    CostLine("prices (non-pay spending)", "non_pay", ("non_pay_inflation_pct",)),
    CostLine("adults' social care", "adults_social_care", ("adults_inflation_pct", "adults_demand_growth_pct")),
    CostLine(
        "children's social care", "childrens_social_care", ("childrens_inflation_pct", "childrens_demand_growth_pct")
    ),
)
PAY_AND_PRICES = ("pay", "non_pay")


def missing_cost_lines(scenario: Scenario) -> tuple[str, ...]:
    """The cost lines the scenario has no base figure for (their assumptions cannot add to its gap)."""
    return tuple(line.name for line in COST_LINES if float(scenario.base.get(line.base_key, 0.0)) <= 0.0)


def has_lump_sum_pressures(scenario: Scenario) -> bool:
    """Whether costs are entered as additional pressures in £m (which may carry pay and prices, as an MTFS does)."""
    return any(abs(v) > 1e-9 for v in scenario.assumptions.get("additional_pressures_gbp_m", ()))


def lacks_pay_or_prices(scenario: Scenario) -> bool:
    """No pay bill or no non-pay spending, and no additional pressures that could carry them: the gap leaves out
    the costs that drive most councils' gaps, so it must not be rated as comfortable."""
    missing = {line.base_key for line in COST_LINES if line.name in missing_cost_lines(scenario)}
    return bool(missing & set(PAY_AND_PRICES)) and not has_lump_sum_pressures(scenario)


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def missing_lines_text(scenario: Scenario) -> str | None:
    """The sentence above the chart naming the cost lines the scenario lacks, or None when it has them all."""
    missing = missing_cost_lines(scenario)
    if not missing:
        return None
    lines = _listed(missing)
    if has_lump_sum_pressures(scenario):
        return (
            f"This scenario has no base figures for {lines}: their sliders (pay award, inflation, demand) move "
            "nothing, so the additional pressures entered must carry those costs."
        )
    return (
        f"This scenario lacks {lines}: it has no base figures for them, so its gap leaves out what they will cost "
        "and is too small. Enter them under 'Base figures' (the returns do not split spending this way)."
    )


def gap_text(gap_gbp_m: float) -> str:
    """A cumulative gap in words: '£12.9m', or '£12.9m surplus' when negative (never '−£12.9m' unexplained)."""
    if gap_gbp_m < -0.05:
        return f"{gbp_m(-gap_gbp_m * 1e6)} surplus"
    return gbp_m(max(gap_gbp_m, 0.0) * 1e6)


def surplus_text(gap_gbp_m: float, final_year: str) -> str | None:
    """What a negative cumulative gap means, or None when there is a gap (or none)."""
    if gap_gbp_m >= -0.05:
        return None
    return (
        f"Funding exceeds spending by {gbp_m(-gap_gbp_m * 1e6)} in {final_year} on these assumptions: a surplus "
        "(a negative gap), added to unallocated reserves each year."
    )


def _date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def first_year_start(scenario: Scenario) -> date:
    """1 April of the first projected year: the date the starting balances should be at."""
    return date(fy.start_year(scenario.years[0]), 4, 1)


def balances_text(scenario: Scenario) -> str:
    """The as-at date and source of the starting balances, and how far they are from the first projected year."""
    amounts = (
        f"unallocated {gbp_m(scenario.base['unallocated_reserves'] * 1e6)} and earmarked "
        f"{gbp_m(scenario.base['earmarked_reserves'] * 1e6)}"
    )
    if scenario.balances_as_at is None:
        return (
            f"Starting balances ({amounts}): this scenario does not say what date they are at or where they come "
            f"from; they are taken as the balances on {_date(first_year_start(scenario))}."
        )
    source = f" from {scenario.balances_source}" if scenario.balances_source else " (source not stated)"
    text = f"Starting balances: {amounts} at {_date(scenario.balances_as_at)}{source}."
    start = first_year_start(scenario)
    if (start - scenario.balances_as_at).days > 1:
        text += (
            f" They are older than the start of the first projected year ({_date(start)}): the year in between is "
            "not projected."
        )
    return text


def earmarked_text(scenario: Scenario) -> str | None:
    """Under `earmarked_first`, a warning when the scenario does not say how much earmarked reserve is available."""
    if scenario.reserves_policy != "earmarked_first":
        return None
    held = gbp_m(scenario.base["earmarked_reserves"] * 1e6)
    if scenario.earmarked_available_gbp_m is None:
        return (
            f"All {held} of earmarked reserves are assumed drawable to meet the gap, but most are usually committed "
            "to their purposes. Say how much is available (earmarked_available_gbp_m under [balances] in the "
            "scenario file) or choose 'Unallocated (general fund) reserves only'."
        )
    return None


def earmarked_available_text(scenario: Scenario) -> str | None:
    """The stated available earmarked reserves, for the caption under the reserves policy."""
    if scenario.reserves_policy != "earmarked_first" or scenario.earmarked_available_gbp_m is None:
        return None
    return (
        f"Of {gbp_m(scenario.base['earmarked_reserves'] * 1e6)} earmarked reserves, "
        f"{gbp_m(scenario.earmarked_available_gbp_m * 1e6)} is stated as available to draw; the rest is not touched."
    )


def balances_as_at_words(scenario: Scenario) -> str:
    """'the balances at 31 March 2024', or that their date is not stated."""
    if scenario.balances_as_at is None:
        return "starting balances whose date is not stated"
    return f"the balances at {_date(scenario.balances_as_at)}"


_YEAR = re.compile(r"\b(\d{4}-\d{2})\b")


def demand_text(scenario: Scenario) -> tuple[str, bool] | None:
    """What the demand lines start from (basis, as-at point, source) and which blanket growth they replace, and
    whether that warrants a warning: a base at a point outside the scenario's base year (its growth then runs from a
    volume seen in another year) or not stated. None without demand lines."""
    if not scenario.demand:
        return None
    parts, warn = [], False
    for line in scenario.demand:
        basis = ", ".join(x for x in (line.basis, line.as_at) if x) or "basis and date not stated"
        source = f"; {line.source}" if line.source else ""
        parts.append(
            f"{line.label}: {line.base_volume:,.6g} {line.unit} at £{line.base_unit_cost_gbp:,.2f} a year ({basis}"
            f"{source})"
        )
        year = _YEAR.search(line.as_at)
        warn = warn or year is None or year.group(1) != scenario.base_year
    text = "Demand lines, each a pressure line in the gap (volume × unit cost): " + "; ".join(parts) + "."
    replaced = sorted(scenario.replaced_growth)
    if replaced:
        names = _listed(tuple(ASSUMPTION_KEYS[k].label.lower() for k in replaced))
        text += f" They replace the {names} (never both)."
    if warn:
        text += (
            f" A line whose base is not stated in the base year {scenario.base_year} grows from a volume and unit "
            "cost seen at another time."
        )
    return text, warn
