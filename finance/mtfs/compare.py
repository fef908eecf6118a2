"""Scenarios measured against the approved MTFS, and versions of the MTFS measured against each other.

The s151 officer's two questions: how far is each scenario from what council approved (per year, on the same
cumulative basis as the scenario's gap), and how did the approved gap move between versions (did the budget reset
make the 2026-27 gap bigger?). Both are answered here as tables, so the pages only draw them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from finance.mtfs.queries import MtfsSeries
from finance.scenarios import ApprovedPlan, BaseFigures, Projection, Scenario, make_scenario, run

ROUND = 3  # £m to the nearest £1,000: finer than any MTFS states, so a zero difference shows as 0.0


def starting_scenario(series: MtfsSeries, base: BaseFigures | None = None) -> Scenario:
    """A scenario that reproduces the approved MTFS: with every slider at zero its gap is the approved gap.

    The approved gaps before savings become additional pressures and the savings identified become planned
    savings delivered in full, over the MTFS's own years from its base year. Base figures (budget, council tax,
    reserves) come from `base` (the returns held) where given, else start at zero for the user to enter. The earmarked
    reserves a scenario may draw on are the uncommitted ones of the base year's monitoring, when its Reserves sheet
    gives a Status for every earmarked reserve; otherwise all of them (and the scenario warns).
    """
    v = series.version
    values = base.values_gbp_m() if base is not None else {}
    available = series.earmarked_uncommitted_gbp_m
    drawable = ""
    if available is not None:  # never more than the earmarked reserves the scenario starts with
        available = round(min(available, values.get("earmarked_reserves", 0.0)), 6)
        drawable = f" Earmarked reserves available to draw: the {series.earmarked_uncommitted_source}."
    return make_scenario(
        f"{v.version_name} (approved MTFS)",
        v.base_year,
        series.years,
        values,
        {
            "additional_pressures_gbp_m": series.gap_before_savings_gbp_m,
            "savings_planned_gbp_m": series.savings_gbp_m,
            "savings_delivery_pct": 100.0,
        },
        authority=v.authority_code,
        balances_as_at=base.balances_as_at if base is not None else None,
        balances_source=base.balances_source if base is not None else "",
        description=f"Started from the approved MTFS '{v.version_name}', {v.date_text} ({v.file_name}).{drawable}",
        earmarked_available_gbp_m=available,
    )


def approved_plan(series: MtfsSeries) -> ApprovedPlan:
    """The approved MTFS as the scenarios page's starting rule sees it (`finance.scenarios.session`)."""
    return ApprovedPlan(series.version.label, series.version.base_year, lambda base: starting_scenario(series, base))


def difference_by_year(proj: Projection, series: MtfsSeries) -> dict[str, float]:
    """Scenario cumulative gap after savings − approved cumulative gap, £m, for the years both cover."""
    approved = series.cumulative_gap_gbp_m
    return {
        year: round(float(gap) - approved[year], ROUND)
        for year, gap in zip(proj.years, proj.cumulative_gap[0], strict=True)
        if year in approved
    }


def difference_table(proj: Projection, series: MtfsSeries) -> pd.DataFrame:
    """One scenario against the approved MTFS by year: both cumulative gaps and the difference, £m."""
    approved = series.cumulative_gap_gbp_m
    diff = difference_by_year(proj, series)
    years = [y for y in proj.years if y in approved]
    scenario_gap = dict(zip(proj.years, (float(g) for g in proj.cumulative_gap[0]), strict=True))
    return pd.DataFrame(
        {
            "Year": years,
            "Scenario cumulative gap £m": [round(scenario_gap[y], ROUND) for y in years],
            "Approved MTFS cumulative gap £m": [round(approved[y], ROUND) for y in years],
            "Difference £m": [diff[y] for y in years],
        }
    )


def scenarios_against(scenarios: Mapping[str, Scenario], series: MtfsSeries) -> pd.DataFrame:
    """Each scenario's difference from the approved cumulative gap, one row per scenario, one column per year
    (£m; positive = the scenario's gap is bigger than approved). Years a scenario does not model are blank."""
    rows = []
    for name, scenario in scenarios.items():
        diff = difference_by_year(run(scenario), series)
        rows.append({"Scenario": name} | {f"{y} £m": diff.get(y) for y in series.years})
    return pd.DataFrame(rows, columns=["Scenario", *(f"{y} £m" for y in series.years)])


def versions_table(versions: Sequence[MtfsSeries]) -> pd.DataFrame:
    """How the approved gap for each year moved between versions (oldest first): one row per year, the gap new in
    that year after savings in each version, then the change from each version to the next, £m."""
    years = sorted({y for s in versions for y in s.years})
    frame = pd.DataFrame({"Year": years})
    labels = [s.version.label for s in versions]
    names = [f"{label} £m" if labels.count(label) == 1 else f"{label}, upload {s.version.upload_id} £m"
             for label, s in zip(labels, versions, strict=True)]  # fmt: skip
    for name, s in zip(names, versions, strict=True):
        gaps = dict(zip(s.years, s.gap_gbp_m, strict=True))
        frame[name] = pd.array([round(gaps[y], ROUND) if y in gaps else None for y in years], dtype="Float64")
    for i in range(1, len(versions)):
        old, new = versions[i - 1].version.version_name, versions[i].version.version_name
        frame[f"Change {i}: {old} → {new} £m"] = (frame[names[i]] - frame[names[i - 1]]).round(ROUND)
    return frame


def versions_list(versions: Sequence[MtfsSeries]) -> pd.DataFrame:
    """The versions themselves, oldest first: name, dates, years covered, total gap and where each came from."""
    return pd.DataFrame(
        {
            "Version": [s.version.version_name for s in versions],
            "Approved": [s.version.approved_on.isoformat() if s.version.approved_on else "" for s in versions],
            "Uploaded (UTC)": [f"{s.version.uploaded_at_utc:%Y-%m-%d %H:%M}" for s in versions],
            "Years": [f"{s.years[0]} to {s.years[-1]}" if s.years else "" for s in versions],
            "Total gap £m": [round(sum(s.gap_gbp_m), ROUND) for s in versions],
            "File": [s.version.file_name for s in versions],
            "Upload": [s.version.upload_id for s in versions],
        }
    )
