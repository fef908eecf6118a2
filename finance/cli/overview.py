"""`python -m finance overview`: every overview card for an authority, year and period, as the page shows them.

For scripts and checks that want the committee's headline figures without a browser: each card's key, title,
value and units, basis and as-at date, rule, rating, direction of travel and what it is compared with. Built by the
same function as the Overview page and the pack (`finance.committee.build_overview`), so the three agree.
Exit 2 for an unknown authority or a period with no monitoring.
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context, period_option
from finance.committee import Overview, build_overview
from finance.years import parse_financial_year


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("overview", parents=[common], help="the overview cards (figure, basis, rating, rule)")
    p.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014 or DEMO01")
    p.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year, e.g. 2026-27")
    p.add_argument("--period", metavar="N", help="P1..P12 or 1..12 (default: the latest period held)")
    p.set_defaults(run=run_overview)


def _text(view: Overview) -> str:
    lines = [view.heading, *([view.message] if view.message else []), "", view.summary, ""]
    for card in view.cards:
        lines.append(f"{card.title}: {card.value_text}  [{card.status.label}]")
        lines.append(f"    {card.detail_text}")
        if card.basis_text:
            lines.append(f"    basis: {card.basis_text}; as at {card.as_at}")
        lines.append(f"    {card.travel.symbol} {card.travel.text}")
    return "\n".join(lines)


def run_overview(ctx: Context) -> int:
    args = ctx.args
    year = parse_financial_year(args.year, "--year")
    period = period_option(args.period)
    view = build_overview(ctx.store(), args.authority, year, period)
    ctx.emit(view.as_dict(), _text(view))
    return 0
