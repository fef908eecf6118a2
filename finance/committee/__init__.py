"""The audit committee's view (issue 5): overview cards with RAG rules and a plain-English summary, and the
in-year monitoring, income collection, DSG, reserves nowcast and methodology pages' contents.

Each page's content is built by one function named here (`build_overview`, `build_monitoring_view`, …) so the pages
stay thin scripts and every figure is computed once; the RAG thresholds live only in `finance.committee.rag`.
"""

from __future__ import annotations

from finance.committee.capital_view import build as build_capital_page
from finance.committee.collection_view import CollectionView
from finance.committee.collection_view import build as build_collection_view
from finance.committee.demand_page import DemandPage, demand_page
from finance.committee.demand_uploaded import UploadedDemand, uploaded_demand
from finance.committee.dsg_view import DsgView
from finance.committee.dsg_view import build as build_dsg_view
from finance.committee.figures import position
from finance.committee.methodology import (
    MethodologyView,
    SourcesView,
    definitions_table,
    methodology_view,
    provenance_tables,
    rules_table,
    sources_view,
)
from finance.committee.monitoring_view import MonitoringView
from finance.committee.monitoring_view import build as build_monitoring_view
from finance.committee.nowcast_view import NowcastView
from finance.committee.nowcast_view import build as build_nowcast_view
from finance.committee.overview import Card, Overview
from finance.committee.overview import build as build_overview
from finance.committee.queries import collection_streams, selectable_years, year_lines
from finance.committee.receipts_view import ReceiptsView
from finance.committee.receipts_view import build as build_receipts_view
from finance.committee.targets_view import TargetsPage, targets_page

__all__ = [
    "Card",
    "CollectionView",
    "DemandPage",
    "DsgView",
    "MethodologyView",
    "MonitoringView",
    "NowcastView",
    "Overview",
    "ReceiptsView",
    "SourcesView",
    "TargetsPage",
    "UploadedDemand",
    "build_capital_page",
    "build_collection_view",
    "build_dsg_view",
    "build_monitoring_view",
    "build_nowcast_view",
    "build_overview",
    "build_receipts_view",
    "collection_streams",
    "definitions_table",
    "demand_page",
    "methodology_view",
    "position",
    "provenance_tables",
    "rules_table",
    "selectable_years",
    "sources_view",
    "targets_page",
    "uploaded_demand",
    "year_lines",
]
