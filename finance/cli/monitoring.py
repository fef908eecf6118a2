"""Monthly monitoring from the command line: the template, loading workbooks, the upload history, withdrawal.

For finance teams who produce the monthly workbook from their ledger on a schedule: `load` exits 0 with a summary
of what was loaded, or 2 with every problem (as JSON with --json) and the database unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance.cli.context import Context, period_option
from finance.committee import position, year_lines
from finance.format import period_label
from finance.monitoring import monitoring_lines, periods_held, upload_history
from finance.store import Store
from finance.upload import load_file, template_bytes, withdraw_upload
from finance.years import parse_financial_year, start_year


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    t = sub.add_parser("template", parents=[common], help="write the monthly monitoring workbook template")
    t.add_argument("out", metavar="OUT.xlsx", type=Path, help="where to write the template")
    t.add_argument("--authority", metavar="CODE", help="pre-fill the authority (ONS code or name)")
    t.add_argument("--year", metavar="YYYY-YY", help="pre-fill the financial year")
    t.add_argument("--period", metavar="N", help="pre-fill the period (P1..P12 or 1..12)")
    t.set_defaults(run=run_template)

    ld = sub.add_parser("load", parents=[common], help="load a monthly monitoring workbook (.xlsx)")
    ld.add_argument("file", metavar="FILE", type=Path, help="the workbook")
    ld.set_defaults(run=run_load)

    up = sub.add_parser("uploads", parents=[common], help="list monitoring uploads, newest first")
    up.add_argument("--authority", metavar="CODE", help="only this authority's uploads")
    up.set_defaults(run=run_uploads)

    wd = sub.add_parser("withdraw", parents=[common], help="withdraw a monitoring upload (the previous one is current)")
    wd.add_argument("upload_id", metavar="UPLOAD_ID", type=int, help="the upload's number (see `uploads`)")
    wd.set_defaults(run=run_withdraw)

    mo = sub.add_parser("monitoring", parents=[common], help="the current monitoring lines per sheet, in £")
    mo.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014")
    mo.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year, e.g. 2025-26")
    mo.add_argument("--period", metavar="N", help="P1..P12 or 1..12 (default: the latest period held)")
    mo.set_defaults(run=run_monitoring)


def run_template(ctx: Context) -> int:
    args = ctx.args
    year = parse_financial_year(args.year, "--year") if args.year else None
    data = template_bytes(authority=args.authority, year=year, period=period_option(args.period))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    ctx.emit({"written": str(args.out), "bytes": len(data)}, f"Wrote the monitoring template to {args.out}")
    return 0


def run_load(ctx: Context) -> int:
    result = load_file(ctx.store(), ctx.args.file, user=ctx.user)
    ctx.emit(result.as_dict(), result.summary())
    return 0


def run_uploads(ctx: Context) -> int:
    frame = upload_history(ctx.store(), ctx.args.authority)
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    lines = [
        f"{r['upload_id']:>5}  {r['authority_code']:<9} {r['financial_year']}  {r['periods']:<12} {r['status']:<18}"
        f" {r['uploaded_at_utc']:%Y-%m-%d %H:%M}  {r['uploaded_by']:<10} {r['file_name']}"
        for r in records
    ]
    ctx.emit(records, "\n".join(lines) if lines else "No monitoring uploads yet.")
    return 0


def run_withdraw(ctx: Context) -> int:
    withdraw_upload(ctx.store(), ctx.args.upload_id, user=ctx.user)
    ctx.emit(
        {"withdrawn": ctx.args.upload_id},
        f"Withdrew upload {ctx.args.upload_id}; for each of its periods the latest earlier upload, if any, "
        "is current again.",
    )
    return 0


BASIS = "in_year_forecast"  # the council's own monitoring (collection figures: actual to date)


def _reserves_forecast(store: Store, code: str, year: str, period: int | None) -> dict[str, Any] | None:
    """The one forecast balance at 31 March (finance.monitoring.balances), as the overview and the pack use it."""
    if period is None:
        return None
    pos = position(year_lines(store, code, year, ("Revenue", "Reserves"), up_to_period=period), period)
    if pos.reserves is None:
        return None
    return {"basis": BASIS, "as_at": f"31 March {start_year(year) + 1}", **pos.reserves.as_dict()}


def run_monitoring(ctx: Context) -> int:
    args = ctx.args
    year = parse_financial_year(args.year, "--year")
    store = ctx.store()
    period = period_option(args.period)
    sheets = monitoring_lines(store, args.authority, year, period)
    held = periods_held(store, args.authority, year)
    shown = period if period is not None else (held[-1] if held else None)
    data: dict[str, Any] = {
        "authority_code": args.authority,
        "financial_year": year,
        "period": period_label(shown, month=False) if shown else None,
        "money_units": "£",
        "basis": BASIS,
        "sheets": {
            name: [row | {"basis": BASIS} for row in frame.astype(object).where(frame.notna(), None).to_dict("records")]
            for name, frame in sheets.items()
        },
        "reserves_forecast": _reserves_forecast(store, args.authority, year, shown) if "Reserves" in sheets else None,
    }
    if not sheets:
        text = (
            f"No monitoring held for {args.authority} {year}"
            + (f" {period_label(period, month=False)}" if period else "")
            + "."
        )
    else:
        parts = [f"{args.authority} {year} {period_label(shown or 0, month=False)} (money in £)"]
        for name, frame in sheets.items():
            parts.append(
                f"\n{name}\n" + frame.drop(columns=["upload_id", "period", "sheet_row"]).to_string(index=False)
            )
        text = "\n".join(parts)
    ctx.emit(data, text)
    return 0
