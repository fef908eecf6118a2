"""Every read the indicator engine makes, in one place, each one query fully fetched through the store.

Why separate from the engine: the indicators are pure functions over DataFrames (testable on hand-made frames);
this module is the only part that knows the tables. Peer groups come from `finance.peergroups` (a class code, 'ALL',
or the NN/SN neighbours) and never mix illustrative (demo) authorities with real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finance.errors import NotFoundError
from finance.peergroups import GROUPS as GROUPS
from finance.peergroups import PeerGroup, peer_group
from finance.peergroups import check_group as _check_group
from finance.store import Store


@dataclass(frozen=True)
class AuthorityInfo:
    code: str
    name: str
    class_code: str
    is_illustrative: bool


def check_group(group: str) -> str:
    """The peer group as given (a class code, ALL, NN or SN), or `InputError` naming `--group`."""
    return _check_group(group, "--group")


def authority(store: Store, code: str) -> AuthorityInfo:
    """The authority with ONS/E-code `code`; `NotFoundError` when it is not in the database."""
    row = store.query_one(
        "SELECT code, name, class, is_illustrative FROM authority WHERE code = ?", [code.strip().upper()]
    )
    if row is None:
        raise NotFoundError(f"No authority with code {code!r} is in the database.")
    return AuthorityInfo(str(row[0]), str(row[1]), str(row[2]), bool(row[3]))


def group_of(store: Store, info: AuthorityInfo, group: str) -> PeerGroup:
    """The peer group of `info` (`finance.peergroups.peer_group`): a class or ALL (the same illustrative flag as
    `info`), or the NN/SN neighbours; always including `info` itself."""
    return peer_group(store, info.code, group)


def group_members(store: Store, info: AuthorityInfo, group: str) -> pd.DataFrame:
    """Authorities in `group` (always including `info` itself). Columns: code, name, class (None for a neighbour
    Headroom holds no return for). Class groups sorted by code, neighbour groups by closeness."""
    return group_of(store, info, group).members[["code", "name", "class"]]


def official_values(
    store: Store, codes: list[str], *, years: list[str] | None = None, all_years_for: str = ""
) -> pd.DataFrame:
    """Official values of `codes`: code, financial_year, basis, measure, point, value_gbp (float £ or NaN).

    Only `years` when given (every year for `all_years_for`, the authority whose history is traced). Missing
    values (published text such as '[x]') come back as NaN: missing, never zero.
    """
    return store.query_df(
        """SELECT code, financial_year, basis, measure, point, CAST(value_gbp AS DOUBLE) AS value_gbp
           FROM official_value
           WHERE code IN (SELECT unnest(?::VARCHAR[]))
             AND (? OR code = ? OR financial_year IN (SELECT unnest(?::VARCHAR[])))""",
        [codes, years is None, all_years_for, years or []],
    )


def service_lines(
    store: Store, codes: list[str], *, years: list[str] | None = None, all_years_for: str = ""
) -> pd.DataFrame:
    """Service lines (net current expenditure) of `codes` in the shape of `official_values`: measure
    'service:<line>' at point 'year', basis outturn. Where a year is on both RS and RSX, RS is used (the return
    the year's NRE comes from); RO detail lines are not included. Not published → NaN."""
    return store.query_df(
        """SELECT code, financial_year, basis, 'service:' || line AS measure, 'year' AS point,
                  CAST(value_gbp AS DOUBLE) AS value_gbp
           FROM service_value
           WHERE dataset IN ('RS outturn', 'RSX outturn') AND measure = 'net_current_expenditure'
             AND code IN (SELECT unnest(?::VARCHAR[]))
             AND (? OR code = ? OR financial_year IN (SELECT unnest(?::VARCHAR[])))
           QUALIFY row_number() OVER (PARTITION BY code, financial_year, line
                                      ORDER BY dataset = 'RS outturn' DESC) = 1""",
        [codes, years is None, all_years_for, years or []],
    )


def external_borrowing(store: Store, codes: list[str]) -> pd.DataFrame:
    """Outstanding external borrowing at each 31 March (the year-end; quarter ends are not paired with a year's
    NRE): code, financial_year (the year ending then), value_gbp.

    Matched to authorities by the ONS code the workbook gives, else by the authority's MHCLG E-code. Empty when
    the borrowing table has not been imported.
    """
    return store.query_df(
        """SELECT code, financial_year, value_gbp FROM (
               SELECT coalesce(b.ons_code, e.code) AS code, b.financial_year,
                      CAST(b.value_gbp AS DOUBLE) AS value_gbp
               FROM borrowing_value b
               LEFT JOIN (SELECT ecode, any_value(code) AS code FROM authority WHERE ecode IS NOT NULL
                          GROUP BY ecode) e
                 ON b.ons_code IS NULL AND e.ecode = b.lgf_code
               WHERE b.measure = 'external_borrowing' AND month(b.period_end) = 3)
           WHERE code IN (SELECT unnest(?::VARCHAR[]))""",
        [codes],
    )


def latest_year(store: Store, codes: list[str], basis: str, *, up_to_year: str | None = None) -> str | None:
    """The latest financial year (up to `up_to_year`, when given) with any `basis` figure for `codes`; None when
    there is none."""
    value = store.scalar(
        "SELECT max(financial_year) FROM official_value WHERE basis = ? AND code IN (SELECT unnest(?::VARCHAR[]))"
        " AND (CAST(? AS VARCHAR) IS NULL OR financial_year <= ?)",
        [basis, codes, up_to_year, up_to_year],
    )
    return None if value is None else str(value)


def official_years(store: Store, code: str) -> list[str]:
    """Financial years with any official figure for `code`, oldest first."""
    rows = store.query("SELECT DISTINCT financial_year FROM official_value WHERE code = ? ORDER BY 1", [code])
    return [str(r[0]) for r in rows]


def service_years(store: Store, code: str) -> list[str]:
    """Financial years with RS or RSX service lines held for `code`, oldest first."""
    rows = store.query(
        """SELECT DISTINCT financial_year FROM service_value
           WHERE code = ? AND dataset IN ('RS outturn', 'RSX outturn') ORDER BY 1""",
        [code],
    )
    return [str(r[0]) for r in rows]


def service_texts(store: Store, code: str, year: str) -> dict[str, str]:
    """Line → the published text of `code`'s service lines that are not numbers in `year` (e.g. '[x]')."""
    rows = store.query(
        """SELECT line, published_text FROM service_value
           WHERE code = ? AND financial_year = ? AND dataset IN ('RS outturn', 'RSX outturn')
             AND value_gbp IS NULL
           QUALIFY row_number() OVER (PARTITION BY line ORDER BY dataset = 'RS outturn' DESC) = 1""",
        [code, year],
    )
    return {str(line): str(text) for line, text in rows}


def service_source(store: Store, code: str, year: str) -> str:
    """Which return and file `code`'s service lines for `year` come from (RS where held, else RSX)."""
    row = store.query_one(
        """SELECT r.dataset, s.file_name FROM service_return r JOIN source_file s USING (source_id)
           WHERE r.code = ? AND r.financial_year = ? AND r.dataset IN ('RS outturn', 'RSX outturn')
           ORDER BY r.dataset = 'RS outturn' DESC LIMIT 1""",
        [code, year],
    )
    return "" if row is None else f"{row[0]} {year} ({row[1]})"
