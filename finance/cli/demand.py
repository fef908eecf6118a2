"""`demand`: one authority's official demand series against its peers, beside its own budget lines.

`python -m finance demand --authority CODE [--year YYYY-YY] [--group G] [--json]`: children looked after, EHC
plans and households in temporary accommodation, each at the latest as-at point on or before the end of the year
(default: the latest held), with the peer group's median, quartiles and rank, the direction of travel against the
previous point of the same series, each member's status ("not applicable", "no return"), and the council's
matching budget line from its monitoring uploads. An unknown authority, year or group exits 2 with the reason.
"""

from __future__ import annotations

import argparse
from typing import Any

from finance.cli.context import Context
from finance.indicators import GROUPS, demand_view
from finance.monitoring import demand_split, years_held


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demand", parents=[common], help="official demand (CLA, EHC plans, temporary accommodation) with peers"
    )
    p.add_argument("--authority", required=True, metavar="CODE", help="ONS code, e.g. E08000014 (Sefton)")
    p.add_argument(
        "--year", default=None, metavar="YYYY-YY", help="financial year: points up to its 31 March (default: latest)"
    )
    p.add_argument("--group", default="MD", metavar="|".join(GROUPS), help="peer group (default MD)")
    p.set_defaults(run=run_demand)


def run_demand(ctx: Context) -> int:
    view = demand_view(ctx.store(), ctx.args.authority, ctx.args.year, ctx.args.group, areas=())  # no charts
    a = view.data.authority
    lines = [f"{a.name} ({a.code}), official demand; peer group {view.group_label}", ""]
    for s in view.data.series:
        p = s.point
        if p is None:
            lines.append(f"{s.metric.title}: {s.note or s.direction}")
            continue
        value = "no figure" if p.value is None else f"{p.value:,.{s.metric.decimals}f} {s.metric.unit}"
        median = "—" if p.median is None else f"{p.median:,.{s.metric.decimals}f}"
        lines.append(
            f"{s.metric.title} ({s.metric.basis}, as at {p.period_label}): {value}; peer median {median}; "
            f"{s.position_text()}; {s.direction}" + (f" ({s.note})" if s.note else "")
        )
    for service, line in view.budgets.items():
        if line is None:
            lines.append(f"budget line for {service}: none uploaded")
        else:
            lines.append(f"budget line for {service}: {line.title} £{line.headline_gbp / 1e6:,.1f}m ({line.basis})")
    store, code = ctx.store(), ctx.args.authority
    own = None
    if store.readable(code) and (year := ctx.args.year or _latest_year(store, code)) is not None:
        split = demand_split(store, code, year)
        if split.metrics:
            own = split.as_dict()
            for m in split.metrics:
                lines.append(
                    f"uploaded demand {m.metric} ({split.as_at}, in-year forecast): volume effect "
                    f"£{m.volume_effect_gbp / 1e6:,.2f}m, price effect £{m.price_effect_gbp / 1e6:,.2f}m, other on "
                    f"the line £{m.line_other_gbp / 1e6:,.2f}m"
                )
    ctx.emit(view.as_dict() | {"uploaded": own}, "\n".join(lines))
    return 0


def _latest_year(store: Any, code: str) -> str | None:
    """The latest financial year with the council's own monitoring, None when it has none."""
    years = years_held(store, code)
    return years[-1] if years else None
