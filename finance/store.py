"""The one module that owns DuckDB: connection, schema, transactions, and the single write path.

Why one module: a DuckDB file has one writing process, results hold the connection until fetched, and a half-done
write must never be visible. So every other module goes through `Store`:

- reads (`query`, `query_df`, `query_one`) run on a cursor private to the calling thread (Streamlit runs each
  session's script in its own thread) and are always fully fetched before returning;
- writes go through `Store.write(fn)`: one lock serialises them, `fn` runs inside an explicit transaction on the
  writer's cursor, and any exception rolls the whole thing back, so nothing refused leaves a trace;
- the schema is the ordered list of `finance/sql/*.sql` files, applied once each and recorded;
- the same store runs on a DuckLake (catalog in PostgreSQL) when `path` is a `ducklake:postgres:…` string
  (issue 9, `finance.backends`): there the schema's constraints are re-checked before each COMMIT, and a write
  that loses a race with another process is run again on the new snapshot (bounded, with backoff), so several
  app servers can share one store and no conflict ever reaches a user;
- who may read and write is checked here too (issue 7): the acting user is an `Actor` bound to the calling thread
  (`with store.acting(actor):`, or `store.bind(actor)` for a whole script run) — the one way identity reaches the
  store, for reads and writes alike. A write is refused with `NotPermittedError` before anything runs when the
  actor's role does not allow the operation's action, and every write that changes something adds an `audit_log`
  row in the same transaction. A store opened by the app sets `require_actor`, so a write with no actor is refused
  there (and audited too, as user `(not signed in)`, via `none`).
- per-council access (issue 16, `finance.access`): a write to one council's own data names its authority
  (`write(..., authority=…)`) and needs the actor's role *there*; every function reading a council's own data
  calls `require_read(code)` first. Every refused attempt (write or read) adds an audit row of its own,
  `refused <action> [<authority>]`, committed even though the attempt itself changed nothing.

The store is passed in (`store=`) to every function that needs data, so tests use a temporary database.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from finance import audit_chain
from finance.auth import Actor, allowed, require
from finance.backends import ducklake, is_lake, parse_lake
from finance.errors import HeadroomError, NotPermittedError

if TYPE_CHECKING:  # pandas costs half a second at import; DuckDB loads it when a frame is asked for
    import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"

T = TypeVar("T")

Params = Sequence[Any] | dict[str, Any] | None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def utc_now() -> datetime:
    """Naive UTC timestamp (DuckDB TIMESTAMP), so reading it back needs no time-zone library."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Source:
    """Provenance of one loaded file, as recorded in `source_file`."""

    kind: str  # 'official' | 'demo' | 'upload'
    file_name: str
    sha256: str
    dataset: str
    basis: str  # 'outturn' | 'budget_estimate' | 'illustrative' | 'monitoring'
    financial_year: str | None = None
    publisher_note: str | None = None


class DatabaseInUseError(HeadroomError):
    """The database file is held by another process (a DuckDB file has one owner), named in the message."""

    title = "The database is in use"


class DamagedDatabaseError(HeadroomError):
    """The database file cannot be read back: not a DuckDB file, or a block whose checksum does not match."""

    title = "The database file is damaged"


def _damaged(path: str, err: duckdb.Error) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"{Path(path).name} cannot be read back ({str(err).removeprefix('IO Error: ')}). Restore the newest "
        "verified backup (python -m finance restore DIR)."
    )


