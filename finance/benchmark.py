"""Reserves benchmarks: where an authority's reserves stand among its peers, from the official returns.

This is the question the mission starts from ("the fourth lowest reserve level amongst metropolitan councils"),
so the definitions live here once, for the page, the CLI and the tests:

- usable reserves = unallocated + other earmarked (unadjusted), excluding schools, public health and DSG
  reserves; defined only where both parts are published;
- a ratio measure divides the level at the chosen point (opening, 1 April; closing, 31 March) by the same year's
  net revenue expenditure (NRE); it is not meaningful, and left empty, where NRE is missing or not positive;
- the peer group is the authorities on that year's return in the group (metropolitan districts, a class, or all
  England), real and illustrative authorities never mixed; an authority with no figure is listed as "no return"
  and never ranked as zero; rank 1 is the lowest.

Money is returned in £ and percentages as percent (21.15, not 0.2115).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from finance.errors import InputError, NotFoundError
from finance.peergroups import EVERY_CLASS, applicability, check_group, is_neighbour_group, peer_group
from finance.peergroups import GROUP_LABELS as GROUP_LABELS
from finance.store import Store
from finance.years import is_financial_year, start_year

Point = Literal["opening", "closing"]

MEASURES: dict[str, str] = {
    "unallocated_reserves": "Unallocated reserves",
    "earmarked_reserves": "Other earmarked reserves",
    "usable_reserves": "Usable reserves (unallocated + other earmarked)",
    "unallocated_reserves_pct_nre": "Unallocated reserves as % of NRE",
    "earmarked_reserves_pct_nre": "Other earmarked reserves as % of NRE",
    "usable_reserves_pct_nre": "Usable reserves as % of NRE",
}

# The SQL for each measure over the pivoted columns u (unallocated), e (earmarked) and nre. Fixed text only.
_LEVEL = {"unallocated_reserves": "u", "earmarked_reserves": "e", "usable_reserves": "u + e"}
#: Reserves and net revenue expenditure are held by every class of authority: only members outside England
#: are "not applicable" (`finance.peergroups.applicability`).
APPLIES_TO = EVERY_CLASS


#: The return each basis comes from, and the words for the basis, as every row and sentence names them.
RETURN_OF_BASIS = {"outturn": "RS", "budget_estimate": "RA", "illustrative": "Illustrative"}
BASIS_LABELS = {"outturn": "Outturn (RS)", "budget_estimate": "Budget estimate (RA)", "illustrative": "Illustrative"}


def as_at(year: str, point: str) -> str:
    """The date a level refers to: '1 April 2023' (opening of 2023-24) or '31 March 2024' (closing)."""
    return f"1 April {start_year(year)}" if point == "opening" else f"31 March {start_year(year) + 1}"


def source_of(year: str, basis: str) -> str:
    """The return a value is read from, e.g. 'RS 2023-24' or 'RA 2021-22'."""
    return f"{RETURN_OF_BASIS.get(basis, basis)} {year}"


def is_pct(measure: str) -> bool:
    return measure.endswith("_pct_nre")


def unit(measure: str) -> str:
    return "%" if is_pct(measure) else "£"


def _measure_sql(measure: str) -> str:
    if measure not in MEASURES:
        raise InputError.single("measure", f"must be one of {', '.join(MEASURES)}", measure)
    if is_pct(measure):
        level = _LEVEL[measure.removesuffix("_pct_nre")]
        return f"CASE WHEN nre > 0 THEN 100 * ({level}) / nre END"
    return _LEVEL[measure]


def _check(year: str, point: str, group: str) -> str:
    """The group, normalised; `InputError` for a malformed year, point or group."""
    if not is_financial_year(year):
        raise InputError.single("year", "must be a financial year written like 2023-24", year)
    if point not in ("opening", "closing"):
        raise InputError.single("point", "must be 'opening' (1 April) or 'closing' (31 March)", point)
    return check_group(group, "group")


@dataclass(frozen=True)
class Ranking:
    """A ranked peer group for one year, point and measure.

    `table` has one row per member: code, ons_code, name, class, value (£ or %), rank_lowest (1 = lowest; NA
    for no return), status ('ranked' | 'no return' | 'not meaningful' | 'not applicable'), published_text.
    `definition` and `source` say what the peer group is and where its members come from.
    """

    year: str
    basis: str
    point: str
    measure: str
    group: str
    illustrative: bool
    table: pd.DataFrame
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    definition: str = ""
    source: str = ""

    @property
    def ranked(self) -> int:
        return int(self.table["rank_lowest"].notna().sum())

    @property
    def applicable(self) -> int:
        """Members the measure applies to (the M of "N of M have a figure"): not the "not applicable" ones."""
        return int((self.table["status"] != "not applicable").sum())

    def position(self, code: str) -> dict[str, Any] | None:
        rows = self.table[self.table["code"] == code]
        return None if rows.empty else rows.iloc[0].to_dict()


def years_held(store: Store, *, illustrative: bool | None = None) -> list[str]:
    """Financial years with official (or illustrative) returns, newest first."""
    sql = """SELECT DISTINCT r.financial_year FROM official_return r JOIN authority a USING (code)
             WHERE ? IS NULL OR a.is_illustrative = ? ORDER BY 1 DESC"""
    return [r[0] for r in store.query(sql, [illustrative, illustrative])]


def years_for(store: Store, code: str) -> list[str]:
    """Financial years with a return for authority `code`, newest first."""
    rows = store.query("SELECT DISTINCT financial_year FROM official_return WHERE code = ? ORDER BY 1 DESC", [code])
    return [r[0] for r in rows]


def basis_for_year(store: Store, year: str, *, illustrative: bool) -> str | None:
    """The basis used for a year: outturn where held, else the budget estimate (RA), else illustrative."""
    row = store.query_one(
        """SELECT r.basis FROM official_return r JOIN authority a USING (code)
           WHERE r.financial_year = ? AND a.is_illustrative = ?
           GROUP BY r.basis
           ORDER BY CASE r.basis WHEN 'outturn' THEN 0 WHEN 'illustrative' THEN 1 ELSE 2 END LIMIT 1""",
        [year, illustrative],
    )
    return None if row is None else str(row[0])


_RANK_SQL = """
WITH members AS (
    SELECT r.code, a.name, r.class
    FROM official_return r JOIN authority a USING (code)
    WHERE r.financial_year = $year AND r.basis = $basis AND a.is_illustrative = $illustrative
      AND ($group = 'ALL' OR r.class = $group)
      AND (NOT $restrict OR list_contains($codes, r.code))
),
vals AS (
    SELECT code,
        max(value_gbp) FILTER (WHERE measure = 'unallocated_reserves' AND point = $point)::DOUBLE AS u,
        max(value_gbp) FILTER (WHERE measure = 'earmarked_reserves' AND point = $point)::DOUBLE AS e,
        max(value_gbp) FILTER (WHERE measure = 'net_revenue_expenditure')::DOUBLE AS nre,
        string_agg(DISTINCT published_text, '; ') FILTER (
            WHERE published_text IS NOT NULL AND (point = $point OR point = 'year')) AS published_text
    FROM official_value
    WHERE financial_year = $year AND basis = $basis AND code IN (SELECT code FROM members)
    GROUP BY code
),
measured AS (
    SELECT m.code, m.name, m.class, ({expr}) AS value, v.u, v.e, v.nre, v.published_text
    FROM members m LEFT JOIN vals v USING (code)
)
SELECT code, name, class, value,
       CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY value IS NULL ORDER BY value) END
           AS rank_lowest,
       CASE WHEN value IS NOT NULL THEN 'ranked'
            WHEN u IS NOT NULL AND e IS NOT NULL AND ($pct AND (nre IS NULL OR nre <= 0)) THEN 'not meaningful'
            ELSE 'no return' END AS status,
       published_text
