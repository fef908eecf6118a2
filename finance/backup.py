"""Backups: a consistent snapshot of the database into a folder, and restoring one.

The real constraint: a DuckDB file is owned by one process. While the app runs, no other process can open the file
(not even read-only), so a backup taken while the app runs must be taken *by the app*: the admin page's "Back up
now", or the scheduled backup thread the app starts when `HEADROOM_BACKUP_DIR` is set (every
`HEADROOM_BACKUP_INTERVAL_H` hours, keeping `HEADROOM_BACKUP_KEEP`). Both use `Store.snapshot`, which copies the
whole database in one transaction under the write lock. `python -m finance backup DIR` does the same when the app
is not running, and says which process holds the file when it is.

A backup is `headroom-YYYYMMDDTHHMMSSZ.duckdb` plus a `.json` manifest (row counts, sha256). Restoring checks
the backup (it must open and pass `check`) before it replaces the database, and replaces it by an atomic rename.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from finance.auth import SYSTEM, Actor
from finance.backends import is_lake
from finance.check import check_database
from finance.errors import InputError
from finance.store import Store, sha256_file, utc_now

log = logging.getLogger(__name__)

ENV_BACKUP_DIR = "HEADROOM_BACKUP_DIR"
ENV_INTERVAL_H = "HEADROOM_BACKUP_INTERVAL_H"
ENV_KEEP = "HEADROOM_BACKUP_KEEP"
PREFIX = "headroom-"


@dataclass(frozen=True)
class BackupResult:
    path: str
    sha256: str
    bytes: int
    taken_at_utc: str
    row_counts: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def backup(store: Store, folder: Path, *, keep: int | None = None, actor: Actor | None = None) -> BackupResult:
    """Snapshot `store` into `folder` (created if needed); with `keep`, delete all but the newest `keep`.

    `actor` (or the one bound by `Store.acting`) must be an admin when given; the app's scheduler acts as SYSTEM.
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = utc_now()
    target = folder / f"{PREFIX}{now:%Y%m%dT%H%M%S%f}Z.duckdb"
    store.snapshot(target, actor=actor)
    counts = {t: int(store.scalar(f'SELECT count(*) FROM "{t}"')) for t in store.tables()}
    result = BackupResult(str(target), sha256_file(target), target.stat().st_size, now.isoformat(), counts)
    target.with_suffix(".json").write_text(json.dumps(result.as_dict(), indent=2), encoding="utf-8")
    if keep is not None:
        for old in list_backups(folder)[:-keep] if keep > 0 else []:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
    return result


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, oldest first (the names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*.duckdb") if p.is_file())


def resolve_backup(path: Path) -> Path:
    """A backup file, or the newest backup in a folder; `InputError` if there is none."""
    if path.is_dir():
        found = list_backups(path)
        if not found:
            raise InputError.single(str(path), f"holds no backup ({PREFIX}*.duckdb)")
        return found[-1]
    if not path.is_file():
        raise InputError.single(str(path), "no such backup file or folder")
    return path


def restore(source: Path, db_path: str) -> dict[str, object]:
    """Replace the database at `db_path` with the backup `source` (a file, or the newest in a folder).

    The backup is opened and checked first (a damaged backup is refused and nothing changes); the database file
    must not be open in another process (`DatabaseInUseError` names it). The old file is kept beside the new
    one as `<name>.before-restore` until the next restore.
    """
    if is_lake(db_path):  # a lake is not a file to replace: its catalog and data files are restored instead
        raise InputError.single(
            "restore", "a DuckLake is restored from its catalog dump and data files: see docs/RUNNING-AT-SCALE.md"
        )
    chosen = resolve_backup(source)
    checked = Store.open(str(chosen), read_only=True)
    try:
        report = check_database(checked)
    finally:
        checked.close()
    if not report.ok:
        raise InputError.single(chosen.name, "fails the database checks, so it was not restored:\n" + report.text())
    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        Store(str(target)).close()  # raises DatabaseInUseError if the app (or anything) holds it
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(chosen, staging)
    with staging.open("rb") as f:
        os.fsync(f.fileno())
    wal = Path(str(target) + ".wal")
    if target.exists():
        shutil.copyfile(target, target.with_name(target.name + ".before-restore"))
    wal.unlink(missing_ok=True)  # belongs to the old file; replaying it onto the backup would corrupt it
    staging.replace(target)
    return {"restored_from": str(chosen), "database": str(target), "row_counts": report.counts}


class ScheduledBackups:
    """A daemon thread in the app process taking a backup every `interval_h` hours (first one at start)."""

    def __init__(self, store: Store, folder: Path, interval_h: float, keep: int) -> None:
        self.store, self.folder, self.interval_s, self.keep = store, folder, interval_h * 3600, keep
        self.stopped = threading.Event()
        self.last: BackupResult | None = None
        self.last_error: str | None = None
        self.thread = threading.Thread(target=self._run, name="headroom-backups", daemon=True)

    def start(self) -> ScheduledBackups:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.last = backup(self.store, self.folder, keep=self.keep, actor=SYSTEM)
                self.last_error = None
                log.info("backup written: %s", self.last.path)
            except Exception as err:  # keep the schedule alive; the admin page shows the last error
                self.last_error = f"{type(err).__name__}: {err}"
                log.exception("scheduled backup failed")
            self.stopped.wait(self.interval_s)


def schedule_from_env(store: Store) -> ScheduledBackups | None:
    """Start scheduled backups when `HEADROOM_BACKUP_DIR` is set (interval default 24 h, keep default 14)."""
    folder = os.environ.get(ENV_BACKUP_DIR, "").strip()
    if not folder:
        return None
    try:
        interval = float(os.environ.get(ENV_INTERVAL_H, "24") or 24)
        keep = int(os.environ.get(ENV_KEEP, "14") or 14)
    except ValueError:
        raise InputError.single(f"{ENV_INTERVAL_H}/{ENV_KEEP}", "must be numbers") from None
    if interval <= 0 or keep < 1:
        raise InputError.single(f"{ENV_INTERVAL_H}/{ENV_KEEP}", "must be more than 0")
    return ScheduledBackups(store, Path(folder), interval, keep).start()
