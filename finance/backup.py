"""Backups: a consistent snapshot of the database into a folder, and restoring one.

The real constraint: a DuckDB file is owned by one process. While the app runs, no other process can open the file
(not even read-only), so a backup taken while the app runs must be taken *by the app*: the admin page's "Back up
now", or the scheduled backup thread the app starts when `HEADROOM_BACKUP_DIR` is set (every
`HEADROOM_BACKUP_INTERVAL_H` hours, keeping `HEADROOM_BACKUP_KEEP`). Both use `Store.snapshot`, which copies the
whole database in one transaction under the write lock. `python -m finance backup DIR` does the same when the app
is not running, and says which process holds the file when it is.

A backup is `headroom-YYYYMMDDTHHMMSSZ.duckdb` plus a `.json` manifest: its sha256 and size, and the row count
of every table as read back from the copy itself (every row of every table is read, so every block's checksum is
verified, before the manifest is written: a backup with a manifest is a verified backup). `restore` verifies a
backup against its manifest before it replaces anything — the file's sha256 and size, then every row read back,
the row counts and `check` — and refuses a mismatch, a missing or unreadable manifest or an unreadable file
(`InputError`, exit 2): a backup damaged by one flipped byte anywhere is never restored. It then replaces the
database by an atomic rename. `verify_backup` is the same verification on its own (the admin page's "Verify").
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from finance import audit_chain, settings
from finance.auth import SYSTEM
from finance.backends import LAKE_MANIFEST, is_lake, parse_lake, restore_lake, verify_lake_backup
from finance.check import audit_head, check_database
from finance.errors import InputError, Problem
from finance.store import DamagedDatabaseError, Store, sha256_file, utc_now

log = logging.getLogger(__name__)

ENV_BACKUP_DIR = settings.BACKUP_DIR
ENV_INTERVAL_H = settings.BACKUP_INTERVAL_H
ENV_KEEP = settings.BACKUP_KEEP
PREFIX = "headroom-"


@dataclass(frozen=True)
class BackupResult:
    """A backup's manifest (the `.json` beside it)."""

    path: str
    sha256: str
    bytes: int
    taken_at_utc: str
    row_counts: dict[str, int]
    verified_at_utc: str  # when every row of the copy was last read back and matched this manifest
    audit_head: dict[str, object] | None = None  # the copy's newest audit row (id, sha256): issue 16's chain head
    database: str | None = None  # the database it was taken of (`Store.identity`): `check` compares only its own

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_suffix(".json")


def _write_manifest(backup_file: Path, result: BackupResult) -> None:
    target = manifest_path(backup_file)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(result.as_dict(), indent=2), encoding="utf-8")
    partial.replace(target)