FROM measured
ORDER BY value IS NULL, value, name
"""


def rank(
    store: Store,
    *,
    year: str,
    measure: str,
    point: Point | str = "opening",
    group: str = "MD",
    illustrative: bool = False,
    code: str | None = None,
) -> Ranking:
    """Rank the peer group for `year` on `measure` at `point`. Raises NotFoundError if the year is not held.

    A class group or ALL is the authorities of that class on the year's return. NN and SN depend on the authority
    (`code`, required for them; `InputError` without it): its neighbours on the year's return are ranked, an
    English neighbour with no return is listed as 'no return' and one outside England as 'not applicable'.
    """
    group = _check(year, point, group)
    pg = None
    if is_neighbour_group(group):
        if not code:
            raise InputError.single("authority", f"the {group} peer group is an authority's neighbours: name one")
        pg = peer_group(store, code, group)
    expr = _measure_sql(measure)
    basis = basis_for_year(store, year, illustrative=illustrative)
    if basis is None:
        held = ", ".join(years_held(store, illustrative=illustrative)) or "none"
        kind = "illustrative" if illustrative else "official"
        raise NotFoundError(f"No {kind} returns are loaded for {year} (years held: {held}).")
    table = store.query_df(
        _RANK_SQL.format(expr=expr),
        {
            "year": year,
            "basis": basis,
            "illustrative": illustrative,
            "group": "ALL" if pg is not None else group,
            "point": point,
            "pct": is_pct(measure),
            "restrict": pg is not None,
            "codes": [] if pg is None else pg.codes,
        },
    )
    if pg is not None:
        table = _with_absent_members(table, pg.members)
    table.insert(1, "ons_code", table["code"].where(table["code"].str.fullmatch(r"E\d{8}")))
    table["rank_lowest"] = table["rank_lowest"].astype("Int64")
    values = table["value"].dropna()
    return Ranking(
        year=year,
        basis=basis,
        point=point,
        measure=measure,
        group=group,
        illustrative=illustrative,
        table=table,
        median=float(values.median()) if len(values) else None,
        lower_quartile=float(values.quantile(0.25)) if len(values) else None,
        upper_quartile=float(values.quantile(0.75)) if len(values) else None,
        definition=pg.definition if pg is not None else f"{GROUP_LABELS[group]} on the {source_of(year, basis)} return",
        source=pg.source if pg is not None else f"the class each authority has on {source_of(year, basis)}",
    )


def _with_absent_members(table: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """`table` and a row for each neighbour not on the year's return: 'not applicable' outside England (or a
    class the measure does not apply to), else 'no return'."""
    absent = members[~members["code"].isin(table["code"])]
    if absent.empty:
        return table
    rows = pd.DataFrame(
        {
            "code": absent["code"].astype(str),
            "name": absent["name"].astype(str),
            "class": [None if pd.isna(k) else str(k) for k in absent["class"]],
            "value": float("nan"),
            "rank_lowest": pd.NA,
            "status": [
                "no return" if applicability(str(c), None, APPLIES_TO).applies else "not applicable"
                for c in absent["code"]
            ],
            "published_text": None,
        }
    )
    return pd.concat([table, rows], ignore_index=True)


def ranking_records(ranking: Ranking) -> list[dict[str, Any]]:
    """The ranking as JSON-ready objects (value in £ or percent; null rank for no return), each saying what the
    value is: measure, financial year, point and the date it refers to, basis and the return it comes from."""
    out = []
    when = as_at(ranking.year, ranking.point)
    for row in ranking.table.to_dict("records"):
        out.append(
            {
                "financial_year": ranking.year,
                "measure": ranking.measure,
                "point": ranking.point,
                "as_at": when,
                "basis": ranking.basis,
                "source": source_of(ranking.year, ranking.basis),
                "peer_group": ranking.group,
                "peer_group_definition": ranking.definition,
                "peer_group_source": ranking.source,
                "code": row["code"],
                "ons_code": None if pd.isna(row["ons_code"]) else row["ons_code"],
                "name": row["name"],
                "class": row["class"],
                "value": None if pd.isna(row["value"]) else round(float(row["value"]), 2),
                "unit": unit(ranking.measure),
                "rank_lowest": None if pd.isna(row["rank_lowest"]) else int(row["rank_lowest"]),
                "status": row["status"],
                "published_text": None if pd.isna(row["published_text"]) else row["published_text"],
            }
        )
    return out


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    cls: str
    is_illustrative: bool


def authority(store: Store, code: str) -> Authority:
    row = store.query_one("SELECT code, name, class, is_illustrative FROM authority WHERE code = ?", [code])
    if row is None:
        raise NotFoundError(f"No authority with code {code!r} is loaded.")
    return Authority(row[0], row[1], row[2], bool(row[3]))


def authorities(store: Store) -> pd.DataFrame:
    """Every authority Headroom knows (from a return, the demo, or named by an upload): code, name, class,
    is_illustrative, latest_year (of an official return; None when it has none). Illustrative first, then by name."""
    return store.query_df(
        """SELECT a.code, a.name, a.class, a.is_illustrative, max(r.financial_year) AS latest_year
           FROM authority a LEFT JOIN official_return r USING (code)
           GROUP BY ALL ORDER BY a.is_illustrative DESC, a.name"""
    )


_SERIES_SQL = """
WITH per_year AS (
    SELECT v.financial_year, v.basis,
        max(value_gbp) FILTER (WHERE measure = 'unallocated_reserves' AND point = $point)::DOUBLE AS u,
        max(value_gbp) FILTER (WHERE measure = 'earmarked_reserves' AND point = $point)::DOUBLE AS e,
        max(value_gbp) FILTER (WHERE measure = 'net_revenue_expenditure')::DOUBLE AS nre
    FROM official_value v
    WHERE v.code = $code
    GROUP BY v.financial_year, v.basis
),
preferred AS (
    SELECT *, row_number() OVER (PARTITION BY financial_year ORDER BY
        CASE basis WHEN 'outturn' THEN 0 WHEN 'illustrative' THEN 1 ELSE 2 END) AS pick
    FROM per_year
)
SELECT financial_year, basis, ({expr}) AS value FROM preferred WHERE pick = 1 ORDER BY financial_year
"""


def _direction(change: float | None) -> str:
    if change is None or pd.isna(change):
        return ""
    return "up" if change > 0 else "down" if change < 0 else "level"


def series(store: Store, *, code: str, measure: str, point: Point | str = "opening") -> pd.DataFrame:
    """One authority's `measure` across every year held, like for like.

    Columns: financial_year, basis (outturn where the year has it, else the budget estimate), as_at, value,
    compared_with (the date and return of the value compared with, '' when none), compared_value, change (£ or
    percentage points) and direction ('up', 'down', 'level' or '' when nothing comparable is held).

    At 31 March (closing) the comparison is the same return's 1 April balance: the change during the year, both
    ends from one return. At 1 April (opening) it is the 1 April balance of the latest earlier year held on the
    same basis (years are not assumed consecutive: the date compared with is named). A value is never compared
    with one on another basis (an outturn with an RA budget estimate).
    """
    _check("2000-01", point, "ALL")  # the point only
    expr = _measure_sql(measure)
    frame = store.query_df(_SERIES_SQL.format(expr=expr), {"code": code, "point": point})
    opening = store.query_df(_SERIES_SQL.format(expr=expr), {"code": code, "point": "opening"})
    opening_at = {
        (y, b): v for y, b, v in zip(opening["financial_year"], opening["basis"], opening["value"], strict=True)
    }
    compared_with: list[str] = []
    compared_value: list[float | None] = []
    for i, (year, basis) in enumerate(zip(frame["financial_year"], frame["basis"], strict=True)):
        if point == "closing":
            ref_year: str | None = year
        else:
            earlier = [y for y, b in zip(frame["financial_year"][:i], frame["basis"][:i], strict=True) if b == basis]
            ref_year = earlier[-1] if earlier else None
        ref = None if ref_year is None else opening_at.get((ref_year, basis))
        if ref is None or pd.isna(ref):
            compared_with.append("")
            compared_value.append(None)
        else:
            compared_with.append(f"{as_at(ref_year or year, 'opening')} ({source_of(ref_year or year, basis)})")
            compared_value.append(float(ref))
    frame.insert(2, "as_at", [as_at(y, point) for y in frame["financial_year"]])
    frame["compared_with"] = compared_with
    frame["compared_value"] = pd.array(compared_value, dtype="Float64").astype(float)
    frame["change"] = frame["value"] - frame["compared_value"]
    frame["direction"] = [_direction(c) for c in frame["change"]]
    return frame
