"""The Demand page's view model: the official demand series among peers and the council's own Demand sheet, in
one call.

The page offers its own year ("figures up to the end of": demand points fall in years the reserves returns do not
cover), so the choices, the default (the sidebar's year where held, else the newest), the official section for the
year chosen and the council's own section for the sidebar's year are built together here, and the page draws the
year picker above them from what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass

from finance.committee.demand_uploaded import UploadedDemand, uploaded_demand
from finance.errors import HeadroomError
from finance.indicators import DemandView, demand_view, demand_year_options
from finance.store import Store


@dataclass(frozen=True)
class DemandPage:
    years: list[str]  # the page's year choices, newest first (empty: no official demand point held)
    year_index: int  # the default choice: the sidebar's year where held, else the newest
    official: DemandView | None  # None with `problem` (shown instead, and nothing below it)
    problem: HeadroomError | None
    own: UploadedDemand | None  # the council's own Demand sheet for the sidebar's year

    def shown(self) -> tuple[DemandView, UploadedDemand]:
        """The two sections, once the page has shown `problem` instead when there is one."""
        if self.problem is not None:
            raise self.problem
        assert self.official is not None and self.own is not None  # built together when there is no problem
        return self.official, self.own


def demand_page(store: Store, code: str, year: str | None, sidebar_year: str, group: str, area: str) -> DemandPage:
    """The page for `code` with `year` chosen (None or not held: the default), peer `group`, section `area` drawn."""
    years = demand_year_options(store, code)
    index = years.index(sidebar_year) if sidebar_year in years else 0
    chosen = year if year in years else (years[index] if years else None)
    try:
        official = demand_view(store, code, chosen, group, (area,))
    except HeadroomError as err:
        return DemandPage(years, index, None, err, None)
    return DemandPage(years, index, official, None, uploaded_demand(store, code, sidebar_year))
