"""Demand drivers in a scenario: a named service's volume and unit cost, each growing by its own rate, as a line
of pressure in the gap.

Why: overspends in care placements, home care and temporary accommodation are demand and price stories, and a
blanket "demand growth %" on a whole service hides which. A demand line says what is counted (children looked after,
home care hours), from what base (the volume and unit cost, with their basis, as-at point and source) and how fast
the volume grows; the model then adds, for forecast year t,

    pressure_t = volume_0 × Π(1 + growth) × unit cost_0 × Π(1 + unit-cost inflation) − volume_0 × unit cost_0

in £m to spending (the base year balances, so only the change counts). A line for adults' or children's social care
replaces the scenario's blanket `adults_demand_growth_pct` / `childrens_demand_growth_pct` for that service: never
both (docs/METHODOLOGY.md, "Demand drivers in scenarios"). The model ignores a replaced blanket growth, a file giving
both is refused, and a start seeded with lines sets the blanket one to zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from finance.scenarios.model import Scenario, Triangle

Array = npt.NDArray[np.float64]

GROUPS: tuple[str, ...] = ("adults", "childrens", "other")
GROUP_LABELS: Mapping[str, str] = {
    "adults": "adults' social care",
    "childrens": "children's social care",
    "other": "another service",
}
# The blanket demand growth a line of each group replaces (never both).
REPLACES: Mapping[str, str] = {"adults": "adults_demand_growth_pct", "childrens": "childrens_demand_growth_pct"}

GROWTH_MIN_PCT, GROWTH_MAX_PCT = -50.0, 50.0  # as every % assumption
DEMAND_SLIDER_MIN_PCT, DEMAND_SLIDER_MAX_PCT = -10.0, 20.0  # the page's growth sliders
MAX_VOLUME = 1e9  # far above any council's caseload, hours or households
MAX_UNIT_COST_GBP = 1e8  # £ a year per unit: far above any placement's cost
MAX_LINES = 50
# Headroom's starting range for a line's growth when the scenario gives none: −1 / +3 points around its value, as for
# the blanket demand growth (demand surprises are mostly upwards).
DEFAULT_SPREAD_PCT = (1.0, 3.0)
SEEDED_BASIS = "in-year forecast (monitoring)"

# Words that put a children's directorate's line outside children's social care (education, SEND, schools: the DSG
# and the education budget, not the blanket children's social care line).
_NOT_SOCIAL_CARE = frozenset({"education", "send", "school", "schools", "dsg", "transport"})


@dataclass(frozen=True)
class DemandLine:
    """One demand driver: a metric of a named service, its base volume and unit cost (£ a year per unit) and the
    growth of each, per forecast year."""

    directorate: str
    service: str  # blank where the service's line has none (the directorate names it)
    metric: str
    unit: str  # of volume: children, hours, placements, households
    base_volume: float
    base_unit_cost_gbp: float
    growth_pct: tuple[float, ...]
    unit_cost_inflation_pct: tuple[float, ...]
    group: str  # GROUPS: which blanket demand growth it replaces, if any
    basis: str = ""  # what kind of number the base is (seeded lines: the in-year forecast)
    as_at: str = ""  # when the base is at (seeded lines: the upload's period, e.g. "P6 2025-26")
    source: str = ""  # where the base comes from (seeded lines: the upload, file and sha256)
    growth_range: Triangle | None = None  # for the Monte Carlo; None: Headroom's starting range

    @property
    def label(self) -> str:
        return f"{self.metric} ({self.service or self.directorate})"

    @property
    def base_cost_gbp_m(self) -> float:
        return self.base_volume * self.base_unit_cost_gbp / 1e6

    @property
    def replaces(self) -> str | None:
        return REPLACES.get(self.group)

    def identity(self) -> tuple[str, str, str]:
        """What makes two lines the same line: directorate, service and metric, ignoring case and spaces."""
        return (_fold(self.directorate), _fold(self.service), _fold(self.metric))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def growth_key(index: int) -> str:
    """The key of line `index`'s growth in value arrays, ranges and problems (as the TOML path names it)."""
    return f"demand[{index}].growth_pct"


def infer_group(directorate: str, service: str) -> str:
    """Which blanket growth a line replaces, read from its directorate and service names: 'adult' → adults' social
    care; 'child' → children's social care unless it names education, SEND, schools, high needs, the DSG or
    transport; anything else → another service."""
    text = _fold(f"{directorate} {service}")
    words = set(re.findall(r"[a-z]+", text))
    if "adult" in text:
        return "adults"
    if "child" in text and not (words & _NOT_SOCIAL_CARE or "high needs" in text):
        return "childrens"
    return "other"


