"""The store on DuckLake: connecting offline, the schema without constraints, and serialising writers.

Why this is more than an ATTACH:

- DuckLake has no PRIMARY KEY, UNIQUE or CHECK constraints, yet the domain relies on them (an unknown authority
  class, a malformed year, a second copy of a file are refused by the schema). So the schema is applied as it is
  written (`finance/sql/*.sql`) to a private in-memory DuckDB, and from that shadow we take (a) the lake's DDL —
  tables with their types and NOT NULL, and views — and (b) every CHECK, PRIMARY KEY and UNIQUE rule, which
  `verify` re-checks inside each write transaction just before COMMIT, raising `duckdb.ConstraintException` as
  DuckDB would. The SQL files stay the one statement of the rules, for both backends.
- DuckLake lets two transactions that only insert commit together, even into the same table: `max(id) + 1` ids and
  the re-checked uniqueness would then race between processes. So every write also rewrites the one row of
  `headroom_internal.write_token`; two writers doing that conflict in DuckLake, the later COMMIT fails, and the
  store runs the whole write again on the new snapshot (`is_conflict`, `backoff`). The writes are therefore
  serialisable across processes, as they are within one process under the store's lock.
- The extensions come from the `duckdb-extension-*` packages in site-packages; autoinstall is off, so nothing is
  ever downloaded.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import duckdb

from finance.backends.target import LakeTarget
from finance.errors import HeadroomError

LAKE = "headroom_lake"
INTERNAL_SCHEMA = "headroom_internal"
SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
T = TypeVar("T")
MAX_ATTEMPTS = 12  # with `backoff`, about 15 s of trying before a conflict is reported as the bug it then is


class ExtensionMissingError(HeadroomError):
    title = "A DuckDB extension is missing"


def extension_path(module: ModuleType, name: str) -> Path:
    """The `.duckdb_extension` file a `duckdb-extension-*` package ships for this duckdb version."""
    base = Path(module.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}"
    path = base / f"{name}.duckdb_extension"
    if not path.is_file():
        raise ExtensionMissingError(
            f"{path} not found: install duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__} "
            "(pip install -r requirements.txt)"
        )
    return path


def extension_files() -> list[Path]:
    try:
        import duckdb_extension_ducklake
        import duckdb_extension_postgres_scanner
    except ImportError as err:
        raise ExtensionMissingError(
            f"{err.name} is not installed: pip install -r requirements.txt (it pins the DuckLake extensions)"
        ) from None
    return [
        extension_path(duckdb_extension_postgres_scanner, "postgres_scanner"),
        extension_path(duckdb_extension_ducklake, "ducklake"),
    ]


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(target: LakeTarget) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `headroom_lake` and selected (`USE`)."""
    Path(target.data_path).mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        for path in extension_files():
            conn.execute(f"LOAD {quote(str(path))}")
        attach = (
            f"ATTACH {quote('ducklake:postgres:' + target.conninfo)} AS {LAKE} (DATA_PATH {quote(target.data_path)})"
        )
        for attempt in range(MAX_ATTEMPTS):
            try:
                conn.execute(attach)
                break
            except duckdb.Error as err:
                # two processes attaching a brand-new catalog both try to create DuckLake's tables; PostgreSQL
                # refuses the second (one transaction, rolled back), which then finds the catalog made
                if "Failed to initialize DuckLake" not in str(err) or attempt == MAX_ATTEMPTS - 1:
                    raise
                time.sleep(backoff(attempt))
        conn.execute(f"USE {LAKE}")
    except duckdb.Error as err:
        conn.close()
        raise HeadroomError(f"Could not open the DuckLake {target.describe()}: {err}") from None
    return conn


