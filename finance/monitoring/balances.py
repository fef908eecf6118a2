"""The forecast year-end reserves of one monitoring period: the one balance every page, card and pack uses.

The rule (docs/METHODOLOGY.md states the same words):

- On the Reserves sheet, forecast use is signed (positive = drawn down, negative = a contribution) and each
  line's forecast closing balance = opening − forecast use (checked on upload).
- Usable reserves are the Unallocated (general fund) and Earmarked lines; Ring-fenced lines (public health,
  schools, DSG) are shown but excluded, as the RS return excludes them.
- The forecast overspend on the Revenue sheet (forecast outturn − budget, when positive) is met from the general
  fund balance, so it is deducted from the unallocated balance — unless the Instructions sheet says
  `Overspend already in reserves forecast: Yes` (then the sheet's forecast use already includes it). An
  underspend is not added: it is not a balance until the year closes.
- Forecast closing usable reserves = Σ usable forecast closing balances − the overspend so deducted.
- This year's draw = Σ usable forecast use + the overspend so deducted; years of cover = forecast closing usable
  reserves ÷ that draw (not being drawn down when the draw is zero or less).
- Headroom above the minimum = forecast closing unallocated balance (after the overspend) − the council's stated
  minimum general fund balance; none when no minimum is stated.
- Uncommitted earmarked reserves = Σ forecast closing balances of the earmarked lines whose Status is Uncommitted:
  what a scenario may draw on. Not stated (None) when any earmarked line has no Status (a sheet without the
  column): every earmarked pound is then assumed drawable, with a warning.

Pure: a Reserves frame and two numbers in, a dataclass out; money in £.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finance.workbook import USABLE_RESERVE_TYPES

UNALLOCATED = "Unallocated"
RING_FENCED = "Ring-fenced"
EARMARKED = "Earmarked"
UNCOMMITTED = "Uncommitted"


@dataclass(frozen=True)
class ReserveBalances:
    """The Reserves sheet of one period, summed, with the overspend applied. Money in £."""

    usable_opening_gbp: float
    usable_use_gbp: float  # Σ usable forecast use as the sheet gives it (positive = drawn down)
    usable_closing_sheet_gbp: float  # Σ usable forecast closing balances as the sheet gives them
    unallocated_opening_gbp: float
    unallocated_use_gbp: float
    unallocated_closing_sheet_gbp: float
    ring_fenced_closing_gbp: float  # shown, never usable
    overspend_gbp: float | None  # the Revenue sheet's forecast overspend (≥ 0); None without a Revenue sheet
    overspend_in_reserves: bool  # the Instructions say the sheet's forecast use already includes it
    minimum_gf_balance_gbp: float | None  # the council's stated minimum; None = not stated
    earmarked_uncommitted_closing_gbp: float | None = None  # None: a Status is not stated for every earmarked line

    @property
    def earmarked_committed_closing_gbp(self) -> float | None:
        """Σ forecast closing balances of committed earmarked reserves; None when statuses are not stated."""
        if self.earmarked_uncommitted_closing_gbp is None:
            return None
        return self.earmarked_closing_gbp - self.earmarked_uncommitted_closing_gbp

    @property
    def overspend_deducted_gbp(self) -> float:
        """The overspend taken from the general fund balance here (0 when already in the forecast, or none)."""
        if self.overspend_in_reserves or self.overspend_gbp is None:
            return 0.0
        return self.overspend_gbp

    @property
    def usable_closing_gbp(self) -> float:
        """Forecast closing usable reserves: Σ usable forecast closing balances − the overspend deducted."""
        return self.usable_closing_sheet_gbp - self.overspend_deducted_gbp

    @property
    def unallocated_closing_gbp(self) -> float:
        """Forecast closing unallocated (general fund) balance after the overspend."""
        return self.unallocated_closing_sheet_gbp - self.overspend_deducted_gbp

    @property
    def earmarked_opening_gbp(self) -> float:
        return self.usable_opening_gbp - self.unallocated_opening_gbp

    @property
    def earmarked_closing_gbp(self) -> float:
        return self.usable_closing_sheet_gbp - self.unallocated_closing_sheet_gbp

    @property
    def draw_gbp(self) -> float:
        """This year's draw on usable reserves: forecast use + the overspend deducted."""
        return self.usable_use_gbp + self.overspend_deducted_gbp

    @property
    def unallocated_draw_gbp(self) -> float:
        """This year's draw on the general fund balance: its forecast use + the overspend deducted."""
        return self.unallocated_use_gbp + self.overspend_deducted_gbp

    @property
    def cover_years(self) -> float:
        """Forecast closing usable reserves ÷ this year's draw; +inf when reserves are not being drawn down."""
        if self.draw_gbp <= 0:
            return math.inf
        return max(self.usable_closing_gbp, 0.0) / self.draw_gbp

    def as_dict(self) -> dict[str, Any]:
        """Every figure of the rule, in £ (JSON: years of cover null when reserves are not being drawn down)."""
        cover = self.cover_years
        return {
            "usable_opening_gbp": self.usable_opening_gbp,
            "usable_forecast_use_gbp": self.usable_use_gbp,
            "usable_closing_on_sheet_gbp": self.usable_closing_sheet_gbp,
            "ring_fenced_closing_gbp": self.ring_fenced_closing_gbp,
            "overspend_gbp": self.overspend_gbp,
            "overspend_already_in_reserves_forecast": self.overspend_in_reserves,
            "overspend_deducted_gbp": self.overspend_deducted_gbp,
            "usable_closing_gbp": self.usable_closing_gbp,
            "unallocated_closing_gbp": self.unallocated_closing_gbp,
            "draw_gbp": self.draw_gbp,
            "cover_years": None if math.isinf(cover) else round(cover, 4),
            "minimum_gf_balance_gbp": self.minimum_gf_balance_gbp,
            "headroom_gbp": self.headroom_gbp,
        }

    @property
    def headroom_gbp(self) -> float | None:
        """Forecast closing unallocated balance (after the overspend) − the stated minimum; None without one."""
        if self.minimum_gf_balance_gbp is None:
            return None
        return self.unallocated_closing_gbp - self.minimum_gf_balance_gbp