def covered(lines: Sequence[DemandLine]) -> frozenset[str]:
    """The blanket demand growth keys the lines replace."""
    return frozenset(key for line in lines if (key := line.replaces) is not None)


def pressures_gbp_m(lines: Sequence[DemandLine], values: Mapping[str, Array], shape: tuple[int, ...]) -> list[Array]:
    """Each line's pressure (£m, change from the base), (simulations, years); growth from `values[growth_key(i)]`
    when given (a Monte Carlo draw, a sensitivity variant, a slider), else the line's own."""
    out: list[Array] = []
    for i, line in enumerate(lines):
        given = values.get(growth_key(i))
        growth = np.asarray(line.growth_pct, dtype=float).reshape(1, -1) if given is None else given
        growth = np.broadcast_to(np.asarray(growth, dtype=float), shape)
        inflation = np.asarray(line.unit_cost_inflation_pct, dtype=float).reshape(1, -1)
        volume = line.base_volume * np.cumprod(1.0 + growth / 100.0, axis=1)
        unit_cost = line.base_unit_cost_gbp * np.cumprod(1.0 + inflation / 100.0, axis=1)
        out.append(np.asarray((volume * unit_cost - line.base_volume * line.base_unit_cost_gbp) / 1e6, dtype=float))
    return out


def with_growth(scenario: Scenario, growth: Mapping[int, float | tuple[float, ...]]) -> Scenario:
    """A copy with some lines' volume growth changed (a scalar applies to every year); raises IndexError for a line
    the scenario does not have."""
    lines = list(scenario.demand)
    for index, value in growth.items():
        line = lines[index]
        per_year = (float(value),) * len(scenario.years) if isinstance(value, int | float) else tuple(value)
        if len(per_year) != len(scenario.years):
            raise ValueError(f"expected {len(scenario.years)} values, got {len(per_year)}")
        lines[index] = replace(line, growth_pct=tuple(float(v) for v in per_year))
    return replace(scenario, demand=tuple(lines))


def range_labels(scenario: Scenario) -> dict[str, str]:
    """The words for each line's growth key (tables of ranges, the tornado)."""
    return {growth_key(i): f"Demand growth: {line.label}" for i, line in enumerate(scenario.demand)}


@dataclass(frozen=True)
class DemandSeed:
    """One uploaded demand metric as a scenario starts from it: the forecast volume and unit cost at a period."""

    directorate: str
    service: str
    metric: str
    unit: str
    volume: float
    unit_cost_gbp: float
    as_at: str
    source: str


@dataclass(frozen=True)
class UploadedDemand:
    """The council's latest uploaded demand (built above this package, from `finance.monitoring`), and the Revenue
    lines of that upload, against which an imported scenario's demand lines are checked."""

    seeds: tuple[DemandSeed, ...]
    revenue_lines: frozenset[tuple[str, str]]  # (directorate, service), folded
    label: str  # e.g. "P6 2025-26, upload 3 (northbridge-p6.xlsx)"

    def knows(self, line: DemandLine) -> bool:
        return (_fold(line.directorate), _fold(line.service)) in self.revenue_lines


def seed_demand(scenario: Scenario, uploaded: UploadedDemand | None) -> Scenario:
    """`scenario` with a demand line per uploaded metric (growth and unit-cost inflation 0%, so the gap is unchanged
    until a slider moves); the blanket growth a line replaces is set to zero. Unchanged when nothing is uploaded."""
    if uploaded is None or not uploaded.seeds:
        return scenario
    zero = (0.0,) * len(scenario.years)
    lines = tuple(
        DemandLine(
            s.directorate,
            s.service,
            s.metric,
            s.unit,
            s.volume,
            s.unit_cost_gbp,
            zero,
            zero,
            infer_group(s.directorate, s.service),
            SEEDED_BASIS,
            s.as_at,
            s.source,
        )
        for s in uploaded.seeds
    )
    blanket = dict.fromkeys(covered(lines), 0.0)
    return replace(scenario.with_assumptions(**blanket), demand=lines)


def unknown_services(scenario: Scenario, uploaded: UploadedDemand | None) -> list[tuple[str, str]]:
    """(where, what) for each line naming no Revenue line of the council's latest upload (none when nothing is
    uploaded: a scenario may then name any service)."""
    if uploaded is None or not uploaded.revenue_lines:
        return []
    return [
        (f"demand[{i}].service", " / ".join(v for v in (line.directorate, line.service) if v))
        for i, line in enumerate(scenario.demand)
        if not uploaded.knows(line)
    ]
