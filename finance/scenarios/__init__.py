"""MTFS scenarios (issue 4): the model, scenario files, uncertainty, sensitivity, saved scenarios and charts.

The public surface is re-exported here; the modules behind it are free to change.
"""

from __future__ import annotations

from finance.scenarios.base import BaseFigure, BaseFigures, base_figures
from finance.scenarios.caveats import gap_text, lacks_pay_or_prices, missing_cost_lines
from finance.scenarios.files import (
    example_scenario,
    load_scenario,
    parse_scenario,
    parse_scenario_bytes,
    scenario_to_toml,
)
from finance.scenarios.model import Projection, Scenario, Triangle, make_scenario, project, run
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
from finance.scenarios.uncertainty import MonteCarlo, default_ranges, simulate
from finance.scenarios.view import Choices, CompareView, ScenarioView, compare_view, scenario_view, uncertainty_view

__all__ = [
    "ASSUMPTIONS",
    "BASE",
    "DSG_OVERRIDE_END",
    "RESERVES_POLICIES",
    "RESERVES_POLICY_LABELS",
    "ApprovedPlan",
    "BaseFigure",
    "BaseFigures",
    "Choices",
    "CompareView",
    "Comparison",
    "Evaluation",
    "MonteCarlo",
    "Projection",
    "SavedScenario",
    "Scenario",
    "ScenarioSession",
    "ScenarioView",
    "Sensitivity",
    "Start",
    "Triangle",
    "base_figures",
    "compare",
    "compare_view",
    "current_gap_gbp_m",
    "current_scenario",
    "default_ranges",
    "delete_scenario",
    "evaluate",
    "example_scenario",
    "from_approved",
    "from_example",
    "from_file",
    "from_returns",
    "from_saved",
    "gap_text",
    "lacks_pay_or_prices",
    "list_scenarios",
    "load_saved",
    "load_scenario",
    "make_scenario",
    "missing_cost_lines",
    "opening",
    "parse_scenario",
    "parse_scenario_bytes",
    "project",
    "ranges_table",
    "run",
    "save_scenario",
    "scenario_to_toml",
    "scenario_view",
    "sensitivities",
    "set_current",
    "simulate",
    "slider_bounds",
    "uncertainty_view",
    "with_choices",
]
