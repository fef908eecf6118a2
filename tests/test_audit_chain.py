"""The append-only audit trail (issue 16): a hash chain over every row, its head kept outside the database, no
code path that changes a row, ids never reused, the action named by the operation and the CLI's real user."""

from __future__ import annotations

import getpass
import json
import shutil
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from finance.audit_chain import GENESIS, row_hash
from finance.auth import Actor, Role
from finance.check import check_database
from finance.cli import main
from finance.errors import NotPermittedError
from finance.store import SQL_DIR, Source, Store, Tx
from finance.upload import load_upload, withdraw_upload
from tests.ducklake_fixtures import LocalPostgres
from tests.monitoring_corpus import add_authority, revenue, with_fields

ADMIN = Actor("ada@northbridge.gov.uk", Role.ADMIN, "oidc")
FINANCE = Actor("fin@northbridge.gov.uk", Role.FINANCE, "oidc")


def _source(tx: Tx, n: int) -> None:
    tx.add_source(Source("upload", f"f{n}.xlsx", f"{n:064x}", "x", "monitoring"))


def _rows(store: Store) -> list[tuple[object, ...]]:
    return store.query(
        "SELECT audit_id, at_utc, user_name, role, via, action, prev_sha256, sha256 FROM audit_log ORDER BY 1"
    )


def _failures(path: str) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        return [f.check for f in check_database(store).failures]
    finally:
        store.close()


def _raw(path: str, sql: str) -> None:
    raw = duckdb.connect(path)  # behind the store's back, as someone with the file could
    raw.execute(sql)
    raw.close()


@pytest.fixture
def chained(tmp_path: Path) -> str:
    """A database file with five audited writes."""
    path = str(tmp_path / "db.duckdb")
    store = Store.open(path)
    for n in range(5):
        store.write(lambda tx, n=n: _source(tx, n), user=f"user{n}")
    store.close()
    return path


def test_each_row_carries_the_hash_of_the_one_before_and_the_head_is_kept_beside_the_file(chained: str) -> None:
    store = Store.open(chained, read_only=True)
    rows = _rows(store)
    store.close()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    prev = GENESIS
    for audit_id, at, user, role, via, action, row_prev, sha in rows:
        assert row_prev == prev and sha == row_hash(audit_id, at, user, role, via, action, prev)  # type: ignore[arg-type]
        prev = str(sha)
    assert json.loads(Path(chained + ".audit-head").read_text()) == {"audit_id": 5, "sha256": prev}
    assert _failures(chained) == []


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE audit_id = (SELECT max(audit_id) FROM audit_log)",
        "UPDATE audit_log SET action = 'upload'",
        "delete from main.audit_log where audit_id > 3",
        "DROP TABLE audit_log",
        "INSERT INTO audit_log (audit_id, at_utc, user_name, via, action) VALUES (99, now(), 'x', 'x', 'x')",
    ],
)
def test_no_write_can_change_or_delete_audit_rows(chained: str, sql: str) -> None:
    store = Store.open(chained)
    before = store.dump()
    for run in (lambda tx: tx.execute(sql), lambda tx: tx.query(sql)):
        with pytest.raises(NotPermittedError, match="append-only"):
            store.write(run)
    frame = pd.DataFrame({"audit_id": [99], "at_utc": [pd.Timestamp.now()], "user_name": ["x"], "via": ["x"]})
    with pytest.raises(NotPermittedError, match="append-only"):
        store.write(lambda tx: tx.insert_df("audit_log", frame))
    assert store.dump() == before
    store.close()


