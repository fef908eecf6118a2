"""The indicator formulas: pure functions of one authority's official figures for one year.

Why pure: every number on the resilience page must be checkable by hand against the returns, so each formula
reads an `AuthoritySeries` (built from a DataFrame, no database) and returns a `Reading` that says what it used
(which years, which basis) and, when there is no number, why: no return, not depleting, not meaningful
(a non-positive denominator — some 'O' bodies publish negative NRE), or not on that year's return.

Usable reserves = unallocated + other earmarked (unadjusted), excluding schools, public health and DSG reserves.
Levels are at 31 March: the closing level of year t, and for earlier points the 1 April (opening) level of the
later return where held — it is the restated figure — else the 31 March (closing) level of the earlier one.
Outturn is preferred; RA budget estimates are used only when no outturn is held, and are labelled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from finance.years import shift, start_year

OK = "ok"
NO_RETURN = "no_return"
NOT_DEPLETING = "not_depleting"
NOT_MEANINGFUL = "not_meaningful"
NOT_REPORTED = "not_reported"

BUDGET = "budget_estimate"
_BASIS_WORDS = {"outturn": "outturn", BUDGET: "budget estimate (RA)", "illustrative": "illustrative"}


@dataclass(frozen=True)
class Reading:
    """One indicator for one authority and year: `value` in the indicator's unit, or None with `status` saying why."""

    value: float | None
    status: str
    basis: str | None = None
    years_used: str = ""
    note: str = ""

    @property
    def sort_value(self) -> float | None:
        """The value for ranking: +inf for "not depleting" (the lowest risk), None when there is nothing to rank."""
        if self.status == NOT_DEPLETING:
            return math.inf
        return self.value if self.status == OK else None


@dataclass(frozen=True)
class _Level:
    value_gbp: float
    label: str
    basis: str


def _opening_label(year: str) -> str:
    return f"1 April {start_year(year)}"


def _closing_label(year: str) -> str:
    return f"31 March {start_year(year) + 1}"


VALUE_COLUMNS = ("financial_year", "basis", "measure", "point", "value_gbp")


class AuthoritySeries:
    """One authority's official values, indexed by (year, basis, measure, point); borrowing by year (31 March)."""

    def __init__(
        self,
        code: str,
        values: pd.DataFrame | Iterable[tuple[str, str, str, str, float | None]],
        *,
        primary_basis: str = "outturn",
        borrowing_gbp: dict[str, float | None] | None = None,
    ) -> None:
        """`values`: a frame with financial_year, basis, measure, point, value_gbp (£; NaN = not published), or
        the same as tuples in that order."""
        self.code = code
        self.primary_basis = primary_basis
        self._v: dict[tuple[str, str, str, str], float | None] = {}
        self._years: dict[str, set[str]] = {}
        if isinstance(values, pd.DataFrame):
            values = zip(*(values[c].tolist() for c in VALUE_COLUMNS), strict=True)
        for year, basis, measure, point, value in values:
            self._v[(year, basis, measure, point)] = None if value is None or value != value else float(value)
            self._years.setdefault(year, set()).add(basis)
        self.borrowing_gbp = borrowing_gbp or {}

    def items(self) -> Iterable[tuple[tuple[str, str, str, str], float | None]]:
        """Every (year, basis, measure, point) → value held."""
        return self._v.items()

    def years(self) -> list[str]:
        """Years with any figure held, oldest first."""
        return sorted(self._years)

    def basis_for(self, year: str) -> str | None:
        held = self._years.get(year, set())
        if self.primary_basis in held:
            return self.primary_basis
        return BUDGET if BUDGET in held else None

    def get(self, year: str, basis: str, measure: str, point: str) -> float | None:
        return self._v.get((year, basis, measure, point))

    def has(self, year: str, basis: str, measure: str, point: str) -> bool:
        return (year, basis, measure, point) in self._v

    def usable(self, year: str, basis: str, point: str) -> float | None:
        unallocated = self.get(year, basis, "unallocated_reserves", point)
        earmarked = self.get(year, basis, "earmarked_reserves", point)
        return None if unallocated is None or earmarked is None else unallocated + earmarked

    def _bases(self, first: str) -> list[str]:
        other = BUDGET if first != BUDGET else self.primary_basis
        return [first, other]

    def usable_at_start(self, year: str, years_back: int, basis: str) -> _Level | None:
        """Usable reserves `years_back` years before the close of `year`: 1 April of the later return, else 31 March."""
        opening_year, closing_year = shift(year, -(years_back - 1)), shift(year, -years_back)
        v = self.usable(opening_year, basis, "opening")
        if v is not None:
            return _Level(v, _opening_label(opening_year), basis)
        v = self.usable(closing_year, basis, "closing")
        return None if v is None else _Level(v, _closing_label(closing_year), basis)


def _no_return(s: AuthoritySeries, year: str) -> Reading:
    return Reading(None, NO_RETURN, None, "", f"no figures held for {year}")


def _basis_note(*bases: str) -> str:
    return "; ".join(sorted({_BASIS_WORDS.get(b, b) for b in bases if b == BUDGET}))


def _window(s: AuthoritySeries, year: str, max_years: int) -> tuple[_Level, _Level, int] | Reading:
    """The closing usable level of `year` and the furthest level up to `max_years` back (same basis first)."""
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    end_value = s.usable(year, basis, "closing")
    if end_value is None:
        return Reading(None, NO_RETURN, basis, "", f"usable reserves at {_closing_label(year)} not published")
    end = _Level(end_value, _closing_label(year), basis)
    for b in s._bases(basis):
        for k in range(max_years, 0, -1):
            start = s.usable_at_start(year, k, b)
            if start is not None:
                return end, start, k
    return Reading(None, NO_RETURN, basis, "", "no earlier level of usable reserves held")


