"""Everything one scenario or a comparison shows, computed in one call for the page and the CLI.

The page reads its widgets into a `Scenario` and calls `evaluate` (or `compare`); the CLI does the same from a
file. Keeping the assembling here keeps the page a thin renderer and makes the numbers testable without it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from finance.scenarios import caveats, demand
from finance.scenarios.model import Projection, Scenario, Triangle, run
from finance.scenarios.sensitivity import Sensitivity, sensitivities, sensitivity_table
from finance.scenarios.spec import ASSUMPTIONS, BASE, DSG_OVERRIDE_END, RESERVES_POLICY_LABELS
from finance.scenarios.uncertainty import MonteCarlo, simulate

MAX_COMPARED = 4


@dataclass(frozen=True)
class Evaluation:
    scenario: Scenario
    projection: Projection
    monte_carlo: MonteCarlo | None
    sensitivities: tuple[Sensitivity, ...]

    @property
    def final_year(self) -> str:
        return self.scenario.years[-1]

    @property
    def final_gap_gbp_m(self) -> float:
        """Cumulative gap after savings in the final year, £m."""
        return float(self.projection.cumulative_gap[0, -1])

    @property
    def final_gap_text(self) -> str:
        """The final cumulative gap in words ('£12.9m surplus' when negative)."""
        return caveats.gap_text(self.final_gap_gbp_m)

    def cautions(self) -> list[str]:
        """Every sentence saying what the scenario leaves out or assumes (missing cost lines, a surplus, the
        starting balances' date and source, earmarked reserves assumed drawable), in the order the page shows them."""
        s = self.scenario
        texts = [
            caveats.missing_lines_text(s),
            caveats.surplus_text(self.final_gap_gbp_m, self.final_year),
            caveats.balances_text(s),
            caveats.earmarked_text(s),
            (caveats.demand_text(s) or ("", False))[0],
        ]
        return [t for t in texts if t]

    def table(self) -> pd.DataFrame:
        return self.projection.table()

    def sensitivity_table(self) -> pd.DataFrame:
        return sensitivity_table(list(self.sensitivities), self.final_year)

    def as_dict(self) -> dict[str, Any]:
        """The CLI's --json payload: per year figures, exhaustion years and, when run, the Monte Carlo."""
        p, s = self.projection, self.scenario
        out: dict[str, Any] = {
            "name": self.scenario.name,
            "authority": self.scenario.authority,
            "base_year": self.scenario.base_year,
            "basis": "scenario projection",
            "reserves_policy": self.scenario.reserves_policy,
            "minimum_reserves_gbp_m": p.minimum_reserves,
            "starting_balances": {
                "as_at": None if s.balances_as_at is None else s.balances_as_at.isoformat(),
                "source": s.balances_source or None,
                "unallocated_reserves_gbp_m": float(s.base["unallocated_reserves"]),
                "earmarked_reserves_gbp_m": float(s.base["earmarked_reserves"]),
                "earmarked_available_gbp_m": s.earmarked_available_gbp_m,
            },
            "missing_cost_lines": list(caveats.missing_cost_lines(s)),
            "final_cumulative_gap_gbp_m": self.final_gap_gbp_m,
            "final_gap_text": self.final_gap_text,
            "cautions": self.cautions(),
            "years": [
                {
                    "year": year,
                    "incremental_gap_gbp_m": float(p.incremental_gap[0, i]),
                    "cumulative_gap_before_savings_gbp_m": float(p.cumulative_gap_before_savings[0, i]),
                    "savings_delivered_gbp_m": float(p.savings_delivered[0, i]),
                    "cumulative_gap_gbp_m": float(p.cumulative_gap[0, i]),
                    "unallocated_reserves_gbp_m": float(p.unallocated_closing[0, i]),
                    "earmarked_reserves_gbp_m": float(p.earmarked_closing[0, i]),
                    "headroom_gbp_m": float(p.headroom[0, i]),
                    "usable_reserves_pct_of_nrb": _pct_or_none(float(p.reserves_pct_of_nrb[0, i])),
                }
                for i, year in enumerate(p.years)
            ],
            "exhaustion_year": p.exhaustion_year(),
            "earmarked_exhaustion_year": p.earmarked_exhaustion_year(),
            "below_minimum_year": p.below_minimum_year(),
            "demand_lines": [
                {
                    "directorate": line.directorate,
                    "service": line.service,
                    "metric": line.metric,
                    "unit": line.unit,
                    "base_volume": line.base_volume,
                    "base_unit_cost_gbp": line.base_unit_cost_gbp,
                    "growth_pct": list(line.growth_pct),
                    "unit_cost_inflation_pct": list(line.unit_cost_inflation_pct),
                    "replaces": line.replaces,
                    "basis": line.basis or None,
                    "as_at": line.as_at or None,
                    "source": line.source or None,
                    "pressure_gbp_m": [float(x) for x in pressure[0]],
                }
                for line, (_, pressure) in zip(s.demand, p.demand, strict=True)
            ],
            "sensitivity": [
                {"assumption": s.key, "down_gbp_m": s.down_change_gbp_m, "up_gbp_m": s.up_change_gbp_m}
                for s in self.sensitivities
            ],
        }
        if self.monte_carlo is not None:
            out["monte_carlo"] = self.monte_carlo.as_dict()
        return out


def evaluate(
    scenario: Scenario,
    *,
    simulations: int = 0,
    seed: int = 1,
    ranges: Mapping[str, Triangle] | None = None,
) -> Evaluation:
    """The deterministic run, the sensitivities and (when `simulations` > 0) the Monte Carlo for `scenario`."""
    mc = simulate(scenario, simulations, seed, ranges) if simulations > 0 else None
    return Evaluation(scenario, run(scenario), mc, tuple(sensitivities(scenario)))


def with_choices(
    start: Scenario,
    *,
    name: str,
    authority: str | None,
    assumptions: Mapping[str, float | tuple[float, ...]],
    base: Mapping[str, float] | None = None,
    reserves_policy: str | None = None,
    dsg_cliff: bool | None = None,
    dsg_written_off_pct: float | None = None,
    demand_growth_pct: Mapping[int, float | tuple[float, ...]] | None = None,
) -> Scenario:
    """`start` with what the user chose on the page (a scalar assumption applies to every year; `demand_growth_pct`
    by demand line index)."""
    changed = demand.with_growth(start.with_assumptions(**assumptions), demand_growth_pct or {})
    merged_base = {**start.base, **{k: float(v) for k, v in (base or {}).items()}}
    return replace(
        changed,
        name=name.strip() or start.name,
        authority=authority,
        base=merged_base,
        reserves_policy=reserves_policy or start.reserves_policy,
        dsg_cliff=start.dsg_cliff if dsg_cliff is None else dsg_cliff,
        dsg_written_off_pct=start.dsg_written_off_pct if dsg_written_off_pct is None else float(dsg_written_off_pct),
    )


def ranges_table(ranges: Mapping[str, Triangle], scenario: Scenario | None = None) -> pd.DataFrame:
    """The ranges a Monte Carlo drew from, one row each (a demand line's named by `scenario`'s line)."""
    labels = {a.key: (a.label, a.unit_text) for a in ASSUMPTIONS}
    if scenario is not None:
        labels.update({k: (label, "% a year (volume)") for k, label in demand.range_labels(scenario).items()})
    return pd.DataFrame(
        {
            "Assumption": [labels[k][0] for k in ranges],
            "Unit": [labels[k][1] for k in ranges],
            "Low": [t.low for t in ranges.values()],
            "Most likely": [t.mode for t in ranges.values()],
            "High": [t.high for t in ranges.values()],
        }
    )


@dataclass(frozen=True)
class Comparison:
    projections: Mapping[str, Projection]
    gap_table: pd.DataFrame
    assumptions_table: pd.DataFrame


def _describe(scenario: Scenario) -> dict[str, str]:
    rows: dict[str, str] = {
        "Base year": scenario.base_year,
        "Years": f"{scenario.years[0]} to {scenario.years[-1]}",
        "Reserves policy": RESERVES_POLICY_LABELS[scenario.reserves_policy],
        f"DSG cliff ({DSG_OVERRIDE_END})": (
            f"on, {scenario.dsg_written_off_pct:g}% written off" if scenario.dsg_cliff else "off"
        ),
    }
    for spec in BASE:
        unit = "%" if spec.unit == "pct" else "£m"
        rows[f"{spec.label} ({unit})"] = f"{scenario.base[spec.key]:,.3f}"
    for a in ASSUMPTIONS:
        values = scenario.assumptions[a.key]
        text = f"{values[0]:g}" if len(set(values)) == 1 else ", ".join(f"{v:g}" for v in values)
        rows[f"{a.label} ({a.unit_text})"] = text
    for line in scenario.demand:
        growth = line.growth_pct
        text = f"{growth[0]:g}" if len(set(growth)) == 1 else ", ".join(f"{v:g}" for v in growth)
        rows[f"Demand growth: {line.label} (% a year)"] = (
            f"{text} from {line.base_volume:,.6g} {line.unit} at £{line.base_unit_cost_gbp:,.2f} a year"
        )
    return rows


def compare(scenarios: Mapping[str, Scenario], *, only_differences: bool = True) -> Comparison:
    """2–4 scenarios side by side: cumulative gap and usable reserves per year, and their assumptions diffed.

    Raises ValueError for fewer than two or more than four scenarios.
    """
    if not 2 <= len(scenarios) <= MAX_COMPARED:
        raise ValueError(f"compare 2 to {MAX_COMPARED} scenarios, not {len(scenarios)}")
    projections = {name: run(s) for name, s in scenarios.items()}
    gap_rows: list[dict[str, Any]] = []
    for name, p in projections.items():
        for i, year in enumerate(p.years):
            gap_rows.append(
                {
                    "Scenario": name,
                    "Year": year,
                    "Cumulative gap after savings £m": round(float(p.cumulative_gap[0, i]), 3),
                    "Usable reserves (closing) £m": round(float(p.usable_closing[0, i]), 3),
                }
            )
    described = {name: _describe(s) for name, s in scenarios.items()}
    items = list(next(iter(described.values())))
    frame = pd.DataFrame({"Assumption": items, **{n: [d.get(k, "") for k in items] for n, d in described.items()}})
    if only_differences:
        values = frame.drop(columns="Assumption")
        frame = frame[values.nunique(axis=1) > 1].reset_index(drop=True)
    return Comparison(projections, pd.DataFrame(gap_rows), frame)


def _pct_or_none(pct: float) -> float | None:
    """None (JSON null) where a percentage is undefined (a year whose net revenue budget is not above 0), never
    NaN, which is not JSON."""
    return pct if math.isfinite(pct) else None
