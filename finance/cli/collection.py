"""`python -m finance collection`: income collection by stream, the age of the debt and the official council tax
receipts with peers, for an authority and year, as the income collection page shows them.

Built by the same function as the page and the pack (`finance.committee.build_collection_view`). Exit 2 for an
unknown authority, a peer group that is not a class code or ALL, or a period with no Collection sheet.
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context, period_option
from finance.committee import CollectionView, build_collection_view
from finance.errors import NotFoundError
from finance.format import gbp_m, pct, period_label
from finance.years import parse_financial_year


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "collection", parents=[common], help="income collection by stream, debt ageing, official receipts with peers"
    )
    p.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014 or DEMO01")
    p.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year, e.g. 2026-27")
    p.add_argument("--period", metavar="N", help="P1..P12 or 1..12 (default: the latest period held)")
    p.add_argument("--group", metavar="GROUP", help="peer group for the receipts: a class code or ALL (default: own)")
    p.set_defaults(run=run_collection)


def _text(view: CollectionView) -> str:
    lines = [f"{view.authority.name} ({view.authority.code}), {view.year}"]
    if view.message:
        lines.append(view.message)
    if view.streams is not None and view.period is not None:
        lines += [f"Collection to {period_label(view.period)} {view.year}; {view.forecast_rule}", view.share_note]
        for r in view.streams.itertuples():
            lines.append(
                f"  {r.stream}: {pct(r.rate_pct)} collected (last year {pct(r.last_year_rate_pct)}); forecast "
                f"{pct(r.forecast_pct)} vs {r.compared_with or 'nothing'} {pct(r.benchmark_pct)}; shortfall "
                f"{gbp_m(r.shortfall_gbp)}, cash effect {gbp_m(r.budget_effect_gbp)}"
            )
    receipts = view.receipts
    if receipts is not None:
        lines.append(
            f"Official council tax receipts: latest figures for {receipts.latest_year} ({receipts.source})"
            if receipts.latest_year
            else f"Official council tax receipts: {receipts.message}"
        )
    return "\n".join(lines)


def run_collection(ctx: Context) -> int:
    args = ctx.args
    year = parse_financial_year(args.year, "--year")
    period = period_option(args.period)
    view = build_collection_view(ctx.store(), args.authority, year, period, args.group)
    if period is not None and view.period != period:
        raise NotFoundError(f"No Collection sheet is held for P{period} of {year} for {view.authority.name}.")
    ctx.emit(view.as_dict(), _text(view))
    return 0
