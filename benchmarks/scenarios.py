"""MTFS scenarios speed: one deterministic run, a 10,000-simulation Monte Carlo, and the page's slider rerun.

Targets (issue 4; issue 22 item 8 moved the first from 1 ms): one deterministic 5-year run < 0.1 ms (the
single-path route `run`; the Monte Carlo array route `run_arrays` on the same scenario is timed beside it as the
baseline, and the CPU time per run is given as well, since wall time grows with the machine's load);
10,000 simulations × 5 years < 100 ms; the page's
slider rerun < 150 ms server-side (AppTest of app.py on the demo database, which reruns the whole script; in
the browser only the scenario fragment reruns). Baseline in the same run: the same 10,000 simulations done as
10,000 separate deterministic runs (what the vectorised engine saves), estimated from 500 of them. The same
scenario with three demand lines (issue 20) is held to the same targets, deterministic and Monte Carlo.
Run: `.venv/bin/python benchmarks/scenarios.py`. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from common import ROOT, steady_state_apptest, timed

from finance import years as fy
from finance.scenarios import DemandLine, demand_ranges, make_scenario, run, simulate
from finance.scenarios.model import Triangle, run_arrays

TARGETS_MS = {"deterministic": 0.1, "monte_carlo": 100.0, "page_slider_rerun": 150.0}


def five_year_scenario() -> object:
    return make_scenario(
        "benchmark", "2025-26", fy.following("2025-26", 5),
        {"net_revenue_budget": 281.0, "council_tax_requirement": 160.236, "unallocated_reserves": 11.991,
         "earmarked_reserves": 51.398, "pay": 120.0, "non_pay": 60.0, "adults_social_care": 90.0,
         "childrens_social_care": 70.0, "business_rates": 60.0, "grants": 50.0, "fees_and_charges": 20.0,
         "dsg_deficit": 24.0},
        {"council_tax_increase_pct": 2.99, "adult_social_care_precept_pct": 2.0, "pay_award_pct": 3.5,
         "non_pay_inflation_pct": 2.5, "adults_demand_growth_pct": 4.0, "childrens_demand_growth_pct": 5.0,
         "additional_pressures_gbp_m": [14.3, 13.2, 16.7, 10.0, 10.0], "savings_planned_gbp_m": 5.0,
         "savings_delivery_pct": 80.0, "dsg_in_year_deficit_gbp_m": 6.0},
        dsg_cliff=True, dsg_written_off_pct=50.0,
    )  # fmt: skip


def with_demand_lines(scenario: object) -> object:
    """The same scenario with three demand lines (issue 20): home care and children looked after, which replace the
    blanket adults' and children's demand growth, and temporary accommodation; each grows 3% a year, dearer by 2%."""
    years = len(scenario.years)  # type: ignore[attr-defined]
    grow, dearer = (3.0,) * years, (2.0,) * years
    lines = (
        DemandLine("Adults' Social Care", "Older people", "Home care hours", "hours", 1_200_000, 24.5, grow, dearer,
                   "adults"),
        DemandLine("Children's Services", "Children's social care", "Children looked after", "children", 506,
                   82_000.0, grow, dearer, "childrens"),
        DemandLine("Housing", "Temporary accommodation", "Households in temporary accommodation", "households", 200,
                   12_000.0, grow, dearer, "other"),
    )  # fmt: skip
    return replace(scenario, demand=lines)  # type: ignore[type-var]


RANGES = {
    "pay_award_pct": Triangle(2.5, 3.5, 6.0),
    "non_pay_inflation_pct": Triangle(1.5, 2.5, 5.0),
    "adults_demand_growth_pct": Triangle(2.0, 4.0, 7.0),
    "childrens_demand_growth_pct": Triangle(2.0, 5.0, 9.0),
    "savings_delivery_pct": Triangle(50.0, 80.0, 100.0),
    "council_tax_increase_pct": Triangle(0.0, 2.99, 2.99),
}


def cpu_ms_per_call(fn: Callable[[], object], calls: int = 5000) -> float:
    """Process CPU time per call over `calls` calls, in ms."""
    start = time.process_time()
    for _ in range(calls):
        fn()
    return round((time.process_time() - start) * 1000 / calls, 4)


def page_rerun() -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    steady_state_apptest()

    folder = Path(tempfile.mkdtemp(prefix="headroom-bench-scn-"))
    os.environ["HEADROOM_DB"] = str(folder / "bench.duckdb")
    os.environ["HEADROOM_OFFICIAL_DIR"] = str(folder / "none")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, at.exception
    key = f"scn{at.session_state['scn_gen']}_council_tax_increase_pct"
    values = iter([1.0, 2.0, 3.0, 4.0] * 40)
    result = timed(lambda: at.slider(key=key).set_value(next(values)).run(), repeat=20, warmup=3)
    assert not at.exception, at.exception
    # CPU time of the whole process per rerun: unlike wall time it does not grow when other work shares the
    # machine (AppTest's polling thread sleeps, so it adds little).
    cpu: list[float] = []
    for _ in range(10):
        start = time.process_time()
        at.slider(key=key).set_value(next(values)).run()
        cpu.append((time.process_time() - start) * 1000)
    result["cpu_median_ms"] = round(sorted(cpu)[len(cpu) // 2], 3)
    return result


def main() -> None:
    scenario = five_year_scenario()
    deterministic = timed(lambda: run(scenario), repeat=2000, warmup=50)  # type: ignore[arg-type]
    deterministic["cpu_ms_per_run"] = cpu_ms_per_call(lambda: run(scenario))  # type: ignore[arg-type]
    array_route = timed(lambda: run_arrays(scenario), repeat=2000, warmup=50)  # type: ignore[arg-type]
    array_route["cpu_ms_per_run"] = cpu_ms_per_call(lambda: run_arrays(scenario))  # type: ignore[arg-type]
    monte_carlo = timed(lambda: simulate(scenario, 10_000, 1, RANGES), repeat=20)  # type: ignore[arg-type]
    demand = with_demand_lines(scenario)
    with_lines = timed(lambda: run(demand), repeat=2000, warmup=50)  # type: ignore[arg-type]
    with_lines["cpu_ms_per_run"] = cpu_ms_per_call(lambda: run(demand))  # type: ignore[arg-type]
    ranges = {**RANGES, **demand_ranges(demand)}  # type: ignore[arg-type]
    ranges = {k: t for k, t in ranges.items() if k not in demand.replaced_growth}  # type: ignore[attr-defined]
    mc_lines = timed(lambda: simulate(demand, 10_000, 1, ranges), repeat=20)  # type: ignore[arg-type]
    start = time.perf_counter()
    for _ in range(500):
        run(scenario)  # type: ignore[arg-type]
    loop_estimate_ms = (time.perf_counter() - start) * 1000 * 20
    page = page_rerun()
    result = {
        "benchmark": "scenarios",
        "deterministic_5_years": deterministic,
        "baseline_deterministic_5_years_array_route": array_route,
        "monte_carlo_10000_x_5_years": monte_carlo,
        "deterministic_5_years_3_demand_lines": with_lines,
        "monte_carlo_10000_x_5_years_3_demand_lines": mc_lines,
        "baseline_10000_separate_runs_ms_estimated": round(loop_estimate_ms, 1),
        "page_slider_rerun_apptest": page,
        "targets_ms": TARGETS_MS,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    met = {
        "deterministic": deterministic["median_ms"] < TARGETS_MS["deterministic"],
        "monte_carlo": monte_carlo["median_ms"] < TARGETS_MS["monte_carlo"],
        "deterministic_3_demand_lines": with_lines["median_ms"] < TARGETS_MS["deterministic"],
        "monte_carlo_3_demand_lines": mc_lines["median_ms"] < TARGETS_MS["monte_carlo"],
        "page_slider_rerun": page["median_ms"] < TARGETS_MS["page_slider_rerun"],
    }
    result["met"] = met
    result["within_targets"] = all(met.values())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
