"""The council's own budget line that a demand series sits beside, from its monthly monitoring upload.

Why matched by name: councils name their lines in their own words, so the match is a short list of patterns per
service, tried in order, and the lines matched are named on the page (the reader sees what was summed). EHC plans
sit beside the DSG sheet's cumulative forecast deficit (the high-needs block carries it); children looked after
beside the Revenue lines for placements (else children's social care); temporary accommodation beside the Revenue
lines for temporary accommodation or homelessness. Every figure is an in-year forecast at a named period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from finance.format import period_label
from finance.monitoring import sheet_lines, years_held
from finance.store import Store

#: service → Revenue line patterns (service, else directorate text), tried in order; the first that matches wins.
REVENUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "children's placements": (r"placement|looked[ -]after|\bcla\b|\blac\b", r"children'?s social care"),
    "temporary accommodation": (r"temporary accommodation|homeless",),
}
DSG_SERVICE = "DSG high needs"


@dataclass(frozen=True)
class BudgetLine:
    """The matched budget line over the periods of one monitoring year, £ (money columns in `table` are £m)."""

    service: str
    title: str  # what the figure is, e.g. "Children's Services — Children's social care: forecast outturn"
    financial_year: str
    period: int
    basis: str  # 'in-year forecast (monitoring P12 (Mar) 2025-26)'
    lines: tuple[str, ...]  # the uploaded lines summed
    headline_gbp: float
    table: pd.DataFrame

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "title": self.title,
            "financial_year": self.financial_year,
            "period": self.period,
            "basis": self.basis,
            "lines": list(self.lines),
            "headline_gbp": self.headline_gbp,
            "periods": self.table.to_dict(orient="records"),
        }


def monitoring_year(store: Store, code: str, year: str | None) -> str | None:
    """`year` when monitoring is held for it, else (no year asked) the latest held; None otherwise."""
    held = years_held(store, code)
    if year is not None:
        return year if year in held else None
    return held[-1] if held else None


def budget_line(store: Store, code: str, service: str, year: str | None) -> BudgetLine | None:
    """The budget line for `service` in monitoring year `year` (default the latest held); None when the council
    uploaded none that matches."""
    fy = monitoring_year(store, code, year)
    if fy is None:
        return None
    if service == DSG_SERVICE:
        return _dsg(store, code, fy)
    patterns = REVENUE_PATTERNS.get(service)
    return None if patterns is None else _revenue(store, code, service, fy, patterns)


def _basis(year: str, period: int) -> str:
    return f"in-year forecast (monitoring {period_label(period)} {year})"


def _m(value: float) -> float:
    return round(value / 1e6, 1)


def _dsg(store: Store, code: str, year: str) -> BudgetLine | None:
    lines = sheet_lines(store, "DSG", code, year)
    if lines.empty:
        return None
    by_period = lines.groupby("period")[["brought_forward_gbp", "in_year_gbp", "cumulative_gbp"]].sum()
    last = int(by_period.index.max())
    table = pd.DataFrame(
        {
            "Period": [f"{period_label(int(p))} {year}" for p in by_period.index],
            "Brought forward deficit (£m)": [_m(v) for v in by_period["brought_forward_gbp"]],
            "In-year forecast deficit (£m)": [_m(v) for v in by_period["in_year_gbp"]],
            "Cumulative forecast deficit (£m)": [_m(v) for v in by_period["cumulative_gbp"]],
            "Basis": [_basis(year, int(p)) for p in by_period.index],
        }
    )
    return BudgetLine(
        service=DSG_SERVICE,
        title="DSG high-needs cumulative forecast deficit",
        financial_year=year,
        period=last,
        basis=_basis(year, last),
        lines=("DSG sheet",),
        headline_gbp=float(by_period.loc[last, "cumulative_gbp"]),
        table=table,
    )


def _revenue(store: Store, code: str, service: str, year: str, patterns: tuple[str, ...]) -> BudgetLine | None:
    lines = sheet_lines(store, "Revenue", code, year)
    if lines.empty:
        return None
    names = [
        f"{d} — {s}" if isinstance(s, str) and s.strip() else str(d)
        for d, s in zip(lines["directorate"], lines["service"], strict=True)
    ]
    for pattern in patterns:
        hit = [re.search(pattern, n, re.IGNORECASE) is not None for n in names]
        if any(hit):
            break
    else:
        return None
    chosen = lines[hit].assign(name=[n for n, h in zip(names, hit, strict=True) if h])
    by_period = chosen.groupby("period")[["budget_gbp", "forecast_gbp"]].sum()
    last = int(by_period.index.max())
    matched = tuple(sorted(set(chosen["name"])))
    table = pd.DataFrame(
        {
            "Period": [f"{period_label(int(p))} {year}" for p in by_period.index],
            "Budget (£m)": [_m(v) for v in by_period["budget_gbp"]],
            "Forecast outturn (£m)": [_m(v) for v in by_period["forecast_gbp"]],
            "Variance (£m, + = overspend)": [
                _m(f - b) for b, f in zip(by_period["budget_gbp"], by_period["forecast_gbp"], strict=True)
            ],
            "Basis": [_basis(year, int(p)) for p in by_period.index],
        }
    )
    return BudgetLine(
        service=service,
        title=f"{'; '.join(matched)}: forecast outturn",
        financial_year=year,
        period=last,
        basis=_basis(year, last),
        lines=matched,
        headline_gbp=float(by_period.loc[last, "forecast_gbp"]),
        table=table,
    )
