"""Everything the Reserve adequacy page shows, built in one call so the page stays a thin script.

Balances by type and status over the periods uploaded (the one forecast balance: the general fund after the
forecast overspend), each reserve by purpose, the uncommitted share of earmarked reserves, the planned draw-down by
year, and the risk register's simulated loss with the risk-based minimum marked, each risk's contribution and the
likelihood mapping. Every table is what its chart draws, with its basis and as-at date; a council's targets for the
balances shown are drawn on the balances chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finance import benchmark
from finance.charts import DARK_BLUE, DARK_GREY, DARK_PINK, ORANGE, Panel, target_label
from finance.format import gbp_m, pct, period_label
from finance.monitoring import ReserveBalances, reserve_balances, reserve_settings, revenue_by_period, sheet_lines
from finance.reserves import charts
from finance.reserves.plan import ReservePlan, reserve_plan
from finance.reserves.register import TOP_CONTRIBUTORS, RiskAssessment, risk_assessment
from finance.reserves.risks import SCORE_PCT
from finance.reserves.simulation import PATHS, SEED
from finance.store import Store
from finance.targets import current_targets
from finance.years import start_year

NO_RESERVES = "No Reserves sheet uploaded for {year} yet: upload monitoring with a Reserves sheet."
NO_REGISTER = "No risk register uploaded: add a Risks sheet to a monitoring workbook (see the template)."
TARGET_SERIES = {"unallocated_reserves": "general fund balance", "usable_reserves": "usable reserves"}
PERCENTILES = (50, 75, 90, 95, 99)


@dataclass(frozen=True)
class AdequacyView:
    authority: benchmark.Authority
    year: str
    period: int | None
    message: str | None
    metrics: tuple[tuple[str, str], ...]
    panels: tuple[Panel, ...]
    notes: tuple[str, ...]
    likelihood_table: pd.DataFrame


def _m(gbp: float) -> float:
    return round(gbp / 1e6, 3)


def _kind(reserve_type: str, status: object) -> str:
    if reserve_type == "Unallocated":
        return "Unallocated (general fund)"
    if reserve_type == "Ring-fenced":
        return "Ring-fenced (not usable)"
    if status in ("Committed", "Uncommitted"):
        return f"Earmarked, {str(status).lower()}"
    return "Earmarked, status not given"


def _balances(
    store: Store, code: str, year: str, period: int | None
) -> dict[int, tuple[pd.DataFrame, ReserveBalances]]:
    """Each period's Reserves lines and the one balance (overspend applied), up to `period`."""
    lines = sheet_lines(store, "Reserves", code, year)
    if period is not None:
        lines = lines[lines["period"] <= period]
    revenue = revenue_by_period(store, code, year).set_index("period")["variance_gbp"]
    settings = reserve_settings(store, code, year).set_index("period")
    out: dict[int, tuple[pd.DataFrame, ReserveBalances]] = {}
    for p, group in lines.groupby("period"):
        rows = group.reset_index(drop=True)
        stated = settings.loc[p] if p in settings.index else None
        overspend_in = None if stated is None or pd.isna(stated["overspend_in_reserves"]) else bool(stated.iloc[0])
        minimum = None if stated is None or pd.isna(stated["minimum_gf_balance_gbp"]) else float(stated.iloc[1])
        variance = float(revenue[p]) if p in revenue.index else None
        out[int(p)] = (
            rows,
            reserve_balances(rows, variance, overspend_in_reserves=overspend_in, minimum_gf_balance_gbp=minimum),
        )
    return out


def _basis(year: str, period: int) -> str:
    return f"in-year forecast (monitoring {period_label(period)} {year})"