def prepare_cursor(cur: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor starts in the in-memory catalog: point it at the lake."""
    cur.execute(f"USE {LAKE}")
    return cur


# -- the schema, derived from finance/sql -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One constraint of the written schema, re-checked on the lake."""

    table: str
    kind: str  # 'CHECK' | 'PRIMARY KEY' | 'UNIQUE'
    columns: tuple[str, ...]
    expression: str  # CHECK: the boolean expression; otherwise ''
    text: str  # as DuckDB prints it, for the error message


@dataclass(frozen=True)
class LakeSchema:
    migrations: tuple[tuple[str, tuple[str, ...]], ...]  # (file name, lake DDL statements)
    rules: dict[str, tuple[Rule, ...]]  # table -> rules


def _objects(shadow: duckdb.DuckDBPyConnection) -> tuple[dict[str, list[tuple[str, str, bool]]], dict[str, str]]:
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, dtype, nullable in shadow.execute(
        """SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()
           WHERE database_name = 'memory' AND schema_name = 'main'
             AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory')
           ORDER BY table_name, column_index"""
    ).fetchall():
        tables.setdefault(table, []).append((column, dtype, bool(nullable)))
    views = dict(
        shadow.execute(
            "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND database_name = 'memory'"
        ).fetchall()
    )
    return tables, views


def _column_sql(column: tuple[str, str, bool]) -> str:
    name, dtype, nullable = column
    return f'"{name}" {dtype}' + ("" if nullable else " NOT NULL")


def _ddl(before: Any, after: Any, file_name: str) -> list[str]:
    (old_tables, old_views), (new_tables, new_views) = before, after
    out: list[str] = []
    for view in old_views.keys() - new_views.keys():
        out.append(f'DROP VIEW "{view}"')
    for table in old_tables.keys() - new_tables.keys():
        out.append(f'DROP TABLE "{table}"')
    for table, columns in new_tables.items():
        old = old_tables.get(table)
        if old is None:
            out.append(f'CREATE TABLE "{table}" ({", ".join(_column_sql(c) for c in columns)})')
        elif old != columns[: len(old)]:
            raise HeadroomError(f"{file_name} changes or drops a column of {table}: write that migration for DuckLake")
        else:
            out.extend(f'ALTER TABLE "{table}" ADD COLUMN {_column_sql(c)}' for c in columns[len(old) :])
    for view, sql in new_views.items():
        if old_views.get(view) != sql:
            out.append("CREATE OR REPLACE VIEW" + sql.strip().rstrip(";")[len("CREATE VIEW") :])
    return out


def _lake_expression(expression: str) -> str:
    # CAST → TRY_CAST: a value that fails the CHECK must be reported as such, not as a conversion error raised
    # while evaluating the rest of the expression; `main."trim"` names a function of the shadow's catalog.
    return expression.replace("CAST(", "TRY_CAST(").replace('main."', '"')


@functools.cache
def lake_schema() -> LakeSchema:
    """The lake's DDL per migration file and the constraint rules, from `finance/sql/*.sql` (computed once)."""
    shadow = duckdb.connect()
    try:
        migrations = []
        before = _objects(shadow)
        for path in sorted(SQL_DIR.glob("*.sql")):
            shadow.execute(path.read_text(encoding="utf-8"))
            after = _objects(shadow)
            migrations.append((path.name, tuple(_ddl(before, after, path.name))))
            before = after
        rules: dict[str, list[Rule]] = {}
        for table, kind, expression, columns, text in shadow.execute(
            """SELECT table_name, constraint_type, expression, constraint_column_names, constraint_text
               FROM duckdb_constraints() WHERE database_name = 'memory'
                 AND constraint_type IN ('CHECK', 'PRIMARY KEY', 'UNIQUE')
               ORDER BY table_name, constraint_index"""
        ).fetchall():
            expr = _lake_expression(expression) if kind == "CHECK" else ""
            rules.setdefault(table, []).append(Rule(table, kind, tuple(dict.fromkeys(columns)), expr, text))
    finally:
        shadow.close()
    return LakeSchema(tuple(migrations), {t: tuple(r) for t, r in rules.items()})


# -- the write path's extra steps ----------------------------------------------------------------------------------

BOOTSTRAP = (
    f"CREATE SCHEMA IF NOT EXISTS {INTERNAL_SCHEMA}",
    f"CREATE TABLE IF NOT EXISTS {INTERNAL_SCHEMA}.write_token (writes BIGINT NOT NULL)",
    f"""INSERT INTO {INTERNAL_SCHEMA}.write_token
        SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {INTERNAL_SCHEMA}.write_token)""",
    "CREATE TABLE IF NOT EXISTS schema_migration (name VARCHAR NOT NULL, applied_at_utc TIMESTAMP)",
)


def run(new_cursor: Callable[[], duckdb.DuckDBPyConnection], fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `fn(cursor)` in a lake transaction, again on a fresh snapshot when another process's commit conflicts
    with it (at most `MAX_ATTEMPTS` times, waiting `backoff` between). `fn` must only change the database, so a
    second run is the same write made on newer data."""
    for attempt in range(MAX_ATTEMPTS):
        cur = new_cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                result = fn(cur)
                cur.execute("COMMIT")
                return result
            except BaseException as err:
                with suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
                    cur.execute("ROLLBACK")
                if not is_conflict(err) or attempt == MAX_ATTEMPTS - 1:
                    raise
        finally:
            cur.close()
        time.sleep(backoff(attempt))
    raise AssertionError("unreachable")


def migrate(new_cursor: Callable[[], duckdb.DuckDBPyConnection], now: Callable[[], datetime]) -> list[str]:
    """Bring the lake's schema up to date (constraints are left to `verify`); each file in its own retried
    transaction, so two processes starting together apply and record each file once. Returns the files applied."""
    applied: list[str] = []
    if up_to_date(new_cursor()):
        return applied
    run(new_cursor, lambda cur: [cur.execute(sql) for sql in BOOTSTRAP])
    for name, statements in lake_schema().migrations:

        def step(cur: duckdb.DuckDBPyConnection, name: str = name, statements: tuple[str, ...] = statements) -> bool:
            if cur.execute("SELECT 1 FROM schema_migration WHERE name = ?", [name]).fetchall():
                return False
            for sql in statements:
                cur.execute(sql)
            cur.execute("INSERT INTO schema_migration VALUES (?, ?)", [name, now()])
            take_token(cur)
            return True

        if run(new_cursor, step):
            applied.append(name)
    return applied


def up_to_date(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when the lake already has the write token and every migration (one read, so a start is quick)."""
    try:
        done = {r[0] for r in cur.execute("SELECT name FROM schema_migration").fetchall()}
        cur.execute(f"SELECT writes FROM {INTERNAL_SCHEMA}.write_token").fetchall()
    except duckdb.CatalogException:
        return False
    finally:
        cur.close()
    return {name for name, _ in lake_schema().migrations} <= done


def take_token(cur: duckdb.DuckDBPyConnection) -> None:
    """Make this transaction conflict with any other writer's (see the module docstring)."""
    cur.execute(f"UPDATE {INTERNAL_SCHEMA}.write_token SET writes = writes + 1").fetchall()


def _rule_sql(rule: Rule, source: str) -> str:
    """How many rows of `source` break `rule` (CHECK: rows where it is false; keys: duplicated keys)."""
    if rule.kind == "CHECK":
        return f"(SELECT count_if(NOT coalesce(({rule.expression}), true)) FROM {source})"
    cols = ", ".join(f'"{c}"' for c in rule.columns)
    not_null = " AND ".join(f'"{c}" IS NOT NULL' for c in rule.columns)  # NULLs never clash in a UNIQUE key
    return f"(SELECT count(*) FROM (SELECT {cols} FROM {source} WHERE {not_null} GROUP BY ALL HAVING count(*) > 1))"


def verify(cur: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """Re-check every CHECK, PRIMARY KEY and UNIQUE rule of `tables`; `duckdb.ConstraintException` on the first
    that fails. Runs inside the write's transaction, so it sees the write's rows with everything committed before.
    One statement per table (read once, materialised): each table a lake query names costs catalog round trips.
    Only the columns the rules name are read (DuckDB lists them for CHECKs too; a column missed would be a binder
    error, never a rule silently skipped), which spares reading and holding wide text columns of large tables."""
    rules = lake_schema().rules
    for table in sorted(tables):
        table_rules = rules.get(table, ())
        if not table_rules:
            continue
        columns = ", ".join(f'"{c}"' for c in dict.fromkeys(c for rule in table_rules for c in rule.columns)) or "*"
        counts = cur.execute(
            f'WITH rows AS MATERIALIZED (SELECT {columns} FROM "{table}") SELECT '
            + ", ".join(_rule_sql(rule, "rows") for rule in table_rules)
        ).fetchall()[0]
        for rule, bad in zip(table_rules, counts, strict=True):
            if bad:
                raise duckdb.ConstraintException(_message(cur, rule))


def _message(cur: duckdb.DuckDBPyConnection, rule: Rule) -> str:
    """DuckDB's wording for the broken rule, with the first duplicated key for PRIMARY KEY / UNIQUE."""
    if rule.kind == "CHECK":
        return f"Constraint Error: CHECK constraint failed on table {rule.table} with expression {rule.text}"
    cols = ", ".join(f'"{c}"' for c in rule.columns)
    not_null = " AND ".join(f'"{c}" IS NOT NULL' for c in rule.columns)
    dup = cur.execute(
        f'SELECT {cols} FROM "{rule.table}" WHERE {not_null} GROUP BY ALL HAVING count(*) > 1 LIMIT 1'
    ).fetchall()[0]
    key = ", ".join(f"{c}: {v}" for c, v in zip(rule.columns, dup, strict=True))
    kind = "primary key" if rule.kind == "PRIMARY KEY" else "unique"
    return f'Constraint Error: Duplicate key "{key}" violates {kind} constraint on table {rule.table}.'


def is_conflict(err: BaseException) -> bool:
    """A commit refused because another process committed a conflicting snapshot first (safe to run again)."""
    if not isinstance(err, duckdb.Error) or isinstance(err, duckdb.ConstraintException):
        return False
    text = str(err)
    return (
        "Transaction conflict" in text
        or "Failed to commit DuckLake transaction" in text
        or ("conflict" in text.lower() and isinstance(err, duckdb.TransactionException))
    )


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt `attempt + 1`: 20 ms doubling to 2 s, with jitter so writers spread out."""
    return min(2.0, 0.02 * 2**attempt) * (0.5 + random.random())
