"""`Store`: one open database — its connection and schema, the acting user bound to the thread, the one write
path (authorise → transaction → audit row → commit → head), the consistent snapshot for backups.

The read path is inherited from `finance.store.reads.Reads`; opening and damage detection are
`finance.store.opening`'s, the transaction `finance.store.tx.Tx`, the audit rows `finance.store.audit`.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from finance import audit_chain
from finance.auth import Actor, allowed, require
from finance.backends import ducklake
from finance.errors import NotPermittedError
from finance.store.audit import NOT_SIGNED_IN, append_row, seal_unchained
from finance.store.opening import connect, migrate_file
from finance.store.reads import Reads
from finance.store.tx import Tx
from finance.store.values import utc_now

T = TypeVar("T")


class Store(Reads):
    """A Headroom database. Open with `Store.open(path)`; share one instance per process."""

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self._conn, self.lake = connect(path, read_only=read_only)
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

    def migrate(self) -> list[str]:
        """Apply every `finance/sql/*.sql` file not yet applied, in name order; returns those applied."""
        with self._write_lock:
            return ducklake.migrate(self._cursor, utc_now) if self.lake else migrate_file(self._conn)

    def _chain_unsealed_audit_rows(self) -> None:
        """Chain the audit rows written before the chain existed (migration 080), oldest first, in one write."""
        if not self.query("SELECT 1 FROM audit_log WHERE sha256 IS NULL LIMIT 1"):
            return

        def seal_on_lake(cur: duckdb.DuckDBPyConnection) -> audit_chain.Head | None:
            head = seal_unchained(cur)
            ducklake.take_token(cur)
            return head

        with self._write_lock:
            if self.lake:
                head = self._run_lake(seal_on_lake)
            else:
                cur = self._conn.cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    try:
                        head = seal_unchained(cur)
                        cur.execute("COMMIT")
                    except BaseException:
                        cur.execute("ROLLBACK")
                        raise
                finally:
                    cur.close()
        if head is not None:
            audit_chain.write_head(self.head_file, head)

    def _run_lake(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        return ducklake.run(self._cursor, fn)

    # -- who is acting ----------------------------------------------------------------------------------------

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

    # -- the one write path -----------------------------------------------------------------------------------

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
                        append_row(tx, actor, action, self.head_file, via)
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
            append_row(tx, actor, action, self.head_file, via)
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

    # -- copies and housekeeping ------------------------------------------------------------------------------

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

    def checkpoint(self) -> None:
        if self.lake:
            return  # every lake commit is durable; its CHECKPOINT is maintenance (compaction), run by operators
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