def _kinds_panel(store: Store, code: str, year: str, held: dict[int, tuple[pd.DataFrame, ReserveBalances]]) -> Panel:
    rows = []
    for p, (lines, res) in held.items():
        kinds = lines.assign(kind=[_kind(t, s) for t, s in zip(lines["reserve_type"], lines["status"], strict=True)])
        sums = kinds.groupby("kind")["closing_gbp"].sum()
        sums["Unallocated (general fund)"] = res.unallocated_closing_gbp  # the one balance: after the overspend
        for kind in charts.KIND_STYLE:
            if kind in sums.index:
                rows.append((period_label(p), kind, _m(float(sums[kind])), _basis(year, p)))
    frame = pd.DataFrame(rows, columns=["period_label", "kind", "closing_gbp_m", "basis"])
    targets = current_targets(store, code)
    lines_drawn = [(t, TARGET_SERIES[k]) for k, t in targets.items() if k in TARGET_SERIES and t.units == "gbp"]
    year_end = f"31 March {start_year(year) + 1}"
    figure = charts.balances_by_kind(
        frame,
        lines_drawn,
        title=f"Forecast reserves at {year_end} by type and status",
        subtitle=f"Each monitoring period of {year}; general fund after the forecast overspend",
    )
    latest = frame[frame["period_label"] == frame["period_label"].iloc[-1]]
    words = "; ".join(f"{k} {gbp_m(v * 1e6)}" for k, v in zip(latest["kind"], latest["closing_gbp_m"], strict=True))
    drawn = "; ".join(target_label(t, words) for t, words in lines_drawn)
    caption = (
        f"Stacked bars: forecast closing balances at {year_end} by type and status at each period. Latest "
        f"({latest['period_label'].iloc[0]}): {words}." + (f" Dashed lines: {drawn}." if drawn else "")
    )
    table = frame.rename(
        columns={
            "period_label": "Period",
            "kind": "Kind of balance",
            "closing_gbp_m": "Forecast closing £m",
            "basis": "Basis",
        }
    ).assign(**{"As at": year_end})
    return Panel("adequacy-kinds", "Reserves by type and status", figure, table, caption)


def _purpose_panel(year: str, period: int, lines: pd.DataFrame) -> Panel:
    purpose = lines["purpose"].where(lines["purpose"].notna(), "purpose not given")
    kinds = [_kind(t, s) for t, s in zip(lines["reserve_type"], lines["status"], strict=True)]
    frame = pd.DataFrame(
        {
            "label": [f"{r}<br><i>{p}</i>" for r, p in zip(lines["reserve"], purpose, strict=True)],
            "kind": kinds,
            "closing_gbp_m": [_m(v) for v in lines["closing_gbp"]],
        }
    )
    year_end = f"31 March {start_year(year) + 1}"
    figure = charts.by_purpose(
        frame,
        title=f"Each reserve and its purpose, forecast at {year_end}",
        subtitle=f"Reserves sheet, {period_label(period)} {year}, as the sheet gives them",
    )
    table = pd.DataFrame(
        {
            "Reserve": lines["reserve"],
            "Purpose": purpose,
            "Type": lines["reserve_type"],
            "Status": lines["status"].where(lines["status"].notna(), ""),
            "Opening £m": [_m(v) for v in lines["opening_gbp"]],
            "Forecast use £m": [_m(v) for v in lines["forecast_use_gbp"]],
            "Forecast closing £m": frame["closing_gbp_m"],
            "Basis": _basis(year, period),
            "As at": year_end,
        }
    )
    caption = (
        f"One bar per reserve, labelled with its purpose and coloured by type and status: {len(lines)} "
        f"reserves at {period_label(period)} {year} (the sheet's own closing balances, before any overspend)."
    )
    return Panel("adequacy-purpose", "Reserves by purpose", figure, table, caption)


def _share_panel(year: str, held: dict[int, tuple[pd.DataFrame, ReserveBalances]]) -> Panel | None:
    rows = [
        (period_label(p), res.earmarked_uncommitted_closing_gbp / res.earmarked_closing_gbp * 100, _basis(year, p))
        for p, (_, res) in held.items()
        if res.earmarked_uncommitted_closing_gbp is not None and res.earmarked_closing_gbp > 0
    ]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["period_label", "share_pct", "basis"]).round({"share_pct": 2})
    figure = charts.uncommitted_share(
        frame,
        title="Uncommitted share of earmarked reserves",
        subtitle=f"Forecast closing balances, each monitoring period of {year}",
    )
    caption = (
        f"Uncommitted earmarked reserves as % of all earmarked reserves (forecast closing): "
        f"{frame['share_pct'].iloc[-1]:.1f}% at {frame['period_label'].iloc[-1]} — what a scenario may draw on."
    )
    table = frame.rename(columns={"period_label": "Period", "share_pct": "Uncommitted share %", "basis": "Basis"})
    return Panel("adequacy-share", "Uncommitted share of earmarked reserves", figure, table, caption)


