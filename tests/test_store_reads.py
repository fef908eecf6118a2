"""The store's read path runs reads only: a write, a second statement or a COPY/ATTACH through `Store.query` is
refused before it runs and changes nothing — the audit trail cannot be edited from the read path."""

from __future__ import annotations

import pytest

from finance.errors import NotPermittedError
from finance.store import Store

REFUSED = [
    "DELETE FROM audit_log",
    "UPDATE audit_log SET action = 'upload'",
    "INSERT INTO audit_log SELECT * FROM audit_log",
    "DROP TABLE audit_log",
    "SELECT 1; DELETE FROM audit_log",
    "COPY audit_log TO '/tmp/headroom-audit-copy.csv'",
    "ATTACH ':memory:' AS other",
    "CREATE TABLE x AS SELECT 1",
    "EXPLAIN ANALYZE DELETE FROM audit_log",
]


@pytest.mark.parametrize("sql", REFUSED)
@pytest.mark.parametrize("method", ["query", "query_one", "query_df", "scalar"])
def test_the_read_path_refuses_anything_but_one_select(store: Store, sql: str, method: str) -> None:
    store.write(lambda tx: tx.execute("SELECT 1"), user="test")  # at least one audit row to lose
    before = store.dump()
    with pytest.raises(NotPermittedError, match="one SELECT only"):
        getattr(store, method)(sql)
    assert store.dump() == before


def test_reads_still_read(store: Store) -> None:
    assert store.scalar("WITH n AS (SELECT 41 AS v) SELECT v + 1 FROM n") == 42
    assert store.query("SELECT ? + 1", [1]) == [(2,)]
    assert list(store.query_df("SELECT 1 AS one")["one"]) == [1]
