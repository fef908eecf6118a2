"""Everything the DSG page shows: the cumulative high-needs deficit over time with the end of the statutory override
(31 March 2028) marked, the deficit as % of usable reserves "if the override ended", and the peers' deficits from
the official DSG adjustment account (2023-24, the first return held that publishes it).

The deficit sits in an unusable reserve while the override lasts; auditors ask what would happen if it ended, so
the ratio compares it with the council's forecast usable reserves. Illustrative authorities are compared only with
the illustrative peer group, real ones only with real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from finance import benchmark
from finance.committee import charts_position as charts
from finance.committee.figures import NO_MONITORING, periods, position
from finance.committee.panels import Panel, gbp_m_value, monitoring_basis
from finance.committee.queries import OFFICIAL_DSG_YEAR, official_dsg_series, peer_dsg, year_lines
from finance.committee.targets_view import council_targets, in_force
from finance.format import gbp_m, ordinal, pct, period_label
from finance.monitoring import years_held
from finance.store import Store
from finance.years import DSG_OVERRIDE_END_TEXT, start_year


@dataclass(frozen=True)
class DsgView:
    authority: benchmark.Authority
    year: str
    period: int | None
    message: str | None
    metrics: tuple[tuple[str, str], ...]
    panels: tuple[Panel, ...]
    notes: tuple[str, ...] = ()


def period_end(year: str, period: int) -> date:
    """The last day of monitoring period `period` of `year` (P1 = April)."""
    month = (period + 2) % 12 + 1
    year_num = start_year(year) + (1 if period >= 10 else 0)
    following = date(year_num + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _trajectory(store: Store, code: str, upto_year: str, up_to_period: int | None = None) -> pd.DataFrame:
    rows: list[tuple[date, float, str, str, str]] = []
    for _, r in official_dsg_series(store, code).iterrows():
        basis = {"outturn": "outturn (RS)", "illustrative": "illustrative returns"}.get(r["basis"], str(r["basis"]))
        rows.append((date(start_year(r["financial_year"]) + 1, 3, 31), float(r["deficit_gbp"]), "official",
                     f"{r['financial_year']} return", basis))  # fmt: skip
    for year in (y for y in years_held(store, code) if y <= upto_year):
        limit = up_to_period if year == upto_year else None
        dsg = year_lines(store, code, year, ("DSG",), up_to_period=limit)["DSG"]
        for period, total in dsg.groupby("period")["cumulative_gbp"].sum().items():
            label = f"{period_label(int(period))} {year} forecast"
            rows.append((period_end(year, int(period)), float(total), "monitoring", label, "in-year forecast"))
    columns = ["date", "deficit_gbp", "source", "label", "basis"]
    return pd.DataFrame(rows, columns=columns).sort_values("date", kind="stable")


def _peer_panel(store: Store, auth: benchmark.Authority, group: str | None = None) -> Panel | None:
    members = peer_dsg(store, auth, group=group)
    peers = members[members["status"] == "compared"].reset_index(drop=True)
    if peers.empty or peers["deficit_gbp"].isna().all():
        return None
    peers = peers.assign(deficit_gbp=peers["deficit_gbp"].clip(lower=0))
    ok = peers["deficit_gbp"].notna() & (peers["usable_gbp"] > 0)
    peers["value"] = (100 * peers["deficit_gbp"] / peers["usable_gbp"]).where(ok)
    shown = peers[peers["value"].notna()].sort_values("value", kind="stable").reset_index(drop=True)
    shown["is_council"] = shown["code"] == auth.code
    shown["label"] = [f"{pct(v)} ({gbp_m(d)})" for v, d in zip(shown["value"], shown["deficit_gbp"], strict=True)]
    missing = peers.loc[peers["value"].isna(), "name"].tolist()
    median = float(shown["value"].median()) if len(shown) else None
    label = benchmark.GROUP_LABELS.get(group or auth.cls, group or auth.cls)
    label = label if group in ("NN", "SN") else label.lower()
    others = members[members["status"] != "compared"]
    table = pd.DataFrame(
        {
            "Authority": peers["name"],
            "In this comparison": ["yes" if pd.notna(v) else "no figure" for v in peers["value"]],
            "DSG deficit at 31 March 2024 (£m)": [gbp_m_value(v) for v in peers["deficit_gbp"]],
            "Usable reserves at 31 March 2024 (£m)": [gbp_m_value(v) for v in peers["usable_gbp"]],
            "Deficit as % of usable reserves": [None if pd.isna(v) else round(float(v), 1) for v in peers["value"]],
            "Basis": [
                f"{'illustrative returns' if b == 'illustrative' else 'outturn (RS)'} {OFFICIAL_DSG_YEAR}"
                for b in peers["basis"]
            ],
        }
    ).sort_values("Deficit as % of usable reserves", na_position="last", kind="stable")
    if not others.empty:  # listed, never compared: "no return" / "not applicable" members of a neighbour group
        table = pd.concat(
            [table, pd.DataFrame({"Authority": others["name"], "In this comparison": others["status"]})],
            ignore_index=True,
        )
    own = shown[shown["is_council"]]
    # a higher deficit is the higher risk: the position counts from the highest (ties share the better place)
    where = (
        f"{auth.name} is {ordinal(int((shown['value'] > own['value'].iloc[0]).sum()) + 1)} highest of {len(shown)} "
        f"at {pct(own['value'].iloc[0])}"
        if not own.empty
        else f"{auth.name} has no figure for {OFFICIAL_DSG_YEAR}"
    )
    where += f" ({len(shown)} of {len(peers)} peers have a figure)"
    not_applicable = int(others["status"].str.startswith("not applicable").sum())
    if not_applicable:
        where += f"; {not_applicable} not applicable (no DSG, or outside England), not counted"
    note = f" No figure: {', '.join(missing)}." if missing else ""
    return Panel(
        "dsg-peers",
        f"Peers' DSG deficits, {OFFICIAL_DSG_YEAR} (official)",
        charts.ranked_peers(
            shown,
            title=f"DSG deficit as % of usable reserves at 31 March 2024: {label}",
            subtitle=f"DSG adjustment account, {OFFICIAL_DSG_YEAR} returns; lowest first; dashed: median",
            axis="DSG deficit as % of usable reserves",
            median=median,
            target=council_targets(store, auth.code).get("dsg_deficit_pct_usable_reserves"),
        ),
        table,
        f"Bar chart of each peer's DSG deficit as a percentage of its usable reserves at 31 March 2024 from the "
        f"official returns, lowest first; {where}; median {pct(median)}.{note}",
    )


def build(store: Store, code: str, year: str, period: int | None = None, group: str | None = None) -> DsgView:
    """The page for `code` in `year` at `period` (default: the latest held); `message` set when no monitoring DSG
    sheet is held for the year (up to `period`). The peers are `group` (`finance.peergroups`; default the
    authority's own class)."""
    auth = benchmark.authority(store, code)
    lines = year_lines(store, code, year, ("DSG", "Reserves", "Revenue"), up_to_period=period)
    held = periods({"DSG": lines["DSG"]})
    peer_panel = _peer_panel(store, auth, group)
    if not held:
        message = NO_MONITORING.format(name=auth.name, year=year)
        return DsgView(auth, year, None, message, (), (peer_panel,) if peer_panel else ())
    period = held[-1]
    pos = position(lines, period)
    when = f"{period_label(period)} {year}"
    metrics = [
        ("Cumulative DSG deficit (forecast)", gbp_m(pos.dsg_cumulative_gbp)),
        ("Deficit as % of usable reserves, if the override ended", pct(pos.dsg_pct_reserves)),
        ("Statutory override ends", DSG_OVERRIDE_END_TEXT),
    ]
    trajectory = _trajectory(store, code, year, period)
    target = council_targets(store, code).get("dsg_deficit")
    target = target if target is not None and in_force(target, year) else None
    first = trajectory.iloc[0]
    panels = [
        Panel(
            "dsg-trajectory",
            "The deficit over time",
            charts.dsg_trajectory(trajectory, title="Cumulative DSG deficit (high needs), £m", target=target),
            pd.DataFrame(
                {
                    "Date": [d.isoformat() for d in trajectory["date"]],
                    "Figure": trajectory["label"],
                    "Deficit (£m)": [gbp_m_value(v) for v in trajectory["deficit_gbp"]],
                    "Basis": trajectory["basis"],
                }
            ),
            f"Chart of the cumulative DSG deficit over time: {gbp_m(first['deficit_gbp'])} at "
            f"{first['date']:%d %B %Y} ({first['label']}), forecast {gbp_m(pos.dsg_cumulative_gbp)} at {when}; "
            f"a dashed line marks the end of the statutory override on {DSG_OVERRIDE_END_TEXT}.",
        )
    ]
    if pos.reserves_closing_gbp is not None and pos.dsg_cumulative_gbp is not None:
        panels.append(
            Panel(
                "dsg-vs-reserves",
                "If the statutory override ended",
                charts.deficit_vs_reserves(
                    pos.dsg_cumulative_gbp,
                    pos.reserves_closing_gbp,
                    title=f"DSG deficit against forecast usable reserves, {when}",
                ),
                pd.DataFrame(
                    {
                        "Measure": [
                            "Cumulative DSG deficit",
                            "Forecast usable reserves at 31 March",
                            "Deficit as % of usable reserves",
                        ],
                        "Value": [
                            gbp_m_value(pos.dsg_cumulative_gbp),
                            gbp_m_value(pos.reserves_closing_gbp),
                            None if pos.dsg_pct_reserves is None else round(pos.dsg_pct_reserves, 1),
                        ],
                        "Unit": ["£m", "£m", "%"],
                        "Basis": monitoring_basis(year, period),
                    }
                ),
                f"Bar chart of the cumulative DSG deficit, {gbp_m(pos.dsg_cumulative_gbp)}, beside forecast usable "
                f"reserves of {gbp_m(pos.reserves_closing_gbp)}; the deficit is {pct(pos.dsg_pct_reserves)} of them.",
            )
        )
    if peer_panel:
        panels.append(peer_panel)
    notes = () if peer_panel else (f"No official DSG adjustment account figures for {OFFICIAL_DSG_YEAR} are loaded.",)
    return DsgView(auth, year, period, None, tuple(metrics), tuple(panels), notes)