def _plan_panel(plan: ReservePlan) -> Panel:
    lines = plan.lines.assign(planned_use_gbp_m=[_m(v) for v in plan.lines["planned_use_gbp"]])
    figure = charts.planned_drawdown(
        lines,
        title="Planned use of reserves by year",
        subtitle=f"Reserve plan, {plan.file_name} (positive = drawn down)",
    )
    totals = "; ".join(
        f"{y} {gbp_m(v)}" for y, v in zip(*(plan.by_year()[c] for c in ("plan_year", "planned_use_gbp")), strict=True)
    )
    caption = f"Planned use of each reserve in each MTFS year, stacked; totals {totals}."
    table = pd.DataFrame(
        {
            "Year": lines["plan_year"],
            "Reserve": lines["reserve"],
            "Planned use £m": lines["planned_use_gbp_m"],
            "Basis": "approved plan (reserve plan)",
            "Source": plan.source_text,
        }
    )
    return Panel("adequacy-plan", "Planned draw-down by year", figure, table, caption)


def _loss_panel(found: RiskAssessment, res: ReserveBalances | None, when: str) -> Panel:
    sim = found.simulation
    lines = [
        (found.minimum_gbp, f"Risk-based minimum (90th percentile) {gbp_m(found.minimum_gbp)}", DARK_PINK, "solid"),
        (found.expected_gbp, f"Expected loss {gbp_m(found.expected_gbp)}", DARK_GREY, "dot"),
    ]
    if res is not None:
        lines.append(
            (
                res.unallocated_closing_gbp,
                f"Forecast general fund balance {gbp_m(res.unallocated_closing_gbp)}",
                DARK_BLUE,
                "dash",
            )
        )
        if res.minimum_gf_balance_gbp is not None:
            lines.append(
                (res.minimum_gf_balance_gbp, f"Stated minimum {gbp_m(res.minimum_gf_balance_gbp)}", ORANGE, "dashdot")
            )
    figure = charts.loss_distribution(
        sim.total_gbp,
        lines,
        title="Simulated total loss in a year from the risk register",
        subtitle=f"{PATHS:,} simulated years, seed {SEED}; risks independent",
    )
    rows: list[tuple[str, float | None]] = [
        (f"{q}th percentile", _m(float(np.percentile(sim.total_gbp, q, method="inverted_cdf")))) for q in PERCENTILES
    ]
    rows += [("Expected loss (mean)", _m(found.expected_gbp)), ("Chance of any loss", None)]
    table = pd.DataFrame(rows, columns=["Figure", "£m"])
    table["% of years"] = [None] * (len(rows) - 1) + [round(sim.chance_of_any_loss * 100, 2)]
    table["Basis"] = f"risk-register simulation ({PATHS:,} paths, seed {SEED}); {found.register.source_text}"
    caption = (
        f"Histogram of the total loss in each of {PATHS:,} simulated years. The risk-based minimum, the 90th "
        f"percentile, is {gbp_m(found.minimum_gbp)}; the expected loss {gbp_m(found.expected_gbp)}"
        + ("" if res is None else f"; the forecast general fund balance at {when} {gbp_m(res.unallocated_closing_gbp)}")
        + "."
    )
    return Panel("adequacy-loss", "Loss distribution and the risk-based minimum", figure, table, caption)


