"""The one module that owns DuckDB: connection, schema, transactions, and the single write path.

Why one module: a DuckDB file has one writing process, results hold the connection until fetched, and a half-done
write must never be visible. So every other module goes through `Store`:

- reads (`query`, `query_df`, `query_one`) run on a cursor private to the calling thread (Streamlit runs each
  session's script in its own thread) and are always fully fetched before returning;
- writes go through `Store.write(fn)`: one lock serialises them, `fn` runs inside an explicit transaction on the
  writer's cursor, and any exception rolls the whole thing back, so nothing refused leaves a trace;
- the schema is the ordered list of `finance/sql/*.sql` files, applied once each and recorded.

The store is passed in (`store=`) to every function that needs data, so tests use a temporary database.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
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


class Tx:
    """The write transaction handed to `Store.write` callbacks. Only valid inside the callback."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, user: str) -> None:
        self._cur = cursor
        self.user = user

    def execute(self, sql: str, params: Params = None) -> None:
        self._cur.execute(sql, params)
        self._cur.fetchall()

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return self._cur.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def insert_df(self, table: str, frame: pd.DataFrame) -> int:
        """Insert every row of `frame` into `table` (columns by name); returns the row count."""
        if frame.empty:
            return 0
        name = f"_ins_{threading.get_ident()}"
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        self._cur.register(name, frame)
        try:
            self._cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
            self._cur.fetchall()
        finally:
            self._cur.unregister(name)
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
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = duckdb.connect(path, read_only=read_only)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: str, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the database at `path` and bring its schema up to date."""
        store = cls(path, read_only=read_only)
        if not read_only:
            store.migrate()
        return store

    # -- schema -----------------------------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply every `finance/sql/*.sql` file not yet applied, in name order; returns those applied."""
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

    # -- reads ------------------------------------------------------------------------------------------------

    def _reader(self) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            self._local.cursor = cur
        return cur

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run a read and return every row (fully fetched, so the connection is free again)."""
        return self._reader().execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a read and return a DataFrame (fully fetched)."""
        return self._reader().execute(sql, params).df()

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # -- the one write path -----------------------------------------------------------------------------------

    def write(self, fn: Callable[[Tx], T], *, user: str = "local") -> T:
        """Run `fn(tx)` in one transaction: all of it is committed, or (on any exception) none of it.

        Writes are serialised by a lock, so concurrent sessions queue rather than conflict; reads on other
        threads carry on and see the data as it was until the commit.
        """
        with self._write_lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    result = fn(Tx(cur, user))
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                return result
            finally:
                cur.close()

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
        with self._write_lock:
            self._conn.execute("CHECKPOINT")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._conn.close()


@contextmanager
def opened(path: str) -> Iterator[Store]:
    """`with opened(path) as store:` for scripts and the CLI."""
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()