TAMPERING = {
    "a row changed": "UPDATE audit_log SET action = 'upload' WHERE audit_id = 3",
    "a row deleted": "DELETE FROM audit_log WHERE audit_id = 2",
    "the newest rows deleted": "DELETE FROM audit_log WHERE audit_id >= 4",
    "the newest row deleted": "DELETE FROM audit_log WHERE audit_id = 5",
    "all rows deleted": "DELETE FROM audit_log",
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_check_finds_any_change_or_deletion_even_of_the_newest_rows(
    chained: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", chained, "check"]) == 0
    _raw(chained, TAMPERING[name])
    assert _failures(chained) == ["audit_chain"]
    assert main(["--db", chained, "check"]) == 3
    assert "audit_chain" in capsys.readouterr().out


def test_a_rewritten_chain_is_caught_by_the_head_outside_the_database(chained: str) -> None:
    """Delete the newest rows and re-hash nothing (the chain still holds inside): only the sidecar knows."""
    _raw(chained, "DELETE FROM audit_log WHERE audit_id = 5")
    assert _failures(chained) == ["audit_chain"]


def _problems(path: str, *folders: Path) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        report = check_database(store, backup_folders=list(folders) or None)
    finally:
        store.close()
    return [str(example[1]) for f in report.failures if f.check == "audit_chain" for example in f.examples]


def test_deleting_the_sidecar_and_the_newest_rows_is_found(chained: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleted behind the store's back (raw DuckDB) together with the head file: nothing inside the database
    shows it, so a missing head file with audit rows is itself a failure."""
    _raw(chained, "DELETE FROM audit_log WHERE audit_id >= 4")
    Path(chained + ".audit-head").unlink()
    assert any("head file kept beside the database is missing" in p for p in _problems(chained))
    assert main(["--db", chained, "check"]) == 3
    assert "missing" in capsys.readouterr().out
    store = Store.open(chained)
    store.write(lambda tx: _source(tx, 9))  # a write puts a head file back, at the chain as it now is ...
    store.close()
    Path(chained + ".audit-head").unlink()
    _raw(chained, "DELETE FROM audit_log WHERE audit_id = (SELECT max(audit_id) FROM audit_log)")
    assert _failures(chained) == ["audit_chain"]  # ... and every deletion with it is found again


def test_the_newest_backup_manifest_catches_a_forged_sidecar(chained: str, tmp_path: Path) -> None:
    """Rows deleted and the head file rewritten to the new newest row (all of it consistent inside): the head in
    the newest backup's manifest is not in the chain. Found in the default folder (backups/ beside the file), in
    HEADROOM_BACKUP_DIR and in a folder named with `check --backups`."""
    backups = Path(chained).parent / "backups"
    assert main(["--db", chained, "backup", str(backups)]) == 0
    elsewhere = tmp_path / "elsewhere"
    assert main(["--db", chained, "backup", str(elsewhere)]) == 0
    assert _problems(chained) == []
    _raw(chained, "DELETE FROM audit_log WHERE audit_id = 5")
    store = Store.open(chained, read_only=True)
    four = store.query_one("SELECT audit_id, sha256 FROM audit_log WHERE audit_id = 4")
    store.close()
    assert four is not None
    Path(chained + ".audit-head").write_text(json.dumps({"audit_id": four[0], "sha256": four[1]}))
    found = _problems(chained)
    assert len(found) == 1 and "backup manifest headroom-" in found[0] and "not in the chain" in found[0]
    shutil.rmtree(backups)
    assert _problems(chained) == []  # with no backup to hold it against, a forged head cannot be told
    assert len(_problems(chained, elsewhere)) == 1
    assert main(["--db", chained, "check", "--backups", str(elsewhere)]) == 3


def test_another_databases_backups_are_not_held_against_this_one(chained: str, tmp_path: Path) -> None:
    other = str(tmp_path / "other.duckdb")
    store = Store.open(other)
    store.write(lambda tx: _source(tx, 1))
    store.close()
    assert main(["--db", other, "backup", str(Path(chained).parent / "backups")]) == 0  # the same folder
    assert _problems(chained) == []


def test_a_restore_resets_the_head_and_explains_the_newer_backups(chained: str) -> None:
    """Restoring an older backup rolls back rows a newer backup recorded: its restore row (newer than that head)
    says so, and the head file is reset to the restore row, the restored chain's new head."""
    backups = Path(chained).parent / "backups"
    assert main(["--db", chained, "backup", str(backups)]) == 0
    store = Store.open(chained)
    store.write(lambda tx: _source(tx, 6))  # id 6: in the newer backup only
    store.close()
    assert main(["--db", chained, "backup", str(backups)]) == 0
    older = sorted(backups.glob("headroom-*.duckdb"))[0]
    assert main(["--db", chained, "restore", str(older), "--user", "ops"]) == 0
    store = Store.open(chained, read_only=True)
    newest = _rows(store)[-1]
    store.close()
    assert (newest[0], newest[2], newest[5]) == (7, "ops", "restore")
    assert json.loads(Path(chained + ".audit-head").read_text()) == {"audit_id": 7, "sha256": newest[7]}
    assert _problems(chained) == []


def test_ids_are_never_reused_after_the_newest_rows_are_deleted(chained: str) -> None:
    _raw(chained, "DELETE FROM audit_log WHERE audit_id >= 4")
    store = Store.open(chained)
    store.write(lambda tx: _source(tx, 9))
    assert store.scalar("SELECT max(audit_id) FROM audit_log") == 6  # not 4 again
    store.close()


def test_the_action_is_named_by_the_operation_not_by_the_caller(store: Store) -> None:
    add_authority(store)
    with store.acting(FINANCE):  # a label the operation does not carry
        result = load_upload(store, revenue(), "m.xlsx")
    with store.acting(ADMIN):  # a withdrawal labelled as an upload
        withdraw_upload(store, result.upload_id)
    actions = [r[0] for r in store.query("SELECT action FROM audit_log ORDER BY audit_id")]
    assert actions[-2:] == ["upload", "withdraw_upload"]
    with store.acting(FINANCE), pytest.raises(NotPermittedError, match="admin"):
        withdraw_upload(store, result.upload_id)  # checked under its own name too


def test_cli_writes_record_the_given_or_the_operating_system_user(tmp_path: Path, workbook_file: Path) -> None:
    db = str(tmp_path / "db.duckdb")
    store = Store.open(db)
    add_authority(store)
    store.close()
    assert main(["--db", db, "load", str(workbook_file)]) == 0
    assert main(["--db", db, "withdraw", "1", "--user", "jo.bloggs"]) == 0
    store = Store.open(db, read_only=True)
    audited = store.query("SELECT user_name, via, action FROM audit_log ORDER BY audit_id")[-2:]
    store.close()
    assert audited == [(getpass.getuser(), "process", "upload"), ("jo.bloggs", "process", "withdraw_upload")]


@pytest.fixture
def workbook_file(tmp_path: Path) -> Path:
    path = tmp_path / "p6.xlsx"
    path.write_bytes(revenue(fields=with_fields(period="P6")))
    return path


def test_an_existing_database_is_chained_from_its_rows_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))  # the schema as it was before the chain, with audit rows
    raw.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at_utc TIMESTAMP)")
    for sql in sorted(SQL_DIR.glob("*.sql")):
        if sql.name < "080":
            raw.execute(sql.read_text(encoding="utf-8"))
            raw.execute("INSERT INTO schema_migration VALUES (?, now())", [sql.name])
    for n in (1, 2, 3):
        raw.execute("INSERT INTO audit_log VALUES (?, now(), 'old', NULL, 'process', 'write')", [n])
    raw.close()
    store = Store.open(str(path))
    store.write(lambda tx: _source(tx, 1), user="new")
    rows = _rows(store)
    store.close()
    assert [(r[0], r[2]) for r in rows] == [(1, "old"), (2, "old"), (3, "old"), (4, "new")]
    assert rows[0][6] == GENESIS and all(rows[i][6] == rows[i - 1][7] for i in range(1, 4))
    assert _failures(str(path)) == []


