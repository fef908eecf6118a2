"""`import-official` and `fetch-official`: load the government's RS/RA returns from the command line.

For schedulers and finance teams: fetch the published workbooks, import them (idempotently), and see per
file what happened. Bad files exit 2 with the file named (see `finance.cli`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance import config
from finance.cli.context import Context
from finance.official import FetchReport, ImportReport, fetch_official, import_paths


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import-official",
        parents=[common],
        help="import MHCLG RS/RSX/RO/RA returns and the ONS/DfE statistical-neighbour files (.xls .xlsx .ods .csv "
        "files, or folders of them), each recognised by its content",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="return files or folders")
    imp.set_defaults(run=run_import)

    fetch = sub.add_parser(
        "fetch-official",
        parents=[common],
        help="download the catalogued RS/RSX/RA releases from GOV.UK (and list those with no known address)",
    )
    fetch.add_argument("--dest", type=Path, default=None, help=f"download folder (default: {config.official_dir()})")
    fetch.add_argument("--base-url", default=None, help="fetch from this address instead of GOV.UK")
    fetch.add_argument("--timeout-s", type=float, default=60.0, help="network timeout per request, seconds")
    fetch.add_argument("--import", dest="do_import", action="store_true", help="import the folder afterwards")
    fetch.set_defaults(run=run_fetch)


def import_lines(reports: list[ImportReport]) -> str:
    lines = []
    for r in reports:
        if r.status == "skipped":
            lines.append(f"skipped  {r.file_name}: {r.note}")
        else:
            lines.append(
                f"{r.financial_year or r.note}  {r.dataset or '':<12}  {r.authorities:>5} authorities  "
                f"{r.rows:>6,} rows  {r.service_rows:>6,} service rows  {r.status:<9}  {r.file_name}"
            )
    return "\n".join(lines) if lines else "no files found"


def fetch_lines(reports: list[FetchReport]) -> str:
    lines = []
    for r in reports:
        line = f"{r.financial_year}  {r.dataset:<16}  {r.status:<10}  {r.file_name or '(address unknown)'}"
        if r.warning:
            line += f"\n    warning: {r.warning}"
        lines.append(line)
    return "\n".join(lines)


def run_import(ctx: Context) -> int:
    reports = import_paths(ctx.store(), ctx.args.paths, user=ctx.user)
    ctx.emit([r.as_dict() for r in reports], import_lines(reports))
    return 0


def run_fetch(ctx: Context) -> int:
    dest: Path = ctx.args.dest or config.official_dir()
    ctx.info(f"downloading official returns into {dest}")
    fetched = fetch_official(dest, base_url=ctx.args.base_url, timeout_s=ctx.args.timeout_s)
    imported: list[ImportReport] = []
    if ctx.args.do_import:
        imported = import_paths(ctx.store(), [dest], user=ctx.user)
    text = fetch_lines(fetched)
    if ctx.args.do_import:
        text += "\n\nimported:\n" + import_lines(imported)
    ctx.emit({"fetched": [r.as_dict() for r in fetched], "imported": [r.as_dict() for r in imported]}, text)
    return 0