_AUDIT_CHANGE = re.compile(r"\s*(?:UPDATE|DELETE|INSERT|TRUNCATE|DROP|ALTER|COPY)\b.*\baudit_log\b", re.I | re.S)
_DML = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_WRITTEN_TABLE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)
_DAMAGE = re.compile(r"Corrupt database file|not a valid DuckDB database file|checksum", re.IGNORECASE)
NOT_SIGNED_IN = "(not signed in)"  # the audit row's user for a write refused because no one is signed in
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class Tx:
    """The write transaction handed to `Store.write` callbacks. Only valid inside the callback.

    `changed` becomes True once a statement inserts, updates or deletes a row: only such writes are audited, so a
    re-import of an unchanged file still changes nothing at all.
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection, user: str) -> None:
        self._cur = cursor
        self.user = user
        self.changed = False
        self.written: set[str] = set()  # tables inserted into or updated: their rules are re-checked on a lake
        self.audit_head: audit_chain.Head | None = None  # the audit row this write added

    def record_event(self) -> None:
        """Audit this write even though it changes no row itself (a restore: the event is the change)."""
        self.changed = True

    def execute(self, sql: str, params: Params = None) -> None:
        _refuse_audit_change(sql)
        written = _WRITTEN_TABLE.match(sql)
        if written:
            self.written.add(written.group(1))
        self._cur.execute(sql, params)
        rows = self._cur.fetchall()
        if _DML.match(sql) and rows and isinstance(rows[0][0], int) and rows[0][0] > 0:
            self.changed = True

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        _refuse_audit_change(sql)
        return self._cur.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def insert_df(self, table: str, frame: pd.DataFrame) -> int:
        """Insert every row of `frame` into `table` (columns by name); returns the row count."""
        _refuse_audit_change(f"INSERT INTO {table}")
        if frame.empty:
            return 0
        name = f"_ins_{threading.get_ident()}"
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        self.written.add(table)
        self._cur.register(name, frame)
        try:
            self._cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
            self._cur.fetchall()
        finally:
            self._cur.unregister(name)
        self.changed = True
        return len(frame)

    def next_id(self, table: str, column: str) -> int:
        """The next integer id for `table.column`.

        Safe because writes are serialised; used instead of SEQUENCEs, which DuckDB does not roll back, so a
        refused write would otherwise leave the database changed.
        """
        row = self.query_one(f'SELECT coalesce(max("{column}"), 0) + 1 FROM {table}')
        assert row is not None
        return int(row[0])

    def find_source(self, kind: str, sha256: str) -> int | None:
        row = self.query_one("SELECT source_id FROM source_file WHERE kind = ? AND sha256 = ?", [kind, sha256])
        return None if row is None else int(row[0])

    def add_source(self, source: Source) -> int:
        """Record a loaded file's provenance; returns its `source_id`."""
        source_id = self.next_id("source_file", "source_id")
        self.execute(
            """INSERT INTO source_file (source_id, kind, file_name, sha256, dataset, financial_year, basis,
                                        publisher_note, loaded_at_utc, loaded_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                source_id,
                source.kind,
                source.file_name,
                source.sha256,
                source.dataset,
                source.financial_year,
                source.basis,
                source.publisher_note,
                utc_now(),
                self.user,
            ],
        )
        return source_id


class Store:
    """A Headroom database. Open with `Store.open(path)`; share one instance per process."""

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.lake = parse_lake(path) if is_lake(path) else None
        if self.lake is None and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = ducklake.connect(self.lake) if self.lake else duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as err:
            holder = _LOCK_HOLDER.search(str(err))
            if holder is None and _DAMAGE.search(str(err)):
                raise _damaged(path, err) from None
            if holder is None:
                raise
            raise DatabaseInUseError(
                f"{path} is open in another process ({holder.group(1)}, PID {holder.group(2)}). A DuckDB file has "
                "one owner: if that is the Headroom app, use its admin page (or HEADROOM_BACKUP_DIR) for backups, "
                "or stop it first."
            ) from None
        self._local = threading.local()
        lake_id = (self.lake.data_path, self.lake.dbname) if self.lake else None
        self.head_file = audit_chain.sidecar_for(path, lake_id)  # None: no head kept outside (in memory, a copy)
        self.identity = audit_chain.database_id(path, lake_id)  # what its backups' manifests call it
        self._write_lock = threading.Lock()
        self._closed = False
        self.require_actor = False  # set by the app: there every write must say who makes it

    @classmethod
    def open(cls, path: str, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the database at `path` and bring its schema up to date."""
        store = cls(path, read_only=read_only)
        if not read_only:
            store.migrate()
            store._chain_unsealed_audit_rows()
        return store

    # -- schema -----------------------------------------------------------------------------------------------

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._conn.cursor()
        return ducklake.prepare_cursor(cur) if self.lake else cur

    def migrate(self) -> list[str]:
        """Apply every `finance/sql/*.sql` file not yet applied, in name order; returns those applied."""
        if self.lake:
            return self._migrate_lake()
        with self._write_lock:
            cur = self._conn.cursor()
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migration (name VARCHAR PRIMARY KEY, applied_at_utc TIMESTAMP)"
            )
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

    def _chain_unsealed_audit_rows(self) -> None:
        """Chain the audit rows written before the chain existed (migration 080), oldest first, in one write."""
        if not self.query("SELECT 1 FROM audit_log WHERE sha256 IS NULL LIMIT 1"):
            return

        def seal(cur: duckdb.DuckDBPyConnection) -> audit_chain.Head | None:
            rows = cur.execute(f"SELECT {audit_chain.COLUMNS} FROM audit_log ORDER BY audit_id").fetchall()
            prev, head = audit_chain.GENESIS, None
            for audit_id, at_utc, user_name, role, via, action, _, sha in rows:
                if sha is None:
                    sha = audit_chain.row_hash(audit_id, at_utc, user_name, role, via, action, prev)
                    cur.execute(
                        "UPDATE audit_log SET prev_sha256 = ?, sha256 = ? WHERE audit_id = ?", [prev, sha, audit_id]
                    ).fetchall()
                prev, head = sha, audit_chain.Head(int(audit_id), sha)
            if self.lake:
                ducklake.take_token(cur)
            return head

        with self._write_lock:
            if self.lake:
                head = self._run_lake(seal)
            else:
                cur = self._conn.cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    try:
                        head = seal(cur)
                        cur.execute("COMMIT")
                    except BaseException:
                        cur.execute("ROLLBACK")
                        raise
                finally:
                    cur.close()
        if head is not None:
            audit_chain.write_head(self.head_file, head)

    def _migrate_lake(self) -> list[str]:
        with self._write_lock:
            return ducklake.migrate(self._cursor, utc_now)

    def _run_lake(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        return ducklake.run(self._cursor, fn)

    # -- reads ------------------------------------------------------------------------------------------------

    def _reader(self) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._cursor()
            self._local.cursor = cur
        return cur

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run a read and return every row (fully fetched, so the connection is free again).

        Reads only: anything but a single SELECT (a write, a second statement, COPY, ATTACH, …) is refused with
        `NotPermittedError` before it runs, so the read path cannot change the database or its audit trail."""
        cur = self._reader()
        _require_read(cur, sql)
        try:
            return cur.execute(sql, params).fetchall()
        except duckdb.IOException as err:
            if not _DAMAGE.search(str(err)):
                raise
            raise _damaged(self.path, err) from None

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a read and return a DataFrame (fully fetched); reads only, as `query`."""
        cur = self._reader()
        _require_read(cur, sql)
        return cur.execute(sql, params).df()

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    def read_every_row(self, table: str) -> int:
        """Read every column of every row of `table`, so every block holding it is read back and its checksum
        verified (`check --deep`, a backup's verification); returns the row count. `DamagedDatabaseError` when
        the file is damaged, naming the block."""
        return int(self.scalar(f'SELECT count(hash(t)) FROM "{table}" AS t'))

    def data_version(self) -> int:
        """A number that changes with every committed write that changed a row: the newest `audit_log` id (each
        such write adds one, in its own transaction; a refused or no-op write adds none). Views built from the
        database are cached on it, so a cached view is never older than the data, in this process or another."""
        return int(self.scalar("SELECT coalesce(max(audit_id), 0) FROM audit_log"))

    # -- the one write path -----------------------------------------------------------------------------------

    @contextmanager
    def acting(self, actor: Actor) -> Iterator[None]:
        """Bind `actor` to this thread's reads and writes inside the `with` block (the previous binding after it).

        The one way the acting user reaches the store: the app binds each script run's user (`bind`) and wraps a
        call made on another thread (`with store.acting(actor): commit_upload(...)`), so the domain functions need
        no extra argument and their reads and writes are still checked and recorded. What is checked and audited is
        the action the operation itself names (`write(..., action=...)`), never a label from the caller.
        """
        previous = getattr(self._local, "actor", None)
        self._local.actor = actor
        try:
            yield
        finally:
            self._local.actor = previous

    def bind(self, actor: Actor | None) -> None:
        """Bind `actor` to every read and write this thread makes from now on (the app binds each script run's
        user); None unbinds (a process: every read, writes as the process)."""
        self._local.actor = actor

    def write(
        self,
        fn: Callable[[Tx], T],
        *,
        user: str = "local",
        action: str | None = None,
        authority: str | None = None,
    ) -> T:
        """Run `fn(tx)` in one transaction: all of it is committed, or (on any exception) none of it.

        Writes are serialised by a lock, so concurrent sessions queue rather than conflict; reads on other
        threads carry on and see the data as it was until the commit. `action` is the operation's own name
        (`upload`, `withdraw_upload`, `import_official`, `restore`, …; default "write": any change), never the
        caller's: with an actor bound to the thread (`acting`, `bind`), the write is refused with `NotPermittedError`
        before anything runs unless the actor's role allows it; a verified actor's name (login, trusted proxy)
        replaces `user`. A write to one council's own data names it (`authority`): the actor's role in that
        authority is what is checked. Every write that changes a row adds an `audit_log` row, chained to the one
        before it (`finance.audit_chain`), in the same transaction; after the commit the new head goes to the
        sidecar file.
        """
        actor, action = self._authorise(action, authority)
        if actor is not None and (actor.verified or not user.strip()):
            user = actor.user
        return self._commit(fn, user, actor, action)

    def _commit(
        self, fn: Callable[[Tx], T], user: str, actor: Actor | None, action: str, *, via: str | None = None
    ) -> T:
        """The transaction of `write`, after the checks (`via` overrides the audit row's way in)."""
        if self.lake:
            with self._write_lock:
                result, head = self._run_lake(lambda cur: self._lake_write(cur, fn, user, actor, action, via))
                if head is not None:
                    audit_chain.write_head(self.head_file, head)
                return result
        with self._write_lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    tx = Tx(cur, user)
                    result = fn(tx)
                    if tx.changed:
                        _audit(tx, actor, action, self.head_file, via)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                if tx.audit_head is not None:
                    audit_chain.write_head(self.head_file, tx.audit_head)
                return result
            finally:
                cur.close()

    def _lake_write(
        self,
        cur: duckdb.DuckDBPyConnection,
        fn: Callable[[Tx], T],
        user: str,
        actor: Actor | None,
        action: str,
        via: str | None = None,
    ) -> tuple[T, audit_chain.Head | None]:
        """One attempt of a write on the lake: `fn`, the audit row (chained to the newest committed one: the write
        token makes a concurrent writer's commit conflict, so the chain never forks), the rules, the token."""
        tx = Tx(cur, user)
        result = fn(tx)
        if tx.changed:
            _audit(tx, actor, action, self.head_file, via)
        if tx.changed or tx.written:
            ducklake.verify(cur, tx.written)
            ducklake.take_token(cur)
        return result, tx.audit_head

    def _authorise(self, action: str | None, authority: str | None = None) -> tuple[Actor | None, str]:
        """The actor bound to this thread and the action (default "write"); `NotPermittedError` if not allowed,
        after auditing the refusal."""
        actor = self.acting_actor()
        action = action or "write"
        if actor is None and self.require_actor:
            self._audit_refusal(None, action, authority)
            raise NotPermittedError("No one is signed in, so nothing can be changed.")
        if actor is not None:
            try:
                require(actor, action, authority)
            except NotPermittedError:
                self._audit_refusal(actor, action, authority)
                raise
        return actor, action

    def acting_actor(self) -> Actor | None:
        """The actor bound to this thread, or None for a process (the CLI as administrator, scripts, tests)."""
        actor: Actor | None = getattr(self._local, "actor", None)
        return actor

    def require_read(self, authority_code: str) -> None:
        """Refuse (`NotPermittedError`, audited) reading `authority_code`'s own data unless the acting user
        belongs to it; a process with no actor bound reads everything."""
        self.check("read", authority_code)

    def check(self, action: str, authority_code: str | None = None) -> None:
        """Refuse (`NotPermittedError`, audited) unless the acting user may do `action` (in `authority_code`, for
        a council action: an upload is checked before its preview shows anything of the authority's data)."""
        actor = self.acting_actor()
        if actor is not None:
            try:
                require(actor, action, authority_code)
            except NotPermittedError:
                self._audit_refusal(actor, action, authority_code)
                raise

    def readable(self, authority_code: str) -> bool:
        """Whether the acting user may read `authority_code`'s own data (for lists that leave it out)."""
        actor = self.acting_actor()
        return actor is None or allowed(actor, "read", authority_code)

    def readable_codes(self) -> tuple[str, ...] | None:
        """The authorities whose own data the acting user may read; None for every authority."""
        actor = self.acting_actor()
        if actor is None or actor.grants.unlimited or actor.deployment_admin:
            return None
        return actor.grants.codes

    def _audit_refusal(self, actor: Actor | None, action: str, authority: str | None) -> None:
        """Record a refused attempt in its own committed write (the attempt itself changed nothing); with no actor
        (the app's store, no one signed in) the row names no user: `NOT_SIGNED_IN`, via 'none'."""

        def record(tx: Tx) -> None:
            tx.changed = True

        what = f"refused {action}" + (f" {authority}" if authority else "")
        if actor is None:
            self._commit(record, NOT_SIGNED_IN, None, what, via="none")
        else:
            self._commit(record, actor.user, actor, what)

    def snapshot(self, target: Path) -> None:
        """Copy the whole database into a new DuckDB file `target` as one consistent snapshot (for backups).

        Runs under the write lock, so no write of this process is half way; the copy is made into a temporary
        name and renamed, so `target` is either complete or absent. Needs the admin role when an actor is bound.
        """
        self._authorise("backup")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        with self._write_lock:
            cur = self._cursor()
            try:
                if not self.lake:  # on a lake CHECKPOINT is maintenance (compaction), not needed for a copy
                    cur.execute("CHECKPOINT")
                db = cur.execute("SELECT current_database()").fetchall()[0][0]
                quoted = str(partial).replace("'", "''")
                cur.execute(f"ATTACH '{quoted}' AS headroom_snapshot")
                try:
                    cur.execute(f'COPY FROM DATABASE "{db}" TO headroom_snapshot')
                finally:
                    cur.execute("DETACH headroom_snapshot")
            finally:
                cur.close()
        shutil.move(partial, target)

    # -- housekeeping -----------------------------------------------------------------------------------------

    def tables(self) -> list[str]:
        return [
            r[0]
            for r in self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            )
        ]

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted: two dumps are equal exactly when the data is."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in self.tables():
            rows = self.query(f'SELECT * FROM "{table}"')
            out[table] = sorted(rows, key=repr)
        seqs = self.query("SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY 1")
        out["<sequences>"] = [tuple(r) for r in seqs]
        return out

    def checkpoint(self) -> None:
        if self.lake:
            return  # every lake commit is durable; its CHECKPOINT is maintenance (compaction), run by operators
        with self._write_lock:
            self._conn.execute("CHECKPOINT")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._conn.close()


