"""`python -m finance capital`: an authority's capital programme, in-year capital forecast, prudential indicators
and borrowing capacity, and its official debt record, as the Capital page shows them.

Built by the same function as the page (`finance.committee.build_capital_page`), so the two agree; every block says
its basis (approved plan, in-year forecast, scenario projection, outturn) and as-at date. Exit 2 for an unknown
authority or a badly written year.
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.capital import CapitalView
from finance.cli.context import Context
from finance.committee import build_capital_page
from finance.years import parse_financial_year


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("capital", parents=[common], help="capital programme, prudential indicators, borrowing capacity")
    p.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014 or DEMO01")
    p.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year of the monitoring, e.g. 2026-27")
    p.set_defaults(run=run_capital)


def _text(view: CapitalView) -> str:
    lines = [f"Capital: {view.name} ({view.code}), {view.year}"]
    if view.message:
        lines.append(view.message)
    lines.extend(f"{label}: {value}" for label, value in view.metrics)
    lines.extend(view.notes)
    for panel in view.panels:
        lines.extend(["", panel.title, panel.table.to_string(index=False)])
    return "\n".join(lines)


def run_capital(ctx: Context) -> int:
    year = parse_financial_year(ctx.args.year, "--year")
    view = build_capital_page(ctx.store(), ctx.args.authority, year)
    ctx.emit({**view.data, "message": view.message or None, "rag": view.rag}, _text(view))
    return 0
