"""Resilience indicators (issue 8): CIPFA-style indicators for one authority, positioned among its peers.

No composite score, by design. The public surface is re-exported here; the modules behind it are free to change:
- `resilience_profile`: every indicator from the official returns, with peer median, quartiles, rank, travel;
- `resilience_nowcast`: the same on the council's own forecast (monitoring + current scenario), as a projection;
- `resilience_view`: both, as the "Resilience profile" page shows them;
- `import_borrowing`: the MHCLG borrowing table the external-borrowing indicator uses;
- `debt_series`, `debt_panels`: external borrowing and investments over time, against peers and as % of NRE;
- `financing_costs`: an authority's official financing costs (RS 773 + 776 + 781 + 783 + 786) ÷ NRE, every year;
- `service_spending`: net current expenditure by service for one authority and year, with its peers;
- `demand_view`: the official demand series (children looked after, EHC plans, temporary accommodation) for one
  authority against its peers, beside the council's matching budget lines;
- `indicator_definitions`, `comparison_rules`: every indicator and comparison rule in words (Methodology page).
Method: docs/METHODOLOGY-indicators.md.
"""

from __future__ import annotations

from finance.indicators.borrowing import BorrowingImportReport, import_borrowing
from finance.indicators.charts import STRIP_HEIGHT_PX
from finance.indicators.debt import DebtPoint, DebtSeries, debt_series
from finance.indicators.debt import position as debt_position
from finance.indicators.debt_view import debt_panels
from finance.indicators.definitions import indicators_table as indicator_definitions
from finance.indicators.definitions import rules_table as comparison_rules
from finance.indicators.demand import DemandSeries, demand_series, demand_year_options
from finance.indicators.demand_view import AREA_TITLES as DEMAND_AREAS
from finance.indicators.demand_view import DemandView, demand_view
from finance.indicators.financing import FinancingCosts, FinancingYear, financing_costs
from finance.indicators.measures import OK as READING_OK
from finance.indicators.measures import AuthoritySeries
from finance.indicators.nowcast import Nowcast, NowcastInputs, compute_nowcast
from finance.indicators.nowcast_source import nowcast_inputs, resilience_nowcast
from finance.indicators.peers import peer_stats
from finance.indicators.profile import (
    INDICATORS,
    IndicatorResult,
    IndicatorSpec,
    Profile,
    build_series,
    resilience_profile,
)
from finance.indicators.queries import GROUPS, group_members, official_values
from finance.indicators.queries import authority as authority_info
from finance.indicators.queries import latest_year as latest_return_year
from finance.indicators.services import (
    ServiceSpending,
    ServicesView,
    service_page,
    service_spending,
    service_year_options,
    services_view,
)
from finance.indicators.view import ResiliencePage, ResilienceView, resilience_page, resilience_view

__all__ = [
    "DEMAND_AREAS",
    "GROUPS",
    "INDICATORS",
    "READING_OK",
    "STRIP_HEIGHT_PX",
    "AuthoritySeries",
    "BorrowingImportReport",
    "DebtPoint",
    "DebtSeries",
    "DemandSeries",
    "DemandView",
    "FinancingCosts",
    "FinancingYear",
    "IndicatorResult",
    "IndicatorSpec",
    "Nowcast",
    "NowcastInputs",
    "Profile",
    "ResiliencePage",
    "ResilienceView",
    "ServiceSpending",
    "ServicesView",
    "authority_info",
    "build_series",
    "comparison_rules",
    "compute_nowcast",
    "debt_panels",
    "debt_position",
    "debt_series",
    "demand_series",
    "demand_view",
    "demand_year_options",
    "financing_costs",
    "group_members",
    "import_borrowing",
    "indicator_definitions",
    "latest_return_year",
    "nowcast_inputs",
    "official_values",
    "peer_stats",
    "resilience_nowcast",
    "resilience_page",
    "resilience_profile",
    "resilience_view",
    "service_page",
    "service_spending",
    "service_year_options",
    "services_view",
]
