"""Everything the MTFS scenarios page shows for the scenario being edited, built in one call from its widgets.

The page reads its sliders and inputs into `Choices`, calls `scenario_view`, and draws what comes back: the
headline figures, the cautions above the charts (issue 14: missing cost lines, a surplus said as a surplus, the
starting balances' date and source, earmarked reserves assumed drawable) and one `Panel` per tab. The uncertainty
tab has its own inputs, so `uncertainty_view` builds it only when it is open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from finance.charts import Panel, target_label
from finance.format import gbp_m
from finance.scenarios import caveats, charts
from finance.scenarios.marks import LINE_OF_SERIES, ReserveMarks
from finance.scenarios.model import Scenario
from finance.scenarios.report import Evaluation, compare, evaluate, ranges_table, with_choices
from finance.scenarios.uncertainty import default_ranges, demand_ranges, simulate

Reference = tuple[str, Mapping[str, float]]


@dataclass(frozen=True)
class Choices:
    """What the user set on the page, read from its widgets."""

    name: str
    authority: str | None
    assumptions: Mapping[str, float | tuple[float, ...]]
    base: Mapping[str, float] = field(default_factory=dict)
    reserves_policy: str | None = None
    dsg_cliff: bool | None = None
    dsg_written_off_pct: float | None = None
    demand_growth_pct: Mapping[int, float | tuple[float, ...]] = field(default_factory=dict)  # by demand line


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str = ""


@dataclass(frozen=True)
class Caution:
    """A sentence shown above the charts; `level` 'warning' when the figures flatter without it, else 'info'."""

    level: str
    text: str


@dataclass(frozen=True)
class ScenarioView:
    scenario: Scenario
    evaluation: Evaluation
    metrics: tuple[Metric, ...]
    cautions: tuple[Caution, ...]
    slug: str  # file names of downloads and the exported TOML
    reference: Reference | None = None
    marks: ReserveMarks | None = None  # the council's reserve targets and risk-based minimum, where they apply

    def panel(self, kind: str) -> Panel:
        """The panel of one tab ("gap", "reserves", "sensitivity"), built only when asked: a slider move then
        draws one chart and one table, not three."""
        live, ev, slug, reference = self.scenario, self.evaluation, self.slug, self.reference
        proj, final = ev.projection, ev.final_year
        if kind == "gap":
            return Panel(
                f"{slug}-gap",
                "The gap by year (scenario projection, £m)",
                charts.gap_chart(proj, reference),
                proj.gap_table(),
                f"Scenario projection, £m: incremental gap each year and the cumulative gap before and after "
                f"savings; by {final} the cumulative gap after savings is {ev.final_gap_text}"
                + (f"; the grey dashed line is {reference[0]}." if reference else "."),
            )
        if kind == "reserves":
            exhausted = proj.exhaustion_year()
            marks = self.marks
            return Panel(
                f"{slug}-reserves",
                "Reserves at each year end (scenario projection, £m)",
                charts.reserves_chart(proj, marks),
                proj.reserves_table(),
                f"Scenario projection, £m: unallocated, earmarked and usable reserves at each year end from "
                f"{caveats.balances_as_at_words(live)}, against the minimum prudent level of "
                f"{gbp_m(proj.minimum_reserves * 1e6)}; "
                + (f"reserves are exhausted in {exhausted}." if exhausted else f"not exhausted by {final}.")
                + _marks_words(marks),
            )
        if kind == "sensitivity":
            return Panel(
                f"{slug}-sensitivity",
                f"What moves the {final} gap most",
                charts.tornado_chart(ev.sensitivities, final),
                ev.sensitivity_table(),
                f"Change in the {final} cumulative gap when each assumption moves one point (or £1m) down or up.",
            )
        raise ValueError(f"no panel {kind!r}")


def _marks_words(marks: ReserveMarks | None) -> str:
    """The caption's sentence on the council's marks drawn, each with when it was set and from what."""
    if marks is None:
        return ""
    said = [f"{target_label(t, LINE_OF_SERIES[t.series_key][1])}, {t.provenance}" for t in marks.targets]
    if marks.risk_minimum is not None:
        said.append(marks.risk_minimum.hover.replace("<br>", "; "))
    return " Drawn against the balance each is on: " + "; ".join(said) + "."


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def _cautions(ev: Evaluation) -> tuple[Caution, ...]:
    s = ev.scenario
    out: list[Caution] = []
    missing = caveats.missing_lines_text(s)
    if missing:
        out.append(Caution("info" if caveats.has_lump_sum_pressures(s) else "warning", missing))
    surplus = caveats.surplus_text(ev.final_gap_gbp_m, ev.final_year)
    if surplus:
        out.append(Caution("warning" if caveats.lacks_pay_or_prices(s) else "info", surplus))
    start = caveats.balances_text(s)
    older = s.balances_as_at is None or (caveats.first_year_start(s) - s.balances_as_at).days > 1
    out.append(Caution("warning" if older else "info", start))
    demand = caveats.demand_text(s)
    if demand is not None:
        out.append(Caution("warning" if demand[1] else "info", demand[0]))
    earmarked = caveats.earmarked_text(s) or caveats.earmarked_available_text(s)
    if earmarked:
        out.append(Caution("warning" if s.earmarked_available_gbp_m is None else "info", earmarked))
    return tuple(out)


def scenario_view(
    start: Scenario, choices: Choices, reference: Reference | None = None, marks: ReserveMarks | None = None
) -> ScenarioView:
    """The page's figures for `start` with `choices` applied; raises `InputError` for values the model refuses.

    `reference` is the approved MTFS's cumulative gap (label, {year: £m}), drawn on the gap chart when given;
    `marks` the council's reserve targets and risk-based minimum (`finance.reserves.scenario_marks`), drawn on
    the reserves chart when the scenario is written for that council."""
    live = with_choices(
        start,
        name=choices.name,
        authority=choices.authority,
        assumptions=choices.assumptions,
        base=choices.base,
        reserves_policy=choices.reserves_policy,
        dsg_cliff=choices.dsg_cliff,
        dsg_written_off_pct=choices.dsg_written_off_pct,
        demand_growth_pct=choices.demand_growth_pct,
    )
    ev = evaluate(live)
    proj, final = ev.projection, ev.final_year
    nrb = float(proj.net_revenue_budget[0, -1])
    surplus = ev.final_gap_gbp_m < -0.05
    metrics = (
        Metric(
            f"Cumulative gap by {final}",
            ev.final_gap_text,
            "The recurring gap left in the final year after delivered savings"
            + (" (negative: funding exceeds spending, a surplus)." if surplus else "."),
        ),
        Metric(
            "Reserves exhausted",
            proj.exhaustion_year() or f"Not by {final}",
            "The first year the reserves the policy can draw on are used up (unallocated at or below zero).",
        ),
        Metric(f"Headroom above minimum, {final}", charts.money_m(float(proj.headroom[0, -1]))),
        Metric(
            f"Usable reserves as % of NRB, {final}",
            f"{float(proj.reserves_pct_of_nrb[0, -1]):.1f}%" if nrb > 0 else "—",
        ),
    )
    # the marks are the council's: drawn only on a scenario whose balances are its own (started from its returns,
    # its approved MTFS or its saved scenarios), never on the worked example or a file written for another council
    own = marks.for_authority(start.authority) if marks is not None else None
    return ScenarioView(live, ev, metrics, _cautions(ev), _slug(live.name), reference, own)


@dataclass(frozen=True)
class UncertaintyView:
    panel: Panel
    ranges: pd.DataFrame
    ranges_origin: str


def uncertainty_view(
    live: Scenario,
    start: Scenario,
    simulations: int,
    seed: int,
    reference: Reference | None = None,
    marks: ReserveMarks | None = None,
) -> UncertaintyView:
    """The Monte Carlo fan for `live` with the start's own ranges (or Headroom's defaults), each demand line's growth
    drawn too (`demand_ranges`); raises `InputError`. `marks` as in `scenario_view`: the council's usable reserves
    target, drawn on a scenario written for that council."""
    ranges = {**demand_ranges(live), **start.ranges} if start.ranges else default_ranges(live)
    mc = simulate(live, simulations, seed, ranges)
    table = mc.table()
    p50 = float(mc.gap_percentiles_gbp_m[50][-1])
    panel = Panel(
        f"{_slug(live.name)}-monte-carlo",
        "The range of outcomes (Monte Carlo)",
        charts.fan_chart(mc, reference, marks.for_authority(start.authority) if marks is not None else None),
        table,
        f"{simulations:,} simulations (seed {seed}): P10 to P90 bands of the cumulative gap and usable reserves; "
        f"the median cumulative gap by {live.years[-1]} is {caveats.gap_text(p50)}.",
    )
    origin = "the scenario's own" if start.ranges else "Headroom's starting ranges (none in the scenario)"
    return UncertaintyView(panel, ranges_table(ranges, live), origin)


@dataclass(frozen=True)
class CompareView:
    panel: Panel
    assumptions: pd.DataFrame  # only the assumptions that differ


def compare_view(
    scenarios: Mapping[str, Scenario], reference: Reference | None = None, marks: ReserveMarks | None = None
) -> CompareView:
    """2–4 saved scenarios side by side (raises ValueError for fewer or more); `marks` as in `scenario_view`, the
    council's usable reserves target drawn when every scenario is written for that council."""
    c = compare(scenarios)
    finals = "; ".join(f"{name} {caveats.gap_text(float(p.cumulative_gap[0, -1]))} by {p.years[-1]}"
                       for name, p in c.projections.items())  # fmt: skip
    panel = Panel(
        "scenarios-compared",
        "Scenarios compared",
        charts.compare_chart(c.projections, reference, _common_marks(scenarios, marks)),
        c.gap_table,
        f"Scenario projections, £m: cumulative gap after savings (top) and usable reserves (bottom). {finals}.",
    )
    return CompareView(panel, c.assumptions_table)


def _common_marks(scenarios: Mapping[str, Scenario], marks: ReserveMarks | None) -> ReserveMarks | None:
    """`marks` when every scenario compared is written for their council, else None."""
    authorities = {s.authority for s in scenarios.values()}
    return marks.for_authority(authorities.pop()) if marks is not None and len(authorities) == 1 else None
