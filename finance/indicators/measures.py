"""The indicator formulas: pure functions of one authority's official figures for one year.

Why pure: every number on the resilience page must be checkable by hand against the returns, so each formula
reads an `AuthoritySeries` (built from a DataFrame, no database) and returns a `Reading` that says what it used
(which years, which basis) and, when there is no number, why: no return, not depleting, not meaningful
(a non-positive denominator — some 'O' bodies publish negative NRE), or not on that year's return.

Usable reserves = unallocated + other earmarked (unadjusted), excluding schools, public health and DSG reserves.
Levels are at 31 March: the closing level of year t, and for earlier points the 1 April (opening) level of the
later return where held — it is the restated figure — else the 31 March (closing) level of the earlier one.

Like for like only (issue 14): every reading uses one basis — outturn (RS) where the year has it, else the RA
budget estimate, labelled — and a window of N years is computed only when the level N years back is held on the
same basis. Otherwise the reading is `not_available` and says which balance it needs; it never falls back to a
shorter window or to another basis.
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
NOT_AVAILABLE = "not_available"
#: the member does not provide the service measured, or is outside England: never compared, never "no return"
NOT_APPLICABLE = "not_applicable"

BUDGET = "budget_estimate"
BASIS_WORDS = {"outturn": "outturn", BUDGET: "budget estimate (RA)", "illustrative": "illustrative"}
#: The return each basis comes from, as the messages name it ("RS 2020-21 closing").
RETURN_OF_BASIS = {"outturn": "RS", BUDGET: "RA", "illustrative": "illustrative"}


@dataclass(frozen=True)
class Reading:
    """One indicator for one authority and year: `value` in the indicator's unit, or None with `status` saying why."""

    value: float | None
    status: str
    basis: str | None = None
    years_used: str = ""
    note: str = ""
    parts: tuple[tuple[str, float | None], ...] = ()  # the figures the value is made of, £ (e.g. numerator)

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
        # service lines ('service:…', from RS or RSX) are held for years the reserves returns may not be (RSX
        # 2024-25 before RS 2024-25): they do not make a year one of the reserves returns' years
        self._service_years: dict[str, set[str]] = {}
        if isinstance(values, pd.DataFrame):
            values = zip(*(values[c].tolist() for c in VALUE_COLUMNS), strict=True)
        for year, basis, measure, point, value in values:
            self._v[(year, basis, measure, point)] = None if value is None or value != value else float(value)
            held = self._service_years if measure.startswith("service:") else self._years
            held.setdefault(year, set()).add(basis)
        self.borrowing_gbp = borrowing_gbp or {}

    def items(self) -> Iterable[tuple[tuple[str, str, str, str], float | None]]:
        """Every (year, basis, measure, point) → value held."""
        return self._v.items()

    def years(self) -> list[str]:
        """Years with any figure held (reserves returns or service lines), oldest first."""
        return sorted(self._years.keys() | self._service_years.keys())

    def basis_for(self, year: str) -> str | None:
        """The basis of the year's reserves return (RS outturn, else RA estimate), None when none is held."""
        return self._basis(self._years.get(year, set()))

    def service_basis_for(self, year: str) -> str | None:
        """The basis of the year's service lines (outturn), None when none are held."""
        return self._basis(self._service_years.get(year, set()))

    def _basis(self, held: set[str]) -> str | None:
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

    def level(self, kind: str, year: str, basis: str, point: str) -> float | None:
        """A reserve level: `kind` 'usable' (unallocated + other earmarked), or a stored measure."""
        if kind == "usable":
            return self.usable(year, basis, point)
        return self.get(year, basis, kind, point)

    def level_at_start(self, kind: str, year: str, years_back: int, basis: str) -> _Level | None:
        """The level `years_back` years before the close of `year`, on `basis` only: 1 April of the later return,
        else 31 March of the earlier one."""
        opening_year, closing_year = shift(year, -(years_back - 1)), shift(year, -years_back)
        v = self.level(kind, opening_year, basis, "opening")
        if v is not None:
            return _Level(v, _opening_label(opening_year), basis)
        v = self.level(kind, closing_year, basis, "closing")
        return None if v is None else _Level(v, _closing_label(closing_year), basis)

    def usable_at_start(self, year: str, years_back: int, basis: str) -> _Level | None:
        """Usable reserves `years_back` years before the close of `year` (see `level_at_start`)."""
        return self.level_at_start("usable", year, years_back, basis)


def _no_return(s: AuthoritySeries, year: str) -> Reading:
    return Reading(None, NO_RETURN, None, "", f"no figures held for {year}")


