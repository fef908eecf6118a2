"""The one package that owns DuckDB: connection, schema, transactions, and the single write path.

Why one package: a DuckDB file has one writing process, results hold the connection until fetched, and a half-done
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

Its modules: `values` (hashes, timestamps, `Source`), `opening` (backends, schema, damage and lock errors), `reads`
(the read path, `Store` inherits it), `tx` (the write transaction), `audit` (the chained audit rows), `core`
(`Store`: identity, the write path, snapshots). Import from `finance.store` only.
"""

from __future__ import annotations

from finance.store.audit import NOT_SIGNED_IN
from finance.store.core import Store, opened
from finance.store.opening import SQL_DIR, DamagedDatabaseError, DatabaseInUseError
from finance.store.tx import Tx
from finance.store.values import Params, Source, sha256_bytes, sha256_file, utc_now

__all__ = [
    "NOT_SIGNED_IN",
    "SQL_DIR",
    "DamagedDatabaseError",
    "DatabaseInUseError",
    "Params",
    "Source",
    "Store",
    "Tx",
    "opened",
    "sha256_bytes",
    "sha256_file",
    "utc_now",
]
