"""The capital page as the committee sees it: the capital package's view (programme, in-year forecast, prudential
indicators) beside the official record of the council's debt — its financing costs as % of net revenue expenditure
(RS outturn) and its external borrowing (the borrowing live table) at the latest dates held. The official figures
are outturn on their own dates; they are shown beside the projection, never joined to it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from finance.capital import CapitalView, build_capital_view
from finance.errors import NotFoundError
from finance.format import gbp_m, pct
from finance.indicators import debt_series, financing_costs
from finance.store import Store


def _official(store: Store, code: str) -> tuple[dict[str, Any], list[tuple[str, str]], list[str]]:
    data: dict[str, Any] = {"financing_costs": None, "external_debt": None}
    metrics: list[tuple[str, str]] = []
    notes: list[str] = []
    try:
        costs = financing_costs(store, code)
        held = [y for y in costs.years if y.pct_nre is not None]
        if held:
            y = held[-1]
            data["financing_costs"] = y.as_dict()
            metrics.append((f"Financing costs % of NRE, {y.financial_year} (outturn)", pct(y.pct_nre)))
            notes.append(
                f"Official financing costs {y.financial_year} (RS outturn, as at {y.as_at}; {y.source_file}, sha256 "
                f"{y.source_sha256[:12]}…): {gbp_m(y.financing_costs_gbp)}, {pct(y.pct_nre)} of net revenue "
                "expenditure — MRP, leasing and interest less investment income as published."
            )
        debt = [p for p in debt_series(store, code).of("external_borrowing") if p.value_gbp is not None]
        if debt:
            p = debt[-1]
            data["external_debt"] = {"basis": "outturn (borrowing live table)", "as_at": p.as_at.isoformat(),
                                     "financial_year": p.financial_year, "value_gbp": p.value_gbp,
                                     "source": {"file_name": p.source_file, "sha256": p.source_sha256}}  # fmt: skip
            metrics.append((f"External borrowing at {p.as_at:%d %b %Y} (official)", gbp_m(p.value_gbp)))
    except NotFoundError:
        pass
    return data, metrics, notes


def build(store: Store, code: str, year: str, period: int | None = None) -> CapitalView:
    """The capital page for `code` in `year` (monitoring up to `period`), with the official debt record beside it."""
    view = build_capital_view(store, code, year, period)
    data, metrics, notes = _official(store, code)
    return replace(
        view,
        metrics=(*view.metrics, *metrics),
        notes=(*view.notes, *notes),
        data={**view.data, "official": data},
    )