def _require_read(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT on the read path (DuckDB's own parser says what the statement is)."""
    statements = cur.extract_statements(sql)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        kinds = ", ".join(str(st.type).removeprefix("StatementType.") for st in statements) or "nothing"
        raise NotPermittedError(
            f"The store's read path runs one SELECT only (given: {kinds}); writes go through Store.write."
        )


def _refuse_audit_change(sql: str) -> None:
    """No write may change the audit trail except the store's own INSERT of each write's row (issue 16)."""
    if _AUDIT_CHANGE.match(sql):
        raise NotPermittedError("The audit log is append-only: no statement may change or delete its rows.")


def _audit(tx: Tx, actor: Actor | None, action: str, head_file: Path | None, via: str | None = None) -> None:
    """Append this write's audit row, chained to the newest row; its id follows both the database's newest and
    the sidecar's (so ids of rows rolled back by a restore are never reused)."""
    newest = tx._cur.execute("SELECT audit_id, sha256 FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchall()
    prev = str(newest[0][1]) if newest and newest[0][1] else audit_chain.GENESIS
    outside = audit_chain.read_head(head_file)
    audit_id = max(int(newest[0][0]) if newest else 0, outside.audit_id if outside else 0) + 1
    row = (
        audit_id,
        utc_now(),
        tx.user.strip() or "unknown",
        None if actor is None else actor.role.label,
        via or ("process" if actor is None else actor.via),
        action,
    )
    sha = audit_chain.row_hash(*row, prev)
    tx._cur.execute(f"INSERT INTO audit_log ({audit_chain.COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*row, prev, sha])
    tx._cur.fetchall()
    tx.written.add("audit_log")
    tx.audit_head = audit_chain.Head(audit_id, sha)


@contextmanager
def opened(path: str) -> Iterator[Store]:
    """`with opened(path) as store:` for scripts and the CLI."""
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()
