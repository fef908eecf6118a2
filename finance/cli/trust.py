"""`check`, `backup` and `restore`: the operator's commands for trusting, saving and recovering the database.

`check` exits 0 when every invariant holds and 3 with a report when any fails (so a scheduler can alert on it);
`check --deep` first reads every row of every table, so a damaged file is found. `restore` verifies the backup
against the manifest `backup` wrote (sha256, row counts, every row read back) and refuses a mismatch (exit 2).
`backup DIR` and `restore DIR|FILE` need the database file to themselves: while the app runs, DuckDB lets no
other process open it, so they stop with a message naming the process that holds it (exit 2) — back up from the
running app instead (admin page, or `HEADROOM_BACKUP_DIR`). See docs/RUNNING-FOR-A-TEAM.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from finance.backup import backup, restore
from finance.check import check_database, default_backup_folders
from finance.cli.context import Context

CHECK_FAILED = 3


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    ck = sub.add_parser("check", parents=[common], help="verify the database's invariants (exit 3 if any fail)")
    ck.add_argument("--deep", action="store_true", help="first read every row of every table (finds a damaged file)")
    ck.add_argument(
        "--backups",
        metavar="DIR",
        type=Path,
        action="append",
        help="also hold the audit chain against the newest backups' manifests in DIR (repeatable; default: "
        "HEADROOM_BACKUP_DIR and backups/ beside the database file)",
    )
    ck.set_defaults(run=run_check)

    bk = sub.add_parser("backup", parents=[common], help="write a consistent snapshot of the database into DIR")
    bk.add_argument("dir", metavar="DIR", type=Path, help="backup folder (created if needed)")
    bk.add_argument("--keep", type=int, default=None, help="keep only the newest N backups in DIR")
    bk.set_defaults(run=run_backup)

    rs = sub.add_parser(
        "restore", parents=[common], help="verify a backup against its manifest, then replace the database with it"
    )
    rs.add_argument("source", metavar="DIR|FILE", type=Path, help="a backup file, or a folder of backups")
    rs.set_defaults(run=run_restore)


def run_check(ctx: Context) -> int:
    store = ctx.store()
    folders = None if not ctx.args.backups else [*default_backup_folders(store), *ctx.args.backups]
    report = check_database(store, deep=ctx.args.deep, backup_folders=folders)
    ctx.emit(report.as_dict(), report.text())
    return 0 if report.ok else CHECK_FAILED


def run_backup(ctx: Context) -> int:
    result = backup(ctx.store(), ctx.args.dir, keep=ctx.args.keep)
    ctx.emit(
        result.as_dict(),
        f"Backed up {ctx.db_path} to {result.path} ({result.bytes / 1048576:.1f} MB); read back and verified, "
        f"{sum(result.row_counts.values()):,} rows, sha256 {result.sha256}.",
    )
    return 0


def run_restore(ctx: Context) -> int:
    done = restore(ctx.args.source, ctx.db_path, user=ctx.user)
    ctx.emit(done, f"Verified {done['restored_from']} against its manifest and restored {done['database']} from it.")
    return 0