def test_a_backup_records_the_head_and_a_restore_continues_the_chain(chained: str, tmp_path: Path) -> None:
    assert main(["--db", chained, "backup", str(tmp_path / "bk")]) == 0
    (manifest,) = (tmp_path / "bk").glob("*.json")
    store = Store.open(chained)
    head = store.query_one("SELECT audit_id, sha256 FROM audit_log WHERE audit_id = 5")
    store.write(lambda tx: _source(tx, 7))  # id 6, rolled back by the restore below
    store.close()
    assert json.loads(manifest.read_text())["audit_head"] == {"audit_id": 5, "sha256": head[1]}  # type: ignore[index]
    assert main(["--db", chained, "restore", str(tmp_path / "bk")]) == 0
    store = Store.open(chained, read_only=True)
    newest = _rows(store)[-1]
    store.close()
    assert newest[0] == 7 and newest[5] == "restore" and newest[6] == head[1]  # type: ignore[index]
    assert _failures(chained) == []

    # a manifest whose head is not the backup's own is refused
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "audit_head": {"audit_id": 4, "sha256": "0" * 64}}))
    assert main(["--db", chained, "restore", str(tmp_path / "bk")]) == 2


@pytest.mark.ducklake
def test_two_servers_writing_at_once_keep_one_chain_on_a_lake(postgres: LocalPostgres) -> None:
    lake = postgres.fresh_lake()
    servers = [Store.open(lake), Store.open(lake)]  # two app servers' stores: two connections, one lake
    errors: list[BaseException] = []

    def writer(store: Store, tag: int) -> None:
        try:
            for n in range(6):
                store.write(lambda tx, n=n: _source(tx, tag * 100 + n), user=f"server{tag}")
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(s, i)) for i, s in enumerate(servers, start=1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    try:
        assert errors == []
        rows = _rows(servers[0])
        assert [r[0] for r in rows] == list(range(1, 13))
        assert all(rows[i][6] == rows[i - 1][7] for i in range(1, 12))
        report = check_database(servers[1])
        assert report.ok, report.text()
    finally:
        for s in servers:
            s.close()