def _basis_note(*bases: str) -> str:
    return "; ".join(sorted({BASIS_WORDS.get(b, b) for b in bases if b == BUDGET}))


def needs_text(year: str, years_back: int, basis: str) -> str:
    """What a window needs and is missing, e.g. "not available: needs the balance at 31 March 2021 (RS 2020-21
    closing or RS 2021-22 opening)"."""
    closing_year, opening_year = shift(year, -years_back), shift(year, -(years_back - 1))
    ret = RETURN_OF_BASIS.get(basis, basis)
    return (
        f"not available: needs the balance at {_closing_label(closing_year)} "
        f"({ret} {closing_year} closing or {ret} {opening_year} opening)"
    )


_KIND_WORDS = {"usable": "usable reserves", "unallocated_reserves": "unallocated reserves",
               "earmarked_reserves": "other earmarked reserves"}  # fmt: skip


def _window(s: AuthoritySeries, year: str, years: int, kind: str = "usable") -> tuple[_Level, _Level] | Reading:
    """The closing level of `year` and the level exactly `years` years earlier, both on the year's basis."""
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    end_value = s.level(kind, year, basis, "closing")
    if end_value is None:
        return Reading(None, NO_RETURN, basis, "", f"{_KIND_WORDS[kind]} at {_closing_label(year)} not published")
    start = s.level_at_start(kind, year, years, basis)
    if start is None:
        return Reading(None, NOT_AVAILABLE, basis, "", needs_text(year, years, basis))
    return _Level(end_value, _closing_label(year), basis), start


def _used(end: _Level, start: _Level) -> tuple[str, str]:
    return f"{start.label} → {end.label}", _basis_note(end.basis)


def reserves_sustainability(s: AuthoritySeries, year: str) -> Reading:
    """Years until usable reserves run out at the average fall of the last three years.

    closing ÷ ((level three years earlier − closing) ÷ 3). Not falling ⇒ `not_depleting`, no number. Computed
    only when the level three years back is held on the same basis (`not_available` otherwise).
    """
    w = _window(s, year, 3)
    if isinstance(w, Reading):
        return w
    end, start = w
    used, note = _used(end, start)
    fall_per_year = (start.value_gbp - end.value_gbp) / 3
    if fall_per_year <= 0:
        return Reading(None, NOT_DEPLETING, end.basis, used, note)
    return Reading(max(end.value_gbp, 0.0) / fall_per_year, OK, end.basis, used, note)


def _change(s: AuthoritySeries, year: str, years: int, kind: str = "usable") -> Reading:
    w = _window(s, year, years, kind)
    if isinstance(w, Reading):
        return w
    end, start = w
    used, note = _used(end, start)
    if start.value_gbp <= 0:
        return Reading(None, NOT_MEANINGFUL, end.basis, used, "earlier level was not positive")
    return Reading((end.value_gbp - start.value_gbp) / start.value_gbp * 100, OK, end.basis, used, note)


def change_3y(s: AuthoritySeries, year: str) -> Reading:
    """% change in usable reserves over exactly three years (CIPFA's "change in reserves")."""
    return _change(s, year, 3)


def change_1y(s: AuthoritySeries, year: str) -> Reading:
    """% change in usable reserves over the year (1 April → 31 March, both from the year's own return)."""
    return _change(s, year, 1)


def unallocated_change_3y(s: AuthoritySeries, year: str) -> Reading:
    """% change in unallocated reserves over exactly three years."""
    return _change(s, year, 3, "unallocated_reserves")


def earmarked_change_3y(s: AuthoritySeries, year: str) -> Reading:
    """% change in other earmarked reserves over exactly three years."""
    return _change(s, year, 3, "earmarked_reserves")


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


def earmarked_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Other earmarked reserves (unadjusted) at 31 March as % of the year's net revenue expenditure."""
    return _ratio(
        s,
        year,
        lambda b: s.get(year, b, "earmarked_reserves", "closing"),
        f"other earmarked reserves at {_closing_label(year)}",
        _nre(s, year),
        f"NRE {year}",
    )


def interest_payable_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Interest payable (RS line 781) as % of the year's net revenue expenditure.

    `not_reported` when the year's return carries no line 781 (RA budget estimates are not read for it).
    """
    basis = s.basis_for(year)
    if basis is None:
        return _no_return(s, year)
    if not s.has(year, basis, "interest_payable", "year"):
        return Reading(None, NOT_REPORTED, basis, "", f"no interest payable line (RS line 781) held for {year}")
    return _ratio(
        s,
        year,
        lambda b: s.get(year, b, "interest_payable", "year"),
        f"interest payable (RS line 781) {year}",
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
