"""The write transaction `Store.write` hands its callback: statements, frames, ids and provenance, all inside one
transaction, and nothing that could change the audit trail (issue 16: only the store's own row per write)."""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

import duckdb

from finance import audit_chain
from finance.errors import NotPermittedError
from finance.store.values import Params, Source, utc_now

if TYPE_CHECKING:  # pandas costs half a second at import; DuckDB loads it when a frame is asked for
    import pandas as pd

_AUDIT_CHANGE = re.compile(r"\s*(?:UPDATE|DELETE|INSERT|TRUNCATE|DROP|ALTER|COPY)\b.*\baudit_log\b", re.I | re.S)
_DML = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_WRITTEN_TABLE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)


def refuse_audit_change(sql: str) -> None:
    """No write may change the audit trail except the store's own INSERT of each write's row (issue 16)."""
    if _AUDIT_CHANGE.match(sql):
        raise NotPermittedError("The audit log is append-only: no statement may change or delete its rows.")


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
        refuse_audit_change(sql)
        written = _WRITTEN_TABLE.match(sql)
        if written:
            self.written.add(written.group(1))
        self._cur.execute(sql, params)
        rows = self._cur.fetchall()
        if _DML.match(sql) and rows and isinstance(rows[0][0], int) and rows[0][0] > 0:
            self.changed = True

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        refuse_audit_change(sql)
        return self._cur.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def insert_df(self, table: str, frame: pd.DataFrame) -> int:
        """Insert every row of `frame` into `table` (columns by name); returns the row count."""
        refuse_audit_change(f"INSERT INTO {table}")
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
