"""`services`: net current expenditure by service for one authority and year, beside its peers.

`python -m finance services --authority CODE [--year YYYY-YY] [--group MD|<class>|ALL] [--json]`: the same
figures as the "Service spending" view. Without --year, the latest year with service lines held for the
authority. An unknown authority or a year with no service lines exits 2 with the reason.
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context
from finance.indicators import GROUPS, service_spending


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "services", parents=[common], help="net current expenditure by service for one authority, with peers"
    )
    p.add_argument("--authority", required=True, metavar="CODE", help="ONS code, e.g. E08000014 (Sefton)")
    p.add_argument("--year", default=None, metavar="YYYY-YY", help="financial year (default: latest held)")
    p.add_argument(
        "--group",
        default="MD",
        metavar="|".join(GROUPS),
        help="peer group: a class code, ALL, NN (ONS statistical nearest neighbours, global model) or SN (DfE "
        "children's services statistical neighbours); default MD",
    )
    p.set_defaults(run=run_services)


def run_services(ctx: Context) -> int:
    view = service_spending(ctx.store(), ctx.args.authority, ctx.args.year, ctx.args.group)
    a = view.authority
    lines = [
        f"{a.name} ({a.code}), {view.financial_year}, net current expenditure by service (outturn), "
        f"peer group {view.group} ({view.n_peers} on the return)",
        f"source: {view.source}",
    ]
    if view.peer_group is not None:
        lines.append(f"peer group: {view.peer_group.definition}; members from {view.peer_group.source}")
    lines.append("")
    for row in view.table().to_dict(orient="records"):
        lines.append(
            f"{row['Service']}: {row['Net current expenditure']} ({row['Share of total service expenditure']} of "
            f"total); peer median {row['Peer median']} ({row['Peer median share']}); share {row['Share position']}"
        )
    ctx.emit(view.as_dict(), "\n".join(lines))
    return 0
