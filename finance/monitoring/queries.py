"""Reading monitoring back: the current lines per sheet, the periods held, and the upload history.

"Current" is the view `monitoring_current` (latest non-withdrawn upload per authority, year, period and sheet), so
every page and command agrees on which upload a figure came from. Money is returned in £ (floats in DataFrames,
from exact DECIMAL(18,2)); pages convert to £m for display.
"""

from __future__ import annotations

import pandas as pd

from finance.errors import NotFoundError
from finance.format import period_label
from finance.monitoring.balances import reserve_balances
from finance.store import Store
from finance.workbook import MONITORING_SHEETS, SHEETS_BY_NAME


def _columns(sheet: str) -> list[str]:
    return list(SHEETS_BY_NAME[sheet].stored_keys)


def _check_authority(store: Store, authority_code: str) -> None:
    if store.scalar("SELECT count(*) FROM authority WHERE code = ?", [authority_code]) == 0:
        raise NotFoundError(f"There is no authority with code {authority_code}.")


def periods_held(store: Store, authority_code: str, financial_year: str) -> list[int]:
    """Periods (1..12) with current monitoring for any sheet, ascending; empty when none has been uploaded."""
    store.require_read(authority_code)
    rows = store.query(
        "SELECT DISTINCT period FROM monitoring_current WHERE authority_code = ? AND financial_year = ? ORDER BY 1",
        [authority_code, financial_year],
    )
    return [int(r[0]) for r in rows]


def years_held(store: Store, authority_code: str) -> list[str]:
    """Financial years with current monitoring for the authority, ascending."""
    store.require_read(authority_code)
    rows = store.query(
        "SELECT DISTINCT financial_year FROM monitoring_current WHERE authority_code = ? ORDER BY 1", [authority_code]
    )
    return [str(r[0]) for r in rows]


def sheet_lines(
    store: Store, sheet: str, authority_code: str, financial_year: str, period: int | None = None
) -> pd.DataFrame:
    """Current lines of one sheet (`Revenue`, `Savings`, …) for a period, or every period when `period` is None.

    Columns: upload_id, period, sheet_row, then the sheet's own columns (money in £ as float). Empty frame with
    those columns when nothing is held.
    """
    store.require_read(authority_code)
    spec = SHEETS_BY_NAME[sheet]
    cols = ", ".join(f"l.{c}" for c in _columns(sheet))
    sql = f"""SELECT l.upload_id, l.period, l.sheet_row, {cols}
              FROM {spec.table} l
              JOIN monitoring_current c ON c.upload_id = l.upload_id AND c.period = l.period AND c.sheet = ?
              WHERE c.authority_code = ? AND c.financial_year = ?
                AND (CAST(? AS INTEGER) IS NULL OR l.period = ?)
              ORDER BY l.period, l.sheet_row"""
    frame = store.query_df(sql, [sheet, authority_code, financial_year, period, period])
    for key in spec.money_keys:
        frame[key] = frame[key].astype("float64")
    return frame


def uncommitted_earmarked(store: Store, authority_code: str, financial_year: str) -> tuple[float, int] | None:
    """(Σ forecast closing balances of uncommitted earmarked reserves in £, the period) at the latest period of
    `financial_year` whose Reserves sheet is held; None when none is held or a Status is not stated for every
    earmarked reserve there (then nothing is known about what is committed)."""
    store.require_read(authority_code)
    row = store.query_one(
        """SELECT max(period) FROM monitoring_current
           WHERE authority_code = ? AND financial_year = ? AND sheet = 'Reserves'""",
        [authority_code, financial_year],
    )
    if row is None or row[0] is None:
        return None
    period = int(row[0])
    found = reserve_balances(sheet_lines(store, "Reserves", authority_code, financial_year, period), None)
    total = found.earmarked_uncommitted_closing_gbp
    return None if total is None else (total, period)


def reserve_settings(store: Store, authority_code: str, financial_year: str) -> pd.DataFrame:
    """What the Instructions sheets say about each period's reserves forecast.

    Columns: period, overspend_in_reserves (bool, NaN = not stated), minimum_gf_balance_gbp (£, NaN = not stated).
    For each period held: the statements of the upload whose Reserves sheet is current then; the minimum, where
    that upload states none, from the latest current upload of the period that does.
    """
    store.require_read(authority_code)
    return store.query_df(
        """SELECT c.period,
                  max(u.overspend_in_reserves) FILTER (WHERE c.sheet = 'Reserves') AS overspend_in_reserves,
                  arg_max(u.minimum_gf_balance_gbp, (c.sheet = 'Reserves', c.upload_id))
                      FILTER (WHERE u.minimum_gf_balance_gbp IS NOT NULL)::DOUBLE AS minimum_gf_balance_gbp
           FROM monitoring_current c
           JOIN monitoring_upload u USING (upload_id)
           WHERE c.authority_code = ? AND c.financial_year = ?
           GROUP BY c.period ORDER BY c.period""",
        [authority_code, financial_year],
    )


