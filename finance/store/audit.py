"""The audit trail's rows, written by the store alone: one per write that changed something, chained by sha256 to
the row before it (`finance.audit_chain`), and the chaining of rows written before the chain existed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from finance import audit_chain
from finance.auth import Actor
from finance.store.tx import Tx
from finance.store.values import utc_now

NOT_SIGNED_IN = "(not signed in)"  # the audit row's user for a write refused because no one is signed in


def append_row(tx: Tx, actor: Actor | None, action: str, head_file: Path | None, via: str | None = None) -> None:
    """Append this write's audit row, chained to the newest row; its id follows both the database's newest and
    the sidecar's (so ids of rows rolled back by a restore are never reused)."""
    cur = tx._cur
    newest = cur.execute("SELECT audit_id, sha256 FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchall()
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
    cur.execute(f"INSERT INTO audit_log ({audit_chain.COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*row, prev, sha])
    cur.fetchall()
    tx.written.add("audit_log")
    tx.audit_head = audit_chain.Head(audit_id, sha)


def seal_unchained(cur: duckdb.DuckDBPyConnection) -> audit_chain.Head | None:
    """Chain the audit rows written before the chain existed (migration 080), oldest first; the new head (None:
    no rows). Runs inside the caller's transaction."""
    rows = cur.execute(f"SELECT {audit_chain.COLUMNS} FROM audit_log ORDER BY audit_id").fetchall()
    prev, head = audit_chain.GENESIS, None
    for audit_id, at_utc, user_name, role, via, action, _, sha in rows:
        if sha is None:
            sha = audit_chain.row_hash(audit_id, at_utc, user_name, role, via, action, prev)
            cur.execute(
                "UPDATE audit_log SET prev_sha256 = ?, sha256 = ? WHERE audit_id = ?", [prev, sha, audit_id]
            ).fetchall()
        prev, head = sha, audit_chain.Head(int(audit_id), sha)
    return head
