"""The social care ratio (CIPFA FRI) and what is shown instead when the year's NRE is not held.

CIPFA's ratio is adults' plus children's social care net current expenditure as % of net revenue expenditure.
Both parts come from the service lines (RS, or RSX from 2024-25) and NRE from the RS return of the same year, all
outturn. RSX 2024-25 is published before RS 2024-25: for such a year there is no NRE, and rather than divide by
another year's NRE (two definitions) the profile shows a different indicator under its own title — social care
spend as % of total service expenditure, both from the same return. 2010-11 publishes one combined social care
line, not the two the ratio adds up, so neither is computed for it.

Service lines sit in an `AuthoritySeries` as measures `service:<line>` at point 'year'.
"""

from __future__ import annotations

from finance.indicators.measures import (
    NO_RETURN,
    NOT_AVAILABLE,
    NOT_MEANINGFUL,
    NOT_REPORTED,
    OK,
    AuthoritySeries,
    Reading,
)

ADULTS = "service:adult_social_care"
CHILDREN = "service:childrens_social_care"
COMBINED = "service:social_care"
TOTAL_SERVICE = "service:total_service"
NRE = "net_revenue_expenditure"

Parts = tuple[tuple[str, float | None], ...]

RATIO_KEY = "social_care_ratio_pct_nre"
SHARE_KEY = "social_care_pct_total_service"


def _parts(s: AuthoritySeries, year: str, basis: str) -> Parts:
    return (
        ("adult_social_care_gbp", s.get(year, basis, ADULTS, "year")),
        ("childrens_social_care_gbp", s.get(year, basis, CHILDREN, "year")),
    )


def _social_care(s: AuthoritySeries, year: str) -> tuple[str, float, Parts] | Reading:
    """(basis, adults' + children's spend, parts), or the Reading saying why there is none."""
    basis = s.service_basis_for(year)
    if basis is None:
        return Reading(None, NO_RETURN, None, "", f"no service spending held for {year}")
    if not s.has(year, basis, ADULTS, "year") or not s.has(year, basis, CHILDREN, "year"):
        why = (
            f"{year} publishes one combined social care line, not adults' and children's"
            if s.has(year, basis, COMBINED, "year")
            else f"no adults' and children's social care lines held for {year}"
        )
        return Reading(None, NOT_REPORTED, basis, "", why)
    parts = _parts(s, year, basis)
    adults, children = (v for _, v in parts)
    if adults is None or children is None:
        return Reading(None, NO_RETURN, basis, "", "social care spend not published (return not received)", parts)
    return basis, adults + children, parts


def _divide(basis: str, num: float, parts: Parts, den: float | None, used: str, extra: str) -> Reading:
    parts = (*parts, (extra, den))
    if den is None:
        return Reading(None, NO_RETURN, basis, used, "not published", parts)
    if den <= 0:
        return Reading(None, NOT_MEANINGFUL, basis, used, "denominator not positive", parts)
    return Reading(num / den * 100, OK, basis, used, "", parts)


def social_care_ratio(s: AuthoritySeries, year: str) -> Reading:
    """Adults' + children's social care net current expenditure as % of the same year's NRE (CIPFA).

    `not_available` when the year's NRE is not held (RSX held, RS not yet): see `social_care_share`.
    """
    got = _social_care(s, year)
    if isinstance(got, Reading):
        return got
    basis, spend, parts = got
    used = f"adults' + children's social care net current expenditure {year} ÷ NRE {year}"
    if not s.has(year, basis, NRE, "year"):
        return Reading(None, NOT_AVAILABLE, basis, used, f"not available: needs NRE {year} (RS {year})", parts)
    return _divide(basis, spend, parts, s.get(year, basis, NRE, "year"), used, "net_revenue_expenditure_gbp")


def social_care_share(s: AuthoritySeries, year: str) -> Reading:
    """Adults' + children's social care net current expenditure as % of total service expenditure (net current),
    same return and year. Not the CIPFA ratio: shown instead of it when the year's NRE is not held."""
    got = _social_care(s, year)
    if isinstance(got, Reading):
        return got
    basis, spend, parts = got
    used = f"adults' + children's social care {year} ÷ total service expenditure {year} (net current)"
    total = s.get(year, basis, TOTAL_SERVICE, "year")
    return _divide(basis, spend, parts, total, used, "total_service_expenditure_gbp")


def nre_held(s: AuthoritySeries, year: str) -> bool:
    """Whether the CIPFA ratio can be shown for `year`: the year's NRE is held on the basis of its service lines
    (or, with no service lines either, the year's reserves return is there to say why there is no ratio)."""
    basis = s.service_basis_for(year)
    if basis is None:
        return s.basis_for(year) is not None
    return s.has(year, basis, NRE, "year")
