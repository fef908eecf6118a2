"""What a scenario is made of: every base figure and assumption, with its unit, default, bounds and label.

One table drives the TOML parser (which keys exist, their types and bounds), the writer, the page's sliders and
the sensitivity analysis, so a new lever is added in one place and appears everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from finance.years import DSG_OVERRIDE_END as DSG_OVERRIDE_END_DATE
from finance.years import DSG_OVERRIDE_END_TEXT

Unit = Literal["pct", "gbp_m"]
Role = Literal["funding", "cost", "savings", "reserves", "dsg"]

RESERVES_POLICIES: tuple[str, ...] = ("earmarked_first", "unallocated_only")
RESERVES_POLICY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "earmarked_first": "Earmarked reserves first, then unallocated",
        "unallocated_only": "Unallocated (general fund) reserves only",
    }
)

# The DSG cliff: the statutory override ends (finance.years.DSG_OVERRIDE_END); the deficit counts from the next year.
DSG_OVERRIDE_END = DSG_OVERRIDE_END_TEXT
DSG_FIRST_YEAR_START = DSG_OVERRIDE_END_DATE.year

MIN_YEARS = 3
MAX_YEARS = 5
MAX_DEPTH = 4  # tables and lists inside each other: a scenario file needs 3 ([uncertainty] key → {low, mode, high})

# The tool convention for a minimum prudent level when none is set locally: 5% of the net revenue budget.
# There is no statutory percentage; councils set it in the s25 report.
DEFAULT_MINIMUM_PCT_OF_NRB = 5.0


@dataclass(frozen=True)
class BaseSpec:
    """A base-year figure under `[base]`, in £m unless `unit` says otherwise."""

    key: str
    label: str
    required: bool = False
    unit: Unit = "gbp_m"
    maximum: float = 100_000.0  # £m: £100bn, far above any council's budget; a percentage's is 100


BASE: tuple[BaseSpec, ...] = (
    BaseSpec("net_revenue_budget", "Net revenue budget", required=True),
    BaseSpec("council_tax_requirement", "Council tax requirement", required=True),
    BaseSpec("unallocated_reserves", "Unallocated reserves (general fund)", required=True),
    BaseSpec("earmarked_reserves", "Earmarked reserves", required=True),
    BaseSpec("minimum_reserves", "Minimum prudent unallocated reserves"),
    BaseSpec("collection_rate_pct", "Council tax collection rate in the base", unit="pct", maximum=100.0),
    BaseSpec("business_rates", "Business rates income"),
    BaseSpec("grants", "Grants"),
    BaseSpec("fees_and_charges", "Fees and charges"),
    BaseSpec("pay", "Pay bill"),
    BaseSpec("non_pay", "Non-pay spending"),
    BaseSpec("adults_social_care", "Adults' social care"),
    BaseSpec("childrens_social_care", "Children's social care"),
    BaseSpec("dsg_deficit", "Cumulative DSG deficit at the end of the base year"),
)
BASE_KEYS: Mapping[str, BaseSpec] = MappingProxyType({b.key: b for b in BASE})


@dataclass(frozen=True)
class AssumptionSpec:
    """A per-year assumption under `[assumptions]`: a scalar applies to every year, a list gives one a year."""

    key: str
    label: str
    unit: Unit
    role: Role
    default: float = 0.0
    minimum: float = -50.0
    maximum: float = 50.0
    slider_min: float = -5.0
    slider_max: float = 10.0
    step: float = 0.1
    help: str = ""
    per_year_slider: bool = field(default=False)

    @property
    def unit_text(self) -> str:
        return "£m a year" if self.unit == "gbp_m" else "% a year"


ASSUMPTIONS: tuple[AssumptionSpec, ...] = (
    AssumptionSpec(
        "council_tax_increase_pct",
        "Council tax increase (core)",
        "pct",
        "funding",
        slider_min=0.0,
        slider_max=10.0,
        help="Referendum limit 2.99% (3% in 2025-26) without a local referendum.",
    ),
    AssumptionSpec(
        "adult_social_care_precept_pct",
        "Adult social care precept",
        "pct",
        "funding",
        slider_min=0.0,
        slider_max=5.0,
        help="Usually 2%; added to the core increase.",
    ),
    AssumptionSpec("tax_base_growth_pct", "Council tax base growth", "pct", "funding", slider_min=-3.0, slider_max=5.0),
    AssumptionSpec(
        "collection_rate_pct",
        "Council tax collection rate",
        "pct",
        "funding",
        default=100.0,
        minimum=50.0,
        maximum=100.0,
        slider_min=85.0,
        slider_max=100.0,
        help="Relative to the base collection rate; defaults to it.",
    ),
    AssumptionSpec("business_rates_growth_pct", "Business rates growth", "pct", "funding"),
    AssumptionSpec("grant_change_pct", "Grant change", "pct", "funding", slider_min=-10.0, slider_max=10.0),
    AssumptionSpec("fees_growth_pct", "Fees and charges growth", "pct", "funding"),
    AssumptionSpec("pay_award_pct", "Pay award", "pct", "cost", slider_min=0.0, slider_max=10.0),
    AssumptionSpec("non_pay_inflation_pct", "General and contract inflation", "pct", "cost", slider_min=0.0),
    AssumptionSpec("adults_inflation_pct", "Adults' social care inflation", "pct", "cost", slider_min=0.0),
    AssumptionSpec("adults_demand_growth_pct", "Adults' social care demand growth", "pct", "cost"),
    AssumptionSpec("childrens_inflation_pct", "Children's social care inflation", "pct", "cost", slider_min=0.0),
    AssumptionSpec("childrens_demand_growth_pct", "Children's social care demand growth", "pct", "cost"),
    AssumptionSpec(
        "borrowing_rate_pct",
        "Borrowing rate (new borrowing)",
        "pct",
        "cost",
        minimum=0.0,
        maximum=25.0,
        slider_min=0.0,
        slider_max=10.0,
        help="Interest rate on the capital programme's new borrowing, fixed for the year it is borrowed; "
        "also the annuity MRP rate. Moves nothing without a capital programme.",
    ),
    AssumptionSpec(
        "additional_pressures_gbp_m",
        "Additional pressures (new each year)",
        "gbp_m",
        "cost",
        minimum=-1e6,
        maximum=1e6,
        slider_min=-20.0,
        slider_max=50.0,
        per_year_slider=True,
        help="New recurring pressures in £m; each year's recur in every later year.",
    ),
    AssumptionSpec(
        "savings_planned_gbp_m",
        "Savings planned (new each year)",
        "gbp_m",
        "savings",
        minimum=0.0,
        maximum=1e6,
        slider_min=0.0,
        slider_max=30.0,
        per_year_slider=True,
        help="New recurring savings planned in £m; delivered savings recur in every later year.",
    ),
    AssumptionSpec(
        "savings_delivery_pct",
        "Savings delivered",
        "pct",
        "savings",
        default=100.0,
        minimum=0.0,
        maximum=100.0,
        slider_min=0.0,
        slider_max=100.0,
        step=5.0,
    ),
    AssumptionSpec(
        "reserves_contribution_gbp_m",
        "Planned contribution to reserves",
        "gbp_m",
        "reserves",
        minimum=-1e6,
        maximum=1e6,
        slider_min=-10.0,
        slider_max=20.0,
        per_year_slider=True,
        help="Added to unallocated reserves each year (negative: a planned draw).",
    ),
    AssumptionSpec(
        "dsg_in_year_deficit_gbp_m",
        "DSG in-year deficit",
        "gbp_m",
        "dsg",
        minimum=-1e6,
        maximum=1e6,
        slider_min=-10.0,
        slider_max=40.0,
        per_year_slider=True,
        help="Added to the cumulative DSG deficit each year.",
    ),
)
ASSUMPTION_KEYS: Mapping[str, AssumptionSpec] = MappingProxyType({a.key: a for a in ASSUMPTIONS})

# Non-numeric or single-valued options that live in [assumptions] too.
OPTION_KEYS: tuple[str, ...] = ("reserves_policy", "dsg_cliff", "dsg_written_off_pct")

# Assumptions whose rise makes the gap bigger (for the property tests and the sensitivity sign convention).
COST_KEYS: tuple[str, ...] = tuple(a.key for a in ASSUMPTIONS if a.role == "cost")
FUNDING_KEYS: tuple[str, ...] = tuple(a.key for a in ASSUMPTIONS if a.role == "funding")


def slider_bounds(spec: AssumptionSpec, value: float, net_revenue_budget_gbp_m: float) -> tuple[float, float]:
    """The page's slider range for an assumption: the spec's range, widened to hold `value`, and for £m lines
    scaled to the authority (up to a fifth of its net revenue budget)."""
    low, high = spec.slider_min, spec.slider_max
    if spec.unit == "gbp_m":
        scale = float(round(max(net_revenue_budget_gbp_m, 0.0) * 0.2))
        high = max(high, scale)
        low = min(low, -scale) if low < 0 else low
    return float(min(low, value)), float(max(high, value))
