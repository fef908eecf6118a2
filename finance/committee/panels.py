"""The committee views' panels (`Panel`, which now lives in `finance.charts.panel`) and the texts they share.

Why: each chart must carry alt text, units, the same numbers in a table beside it and a download of them, so the
views hand the page `Panel`s and the page draws every one the same way (chart left, table and downloads right).
"""

from __future__ import annotations

import math
from dataclasses import replace

from finance.charts import Panel
from finance.format import gbp_m, period_label

__all__ = ["Panel", "gbp_m_value", "monitoring_basis", "variance_text", "with_basis"]


def monitoring_basis(year: str, period: int, *, to_date: bool = False) -> str:
    """'in-year forecast (monitoring P7 (Oct) 2026-27)': what kind of number a monitoring figure is, and when."""
    kind = "in-year actual to date" if to_date else "in-year forecast"
    return f"{kind} (monitoring {period_label(period)} {year})"


def with_basis(panel: Panel, basis: str) -> Panel:
    """`panel` with a Basis column on its table (so the download says it too), unless it has one already."""
    if "Basis" in panel.table.columns:
        return panel
    return replace(panel, table=panel.table.assign(Basis=basis))


def gbp_m_value(value_gbp: float | None) -> float | None:
    """£ → £m rounded to 0.1 for tables (numbers stay numbers in downloads); None stays None."""
    if value_gbp is None or (isinstance(value_gbp, float) and math.isnan(value_gbp)):
        return None
    return round(value_gbp / 1e6, 1)


def variance_text(variance_gbp: float) -> str:
    """'£11.1m overspend', '£2.0m underspend' or 'On budget' (under £0.05m either way)."""
    if abs(variance_gbp) < 5e4:
        return "On budget"
    return f"{gbp_m(abs(variance_gbp))} {'overspend' if variance_gbp > 0 else 'underspend'}"
