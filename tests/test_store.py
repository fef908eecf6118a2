"""The store: schema constraints, the one write path's atomicity, threads, and dumps."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pytest

from finance.store import Source, Store, Tx

pytestmark = pytest.mark.both_backends

SHA = "a" * 64


def _source(tx: Tx, sha: str = SHA) -> int:
    return tx.add_source(Source("official", "f.ods", sha, "RS outturn", "outturn", "2023-24"))


def test_migrations_apply_once(db_path: str) -> None:
    first = Store.open(db_path)
    tables = first.tables()
    first.close()
    again = Store.open(db_path)
    assert again.migrate() == []
    assert again.tables() == tables
    assert {"source_file", "authority", "official_return", "official_value"} <= set(tables)
    again.close()


def test_failed_write_leaves_database_unchanged(store: Store) -> None:
    store.write(_source)
    before = store.dump()

    def half_then_fail(tx: Tx) -> None:
        _source(tx, "b" * 64)
        tx.execute("INSERT INTO authority VALUES ('E08000014', 'E4304', 'Sefton', 'MD', false, 1)")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        store.write(half_then_fail)
    assert store.dump() == before


@pytest.mark.parametrize(
    "sql",
    [
        # unknown authority class
        "INSERT INTO authority VALUES ('E08000014', NULL, 'Sefton', 'XX', false, 1)",
        # malformed code
        "INSERT INTO authority VALUES ('Sefton', NULL, 'Sefton', 'MD', false, 1)",
        # financial year that is not consecutive
        "INSERT INTO official_return VALUES ('E08000014', '2023-25', 'outturn', 'MD', 'Sefton', NULL, 1)",
        "INSERT INTO official_return VALUES ('E08000014', '2023/24', 'outturn', 'MD', 'Sefton', NULL, 1)",
        # a level measured over a year, and an unknown measure
        "INSERT INTO official_value VALUES ('E08000014', '2023-24', 'outturn', 'unallocated_reserves', 'year',"
        " 1, NULL, 'x', 1)",
        "INSERT INTO official_value VALUES ('E08000014', '2023-24', 'outturn', 'vibes', 'opening', 1, NULL, 'x', 1)",
        # missing is NULL with the published text, never silently empty
        "INSERT INTO official_value VALUES ('E08000014', '2023-24', 'outturn', 'unallocated_reserves', 'opening',"
        " NULL, NULL, 'x', 1)",
    ],
)
def test_schema_refuses_what_the_domain_forbids(store: Store, sql: str) -> None:
    before = store.dump()
    with pytest.raises(duckdb.ConstraintException):
        store.write(lambda tx: tx.execute(sql))
    assert store.dump() == before


def test_source_sha256_must_be_a_hash(store: Store) -> None:
    with pytest.raises(duckdb.ConstraintException):
        store.write(lambda tx: _source(tx, "not-a-hash"))


def test_ids_do_not_advance_on_a_refused_write(store: Store) -> None:
    assert store.write(_source) == 1
    with pytest.raises(ZeroDivisionError):
        store.write(lambda tx: (_source(tx, "c" * 64), 1 / 0))
    assert store.write(lambda tx: _source(tx, "d" * 64)) == 2


def test_data_version_moves_with_every_committed_change_and_only_then(store: Store) -> None:
    start = store.data_version()
    store.write(_source)
    loaded = store.data_version()
    assert loaded > start
    store.write(lambda tx: tx.query("SELECT count(*) FROM source_file"))  # reads only: nothing changed
    store.write(lambda tx: tx.execute("DELETE FROM authority WHERE code = 'nobody'"))  # no row matched
    with pytest.raises(ZeroDivisionError):
        store.write(lambda tx: (_source(tx, "c" * 64), 1 / 0))  # refused: rolled back
    assert store.data_version() == loaded
    store.write(lambda tx: tx.execute("UPDATE source_file SET file_name = 'g.ods'"))
    assert store.data_version() > loaded


def test_reads_on_many_threads_while_writes_queue(store: Store) -> None:
    store.write(_source)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                assert store.scalar("SELECT count(*) FROM source_file") >= 1
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    def writer(i: int) -> None:
        try:
            store.write(lambda tx: _source(tx, f"{i:064x}"))
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads += [threading.Thread(target=writer, args=(i + 100,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.scalar("SELECT count(*) FROM source_file") == 9
    ids = [r[0] for r in store.query("SELECT source_id FROM source_file ORDER BY 1")]
    assert ids == list(range(1, 10))


def test_insert_df_and_query_df_round_trip(store: Store) -> None:
    frame = pd.DataFrame({"code": ["E08000014"], "ecode": ["E4304"], "name": ["Sefton"], "class": ["MD"]}).assign(
        is_illustrative=False, source_id=1
    )
    assert store.write(lambda tx: tx.insert_df("authority", frame)) == 1
    back = store.query_df("SELECT code, name, class FROM authority")
    assert back.to_dict("records") == [{"code": "E08000014", "name": "Sefton", "class": "MD"}]
