"""The capital page's view, built in one call: the programme by year and funding source (approved plan), the
current year's capital forecast against budget and slippage by directorate (in-year forecast, the monitoring
Capital sheet), and the prudential indicators with borrowing capacity (scenario projection). The CLI's
`capital --json` and the committee pack read the same view, so all three say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from finance import benchmark
from finance.capital.prudential import Indicators, assess
from finance.charts import DARK_BLUE, DARK_PINK, LIGHT_PURPLE, ORANGE, TURQUOISE, Panel, base_layout
from finance.format import gbp_m, pct, period_label, span
from finance.monitoring import periods_held, sheet_lines
from finance.scenarios import MRP_METHOD_TEXT, HeldPosition, HeldProgramme, Scenario
from finance.store import Store

SOURCES = (
    ("grants_gbp", "Grants and contributions", TURQUOISE),
    ("receipts_gbp", "Capital receipts", LIGHT_PURPLE),
    ("revenue_gbp", "Revenue", ORANGE),
    ("borrowing_gbp", "Prudential borrowing", DARK_PINK),
)
RAG_WORDS = {"Red": "Breach (Red)", "Green": "Within limits (Green)", None: "Not assessed (a limit or debt not stated)"}
NO_PROGRAMME = (
    "No capital programme is held for {name}: upload a monitoring workbook with a Capital programme sheet (one row "
    "per scheme and year) and the debt position on its Instructions sheet."
)


@dataclass(frozen=True)
class CapitalView:
    code: str
    name: str
    year: str
    period: int | None  # the monitoring period of the in-year figures, when held
    message: str  # why there is nothing to show, or ""
    metrics: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    panels: tuple[Panel, ...]
    data: dict[str, Any]  # what `capital --json` prints
    rag: str | None = None  # 'Red' on a prudential breach, 'Green' within every limit stated, None: not assessed


def _m(value_gbp: float) -> float:
    return round(value_gbp / 1e6, 3)


def _programme_panel(held: HeldProgramme) -> tuple[Panel, list[dict[str, Any]]]:
    lines = held.lines
    by_year = lines.groupby("programme_year")[[k for k, _, _ in SOURCES] + ["budget_gbp", "slippage_gbp"]].sum()
    years = list(by_year.index)
    figure = go.Figure(
        [go.Bar(x=years, y=[_m(v) for v in by_year[key]], name=label, marker_color=colour,
                hovertemplate="%{x}: £%{y:,.1f}m<extra>" + label + "</extra>") for key, label, colour in SOURCES]
    )  # fmt: skip
    figure.update_layout(barmode="stack", xaxis={"type": "category", "title": "Financial year"},
                         yaxis={"title": "£m", "tickformat": ",~f"})  # fmt: skip
    base_layout(figure, title="Capital programme by year and funding source, £m")
    rows: list[dict[str, Any]] = [
        {
            "year": str(y),
            "budget_gbp_m": _m(by_year.loc[y, "budget_gbp"]),
            **{key.replace("_gbp", "_gbp_m"): _m(by_year.loc[y, key]) for key, _, _ in SOURCES},
            "slippage_gbp_m": _m(by_year.loc[y, "slippage_gbp"]),
        }
        for y in years
    ]
    table = pd.DataFrame(
        {
            "Year": years,
            "Budget £m": [r["budget_gbp_m"] for r in rows],
            **{f"{label} £m": [r[key.replace("_gbp", "_gbp_m")] for r in rows] for key, label, _ in SOURCES},
            "Slippage £m": [r["slippage_gbp_m"] for r in rows],
            "Basis": "approved plan",
        }
    )
    total = sum(float(r["budget_gbp_m"]) for r in rows)
    borrowing = sum(float(r["borrowing_gbp_m"]) for r in rows)
    caption = (
        f"Approved plan, {held.source_text}: the programme's budget by year, stacked by funding source; "
        f"{gbp_m(total * 1e6)} in all over {span(years[0], years[-1])}, {gbp_m(borrowing * 1e6)} of it prudential "
        "borrowing."
    )
    return Panel("capital-programme", "The capital programme (approved plan)", figure, table, caption), rows


def _in_year_panel(store: Store, code: str, year: str, held: HeldProgramme | None, period: int | None):  # type: ignore[no-untyped-def]
    periods = periods_held(store, code, year)
    lines = sheet_lines(store, "Capital", code, year)
    chosen = [p for p in periods if (period is None or p <= period) and p in set(lines["period"])]
    if not chosen:
        return None, None, []
    at = chosen[-1]
    lines = lines[lines["period"] == at]
    directorates = {}
    if held is not None:
        directorates = {str(s).casefold(): str(d) for s, d in zip(held.lines["scheme"], held.lines["directorate"],
                                                                   strict=True)}  # fmt: skip
    frame = pd.DataFrame(
        {
            "directorate": [directorates.get(str(s).casefold(), "Not in the programme") for s in lines["scheme"]],
            "budget": lines["budget_gbp"],
            "forecast": lines["forecast_gbp"],
        }
    )
    grouped = frame.groupby("directorate", sort=True)[["budget", "forecast"]].sum()
    names = list(grouped.index)
    budget = [_m(v) for v in grouped["budget"]]
    forecast = [_m(v) for v in grouped["forecast"]]
    slippage = [round(b - f, 3) for b, f in zip(budget, forecast, strict=True)]
    when = f"{period_label(at)} {year}"
    figure = go.Figure([go.Bar(x=names, y=budget, name="Budget", marker_color=DARK_BLUE),
                        go.Bar(x=names, y=forecast, name="Forecast outturn", marker_color=ORANGE)])  # fmt: skip
    figure.update_layout(barmode="group", yaxis={"title": "£m", "tickformat": ",~f"})
    base_layout(figure, title=f"Capital forecast against budget by directorate, {when}, £m")
    table = pd.DataFrame({"Directorate": names, "Budget £m": budget, "Forecast outturn £m": forecast,
                          "Slippage (budget − forecast) £m": slippage, "Basis": "in-year forecast",
                          "As at": when})  # fmt: skip
    caption = (
        f"In-year forecast at {when} (the monitoring Capital sheet), by directorate (schemes matched by name to the "
        f"capital programme): budget {gbp_m(sum(budget) * 1e6)}, forecast {gbp_m(sum(forecast) * 1e6)}, slippage "
        f"{gbp_m(sum(slippage) * 1e6)}."
    )
    rows = [{"directorate": n, "budget_gbp_m": b, "forecast_gbp_m": f, "slippage_gbp_m": s}
            for n, b, f, s in zip(names, budget, forecast, slippage, strict=True)]  # fmt: skip
    return Panel("capital-in-year", "This year's capital forecast (in-year forecast)", figure, table, caption), at, rows


def _prudential_panel(ind: Indicators, origin: str) -> Panel:
    years = list(ind.years)
    figure = go.Figure([go.Scatter(x=years, y=[None if v is None else round(v, 1) for v in ind.external_debt_gbp_m],
                                   name="External debt", mode="lines+markers", line={"color": DARK_BLUE})])  # fmt: skip
    for value, label, colour in ((ind.authorised_limit_gbp_m, "Authorised limit", DARK_PINK),
                                 (ind.operational_boundary_gbp_m, "Operational boundary", ORANGE)):  # fmt: skip
        if value is not None:
            figure.add_trace(go.Scatter(x=years, y=[value] * len(years), name=label, mode="lines",
                                        line={"color": colour, "dash": "dash"}))  # fmt: skip
    figure.update_layout(xaxis={"type": "category"}, yaxis={"title": "£m", "tickformat": ",~f"})
    base_layout(figure, title="Projected external debt against the limits, £m")
    breaches, missing = ind.breaches(), ind.not_assessed()
    if breaches:
        verdict = "Breaches: " + "; ".join(breaches) + "."
    else:
        verdict = "Within every limit stated." if not missing else ""
    if missing:  # the table's status row says "Not assessed"; why is said here, once
        verdict += (" " if verdict else "") + "Not assessed: " + "; ".join(missing) + "."
    caption = (
        f"Scenario projection from {origin}: external debt and financing costs by year against the council's "
        "authorised limit, operational boundary and financing-costs limit. " + verdict
    )
    return Panel("capital-prudential", "Prudential indicators (scenario projection)", figure, ind.table(), caption)


def build_capital_view(store: Store, code: str, year: str, period: int | None = None) -> CapitalView:
    """The capital page for `code` (monitoring `year`, up to `period`); `message` set when no programme is held."""
    auth = benchmark.authority(store, code)
    found = assess(store, code)
    held, position = found.held, found.position
    panels: list[Panel] = []
    data: dict[str, Any] = {"authority_code": code, "authority_name": auth.name, "year": year}
    in_year, at, in_year_rows = _in_year_panel(store, code, year, held, period)
    data["in_year"] = {"basis": "in-year forecast", "period": period_label(at, month=False) if at else None,
                       "by_directorate": in_year_rows}  # fmt: skip
    if held is None:
        message = NO_PROGRAMME.format(name=auth.name)
        data["programme"] = None
        return CapitalView(code, auth.name, year, at, message, (), (), tuple(p for p in (in_year,) if p), data)
    programme_panel, rows = _programme_panel(held)
    panels.append(programme_panel)
    if in_year is not None:
        panels.append(in_year)
    data["programme"] = {"basis": "approved plan", "source": _source(held), "by_year": rows}
    data["position"] = _position(position)
    notes = [f"Capital programme: approved plan as held in {held.source_text}, uploaded "
             f"{held.uploaded_at:%d %b %Y}."]  # fmt: skip
    metrics: list[tuple[str, str]] = [
        ("Programme budget (approved plan)", gbp_m(sum(r["budget_gbp_m"] for r in rows) * 1e6)),
        ("Of which prudential borrowing", gbp_m(sum(r["borrowing_gbp_m"] for r in rows) * 1e6)),
    ]
    rag: str | None = None
    data["prudential"] = None
    ind, scenario = found.indicators, found.scenario
    if ind is not None and scenario is not None and position is not None:
        panels.append(_prudential_panel(ind, found.origin))
        rag = ind.rag
        final = len(ind.years) - 1
        cap = ind.capacity_gbp_m[final]
        metrics.append(("Prudential indicators", RAG_WORDS[rag]))
        metrics.append((f"Borrowing capacity, {ind.years[final]}", "—" if cap is None else gbp_m(cap * 1e6)))
        notes.append(_capacity_words(ind, final, position, scenario))
        notes.append(_what_is_not_stated(position, scenario))
        if rag is None:
            notes.append("Prudential indicators not assessed: " + "; ".join(ind.not_assessed()) + ".")
        data["prudential"] = _prudential(ind, found.origin, scenario)
    if data["prudential"] is None:
        notes.append("Prudential indicators need the debt position on the Instructions sheet and a scenario with "
                     "the authority's figures: neither projection nor capacity is shown.")  # fmt: skip
    return CapitalView(code, auth.name, year, at, "", tuple(metrics), tuple(notes), tuple(panels), data, rag)


def _source(held: HeldProgramme) -> dict[str, Any]:
    return {"upload_id": held.upload_id, "file_name": held.file_name, "sha256": held.sha256,
            "financial_year": held.financial_year, "uploaded_at_utc": held.uploaded_at.isoformat()}  # fmt: skip


def _position(position: HeldPosition | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return {
        "basis": "stated by the council (workbook Instructions)",
        "as_at": position.as_at.isoformat(),
        "upload_id": position.upload_id,
        "file_name": position.file_name,
        "sha256": position.sha256,
        "cfr_gbp_m": None if position.cfr_gbp is None else _m(position.cfr_gbp),
        "external_debt_gbp_m": None if position.external_debt_gbp is None else _m(position.external_debt_gbp),
        "existing_rate_pct": position.existing_rate_pct,
        "authorised_limit_gbp_m": None if position.authorised_limit_gbp is None else _m(position.authorised_limit_gbp),
        "operational_boundary_gbp_m": None
        if position.operational_boundary_gbp is None
        else _m(position.operational_boundary_gbp),
        "financing_limit_pct": position.financing_limit_pct,
        "mrp_method": position.mrp_method,
    }


def _prudential(ind: Indicators, origin: str, scenario: Scenario) -> dict[str, Any]:
    method = scenario.capital.mrp_method if scenario.capital is not None else None
    return {
        "basis": "scenario projection",
        "scenario": scenario.name,
        "origin": origin,
        "mrp_method": method,
        "rag": ind.rag,
        "breaches": ind.breaches(),
        "not_assessed": ind.not_assessed(),
        "asset_life_years": ind.asset_life_years,
        "authorised_limit_gbp_m": ind.authorised_limit_gbp_m,
        "operational_boundary_gbp_m": ind.operational_boundary_gbp_m,
        "financing_limit_pct": ind.financing_limit_pct,
        "years": [
            {
                "year": year,
                "external_debt_gbp_m": ind.external_debt_gbp_m[i],
                "cfr_before_existing_mrp_gbp_m": ind.cfr_gbp_m[i],
                "financing_costs_gbp_m": ind.financing_costs_gbp_m[i],
                "net_revenue_stream_gbp_m": ind.net_revenue_stream_gbp_m[i],
                "financing_costs_pct_net_revenue_stream": ind.financing_pct[i],
                "borrowing_rate_pct": ind.borrowing_rate_pct[i],
                "borrowing_capacity_gbp_m": ind.capacity_gbp_m[i],
            }
            for i, year in enumerate(ind.years)
        ],
    }


def _capacity_words(ind: Indicators, i: int, position: HeldPosition, scenario: Scenario) -> str:
    cap, limit, stream, cost = ind.capacity_gbp_m[i], ind.financing_limit_pct, ind.net_revenue_stream_gbp_m[i], \
        ind.financing_costs_gbp_m[i]  # fmt: skip
    life = ind.asset_life_years
    if cap is None or limit is None:
        return "Borrowing capacity needs the financing costs limit (% of net revenue stream) on the Instructions sheet."
    return (
        f"Borrowing capacity in {ind.years[i]} (scenario projection) = (limit {limit:g}% × net revenue stream "
        f"{gbp_m(stream * 1e6)} − projected financing costs {gbp_m(cost * 1e6)}) ÷ (borrowing rate "
        f"{pct(ind.borrowing_rate_pct[i], decimals=2)} + 1 ÷ asset life {life or 0:.1f} years) = {gbp_m(cap * 1e6)}."
    )


def _what_is_not_stated(position: HeldPosition, scenario: Scenario) -> str:
    method = MRP_METHOD_TEXT.get(scenario.capital.mrp_method, "") if scenario.capital is not None else ""
    return (
        f"Debt position at {position.as_at:%d %B %Y} as the council states it. Projected financing costs are interest "
        f"on existing debt ({pct(position.existing_rate_pct or 0.0, decimals=2)} × external debt at 1 April) plus MRP "
        f"({method}) and interest on the programme's new borrowing; MRP on existing debt is not stated in the "
        "workbook, so the costs and CFR shown are before it. The scenario's net revenue budget stands in for the net "
        "revenue stream; existing loans are taken to be refinanced as they mature."
    )
