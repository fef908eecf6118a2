"""`python -m finance pack`: the committee pack (PDF or Excel) for an authority, year and period, for schedulers
that produce the month's committee papers without anyone opening the app.

Exit 2 (nothing written) for an unknown authority, year or period, an unknown section or an output extension other
than .pdf / .xlsx; the file is written only once the whole pack has been built.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance import pack
from finance.cli.context import Context, period_option
from finance.errors import InputError
from finance.peergroups import GROUPS, check_group
from finance.years import parse_financial_year


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "pack", parents=[common], help="write the committee pack (PDF or Excel) for an authority, year and period"
    )
    p.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. E08000014 or DEMO01")
    p.add_argument("--year", required=True, metavar="YYYY-YY", help="financial year, e.g. 2026-27")
    p.add_argument("--period", metavar="N", help="P1..P12 or 1..12 (default: the latest period held)")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx", type=Path, help="where to write the pack")
    p.add_argument(
        "--sections",
        metavar="LIST",
        help=f"comma-separated sections to include (default: all): {', '.join(pack.SECTIONS)}",
    )
    p.add_argument(
        "--group",
        default=None,
        metavar="|".join(GROUPS),
        help="peer group of every comparison: a class code, ALL, NN (ONS statistical nearest neighbours) or SN (DfE "
        "statistical neighbours); default: MD for the reserves benchmark and resilience profile, the authority's "
        "class for DSG and the nowcast",
    )
    p.set_defaults(run=run_pack)


def _format(out: Path) -> str:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in pack.FORMATS:
        raise InputError.single("--out", "must end in .pdf or .xlsx", str(out))
    return fmt


def run_pack(ctx: Context) -> int:
    args = ctx.args
    fmt = _format(args.out)  # checked before the database is opened
    year = parse_financial_year(args.year, "--year")
    period = period_option(args.period)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()] if args.sections else None
    group = None if args.group is None else check_group(args.group)
    built = pack.build_pack(
        ctx.store(), args.authority, year, period, sections, progress=ctx.info, group=group, pdf=fmt == "pdf"
    )
    data = pack.render(built, fmt, progress=ctx.info)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    ctx.emit(
        {
            "written": str(args.out),
            "format": fmt,
            "bytes": len(data),
            "authority": built.authority.code,
            "year": built.year,
            "period": built.period,
            "sections": [s.key for s in built.sections],
            "illustrative": built.authority.is_illustrative,
        },
        f"Wrote the {fmt.upper()} committee pack for {built.authority.name}, {built.when} to {args.out}",
    )
    return 0
