"""`targets`: list a council's targets, set one, or list the series a target may name.

The command line is one of the three ways a finance team sets a target (beside the app's Targets page and a
`Targets` sheet of the monitoring workbook); it writes through the same `finance.targets.set_target_from_text`, so
the same rules hold and the problems name the option that was wrong (exit 2).

    python -m finance targets list --authority DEMO01 [--history] [--json]
    python -m finance targets set --authority DEMO01 --series unallocated_reserves --value 23 --units £m \
        --direction "at least" --date 2028-29 [--mandate "Peer challenge recommendation 8"]
    python -m finance targets series [--authority DEMO01] [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context
from finance.committee import collection_streams
from finance.errors import NotFoundError
from finance.targets import (
    DIRECTION_WORDS,
    catalogue_rows,
    date_text,
    set_target_from_text,
    target_history,
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "targets",
        help="a council's targets: list, set, or the series a target may name",
        description="Targets a council sets itself: a value a series should reach by a date.",
    )
    inner = p.add_subparsers(dest="targets_command", required=True, metavar="ACTION")
    ls = inner.add_parser("list", parents=[common], help="the council's current targets (--history: all)")
    ls.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. DEMO01")
    ls.add_argument("--history", action="store_true", help="also superseded and withdrawn targets")
    ls.set_defaults(run=run_list)
    st = inner.add_parser("set", parents=[common], help="set a target (a newer one supersedes the old)")
    st.add_argument("--authority", required=True, metavar="CODE", help="authority code, e.g. DEMO01")
    st.add_argument("--series", required=True, metavar="KEY", help="a series key or title (`targets series`)")
    st.add_argument("--value", required=True, metavar="NUMBER", help="the target, in --units")
    st.add_argument("--units", required=True, metavar="UNITS", help="£, £m, £000 or % (the series' own units)")
    st.add_argument("--direction", required=True, metavar="WORDS", help="'at least' or 'at most'")
    st.add_argument("--date", required=True, metavar="DATE", help="2029-03-31, 31/03/2029 or a year 2028-29")
    st.add_argument("--mandate", metavar="TEXT", help="the decision or report the target rests on")
    st.set_defaults(run=run_set)
    se = inner.add_parser("series", parents=[common], help="the series a target may name, with units and basis")
    se.add_argument("--authority", metavar="CODE", help="also the collection rate of each of this council's streams")
    se.set_defaults(run=run_series)


def _known(ctx: Context, code: str) -> None:
    if ctx.store().scalar("SELECT count(*) FROM authority WHERE code = ?", [code]) == 0:
        raise NotFoundError(f"There is no authority with code {code}.")


def run_list(ctx: Context) -> int:
    code = ctx.args.authority
    _known(ctx, code)
    rows = [t for t in target_history(ctx.store(), code) if ctx.args.history or t.state == "current"]
    lines = [f"{code}: {len(rows)} target(s)" + (" (with history)" if ctx.args.history else "")]
    for t in rows:
        lines.append(
            f"  {t.series.title}: {DIRECTION_WORDS[t.direction]} {t.value_text} by {date_text(t.target_date)} — "
            f"set by {t.set_by} {t.set_at:%Y-%m-%d} via {t.set_via}"
            + (f"; {t.mandate}" if t.mandate else "")
            + ("" if t.state == "current" else f" [{t.state}]")
        )
    ctx.emit({"authority_code": code, "targets": [t.as_dict() for t in rows]}, "\n".join(lines))
    return 0


def run_set(ctx: Context) -> int:
    args = ctx.args
    _known(ctx, args.authority)
    fields = {
        "series": args.series,
        "value": args.value,
        "units": args.units,
        "direction": args.direction,
        "target_date": args.date,
    }
    where = {f: f"--{o}" for f, o in zip(fields, ("series", "value", "units", "direction", "date"), strict=True)}
    target = set_target_from_text(
        ctx.store(), args.authority, fields, user=ctx.user, via="cli", mandate=args.mandate,
        where={**where, "mandate": "--mandate"}, streams=collection_streams(ctx.store(), args.authority),
    )  # fmt: skip
    ctx.emit(target.as_dict(), f"{args.authority}: {target.label}")
    return 0


def run_series(ctx: Context) -> int:
    code = ctx.args.authority
    if code is not None:
        _known(ctx, code)
    rows = catalogue_rows(collection_streams(ctx.store(), code) if code is not None else ())
    text = "\n".join(f"{r['key']:<36} {r['units']:<2} {r['series']}" for r in rows)
    ctx.emit({"series": rows}, text)
    return 0