def backup(store: Store, folder: Path, *, keep: int | None = None) -> BackupResult:
    """Snapshot `store` into `folder` (created if needed), read the copy back, and write its manifest; with
    `keep`, delete all but the newest `keep`.

    The actor bound to the thread (`Store.acting`), if any, must be an admin; the app's scheduler binds SYSTEM.
    A copy that cannot be read back is deleted and the error raised: no backup is better than a false one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = utc_now()
    target = folder / f"{PREFIX}{now:%Y%m%dT%H%M%S%f}Z.duckdb"
    store.snapshot(target)
    try:
        counts, head = _read_back(target)
    except InputError:
        target.unlink(missing_ok=True)
        raise
    size, digest = target.stat().st_size, sha256_file(target)
    result = BackupResult(
        str(target), digest, size, now.isoformat(), counts, utc_now().isoformat(), head, store.identity
    )
    _write_manifest(target, result)
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


def _read_back(path: Path, *, with_head: bool = True) -> tuple[dict[str, int], dict[str, object] | None]:
    """Open the backup `path` read-only, read every row of every table and run `check`; its row counts and audit
    head. `InputError` naming the file when it cannot be read or fails a check."""
    try:
        copy = Store(str(path), read_only=True)
    except DamagedDatabaseError as err:
        raise InputError.single(path.name, f"is not a readable database, so it was not used: {err}") from None
    copy.head_file = None  # a copy keeps no sidecar: its head is checked against the manifest, by the caller
    try:
        report = check_database(copy, deep=True)
        head = audit_head(copy) if report.ok and with_head else None
    finally:
        copy.close()
    if not report.ok:
        raise InputError.single(path.name, "fails the database checks, so it was not used:\n" + report.text())
    return report.counts, None if head is None else head.as_dict()


def read_manifest(backup_file: Path) -> BackupResult:
    """The manifest beside `backup_file`; `InputError` when it is missing or not a manifest."""
    path = manifest_path(backup_file)
    if not path.is_file():
        raise InputError.single(
            backup_file.name, f"has no manifest ({path.name}) beside it, so it cannot be verified and was not used"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        counts = {str(k): int(v) for k, v in dict(data["row_counts"]).items()}
        return BackupResult(
            str(data["path"]), str(data["sha256"]), int(data["bytes"]), str(data["taken_at_utc"]), counts,
            str(data.get("verified_at_utc") or ""),
            None if data.get("audit_head") is None else {k: data["audit_head"][k] for k in ("audit_id", "sha256")},
            None if data.get("database") is None else str(data["database"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError.single(path.name, f"is not a readable backup manifest ({type(err).__name__}: {err})") from None


def verify_backup(backup_file: Path) -> BackupResult:
    """Verify `backup_file` against its manifest: size and sha256 (so one flipped byte anywhere is caught), then
    every row read back, the row counts and `check`. Returns the manifest, with `verified_at_utc` now, rewritten;
    `InputError` naming what does not match (nothing is changed then)."""
    manifest = read_manifest(backup_file)
    size, digest = backup_file.stat().st_size, sha256_file(backup_file)
    if (size, digest) != (manifest.bytes, manifest.sha256):
        raise InputError.single(
            backup_file.name,
            f"does not match its manifest: it is {size:,} bytes with sha256 {digest}, the manifest records "
            f"{manifest.bytes:,} bytes with sha256 {manifest.sha256}. It was damaged or changed after it was "
            "taken, so it was not used: use another backup",
        )
    counts, head = _read_back(backup_file, with_head=manifest.audit_head is not None)
    differ = [
        Problem(f"{backup_file.name}: {table}", f"holds {counts.get(table)} rows, the manifest records {wanted}")
        for table, wanted in sorted({**dict.fromkeys(counts), **manifest.row_counts}.items())
        if counts.get(table) != wanted
    ]
    if head != manifest.audit_head:
        differ.append(
            Problem(f"{backup_file.name}: audit_log", f"ends at {head}, the manifest records {manifest.audit_head}")
        )
    if differ:
        raise InputError(differ, summary=f"{backup_file.name} does not match its manifest's row counts")
    verified = replace(manifest, verified_at_utc=utc_now().isoformat())
    with suppress(OSError):  # a read-only backup folder: verified all the same, the record just stays older
        _write_manifest(backup_file, verified)
    return verified


def last_verified(folder: Path) -> BackupResult | None:
    """The newest backup in `folder` whose manifest says it was verified and whose file still has the recorded
    size (the admin page's summary; `verify_backup` re-reads it in full)."""
    for path in reversed(list_backups(folder)):
        try:
            manifest = read_manifest(path)
        except InputError:
            continue
        if manifest.verified_at_utc and path.stat().st_size == manifest.bytes:
            return replace(manifest, path=str(path))
    return None


def restore(source: Path, db_path: str, *, user: str) -> dict[str, object]:
    """Replace the database at `db_path` with the backup `source` (a file, or the newest in a folder).

    The backup is verified against its manifest first (`verify_backup`: a damaged or changed backup is refused
    and nothing changes); the database file must not be open in another process (`DatabaseInUseError` names it).
    The old file is kept beside the new one as `<name>.before-restore` until the next restore. The restore
    itself is the first audit row after the backup's (action `restore`, by `user`), so the audit trail says
    that history was rolled back, and its id follows the rolled-back rows' (ids are never reused); the sidecar is
    reset to that row. On a DuckLake, `source` is a `dump_lake` folder restored onto the new, empty lake
    `db_path` (`restore_lake_backup`).
    """
    if is_lake(db_path):  # a lake is not a file to replace: its catalog and data files are restored instead
        if not (source / LAKE_MANIFEST).is_file():
            raise InputError.single(
                "restore", "a DuckLake is restored from its catalog dump and data files (a folder written by "
                "dump_lake, with its manifest.json): see docs/RUNNING-AT-SCALE.md",
            )  # fmt: skip
        return restore_lake_backup(source, db_path, user=user)
    chosen = resolve_backup(source)
    verified = verify_backup(chosen)
    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        Store(str(target)).close()  # raises DatabaseInUseError if the app (or anything) holds it
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(chosen, staging)
    with staging.open("rb") as f:
        os.fsync(f.fileno())
    if sha256_file(staging) != verified.sha256:  # changed between its verification and the copy
        staging.unlink()
        raise InputError.single(chosen.name, "changed while it was being restored, so it was not restored")
    wal = Path(str(target) + ".wal")
    if target.exists():
        shutil.copyfile(target, target.with_name(target.name + ".before-restore"))
    wal.unlink(missing_ok=True)  # belongs to the old file; replaying it onto the backup would corrupt it
    staging.replace(target)
    _record_restore(str(target), user)
    return {
        "restored_from": str(chosen),
        "database": str(target),
        "sha256": verified.sha256,
        "row_counts": verified.row_counts,
    }


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
                with self.store.acting(SYSTEM):
                    self.last = backup(self.store, self.folder, keep=self.keep)
                self.last_error = None
                log.info("backup written: %s", self.last.path)
            except Exception as err:  # keep the schedule alive; the admin page shows the last error
                self.last_error = f"{type(err).__name__}: {err}"
                log.exception("scheduled backup failed")
            self.stopped.wait(self.interval_s)


def schedule_from_env(store: Store) -> ScheduledBackups | None:
    """Start scheduled backups when `HEADROOM_BACKUP_DIR` is set (interval default 24 h, keep default 14)."""
    schedule = settings.read().backup_schedule()
    if schedule is None:
        return None
    folder, interval_h, keep = schedule
    return ScheduledBackups(store, folder, interval_h, keep).start()


def restore_lake_backup(folder: Path, lake_path: str, *, user: str) -> dict[str, object]:
    """Restore a `dump_lake` folder onto the new, empty lake `lake_path` (`restore_lake` verifies every file against
    the manifest first and refuses a mismatch), then record the restore as the audit row after the backup's.

    Its id follows the backed-up lake's own sidecar, copied with the data files, so the ids of rows the restore
    rolled back are never reused; the new lake's sidecar is then reset to the restore row."""
    manifest = verify_lake_backup(folder)
    target = parse_lake(lake_path)
    done = restore_lake(folder, target)
    restored_store = Store(lake_path)  # not opened: nothing is written before the old head is in place
    try:
        copied = audit_chain.sidecar_for(lake_path, (target.data_path, str(manifest.get("catalog_database", ""))))
        old_head = audit_chain.read_head(copied)
        if old_head is not None and old_head.audit_id > 0 and restored_store.head_file is not None:
            audit_chain.write_head(restored_store.head_file, old_head, replace=True)
    finally:
        restored_store.close()
    _record_restore(lake_path, user)
    return done


def _record_restore(db_path: str, user: str) -> None:
    """The restore's own audit row (action `restore`, by `user`), and the sidecar reset to it: the restored chain's
    new head, whatever the sidecar held before (the history it recorded was rolled back on purpose)."""
    restored = Store.open(db_path)
    try:
        restored.write(lambda tx: tx.record_event(), user=user, action="restore")
        head = audit_head(restored)
        if head is not None:
            audit_chain.write_head(restored.head_file, head, replace=True)
    finally:
        restored.close()
