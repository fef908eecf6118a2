"""Sensitivity: which assumption moves the final-year gap most (the data behind the tornado chart).

Each assumption, and each demand line's volume growth, is moved by one point — one percentage point a year, or £1m
a year for `_gbp_m` lines — down and up, every year at once, with the others held, and the change in the final-year
cumulative gap (after savings) is recorded. Moves that would leave an assumption's valid range are clipped to it
(savings delivery cannot exceed 100%), so such a side shows the smaller, real change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finance.scenarios.demand import GROWTH_MAX_PCT, GROWTH_MIN_PCT, growth_key
from finance.scenarios.model import Scenario, assumption_arrays, project_scenario
from finance.scenarios.spec import ASSUMPTIONS


@dataclass(frozen=True)
class Sensitivity:
    key: str
    label: str
    step: str  # what "one point" is for this assumption
    down_change_gbp_m: float  # change in the final-year cumulative gap when the assumption goes down
    up_change_gbp_m: float

    @property
    def swing_gbp_m(self) -> float:
        return abs(self.up_change_gbp_m - self.down_change_gbp_m)


def sensitivities(scenario: Scenario, *, include_zero: bool = False) -> list[Sensitivity]:
    """One entry per assumption and demand line, largest swing first; those that move nothing are left out by default
    (a blanket demand growth a demand line replaces moves nothing).

    All 2 × (number of assumptions and demand lines) variants run in one vectorised call.
    """
    base_values = assumption_arrays(scenario)
    for j, line in enumerate(scenario.demand):
        base_values[growth_key(j)] = np.asarray(line.growth_pct, dtype=float).reshape(1, -1)
    moved = [(spec.key, spec.label, spec.minimum, spec.maximum, spec.unit) for spec in ASSUMPTIONS]
    moved += [
        (growth_key(j), f"Demand growth: {line.label}", GROWTH_MIN_PCT, GROWTH_MAX_PCT, "pct")
        for j, line in enumerate(scenario.demand)
    ]
    n = len(moved)
    stacked = {k: np.repeat(v, 2 * n + 1, axis=0) for k, v in base_values.items()}
    for i, (key, _, low, high, _) in enumerate(moved):
        arr = stacked[key]
        arr[2 * i + 1] = np.clip(arr[2 * i + 1] - 1.0, low, high)
        arr[2 * i + 2] = np.clip(arr[2 * i + 2] + 1.0, low, high)
    proj = project_scenario(scenario, stacked)
    final = proj.cumulative_gap[:, -1]
    out: list[Sensitivity] = []
    for i, (key, label, _, _, unit) in enumerate(moved):
        down = float(final[2 * i + 1] - final[0])
        up = float(final[2 * i + 2] - final[0])
        if not include_zero and abs(down) < 1e-9 and abs(up) < 1e-9:
            continue
        step = "±£1m a year" if unit == "gbp_m" else "±1 point a year"
        out.append(Sensitivity(key, label, step, down, up))
    out.sort(key=lambda s: s.swing_gbp_m, reverse=True)
    return out


def sensitivity_table(items: list[Sensitivity], final_year: str) -> pd.DataFrame:
    """The tornado's data as a table: change in the final-year cumulative gap, £m."""
    return pd.DataFrame(
        {
            "Assumption": [s.label for s in items],
            "Moved by": [s.step for s in items],
            f"Gap change in {final_year} if lower £m": [round(s.down_change_gbp_m, 3) for s in items],
            f"Gap change in {final_year} if higher £m": [round(s.up_change_gbp_m, 3) for s in items],
        }
    )
