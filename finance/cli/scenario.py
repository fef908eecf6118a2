"""`scenario FILE.toml` runs an MTFS scenario file; `scenarios --authority CODE` lists the saved ones.

For finance teams who keep their scenario files under version control and want the gap and reserves per year in
a script or a scheduled job. A file with problems exits 2 naming every key at fault (InputError).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance.cli.context import Context
from finance.errors import InputError
from finance.scenarios import MAX_SIMULATIONS, PERCENTILES, evaluate, list_scenarios, load_scenario, money_m


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "scenario",
        parents=[common],
        help="run an MTFS scenario file: gap, savings and reserves per year",
        description="Run an MTFS scenario file (TOML; see docs/SCENARIOS.md).",
    )
    p.add_argument("file", metavar="FILE.toml", type=Path, help="the scenario file")
    p.add_argument("--simulations", type=int, default=0, metavar="N", help="Monte Carlo simulations (default none)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed for the simulations (default 1)")
    p.set_defaults(run=run_scenario)

    lst = sub.add_parser("scenarios", parents=[common], help="list the saved scenarios of an authority")
    lst.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014")
    lst.add_argument("--all-versions", action="store_true", help="every saved version, not just the latest")
    lst.set_defaults(run=run_list)


def run_scenario(ctx: Context) -> int:
    args = ctx.args
    if not 0 <= args.simulations <= MAX_SIMULATIONS:
        raise InputError.single("--simulations", f"must be between 0 and {MAX_SIMULATIONS:,}", str(args.simulations))
    scenario = load_scenario(args.file)
    if args.simulations and not scenario.ranges:
        ctx.info(f"{args.file.name} gives no [uncertainty] ranges, so every simulation is the same as the plain run.")
    result = evaluate(scenario, simulations=args.simulations, seed=args.seed)
    ctx.emit(result.as_dict(), _text(result.as_dict()))
    return 0


def _text(data: dict[str, Any]) -> str:
    lines = [
        f"{data['name']} (base year {data['base_year']}; minimum reserves {money_m(data['minimum_reserves_gbp_m'])})",
        f"{'year':<8} {'new gap':>9} {'cum. gap':>9} {'savings':>9} {'unalloc.':>9} {'earmark.':>9} {'headroom':>9}",
    ]
    for y in data["years"]:
        lines.append(
            f"{y['year']:<8} {money_m(y['incremental_gap_gbp_m']):>9} {money_m(y['cumulative_gap_gbp_m']):>9}"
            f" {money_m(y['savings_delivered_gbp_m']):>9} {money_m(y['unallocated_reserves_gbp_m']):>9}"
            f" {money_m(y['earmarked_reserves_gbp_m']):>9} {money_m(y['headroom_gbp_m']):>9}"
        )
    lines.append(f"Cumulative gap by {data['years'][-1]['year']}: {data['final_gap_text']}")
    lines.append(f"Reserves exhausted: {data['exhaustion_year'] or 'not within the forecast'}")
    lines.extend(f"Note: {text}" for text in data["cautions"])
    mc = data.get("monte_carlo")
    if mc:
        lines.append(f"Monte Carlo: {mc['simulations']:,} simulations, seed {mc['seed']}")
        for y in mc["years"]:
            gaps = " / ".join(money_m(y[f"cumulative_gap_p{p}_gbp_m"]) for p in PERCENTILES)
            lines.append(
                f"{y['year']:<8} gap P10/P50/P90 {gaps}; below minimum {100 * y['probability_below_minimum']:.0f}%,"
                f" exhausted {100 * y['probability_exhausted']:.0f}%"
            )
    return "\n".join(lines)


def run_list(ctx: Context) -> int:
    saved = list_scenarios(ctx.store(), ctx.args.authority, all_versions=ctx.args.all_versions)
    data = [
        {
            "scenario_id": s.scenario_id,
            "name": s.name,
            "version": s.version,
            "current": s.is_current,
            "years": f"{s.base_year}..{s.final_year}",
            "saved_by": s.saved_by,
            "saved_at_utc": s.saved_at_utc.isoformat(timespec="seconds"),
        }
        for s in saved
    ]
    text = "\n".join(
        f"{d['scenario_id']:>4}  {s.label:<50} {d['years']}  {d['saved_by']} {d['saved_at_utc']}"
        for d, s in zip(data, saved, strict=True)
    )
    ctx.emit(data, text or f"No saved scenarios for {ctx.args.authority}.")
    return 0
