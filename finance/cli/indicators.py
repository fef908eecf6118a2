"""`indicators` and `import-borrowing`: the resilience profile, and the borrowing table it can use, for scripts.

`python -m finance indicators --authority CODE --year YYYY-YY [--group MD|<class>|ALL] [--json]` prints every
indicator with its unit, peer median and quartiles, rank, years used and direction of travel: the same numbers
as the "Resilience profile" page, plus the nowcast (a projection from the latest monitoring and the current
scenario) where one is held, and external borrowing and investments over time against the peers (JSON
`debt_and_investments`). An unknown authority or year exits 2 with the reason.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance.cli.context import Context
from finance.format import gbp_m, pct
from finance.indicators import (
    GROUPS,
    debt_position,
    debt_series,
    import_borrowing,
    resilience_nowcast,
    resilience_profile,
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    ind = sub.add_parser(
        "indicators",
        parents=[common],
        help="resilience indicators for one authority and year, positioned among its peers",
    )
    ind.add_argument("--authority", required=True, metavar="CODE", help="ONS code, e.g. E08000014 (Sefton)")
    ind.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year, e.g. 2023-24")
    ind.add_argument(
        "--group",
        default="MD",
        metavar="|".join(GROUPS),
        help="peer group: a class code, ALL, NN (ONS statistical nearest neighbours, global model) or SN (DfE "
        "children's services statistical neighbours); default MD",
    )
    ind.set_defaults(run=run_indicators)

    imp = sub.add_parser(
        "import-borrowing",
        parents=[common],
        help="import MHCLG's borrowing and investment live table (external borrowing and investments per "
        "authority at each quarter end; .xlsx or .ods)",
    )
    imp.add_argument("path", type=Path, metavar="PATH", help="Borrowing_and_Investment_Live_Table_*.xlsx|.ods")
    imp.set_defaults(run=run_import_borrowing)


def run_indicators(ctx: Context) -> int:
    profile = resilience_profile(ctx.store(), ctx.args.authority, ctx.args.year, ctx.args.group)
    table = profile.table()
    a = profile.authority
    head = f"{a.name} ({a.code}), {profile.financial_year}, peer group {profile.group}"
    if a.is_illustrative:
        head += " — ILLUSTRATIVE data"
    blocks = [head]
    if profile.peer_group is not None:
        blocks.append(f"peer group: {profile.peer_group.definition}; members from {profile.peer_group.source}")
    blocks.append("")
    for row in table.to_dict(orient="records"):
        blocks.append(f"{row['Indicator']} ({row['Unit']}): {row['Value']}")
        blocks.append(
            f"  peer median {row['Peer median']}, quartiles {row['Peer quartiles']}; "
            f"{row['Position']} (higher risk when {row['Higher risk when']}); {row['Peers with a figure']}"
        )
        blocks.append(f"  basis: {row['Basis']}")
        if row["Years used"]:
            blocks.append(f"  used: {row['Years used']}")
        if row["Note"]:
            blocks.append(f"  note: {row['Note']}")
        blocks.append(f"  direction of travel: {row['Direction of travel']}")
    nowcast = resilience_nowcast(ctx.store(), ctx.args.authority, ctx.args.group)
    if nowcast is not None:
        blocks += ["", f"Nowcast — {nowcast.label()} (a projection, not official):"]
        for row in nowcast.table().to_dict(orient="records"):
            rank = row["Would rank"]
            blocks.append(f"  {row['Indicator']}: {row['Projected value']} (would rank {rank})")
    debt = debt_series(ctx.store(), profile.authority.code, profile.group)
    for measure, words in (("external_borrowing", "External borrowing"), ("investments", "Investments")):
        latest = [p for p in debt.of(measure) if p.value_gbp is not None]
        if latest:
            p = latest[-1]
            share = "" if p.pct_nre is None else f", {pct(p.pct_nre)} of NRE {p.financial_year}"
            blocks.append(
                f"{words} at {p.as_at.isoformat()} (outturn): {gbp_m(p.value_gbp)}{share}; "
                f"peer median {gbp_m(p.stats.median)}, {debt_position(p.stats)}"
            )
    payload = profile.as_dict() | {
        "nowcast": None if nowcast is None else nowcast.as_dict(),
        "debt_and_investments": debt.as_dict(),
    }
    ctx.emit(payload, "\n".join(blocks))
    return 0


def run_import_borrowing(ctx: Context) -> int:
    report = import_borrowing(ctx.store(), ctx.args.path, user=ctx.user)
    status = "already loaded" if report.already_loaded else "loaded"
    text = (
        f"{status}  {report.file_name}: as at {report.period_ends[0]} to {report.period_ends[-1]}, "
        f"{report.authorities} authorities, {report.rows:,} rows"
    )
    ctx.emit(report.as_dict(), text)
    return 0
