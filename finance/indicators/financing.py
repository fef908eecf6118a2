"""Financing costs from the revenue outturn (RS): what a council's borrowing and leasing cost its revenue budget.

Why: committees ask "can we afford to borrow more?", and the Prudential Code's financing-costs ratio answers it
in one number per year that every authority publishes. Financing costs are the sum of five RS lines **as
published** — 773 minimum revenue provision (MRP), 776 leasing payments, 781 external interest payments, 783
HRA item 8 interest payments and receipts, and 786 interest and investment income (published negative; 783 is
usually negative too) — divided by the year's net revenue expenditure (line 805). Sefton 2023-24: 7,318 + 0 +
4,194 + 0 − 2,480 = £9.0m, 3.0% of £299.7m.

Like for like: every line and the denominator come from the same outturn return. A line the return does not
carry is `not_reported` and a line it carries but did not publish ('[x]') is `no_return`: never read as zero,
never summed around. RA budget estimates number their lines differently and are not read for it.

`financing_costs(store, code)` is the official series by year (each value with basis, as-at and source file +
sha256) for other views — the capital page compares a council's own plans with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finance.indicators.measures import (
    BUDGET,
    NO_RETURN,
    NOT_MEANINGFUL,
    NOT_REPORTED,
    OK,
    AuthoritySeries,
    Reading,
)
from finance.indicators.queries import authority
from finance.store import Store
from finance.years import start_year

KEY = "financing_costs_pct_nre"
TITLE = "Financing costs (RS lines 773 + 776 + 781 + 783 + 786, as published)"
NRE = "net_revenue_expenditure"

#: (measure, RS line, words): the lines summed, in form order.
LINES: tuple[tuple[str, str, str], ...] = (
    ("minimum_revenue_provision", "773", "minimum revenue provision"),
    ("leasing_payments", "776", "leasing payments"),
    ("interest_payable", "781", "external interest payments"),
    ("hra_item8_interest", "783", "HRA item 8 interest payments and receipts"),
    ("interest_investment_income", "786", "interest and investment income"),
)
LINE_NUMBERS = " + ".join(line for _, line, _ in LINES)


def _part_key(measure: str) -> str:
    return f"{measure}_gbp"


def financing_costs_pct_nre(s: AuthoritySeries, year: str) -> Reading:
    """Financing costs (RS 773 + 776 + 781 + 783 + 786, as published) as % of the year's NRE (RS 805).

    `not_reported` when the year's return carries none or only some of the lines (RA budget estimates, or an
    outturn file without one of them), naming the lines missing; `no_return` when a line or NRE is not published;
    `not_meaningful` for a non-positive NRE. Parts: each line and NRE in £, and their sum.
    """
    basis = s.basis_for(year)
    if basis is None:
        return Reading(None, NO_RETURN, None, "", f"no figures held for {year}")
    used = f"RS lines {LINE_NUMBERS} {year} ÷ NRE {year} (line 805)"
    if basis == BUDGET:
        why = f"{year} is held only as an RA budget estimate, which is not read for the financing-cost lines"
        return Reading(None, NOT_REPORTED, basis, "", why)
    absent = [line for measure, line, _ in LINES if not s.has(year, basis, measure, "year")]
    if absent:
        return Reading(None, NOT_REPORTED, basis, "", f"RS line {', '.join(absent)} not held for {year}")
    values = [(measure, s.get(year, basis, measure, "year")) for measure, _, _ in LINES]
    nre = s.get(year, basis, NRE, "year")
    known = [v for _, v in values if v is not None]
    total = sum(known) if len(known) == len(values) else None
    parts = (
        *((_part_key(m), v) for m, v in values),
        ("financing_costs_gbp", total),
        ("net_revenue_expenditure_gbp", nre),
    )
    if total is None:
        unpublished = [line for (measure, line, _), (_, v) in zip(LINES, values, strict=True) if v is None]
        return Reading(None, NO_RETURN, basis, used, f"RS line {', '.join(unpublished)} not published", parts)
    if nre is None:
        return Reading(None, NO_RETURN, basis, used, "NRE not published", parts)
    if nre <= 0:
        return Reading(None, NOT_MEANINGFUL, basis, used, "denominator not positive", parts)
    return Reading(total / nre * 100, OK, basis, used, "", parts)


@dataclass(frozen=True)
class FinancingYear:
    """One year's official financing costs for one authority (outturn, the RS return of that year)."""

    financial_year: str
    basis: str
    as_at: str  # the year's end: a flow for the year ending then
    lines_gbp: tuple[tuple[str, float | None], ...]  # (RS line, £) in form order; None = not published
    financing_costs_gbp: float | None
    net_revenue_expenditure_gbp: float | None
    pct_nre: float | None
    status: str
    note: str
    source_file: str
    source_sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "financial_year": self.financial_year,
            "basis": self.basis,
            "as_at": self.as_at,
            "lines_gbp": dict(self.lines_gbp),
            "financing_costs_gbp": self.financing_costs_gbp,
            "net_revenue_expenditure_gbp": self.net_revenue_expenditure_gbp,
            "financing_costs_pct_nre": None if self.pct_nre is None else round(self.pct_nre, 4),
            "status": self.status,
            "note": self.note,
            "source": {"file_name": self.source_file, "sha256": self.source_sha256},
        }


@dataclass(frozen=True)
class FinancingCosts:
    """An authority's official financing costs, every outturn year held, oldest first."""

    code: str
    name: str
    title: str
    years: tuple[FinancingYear, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": {"ons_code": self.code, "name": self.name},
            "title": self.title,
            "definition": f"RS lines {LINE_NUMBERS} as published (786 and usually 783 negative) ÷ NRE (line 805)",
            "years": [y.as_dict() for y in self.years],
        }


def financing_costs(store: Store, code: str) -> FinancingCosts:
    """The official financing costs of authority `code` for every year its RS outturn is held.

    Raises `NotFoundError` for an unknown authority. Years whose return lacks a line are listed with
    status `not_reported` and no value (never zero).
    """
    info = authority(store, code)
    measures = [m for m, _, _ in LINES] + [NRE]
    rows = store.query(
        """SELECT v.financial_year, v.measure, CAST(v.value_gbp AS DOUBLE), s.file_name, s.sha256
           FROM official_value v JOIN source_file s USING (source_id)
           WHERE v.code = ? AND v.basis = 'outturn' AND v.point = 'year'
             AND v.measure IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY v.financial_year""",
        [info.code, measures],
    )
    sources: dict[str, tuple[str, str]] = {}
    values: list[tuple[str, str, str, str, float | None]] = []
    for year, measure, value, file_name, sha in rows:
        sources.setdefault(str(year), (str(file_name), str(sha)))
        values.append((str(year), "outturn", str(measure), "year", value))
    series = AuthoritySeries(info.code, values)
    years = []
    for year in sorted(sources):
        r = financing_costs_pct_nre(series, year)
        parts = dict(r.parts)
        lines = tuple((line, series.get(year, "outturn", m, "year")) for m, line, _ in LINES)
        years.append(
            FinancingYear(
                financial_year=year,
                basis="outturn",
                as_at=f"{start_year(year) + 1}-03-31",
                lines_gbp=lines,
                financing_costs_gbp=parts.get("financing_costs_gbp"),
                net_revenue_expenditure_gbp=series.get(year, "outturn", NRE, "year"),
                pct_nre=r.value,
                status=r.status,
                note=r.note,
                source_file=sources[year][0],
                source_sha256=sources[year][1],
            )
        )
    return FinancingCosts(info.code, info.name, f"{TITLE} as % of net revenue expenditure", tuple(years))
