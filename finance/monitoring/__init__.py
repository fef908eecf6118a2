"""Monthly budget monitoring as stored (issue 3): the current lines per sheet and period, and the upload history.

Workbooks get in through `finance.upload` (prepare → check → commit), which reads them with `finance.workbook`;
this package holds only the reads of what was loaded. The public surface is named here; the modules behind it are
free to change.
"""

from __future__ import annotations

from finance.monitoring.balances import RING_FENCED, ReserveBalances, reserve_balances
from finance.monitoring.collection_checks import check_collection, outstanding_gbp
from finance.monitoring.demand_split import DemandSplit, MetricSplit, demand_split
from finance.monitoring.queries import (
    monitoring_lines,
    periods_held,
    reserve_settings,
    revenue_by_period,
    sheet_lines,
    uncommitted_earmarked,
    upload_history,
    years_held,
)

__all__ = [
    "RING_FENCED",
    "DemandSplit",
    "MetricSplit",
    "ReserveBalances",
    "check_collection",
    "demand_split",
    "monitoring_lines",
    "outstanding_gbp",
    "periods_held",
    "reserve_balances",
    "reserve_settings",
    "revenue_by_period",
    "sheet_lines",
    "uncommitted_earmarked",
    "upload_history",
    "years_held",
]