def _contribution_panel(found: RiskAssessment) -> Panel:
    lines = found.register.lines.set_index("risk_id")
    c = found.contributions()
    top = c.index < TOP_CONTRIBUTORS
    frame = pd.DataFrame(
        {
            "label": [f"{i} {d}" for i, d in zip(c["risk_id"], c["description"], strict=True)],
            "mean_loss_gbp_m": [_m(v) for v in c["mean_loss_gbp"]],
            "top": top,
        }
    )
    figure = charts.contributions(
        frame,
        title="Each risk's contribution to the expected loss",
        subtitle=f"Mean loss per year; the {TOP_CONTRIBUTORS} largest in dark blue",
    )
    g = lines.loc[c["risk_id"]]
    table = pd.DataFrame(
        {
            "Risk ID": c["risk_id"],
            "Description": c["description"],
            "Category": c["category"].fillna(""),
            "Likelihood as given": g["likelihood_given"].to_numpy(),
            "Likelihood %": c["likelihood_pct"].round(1),
            "Impact low £m": [_m(v) for v in g["impact_low_gbp"]],
            "Impact most likely £m": [_m(v) for v in g["impact_likely_gbp"]],
            "Impact high £m": [_m(v) for v in g["impact_high_gbp"]],
            "Mean loss £m": frame["mean_loss_gbp_m"],
            "Share of expected loss %": c["share_pct"].round(1),
            "Top five": np.where(top, "yes", ""),
            "Mitigation": g["mitigation"].fillna("").to_numpy(),
            "Owner": g["owner"].fillna("").to_numpy(),
        }
    )
    named = ", ".join(
        f"{r} {gbp_m(v)}"
        for r, v in zip(c["risk_id"][:TOP_CONTRIBUTORS], c["mean_loss_gbp"][:TOP_CONTRIBUTORS], strict=True)
    )
    caption = f"Mean loss per year of each of the {len(c)} risks, largest first. The five largest: {named}."
    return Panel("adequacy-risks", "Contribution of each risk", figure, table, caption)


def likelihood_table() -> pd.DataFrame:
    return pd.DataFrame({"Likelihood score": list(SCORE_PCT), "Read as % a year": list(SCORE_PCT.values())})


def build(store: Store, code: str, year: str, period: int | None = None) -> AdequacyView:
    """The Reserve adequacy page for `code` in `year` at `period` (default: the latest Reserves sheet held).

    Raises NotFoundError for an unknown authority. Without monitoring the balances panels are left out and
    `message` says why; without a register the risk panels are left out and a note says why."""
    auth = benchmark.authority(store, code)
    held = _balances(store, code, year, period)
    found = risk_assessment(store, code, year)
    plan = reserve_plan(store, code, year)
    latest = max(held) if held else None
    res = held[latest][1] if latest is not None else None
    when = f"31 March {start_year(year) + 1}"
    panels: list[Panel] = []
    if latest is not None:
        panels.append(_kinds_panel(store, code, year, held))
        panels.append(_purpose_panel(year, latest, held[latest][0]))
        if (share := _share_panel(year, held)) is not None:
            panels.append(share)
    if plan is not None:
        panels.append(_plan_panel(plan))
    if found is not None:
        panels += [_loss_panel(found, res, when), _contribution_panel(found)]
    metrics: list[tuple[str, str]] = []
    if found is not None:
        metrics += [("Risk-based minimum", gbp_m(found.minimum_gbp)), ("Expected loss", gbp_m(found.expected_gbp))]
    if res is not None:
        metrics.append((f"General fund at {when}", gbp_m(res.unallocated_closing_gbp)))
        stated = res.minimum_gf_balance_gbp
        metrics.append(("Stated minimum", "none stated" if stated is None else gbp_m(stated)))
        free, all_earmarked = res.earmarked_uncommitted_closing_gbp, res.earmarked_closing_gbp
        share_pct = None if free is None or not all_earmarked else free / all_earmarked * 100
        metrics.append(("Uncommitted earmarked", "not stated" if free is None else f"{gbp_m(free)} ({pct(share_pct)})"))
    notes = []
    if auth.is_illustrative:
        notes.append("Illustrative data generated by Headroom — not any real council's figures.")
    if latest is not None:
        notes.append(f"Balances: {_basis(year, latest)}, forecast at {when}.")
    notes.append(
        NO_REGISTER
        if found is None
        else f"Risks: {found.register.source_text}; {len(found.register.lines)} "
        f"risks, each independent; {PATHS:,} simulated years with the fixed seed {SEED}."
    )
    if plan is not None:
        notes.append(f"Plan: {plan.source_text}.")
    message = NO_RESERVES.format(year=year) if latest is None else None
    return AdequacyView(auth, year, latest, message, tuple(metrics), tuple(panels), tuple(notes), likelihood_table())