def _window_text(end: _Level, start: _Level, k: int, wanted: int) -> tuple[str, str]:
    used = f"{start.label} → {end.label}"
    notes = []
    if k < wanted:
        notes.append(f"only {k} year{'s' if k > 1 else ''} held, not {wanted}")
    basis_note = _basis_note(start.basis, end.basis)
    if basis_note:
        notes.append(basis_note)
    return used, "; ".join(notes)


def reserves_sustainability(s: AuthoritySeries, year: str) -> Reading:
    """Years until usable reserves run out at the average fall of the last three years (fewer if not held).

    closing ÷ ((level three years earlier − closing) ÷ 3). Not falling ⇒ `not_depleting`, no number.
    """
    w = _window(s, year, 3)
    if isinstance(w, Reading):
        return w
    end, start, k = w
    used, note = _window_text(end, start, k, 3)
    fall_per_year = (start.value_gbp - end.value_gbp) / k
    if fall_per_year <= 0:
        return Reading(None, NOT_DEPLETING, end.basis, used, note)
    return Reading(max(end.value_gbp, 0.0) / fall_per_year, OK, end.basis, used, note)


def _change(s: AuthoritySeries, year: str, wanted: int) -> Reading:
    w = _window(s, year, wanted)
    if isinstance(w, Reading):
        return w
    end, start, k = w
    used, note = _window_text(end, start, k, wanted)
    if start.value_gbp <= 0:
        return Reading(None, NOT_MEANINGFUL, end.basis, used, "earlier level was not positive")
    return Reading((end.value_gbp - start.value_gbp) / start.value_gbp * 100, OK, end.basis, used, note)


def change_3y(s: AuthoritySeries, year: str) -> Reading:
    """% change in usable reserves over the last three years (fewer where not held, said in the note)."""
    return _change(s, year, 3)


def change_1y(s: AuthoritySeries, year: str) -> Reading:
    """% change in usable reserves over the year (1 April → 31 March)."""
    return _change(s, year, 1)


def _ratio(
    s: AuthoritySeries,
    year: str,
    numerator: Callable[[str], float | None],
    numerator_text: str,
    denominator: Callable[[str], float | None],
    denominator_text: str,
) -> Reading:
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    num, den = numerator(basis), denominator(basis)
    used = f"{numerator_text} ÷ {denominator_text}"
    note = _basis_note(basis)
    if num is None or den is None:
        return Reading(None, NO_RETURN, basis, used, "not published")
    if den <= 0:
        return Reading(None, NOT_MEANINGFUL, basis, used, "denominator not positive")
    return Reading(num / den * 100, OK, basis, used, note)


def _nre(s: AuthoritySeries, year: str) -> Callable[[str], float | None]:
    return lambda b: s.get(year, b, "net_revenue_expenditure", "year")


def usable_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Usable reserves at 31 March as % of the year's net revenue expenditure."""
    return _ratio(
        s,
        year,
        lambda b: s.usable(year, b, "closing"),
        f"usable reserves at {_closing_label(year)}",
        _nre(s, year),
        f"NRE {year}",
    )


def unallocated_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Unallocated reserves at 31 March as % of the year's net revenue expenditure."""
    return _ratio(
        s,
        year,
        lambda b: s.get(year, b, "unallocated_reserves", "closing"),
        f"unallocated reserves at {_closing_label(year)}",
        _nre(s, year),
        f"NRE {year}",
    )


def council_tax_ratio(s: AuthoritySeries, year: str) -> Reading:
    """Council tax requirement as % of net revenue expenditure, same year."""
    return _ratio(
        s,
        year,
        lambda b: s.get(year, b, "council_tax_requirement", "year"),
        f"council tax requirement {year}",
        _nre(s, year),
        f"NRE {year}",
    )


def dsg_deficit_ratio(s: AuthoritySeries, year: str) -> Reading:
    """DSG adjustment account deficit at 31 March (negative in the returns) as % of usable reserves.

    A surplus or zero balance is a 0% deficit. Years whose return has no DSG adjustment account line (before
    2023-24 in the files held) are `not_reported`.
    """
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    if not s.has(year, basis, "dsg_adjustment_account", "closing"):
        return Reading(None, NOT_REPORTED, basis, "", f"no DSG adjustment account line on the {year} return")

    def deficit(b: str) -> float | None:
        v = s.get(year, b, "dsg_adjustment_account", "closing")
        return None if v is None else max(-v, 0.0)

    return _ratio(
        s,
        year,
        deficit,
        f"DSG adjustment account deficit at {_closing_label(year)}",
        lambda b: s.usable(year, b, "closing"),
        f"usable reserves at {_closing_label(year)}",
    )


def external_borrowing_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Outstanding external borrowing at the 31 March ending `year` as % of that year's NRE.

    `not_reported` when the borrowing table holds no figure for that 31 March (it covers 2014–2020).
    """
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    if year not in s.borrowing_gbp:
        return Reading(None, NOT_REPORTED, basis, "", f"no borrowing figure for {_closing_label(year)} held")
    return _ratio(
        s,
        year,
        lambda b: s.borrowing_gbp.get(year),
        f"external borrowing at {_closing_label(year)}",
        _nre(s, year),
        f"NRE {year}",
    )
