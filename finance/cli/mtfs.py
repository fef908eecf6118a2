"""`mtfs --authority CODE [--version NAME]`: the council's approved MTFS series, as uploaded.

Loading stays with `load` (an MTFS is a sheet of an uploaded workbook, checked and written like every other
sheet); this command reads a version back, by default the latest, with every version's dates listed so a script
can see how the approved position moved. Unknown authority or version exits 2 (NotFoundError).
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context
from finance.errors import NotFoundError
from finance.mtfs import list_versions, mtfs_series
from finance.scenarios import money_m


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "mtfs",
        parents=[common],
        help="the approved MTFS of an authority by year (load it with `load`)",
        description="The approved MTFS series (£m) of an authority: the latest version, or the one named.",
    )
    p.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014")
    p.add_argument("--version", metavar="NAME", help="the version's name (default: the latest approved)")
    p.set_defaults(run=run_mtfs)


def run_mtfs(ctx: Context) -> int:
    args = ctx.args
    store = ctx.store()
    if store.scalar("SELECT count(*) FROM authority WHERE code = ?", [args.authority]) == 0:
        raise NotFoundError(f"There is no authority with code {args.authority}.")
    series = mtfs_series(store, args.authority, args.version)
    versions: list[dict[str, Any]] = [
        {
            "version_name": v.version_name,
            "approved_on": v.approved_on.isoformat() if v.approved_on else None,
            "uploaded_at_utc": v.uploaded_at_utc.isoformat(timespec="seconds"),
            "upload_id": v.upload_id,
        }
        for v in list_versions(store, args.authority)
    ]
    data = series.as_dict() | {"versions": versions}
    rows: list[dict[str, Any]] = data["years"]
    v = series.version
    lines = [
        f"{args.authority} approved MTFS '{v.version_name}', {v.date_text} (base year {v.base_year}; {v.file_name})",
        f"{'year':<8} {'budget':>9} {'funding':>9} {'gap':>9} {'savings':>9} {'net gap':>9} {'cum. gap':>9}"
        f" {'reserves':>9}",
    ]
    for y in rows:
        cells = [
            y["budget_requirement_gbp_m"],
            y["funding_gbp_m"],
            y["gap_before_savings_gbp_m"],
            y["savings_identified_gbp_m"],
            y["gap_after_savings_gbp_m"],
            y["cumulative_gap_gbp_m"],
            y["reserves_use_gbp_m"],
        ]
        lines.append(f"{y['year']:<8} " + " ".join(f"{'—' if c is None else money_m(c):>9}" for c in cells))
    lines.append(f"Versions held: {len(versions)} (oldest first: " + "; ".join(
        f"{x['version_name']} {x['approved_on'] or 'uploaded ' + x['uploaded_at_utc'][:10]}" for x in versions
    ) + ")")  # fmt: skip
    ctx.emit(data, "\n".join(lines))
    return 0
