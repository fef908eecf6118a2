"""The authority's current capital programme as the scenario model needs it: new borrowing by year and asset life.

The programme arrives as the `Capital programme` sheet of a monitoring upload (`finance.upload`, checked by
`finance.capital`); the current one is the latest active upload holding one. It is read here, below the capital
package, because a scenario started from an authority's figures carries its programme (`with_programme`), and the
capital page reads the same rows through this one door.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from finance.scenarios.financing import CapitalPlan, Loan
from finance.scenarios.model import Scenario
from finance.store import Store

_CURRENT = """SELECT u.upload_id, u.file_name, u.sha256, u.financial_year, u.uploaded_at_utc
              FROM monitoring_upload u
              WHERE u.authority_code = ? AND u.status = 'active'
                AND EXISTS (SELECT 1 FROM capital_programme_line l WHERE l.upload_id = u.upload_id)
              ORDER BY u.upload_id DESC LIMIT 1"""
_POSITION = """SELECT p.upload_id, u.file_name, u.sha256, p.as_at, p.cfr_gbp, p.external_debt_gbp, p.existing_rate_pct,
                      p.authorised_limit_gbp, p.operational_boundary_gbp, p.financing_limit_pct, p.mrp_method
               FROM capital_position p JOIN monitoring_upload u USING (upload_id)
               WHERE u.authority_code = ? AND u.status = 'active' ORDER BY p.upload_id DESC LIMIT 1"""
_LINES = """SELECT sheet_row, scheme, directorate, programme_year, budget_gbp, grants_gbp, receipts_gbp, revenue_gbp,
                   borrowing_gbp, asset_life_years, slippage_gbp
            FROM capital_programme_line WHERE upload_id = ? ORDER BY programme_year, sheet_row"""
LINE_COLUMNS = ("sheet_row", "scheme", "directorate", "programme_year", "budget_gbp", "grants_gbp", "receipts_gbp",
                "revenue_gbp", "borrowing_gbp", "asset_life_years", "slippage_gbp")  # fmt: skip


@dataclass(frozen=True)
class HeldPosition:
    """The debt position and limits of the latest upload stating them, money in £; None = not stated."""

    upload_id: int
    file_name: str
    sha256: str
    as_at: date
    cfr_gbp: float | None
    external_debt_gbp: float | None
    existing_rate_pct: float | None
    authorised_limit_gbp: float | None
    operational_boundary_gbp: float | None
    financing_limit_pct: float | None
    mrp_method: str | None


@dataclass(frozen=True)
class HeldProgramme:
    """The current capital programme: its upload (file, sha256, when) and its lines (money in £, float)."""

    upload_id: int
    file_name: str
    sha256: str
    financial_year: str  # the workbook's year
    uploaded_at: datetime
    lines: pd.DataFrame  # LINE_COLUMNS

    @property
    def source_text(self) -> str:
        return f"upload {self.upload_id}, {self.file_name} (sha256 {self.sha256[:12]}…)"

    def plan(self, mrp_method: str | None) -> CapitalPlan:
        """The borrowing-funded part as a scenario's plan: borrowing summed by year and asset life, in £m."""
        frame = self.lines[self.lines["borrowing_gbp"].fillna(0) > 0]
        grouped = frame.groupby(["programme_year", "asset_life_years"], sort=True)["borrowing_gbp"].sum()
        loans = tuple(Loan(str(y), round(float(v) / 1e6, 6), int(life)) for (y, life), v in grouped.items())
        return CapitalPlan(loans, mrp_method or "annuity", self.source_text)


def _f(value: object) -> float | None:
    return None if value is None else float(value if isinstance(value, Decimal | int | float) else str(value))


def current_programme(store: Store, code: str) -> HeldProgramme | None:
    """The latest active upload's capital programme for `code`, or None when none is held."""
    store.require_read(code)
    row = store.query_one(_CURRENT, [code])
    if row is None:
        return None
    frame = pd.DataFrame(store.query(_LINES, [row[0]]), columns=list(LINE_COLUMNS))
    for column in ("budget_gbp", "grants_gbp", "receipts_gbp", "revenue_gbp", "borrowing_gbp", "asset_life_years",
                   "slippage_gbp"):  # fmt: skip
        frame[column] = pd.to_numeric(frame[column].map(_f), errors="coerce").astype(float)
    return HeldProgramme(int(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], frame)


def current_position(store: Store, code: str) -> HeldPosition | None:
    """The latest active upload's debt position and limits for `code`, or None when none stated them."""
    store.require_read(code)
    row = store.query_one(_POSITION, [code])
    if row is None:
        return None
    cfr, debt, rate, authorised, boundary, limit = (_f(v) for v in row[4:10])
    method = None if row[10] is None else str(row[10])
    return HeldPosition(int(row[0]), str(row[1]), str(row[2]), row[3], cfr, debt, rate, authorised, boundary, limit,
                        method)  # fmt: skip


def with_programme(store: Store, scenario: Scenario) -> Scenario:
    """`scenario` carrying its authority's current programme, when it has none of its own and one is held. A
    scenario whose borrowing rate is nil everywhere starts at the average rate on existing debt, when stated."""
    if scenario.capital is not None or scenario.authority is None:
        return scenario
    held = current_programme(store, scenario.authority)
    if held is None:
        return scenario
    position = current_position(store, scenario.authority)
    out = replace(scenario, capital=held.plan(position.mrp_method if position else None))
    rate = position.existing_rate_pct if position else None
    if rate is not None and not any(scenario.assumptions["borrowing_rate_pct"]):
        out = out.with_assumptions(borrowing_rate_pct=rate)
    return out
