"""`demo` and `benchmark`: build the illustrative database, and rank a peer group from the official returns."""

from __future__ import annotations

import argparse
from typing import Any

from finance import benchmark, demo
from finance.cli.context import Context
from finance.format import gbp_m, pct


def _demo(ctx: Context) -> int:
    report = demo.build_demo(ctx.store(), user=ctx.user)
    data = {
        "status": report.status,
        "authorities": report.authorities,
        "rows": report.rows,
        "monitoring_uploads": report.monitoring_uploads,
        "db": ctx.db_path,
    }
    text = (
        f"Illustrative demo data {report.status}: {report.authorities} authorities, {report.rows} values, "
        f"{report.monitoring_uploads} monthly monitoring workbooks loaded through the upload path, in {ctx.db_path}"
        if report.status == "built"
        else f"Illustrative demo data already present in {ctx.db_path}; nothing changed."
    )
    ctx.emit(data, text)
    return 0


def _benchmark(ctx: Context) -> int:
    a = ctx.args
    ranking = benchmark.rank(
        ctx.store(),
        year=a.year,
        measure=a.measure,
        point=a.point,
        group=a.group,
        illustrative=a.illustrative,
        code=a.authority,
    )
    records = benchmark.ranking_records(ranking)
    ctx.emit(records, _table(ranking, records))
    return 0


def _table(ranking: benchmark.Ranking, records: list[dict[str, Any]]) -> str:
    fmt = pct if benchmark.is_pct(ranking.measure) else gbp_m
    lines = [
        f"{benchmark.MEASURES[ranking.measure]} at {ranking.point}, {ranking.year} ({ranking.basis}); "
        f"{benchmark.GROUP_LABELS[ranking.group]}: {ranking.ranked} ranked, median {fmt(ranking.median)}",
        f"peer group: {ranking.definition}; members from {ranking.source}",
        f"{'rank':>4}  {'code':<10} {'authority':<40} {'value':>12}",
    ]
    for r in records:
        rank = str(r["rank_lowest"]) if r["rank_lowest"] is not None else "-"
        value = fmt(r["value"]) if r["value"] is not None else r["status"]
        lines.append(f"{rank:>4}  {r['code']:<10} {r['name'][:40]:<40} {value:>12}")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="build the illustrative demo database")
    p.set_defaults(run=_demo)

    p = sub.add_parser(
        "benchmark",
        parents=[common],
        help="rank a peer group on a reserves measure",
        description="Rank authorities on a reserves measure. Money in £, ratios in percent; rank 1 = lowest; "
        "authorities with no return are listed with a null rank.",
    )
    p.add_argument("--year", required=True, help="financial year, e.g. 2023-24")
    p.add_argument("--point", choices=["opening", "closing"], default="opening")
    p.add_argument("--measure", choices=list(benchmark.MEASURES), required=True)
    p.add_argument(
        "--group",
        default="MD",
        help="MD (default), a class (LB, UA, SC, SD, O), ALL, or an authority's neighbours: NN (ONS statistical "
        "nearest neighbours, global model) or SN (DfE children's services statistical neighbours); NN and SN "
        "need --authority",
    )
    p.add_argument("--authority", default=None, help="ONS code of the authority whose NN/SN neighbours to rank")
    p.add_argument("--illustrative", action="store_true", help="rank the illustrative demo authorities")
    p.set_defaults(run=_benchmark)
