"""The store's read path: one SELECT at a time on a cursor private to the calling thread, always fully fetched,
and the reads built on it (a table read back block by block, the data version, every table, the whole dump).

Why a separate class: the read path is the part every page and test leans on, and it must never write — anything
but a single SELECT is refused before it runs (DuckDB's own parser says what a statement is). `Store` inherits it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import duckdb

from finance.backends import LakeTarget
from finance.errors import NotPermittedError
from finance.store.opening import cursor, damaged, is_damage
from finance.store.values import Params

if TYPE_CHECKING:
    import pandas as pd


def require_select(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT on the read path (DuckDB's own parser says what the statement is)."""
    statements = cur.extract_statements(sql)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        kinds = ", ".join(str(st.type).removeprefix("StatementType.") for st in statements) or "nothing"
        raise NotPermittedError(
            f"The store's read path runs one SELECT only (given: {kinds}); writes go through Store.write."
        )


class Reads:
    """Reads of one open database (`Store` sets these attributes when it opens it)."""

    path: str
    lake: LakeTarget | None
    _conn: duckdb.DuckDBPyConnection
    _local: threading.local

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        return cursor(self._conn, self.lake)

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
        require_select(cur, sql)
        try:
            return cur.execute(sql, params).fetchall()
        except duckdb.IOException as err:
            if not is_damage(err):
                raise
            raise damaged(self.path, err) from None

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a read and return a DataFrame (fully fetched); reads only, as `query`."""
        cur = self._reader()
        require_select(cur, sql)
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