def monitoring_lines(
    store: Store, authority_code: str, financial_year: str, period: int | None = None
) -> dict[str, pd.DataFrame]:
    """The current lines of every sheet held for one period (default: the latest period held), keyed by sheet.

    Raises `NotFoundError` for an unknown authority; returns {} when no monitoring is held for that year/period.
    """
    _check_authority(store, authority_code)
    if period is None:
        held = periods_held(store, authority_code, financial_year)
        if not held:
            return {}
        period = held[-1]
    out: dict[str, pd.DataFrame] = {}
    for spec in MONITORING_SHEETS:
        frame = sheet_lines(store, spec.name, authority_code, financial_year, period)
        if not frame.empty:
            out[spec.name] = frame
    return out


def revenue_by_period(store: Store, authority_code: str, financial_year: str) -> pd.DataFrame:
    """Total budget, forecast outturn and variance (£) per period held: the forecast's drift through the year."""
    store.require_read(authority_code)
    return store.query_df(
        """SELECT l.period, sum(l.budget_gbp)::DOUBLE AS budget_gbp, sum(l.forecast_gbp)::DOUBLE AS forecast_gbp,
                  sum(l.variance_gbp)::DOUBLE AS variance_gbp, count(*) AS lines
           FROM monitoring_revenue l
           JOIN monitoring_current c ON c.upload_id = l.upload_id AND c.period = l.period AND c.sheet = 'Revenue'
           WHERE c.authority_code = ? AND c.financial_year = ?
           GROUP BY l.period ORDER BY l.period""",
        [authority_code, financial_year],
    )


def upload_history(store: Store, authority_code: str | None = None) -> pd.DataFrame:
    """Every upload, newest first, with its state for the views.

    Columns: upload_id, authority_code, financial_year, periods (e.g. 'P4, P5'), sheets ('Revenue 8, Savings 12'),
    line_count, file_name, sha256, uploaded_by, uploaded_at_utc, status ('current', 'partly superseded',
    'superseded', 'withdrawn'), withdrawn_by, withdrawn_at_utc.

    Only the authorities whose own data the acting user may read: naming another is refused (audited), and
    without a name the others are left out.
    """
    if authority_code is not None:
        store.require_read(authority_code)
    readable = store.readable_codes()
    frame = store.query_df(
        """WITH held AS (
               SELECT s.upload_id, s.sheet, s.period, s.line_count, (c.upload_id IS NOT NULL) AS is_current
               FROM monitoring_upload_sheet s
               LEFT JOIN monitoring_current c
                    ON c.upload_id = s.upload_id AND c.sheet = s.sheet AND c.period = s.period
               UNION ALL  -- an MTFS sheet is a version kept beside the others: never superseded, only withdrawn
               SELECT upload_id, 'MTFS', NULL, line_count, true FROM mtfs_version
               UNION ALL  -- so is a risk register (the latest is the one in force)
               SELECT upload_id, 'Risks', NULL, count(*), true FROM risk_line GROUP BY upload_id
           ),
           by_sheet AS (
               SELECT upload_id, sheet, sum(line_count) AS lines FROM held GROUP BY upload_id, sheet
           ),
           per_upload AS (
               SELECT upload_id,
                      coalesce(list(DISTINCT period ORDER BY period) FILTER (WHERE period IS NOT NULL), [])
                          AS period_list,
                      bool_and(is_current) AS all_current, bool_or(is_current) AS any_current
               FROM held GROUP BY upload_id
           ),
           sheets AS (
               SELECT upload_id, string_agg(sheet || ' ' || lines, ', ' ORDER BY sheet) AS sheets
               FROM by_sheet GROUP BY upload_id
           )
           SELECT u.upload_id, u.authority_code, u.financial_year, p.period_list, s.sheets,
                  u.line_count, u.file_name, u.sha256, u.uploaded_by, u.uploaded_at_utc,
                  CASE WHEN u.status = 'withdrawn' THEN 'withdrawn'
                       WHEN p.all_current THEN 'current'
                       WHEN p.any_current THEN 'partly superseded'
                       ELSE 'superseded' END AS status,
                  u.withdrawn_by, u.withdrawn_at_utc
           FROM monitoring_upload u
           JOIN per_upload p USING (upload_id)
           JOIN sheets s USING (upload_id)
           WHERE CAST(? AS VARCHAR) IS NULL OR u.authority_code = ?
           ORDER BY u.upload_id DESC""",
        [authority_code, authority_code],
    )
    if authority_code is None and readable is not None:
        frame = frame[frame["authority_code"].isin(readable)].reset_index(drop=True)
    frame["periods"] = [", ".join(period_label(int(p), month=False) for p in ps) for ps in frame.pop("period_list")]
    order = [
        "upload_id",
        "authority_code",
        "financial_year",
        "periods",
        "sheets",
        "line_count",
        "file_name",
        "sha256",
        "uploaded_by",
        "uploaded_at_utc",
        "status",
        "withdrawn_by",
        "withdrawn_at_utc",
    ]
    return frame[order]
