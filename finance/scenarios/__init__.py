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

__all__ = [
    "BaseFigure",
    "BaseFigures",
    "Comparison",
    "Evaluation",
    "MonteCarlo",
    "Projection",
    "SavedScenario",
    "Scenario",
    "Sensitivity",
    "Triangle",
    "base_figures",
    "compare",
    "current_gap_gbp_m",
    "current_scenario",
    "default_ranges",
    "delete_scenario",
    "evaluate",
    "example_scenario",
    "gap_text",
    "lacks_pay_or_prices",
    "list_scenarios",
    "load_saved",
    "load_scenario",
    "make_scenario",
    "missing_cost_lines",
    "parse_scenario",
    "parse_scenario_bytes",
    "project",
    "ranges_table",
    "run",
    "save_scenario",
    "scenario_to_toml",
    "sensitivities",
    "set_current",
    "simulate",
    "with_choices",
]
