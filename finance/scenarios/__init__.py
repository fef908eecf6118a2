"""MTFS scenarios (issue 4): the model, scenario files, uncertainty, sensitivity, saved scenarios and charts.

The public surface is re-exported here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.scenarios.base import BaseFigure, BaseFigures, base_figures
from finance.scenarios.caveats import gap_text, lacks_pay_or_prices, missing_cost_lines
from finance.scenarios.charts import (
    compare_chart,
    fan_chart,
    gap_chart,
    lines_chart,
    money_m,
    reserves_chart,
    tornado_chart,
)
from finance.scenarios.files import (
    example_scenario,
    load_scenario,
    parse_scenario,
    parse_scenario_bytes,
    scenario_to_toml,
)
from finance.scenarios.financing import MRP_METHOD_TEXT, MRP_METHODS, CapitalPlan, Financing, Loan
from finance.scenarios.model import Projection, Scenario, Triangle, make_scenario, project, run
from finance.scenarios.programme import HeldPosition, HeldProgramme, current_position, current_programme, with_programme
from finance.scenarios.report import Comparison, Evaluation, compare, evaluate, ranges_table, with_choices
from finance.scenarios.sensitivity import Sensitivity, sensitivities
from finance.scenarios.session import (
    ApprovedPlan,
    ScenarioSession,
    Start,
    from_approved,
    from_example,
    from_file,
    from_returns,
    from_saved,
    opening,
)
from finance.scenarios.spec import (
    ASSUMPTIONS,
    BASE,
    DSG_OVERRIDE_END,
    MAX_YEARS,
    MIN_YEARS,
    RESERVES_POLICIES,
    RESERVES_POLICY_LABELS,
    slider_bounds,
)
from finance.scenarios.storage import (
    SavedScenario,
    current_gap_gbp_m,
    current_scenario,
    delete_scenario,
    list_scenarios,
    load_saved,
    save_scenario,
    set_current,
)
from finance.scenarios.uncertainty import MAX_SIMULATIONS, PERCENTILES, MonteCarlo, default_ranges, simulate
from finance.scenarios.view import (
    Choices,
    CompareView,
    ScenarioView,
    UncertaintyView,
    compare_view,
    scenario_view,
    uncertainty_view,
)

__all__ = [
    "ASSUMPTIONS",
    "BASE",
    "DSG_OVERRIDE_END",
    "MAX_SIMULATIONS",
    "MAX_YEARS",
    "MIN_YEARS",
    "MRP_METHODS",
    "MRP_METHOD_TEXT",
    "PERCENTILES",
    "RESERVES_POLICIES",
    "RESERVES_POLICY_LABELS",
    "ApprovedPlan",
    "BaseFigure",
    "BaseFigures",
    "CapitalPlan",
    "Choices",
    "CompareView",
    "Comparison",
    "Evaluation",
    "Financing",
    "HeldPosition",
    "HeldProgramme",
    "Loan",
    "MonteCarlo",
    "Projection",
    "SavedScenario",
    "Scenario",
    "ScenarioSession",
    "ScenarioView",
    "Sensitivity",
    "Start",
    "Triangle",
    "UncertaintyView",
    "base_figures",
    "compare",
    "compare_chart",
    "compare_view",
    "current_gap_gbp_m",
    "current_position",
    "current_programme",
    "current_scenario",
    "default_ranges",
    "delete_scenario",
    "evaluate",
    "example_scenario",
    "fan_chart",
    "from_approved",
    "from_example",
    "from_file",
    "from_returns",
    "from_saved",
    "gap_chart",
    "gap_text",
    "lacks_pay_or_prices",
    "lines_chart",
    "list_scenarios",
    "load_saved",
    "load_scenario",
    "make_scenario",
    "missing_cost_lines",
    "money_m",
    "opening",
    "parse_scenario",
    "parse_scenario_bytes",
    "project",
    "ranges_table",
    "reserves_chart",
    "run",
    "save_scenario",
    "scenario_to_toml",
    "scenario_view",
    "sensitivities",
    "set_current",
    "simulate",
    "slider_bounds",
    "tornado_chart",
    "uncertainty_view",
    "with_choices",
    "with_programme",
]