def reserve_balances(
    reserves: pd.DataFrame,
    variance_gbp: float | None,
    *,
    overspend_in_reserves: bool | None = None,
    minimum_gf_balance_gbp: float | None = None,
) -> ReserveBalances:
    """Sum one period's Reserves lines (`reserve_type`, `opening_gbp`, `forecast_use_gbp`, `closing_gbp`) and apply
    the Revenue sheet's forecast variance (`variance_gbp`, positive = overspend; None = no Revenue sheet)."""
    if "reserve_type" not in reserves:  # lines with no Type column are counted as usable (earmarked) reserves
        reserves = reserves.assign(reserve_type="Earmarked")
    usable = reserves["reserve_type"].isin(USABLE_RESERVE_TYPES)
    unallocated = reserves["reserve_type"] == UNALLOCATED
    ring_fenced = reserves["reserve_type"] == RING_FENCED

    def total(mask: pd.Series, column: str) -> float:
        return float(reserves.loc[mask, column].sum())

    earmarked = reserves["reserve_type"] == EARMARKED
    status = reserves["status"] if "status" in reserves else pd.Series(None, index=reserves.index, dtype=object)
    stated = bool(earmarked.any()) and bool(status[earmarked].notna().all())
    uncommitted = total(earmarked & (status == UNCOMMITTED), "closing_gbp") if stated else None

    return ReserveBalances(
        usable_opening_gbp=total(usable, "opening_gbp"),
        usable_use_gbp=total(usable, "forecast_use_gbp"),
        usable_closing_sheet_gbp=total(usable, "closing_gbp"),
        unallocated_opening_gbp=total(unallocated, "opening_gbp"),
        unallocated_use_gbp=total(unallocated, "forecast_use_gbp"),
        unallocated_closing_sheet_gbp=total(unallocated, "closing_gbp"),
        ring_fenced_closing_gbp=total(ring_fenced, "closing_gbp"),
        overspend_gbp=None if variance_gbp is None else max(variance_gbp, 0.0),
        overspend_in_reserves=bool(overspend_in_reserves),
        minimum_gf_balance_gbp=minimum_gf_balance_gbp,
        earmarked_uncommitted_closing_gbp=uncommitted,
    )
