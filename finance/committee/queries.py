"""The reads the committee pages need beyond `finance.monitoring` and `finance.benchmark`.

Kept here, not added to those modules (their owners change them), and each one is a single fully-fetched query
through the store. Money comes back in £ as floats; DSG adjustment account balances are turned into deficits
(positive = deficit), because the returns publish a deficit as a negative balance.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from finance import benchmark
from finance.committee.collection_figures import Share
from finance.committee.figures import SETTINGS
from finance.errors import NotFoundError
from finance.format import period_label
from finance.monitoring import reserve_settings, sheet_lines
from finance.monitoring import years_held as monitoring_years
from finance.peergroups import UPPER_TIER, applicability, check_group, is_neighbour_group, peer_group
from finance.store import Store
from finance.targets import current_targets
from finance.years import start_year

YEAR_SHEETS = ("Revenue", "Savings", "Collection", "Debt", "DSG", "Reserves", "Capital")
OFFICIAL_DSG_YEAR = "2023-24"  # the first return held that publishes the DSG adjustment account


def selectable_years(store: Store, code: str) -> list[str]:
    """Years the sidebar offers for `code`: official returns and monitoring together (monitoring only where the
    acting user may read the authority's own data), newest first."""
    held = monitoring_years(store, code) if store.readable(code) else []
    return sorted(set(benchmark.years_for(store, code)) | set(held), reverse=True)


def year_lines(
    store: Store, code: str, year: str, sheets: tuple[str, ...] = YEAR_SHEETS, *, up_to_period: int | None = None
) -> dict[str, pd.DataFrame]:
    """The current monitoring lines of every period of `year`, per sheet (empty frames when nothing is held).

    With `up_to_period`, only periods up to it: the position as the committee saw it at that period's report.
    With the Reserves sheet comes what each period's Instructions state about it (`figures.SETTINGS`).
    """
    lines = {sheet: sheet_lines(store, sheet, code, year) for sheet in sheets}
    if "Reserves" in sheets:
        settings = reserve_settings(store, code, year)
        lines[SETTINGS] = settings[settings["period"].isin(lines["Reserves"]["period"])].reset_index(drop=True)
    if up_to_period is not None:
        lines = {s: f[f["period"] <= up_to_period].reset_index(drop=True) for s, f in lines.items()}
    return lines


def require_period(held: list[int], period: int | None, year: str) -> None:
    """Raise NotFoundError when a chosen `period` has no monitoring in `year` (None means the latest held)."""
    if period is not None and period not in held:
        shown = ", ".join(period_label(p) for p in held) or "none"
        raise NotFoundError(f"No monitoring is held for period P{period} of {year} (periods held: {shown}).")


def official_dsg_series(store: Store, code: str) -> pd.DataFrame:
    """The authority's DSG adjustment account at each 31 March held: financial_year, basis, deficit_gbp.

    Outturn preferred over budget estimates; years whose return has no such line are absent.
    """
    return store.query_df(
        """SELECT financial_year, basis, -CAST(value_gbp AS DOUBLE) AS deficit_gbp
           FROM official_value
           WHERE code = ? AND measure = 'dsg_adjustment_account' AND point = 'closing' AND value_gbp IS NOT NULL
           QUALIFY row_number() OVER (PARTITION BY financial_year ORDER BY
               CASE basis WHEN 'outturn' THEN 0 WHEN 'illustrative' THEN 1 ELSE 2 END) = 1
           ORDER BY financial_year""",
        [code],
    )


def peer_dsg(
    store: Store, auth: benchmark.Authority, year: str = OFFICIAL_DSG_YEAR, group: str | None = None
) -> pd.DataFrame:
    """The peer `group` (default: `auth`'s class; illustrative with illustrative, real with real) on `year`'s return.

    Columns: code, name, deficit_gbp (DSG adjustment account deficit at 31 March; NaN when not published),
    usable_gbp (unallocated + other earmarked reserves at 31 March; NaN when either is missing), basis, status
    ('compared'; 'not applicable: <why>' for a member with no DSG — a shire district, a police/fire body, outside
    England — never compared; 'no return' for a neighbour (NN/SN) not on `year`'s return).
    Empty when no return for `year` is held.
    """
    g = auth.cls if group is None else check_group(group, "group")
    basis = benchmark.basis_for_year(store, year, illustrative=auth.is_illustrative)
    if basis is None:
        return pd.DataFrame(columns=["code", "name", "deficit_gbp", "usable_gbp", "basis", "status"])
    pg = peer_group(store, auth.code, g) if is_neighbour_group(g) else None
    frame = _dsg_rows(store, auth, year, basis, "ALL" if pg is not None else g, None if pg is None else pg.codes)
    classes = dict(zip(frame["code"], frame["class"], strict=True))
    frame["status"] = ["compared" if c == auth.code else _dsg_status(c, classes[c], "compared") for c in frame["code"]]
    if pg is not None:
        absent = pg.members[~pg.members["code"].isin(frame["code"])]
        extra = pd.DataFrame(
            {
                "code": absent["code"],
                "name": absent["name"],
                "class": absent["class"],
                "deficit_gbp": float("nan"),
                "usable_gbp": float("nan"),
                "basis": basis,
                "status": [_dsg_status(str(c), None, "no return") for c in absent["code"]],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True) if not extra.empty else frame
    return frame.drop(columns="class")


def _dsg_status(code: str, class_code: str | None, applicable: str) -> str:
    """`applicable` for a member with a DSG (an upper-tier English authority), else 'not applicable: <why>'."""
    rule = applicability(code, class_code, UPPER_TIER)
    return applicable if rule.applies else f"not applicable: {rule.reason}"


def _dsg_rows(
    store: Store, auth: benchmark.Authority, year: str, basis: str, group: str, codes: list[str] | None
) -> pd.DataFrame:
    return store.query_df(
        """SELECT r.code, a.name,
                  -max(v.value_gbp) FILTER (WHERE v.measure = 'dsg_adjustment_account')::DOUBLE AS deficit_gbp,
                  (max(v.value_gbp) FILTER (WHERE v.measure = 'unallocated_reserves')
                   + max(v.value_gbp) FILTER (WHERE v.measure = 'earmarked_reserves'))::DOUBLE AS usable_gbp,
                  r.basis, r.class
           FROM official_return r
           JOIN authority a USING (code)
           LEFT JOIN official_value v
                  ON v.code = r.code AND v.financial_year = r.financial_year AND v.basis = r.basis
                 AND v.point = 'closing'
           WHERE r.financial_year = ? AND r.basis = ? AND (? = 'ALL' OR r.class = ?) AND a.is_illustrative = ?
             AND (? OR list_contains(?, r.code))
           GROUP BY r.code, a.name, r.basis, r.class
           ORDER BY r.code""",
        [year, basis, group, group, auth.is_illustrative, codes is None, codes or []],
    )


def latest_official_year(store: Store, *, illustrative: bool) -> str | None:
    """The newest year with official (or, for illustrative authorities, illustrative) returns."""
    held = benchmark.years_held(store, illustrative=illustrative)
    return held[0] if held else None


def collection_fund_share(store: Store, code: str, year: str, period: int) -> Share:
    """The council's share of the collection fund as the upload current for `period`'s Collection sheet states it
    (or, where that one states none, the latest current upload of the period that does); 100% when none does."""
    store.require_read(code)
    value = store.scalar(
        """SELECT arg_max(u.collection_fund_share_pct, (c.sheet = 'Collection', c.upload_id))
                  FILTER (WHERE u.collection_fund_share_pct IS NOT NULL)
           FROM monitoring_current c JOIN monitoring_upload u USING (upload_id)
           WHERE c.authority_code = ? AND c.financial_year = ? AND c.period = ?""",
        [code, year, period],
    )
    return Share() if value is None else Share(float(value), stated=True)


def collection_targets(store: Store, code: str, year: str) -> dict[str, float]:
    """Stream → the council's current target in-year collection rate (%) for `year` (a target dated 31 March of
    that year, from the targets store; set by a Collection sheet, the app or the CLI), for every stream with one —
    the catalogue's six and any other the council names. Streams with none are absent; match a sheet's stream to
    these by `finance.targets.collection_key` (its case and punctuation may differ)."""
    end = date(start_year(year) + 1, 3, 31)
    out: dict[str, float] = {}
    for target in current_targets(store, code).values():
        stream = target.series.stream
        if stream is not None and target.target_date == end and target.direction == "at_least":
            out[stream] = float(target.value)
    return out


def collection_streams(store: Store, code: str) -> tuple[str, ...]:
    """Every income stream the council's current Collection sheets name, any year, in name order: the streams whose
    collection rate a target may name beside the catalogue's six (`finance.targets.find_series`)."""
    store.require_read(code)
    rows = store.query(
        """SELECT DISTINCT l.stream FROM monitoring_collection l
           JOIN monitoring_current c ON c.upload_id = l.upload_id AND c.period = l.period AND c.sheet = 'Collection'
           WHERE c.authority_code = ? ORDER BY l.stream""",
        [code],
    )
    return tuple(str(r[0]) for r in rows)
