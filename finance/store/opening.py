"""Opening a database: the backend (a DuckDB file, or a DuckLake when the path is a `ducklake:postgres:…` string),
the schema brought up to date, and the two ways a file can fail to open that a user must be told about in words —
held by another process, or damaged (not a DuckDB file, a block whose checksum does not match)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from finance.backends import LakeTarget, ducklake, is_lake, parse_lake
from finance.errors import HeadroomError
from finance.store.values import utc_now

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

_DAMAGE = re.compile(r"Corrupt database file|not a valid DuckDB database file|checksum", re.IGNORECASE)
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class DatabaseInUseError(HeadroomError):
    """The database file is held by another process (a DuckDB file has one owner), named in the message."""

    title = "The database is in use"


class DamagedDatabaseError(HeadroomError):
    """The database file cannot be read back: not a DuckDB file, or a block whose checksum does not match."""

    title = "The database file is damaged"


def is_damage(err: duckdb.Error) -> bool:
    return bool(_DAMAGE.search(str(err)))


def damaged(path: str, err: duckdb.Error) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"{Path(path).name} cannot be read back ({str(err).removeprefix('IO Error: ')}). Restore the newest "
        "verified backup (python -m finance restore DIR)."
    )


def connect(path: str, *, read_only: bool = False) -> tuple[duckdb.DuckDBPyConnection, LakeTarget | None]:
    """The connection to `path` and its lake (None: a DuckDB file, created with its folder if need be).

    `DatabaseInUseError` names the process holding the file; `DamagedDatabaseError` says the file is damaged."""
    lake = parse_lake(path) if is_lake(path) else None
    if lake is None and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return (ducklake.connect(lake) if lake else duckdb.connect(path, read_only=read_only)), lake
    except duckdb.IOException as err:
        holder = _LOCK_HOLDER.search(str(err))
        if holder is None and is_damage(err):
            raise damaged(path, err) from None
        if holder is None:
            raise
        raise DatabaseInUseError(
            f"{path} is open in another process ({holder.group(1)}, PID {holder.group(2)}). A DuckDB file has "
            "one owner: if that is the Headroom app, use its admin page (or HEADROOM_BACKUP_DIR) for backups, "
            "or stop it first."
        ) from None


def cursor(conn: duckdb.DuckDBPyConnection, lake: LakeTarget | None) -> duckdb.DuckDBPyConnection:
    """A new cursor on `conn` (on a lake, prepared to see the lake's catalog)."""
    cur = conn.cursor()
    return ducklake.prepare_cursor(cur) if lake else cur


def migrate_file(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every `finance/sql/*.sql` file not yet applied to a DuckDB file, in name order, each in its own
    transaction with its `schema_migration` row; returns those applied. The caller holds the write lock."""
    cur = conn.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS schema_migration (name VARCHAR PRIMARY KEY, applied_at_utc TIMESTAMP)")
    done = {r[0] for r in cur.execute("SELECT name FROM schema_migration").fetchall()}
    applied: list[str] = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        if path.name in done:
            continue
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(path.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migration VALUES (?, ?)", [path.name, utc_now()])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        applied.append(path.name)
    cur.close()
    return applied
