"""The `Demand` sheet of a monitoring workbook: each metric must sit under a Revenue line of the same upload.

Why in `upload`: the sheet's cells (counts and unit costs, none negative) are typed by the generic validator
(`finance.workbook`); only the upload holds both sheets, so whether a demand row names a Revenue line of the same
period is checked here — a row naming none is refused with its cell, and the whole workbook with it. A budgeted
volume × unit cost more than 1% away from the line's budget is a warning shown before confirming, not a refusal:
the gap falls into the line's "other" effect.
"""

from __future__ import annotations

from decimal import Decimal

from finance.errors import Problem
from finance.format import period_label
from finance.workbook import DEMAND, REVENUE, SheetLines

BUDGET_TOLERANCE_PCT = 1.0


def _key(directorate: object, service: object) -> tuple[str, str]:
    return (str(directorate).strip().casefold(), str(service or "").strip().casefold())


def check_demand_sheet(sheets: list[SheetLines], problems: list[Problem]) -> tuple[str, ...]:
    """Add a problem (with its cell) for each demand row naming no Revenue line of its period; return the warnings
    (a line's budgeted volumes × unit costs, summed over its metrics, more than 1% from its budget). Rows the
    generic checks refused are skipped."""
    demand = next((s for s in sheets if s.spec is DEMAND and len(s)), None)
    if demand is None:
        return ()
    revenue = next((s for s in sheets if s.spec is REVENUE and len(s)), None)
    budgets: dict[tuple[int, tuple[str, str]], Decimal] = {}
    if revenue is not None:
        rc = revenue.columns
        for p, d, s, b in zip(rc["period"], rc["directorate"], rc["service"], rc["budget_gbp"], strict=True):
            budgets[(int(p), _key(d, s))] = b
    named = {p.where for p in problems}
    implied: dict[tuple[int, tuple[str, str]], list[tuple[int, float, str]]] = {}
    c = demand.columns
    for i, row in enumerate(c["sheet_row"]):
        if named & {demand.ref(col.key, row) for col in DEMAND.columns}:
            continue
        period = int(c["period"][i])
        line = (period, _key(c["directorate"][i], c["service"][i]))
        if line not in budgets:
            problems.append(
                Problem(
                    demand.ref("service", row),
                    f"names no Revenue line of {period_label(period, month=False)}: the directorate and service "
                    "must match a line of the Revenue sheet",
                    " / ".join(str(v) for v in (c["directorate"][i], c["service"][i]) if v),
                )
            )
            continue
        gbp = float(c["budgeted_volume"][i]) * float(c["budgeted_unit_cost_gbp"][i])
        implied.setdefault(line, []).append((int(row), gbp, str(c["metric"][i])))
    warnings: list[str] = []
    for (period, service), rows in implied.items():
        budget, total = float(budgets[(period, service)]), sum(gbp for _, gbp, _ in rows)
        if budget and abs(total - budget) / abs(budget) * 100 > BUDGET_TOLERANCE_PCT:
            cells = ", ".join(
                f"{demand.ref('budgeted_volume', r)}:{demand.ref('budgeted_unit_cost_gbp', r).split('!')[1]}"
                for r, _, _ in rows
            )
            metrics = ", ".join(m for _, _, m in rows)
            warnings.append(
                f"{cells} ({metrics}; {period_label(period, month=False)}): budgeted volume × unit cost "
                f"£{total:,.0f} differs from the Revenue line's budget £{budget:,.0f} by "
                f"{(total - budget) / abs(budget) * 100:+.1f}% (more than {BUDGET_TOLERANCE_PCT:g}%): the gap falls "
                "into the line's 'other' effect"
            )
    return tuple(warnings)
