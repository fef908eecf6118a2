"""The administration page's view and its three actions (back up, verify the newest backup, check the database).

Why here and not in the page: the page only reads its widgets, asks this module for what to show and draws it
(house rule: pages are thin); the wording of every backup message and the choice of which backup is "last
verified" are plain functions a test can call without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finance.backup import ENV_BACKUP_DIR, ScheduledBackups, backup, last_verified, list_backups, verify_backup
from finance.check import CheckReport, audit_log, check_database
from finance.errors import InputError
from finance.store import Store

__all__ = ["AdminView", "admin_view", "back_up_now", "check_now", "default_backup_folder", "verify_newest"]


@dataclass(frozen=True)
class AdminView:
    """What the administration page shows: the schedule, the backups in the chosen folder, the audit log."""

    schedule_text: str  # "Scheduled every 24 h into …; last: …", or how to turn scheduled backups on
    scheduled: bool
    schedule_error: str | None  # the last scheduled backup's failure
    folder: str
    default_folder: str  # what the folder field starts at: the schedule's folder, else `backups/` beside the file
    last_verified_text: str | None  # None: no verified backup in the folder (`no_verified_text` says so)
    no_verified_text: str
    backups_text: str | None  # None: no backup in the folder (nothing to verify)
    audit_log: pd.DataFrame


def default_backup_folder(db_path: str, schedule: ScheduledBackups | None) -> str:
    """Where backups go unless the admin types another folder: the schedule's, else `backups/` beside the file."""
    return str(schedule.folder) if schedule else str(Path(db_path).parent / "backups")


def admin_view(store: Store, schedule: ScheduledBackups | None, folder: str | None) -> AdminView:
    """The page's view for backup folder `folder` (None: the default folder)."""
    default = default_backup_folder(store.path, schedule)
    chosen = folder or default
    if schedule is None:
        text = f"Scheduled backups are off: set {ENV_BACKUP_DIR} (and HEADROOM_BACKUP_INTERVAL_H) to turn them on."
    else:
        last = schedule.last.path if schedule.last else "none yet"
        text = f"Scheduled every {schedule.interval_s / 3600:g} h into {schedule.folder}; last: {last}"
    verified = last_verified(Path(chosen))
    verified_text = None
    if verified is not None:
        verified_text = (
            f"**Last verified backup:** `{Path(verified.path).name}` — taken {verified.taken_at_utc[:19]} UTC, "
            f"verified {verified.verified_at_utc[:19]} UTC ({sum(verified.row_counts.values()):,} rows read back, "
            f"sha256 `{verified.sha256[:16]}…`)."
        )
    backups = list_backups(Path(chosen))
    backups_text = None
    if backups:
        backups_text = (
            f"{len(backups)} backup(s) in {chosen}; newest {backups[-1].name}. Restore with "
            "`python -m finance restore FOLDER` while the app is stopped (it verifies the backup first)."
        )
    return AdminView(
        schedule_text=text,
        scheduled=schedule is not None,
        schedule_error=None if schedule is None else schedule.last_error,
        folder=chosen,
        default_folder=default,
        last_verified_text=verified_text,
        no_verified_text=f"No verified backup in {chosen}.",
        backups_text=backups_text,
        audit_log=audit_log(store),
    )


def back_up_now(store: Store, folder: str) -> str:
    """Back up into `folder` as the actor bound to this thread (an admin); the message to show. Raises what
    `backup` raises (`NotPermittedError`, `InputError`)."""
    result = backup(store, Path(folder))
    return f"Backed up to {result.path} ({result.bytes / 1048576:.1f} MB)."


def verify_newest(folder: str) -> str:
    """Re-read the newest backup in `folder` in full against its manifest (sha256, every row, row counts, checks);
    the message to show. `InputError` when there is none or it does not match."""
    found = list_backups(Path(folder))
    if not found:
        raise InputError.single(folder, "holds no backup to verify")
    verify_backup(found[-1])
    return f"{found[-1].name} verified: it matches its manifest."


def check_now(store: Store) -> CheckReport:
    """`python -m finance check` on the app's own database (the invariants and the audit chain)."""
    return check_database(store)
