"""DuckLake specifics: the configured string, writers in several processes, migrations raced at start, backups.

The behaviour both backends share (constraints, atomic writes, threads) is in tests/test_store.py, run on both;
the two app servers driven at once are in tests/browser/test_ducklake_servers.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from finance.backends import is_lake, parse_lake
from finance.backends.lake_backup import dump_lake, restore_lake
from finance.backends.target import LakeTarget
from finance.backup import backup, restore
from finance.check import check_database
from finance.errors import InputError
from finance.store import Source, Store, Tx
from finance.upload import load_upload, withdraw_upload
from tests.ducklake_fixtures import LocalPostgres
from tests.monitoring_corpus import AUTHORITY, AUTHORITY_NAME, build, revenue, with_fields

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# One writer process: `n` sources of its own, then the one shared file (found, else added), each its own write.
WRITER = """
import sys
from finance.store import Source, Store
lake, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store.open(lake)
for i in range(n):
    sha = f"{tag}{i:063x}"[-64:]
    store.write(lambda tx: tx.add_source(Source("upload", f"{tag}-{i}.xlsx", sha, "x", "monitoring")))
store.write(lambda tx: tx.find_source("upload", "f" * 64) or tx.add_source(
    Source("upload", "shared.xlsx", "f" * 64, "x", "monitoring")))
print(store.scalar("SELECT count(*) FROM source_file"))
store.close()
"""


def _add_authority(store: Store) -> None:
    """The workbooks' authority, with a recorded source (so `check` passes)."""

    def write(tx: Tx) -> None:
        source_id = tx.add_source(Source("demo", "authorities", "e" * 64, "Illustrative demo", "illustrative"))
        tx.execute("INSERT INTO authority VALUES (?, NULL, ?, 'MD', true, ?)", [AUTHORITY, AUTHORITY_NAME, source_id])

    store.write(write)


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        outs.append(out)
    return outs


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ducklake:sqlite:lake.db", "only a PostgreSQL catalog"),
        ("ducklake:postgres:host=127.0.0.1 data_path=/x", "names no catalog database"),
        ("ducklake:postgres:dbname=a host = b data_path=/x", "key=value"),
        ("ducklake:postgres:dbname=a colour=blue data_path=/x", "unknown setting"),
        ("ducklake:postgres:dbname=a dbname=b data_path=/x", "given twice"),
        ("ducklake:postgres:dbname=a", "needs a data path"),
    ],
)
def test_malformed_lake_strings_are_refused_naming_the_problem(
    value: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEADROOM_DATA_PATH", raising=False)
    with pytest.raises(InputError, match=message):
        parse_lake(value)


def test_restoring_a_duckdb_backup_over_a_lake_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="catalog dump and data files"):
        restore(tmp_path, "ducklake:postgres:dbname=hr data_path=/srv/lake", user="ops")
    assert list(tmp_path.iterdir()) == []


def test_lake_string_parts_and_data_path_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADROOM_DATA_PATH", "/srv/lake")
    target = parse_lake("DuckLake:postgres:dbname=hr host=10.0.0.5 port=5433 password=secret")
    assert (target.dbname, target.data_path) == ("hr", "/srv/lake/")
    assert "secret" not in target.describe() and "password=***" in target.describe()
    assert parse_lake("ducklake:postgres:dbname=hr data_path=/a").data_path == "/a/"
    assert is_lake(" ducklake:postgres:dbname=x") and not is_lake("data/headroom.duckdb")


@pytest.mark.both_backends
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("INSERT INTO source_file SELECT * REPLACE (source_id + 1 AS source_id) FROM source_file", "kind: upload"),
        ("INSERT INTO source_file SELECT * FROM source_file", "source_id: 1"),
        ("UPDATE source_file SET kind = 'bogus'", "CHECK"),
    ],
)
def test_keys_and_checks_refused_alike_on_both_backends(store: Store, sql: str, message: str) -> None:
    """The lake re-checks PRIMARY KEY / UNIQUE / CHECK before COMMIT, with DuckDB's exception and key."""
    store.write(lambda tx: tx.add_source(Source("upload", "a.xlsx", "a" * 64, "x", "monitoring")))
    before = store.dump()
    with pytest.raises(duckdb.ConstraintException, match=message):
        store.write(lambda tx: tx.execute(sql))
    assert store.dump() == before


@pytest.mark.ducklake
def test_writers_in_several_processes_land_exactly_once(postgres: LocalPostgres) -> None:
    lake = postgres.fresh_lake()
    procs = [_python(WRITER, lake, tag, "6") for tag in ("a", "b", "c")]
    _finish(procs)
    store = Store.open(lake)
    try:
        rows = store.query("SELECT source_id, sha256 FROM source_file ORDER BY source_id")
        assert [r[0] for r in rows] == list(range(1, 3 * 6 + 2))  # ids taken in turn: none twice, none skipped
        assert len({r[1] for r in rows}) == len(rows)
        assert sum(r[1] == "f" * 64 for r in rows) == 1  # the shared file, raced by all three, is there once
        assert store.scalar("SELECT count(*) FROM audit_log") == len(rows)
        assert check_database(store).ok
    finally:
        store.close()


@pytest.mark.ducklake
def test_two_processes_starting_on_an_empty_catalog_migrate_it_once(postgres: LocalPostgres) -> None:
    name = postgres.create_db("race_migrations")
    lake = postgres.lake(name, postgres.folder / "race-files")
    code = "import sys; from finance.store import Store; print(Store.open(sys.argv[1]).migrate())"
    _finish([_python(code, lake), _python(code, lake)])
    store = Store.open(lake)
    try:
        names = [r[0] for r in store.query("SELECT name FROM schema_migration ORDER BY name")]
        assert names == sorted(p.name for p in (PROJECT_ROOT / "finance" / "sql").glob("*.sql"))
        assert store.scalar("SELECT count(*) FROM headroom_internal.write_token") == 1
    finally:
        store.close()


def _refuses_damaged_copies(folder: Path, target: LakeTarget, scratch: Path) -> None:
    """A flipped byte in the catalog dump or in any data file, a file gone or one added: each refused before
    anything is restored (the target stays empty)."""
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")
    flippable = [name for name in files if (folder / name).stat().st_size]
    cases = [(name, offset) for name in flippable for offset in (0, -1)] + [(files[-1], None), (Path("extra"), None)]
    for number, (name, offset) in enumerate(cases):
        copy = scratch / str(number)
        shutil.copytree(folder, copy)
        if offset is not None:
            data = bytearray((copy / name).read_bytes())
            data[offset] ^= 0xFF
            (copy / name).write_bytes(bytes(data))
        elif name == Path("extra"):
            (copy / "data" / "extra.parquet").write_bytes(b"PAR1")
        else:
            (copy / name).unlink()
        with pytest.raises(InputError, match="does not match its manifest"):
            restore_lake(copy, target)
        assert not Path(target.data_path).exists() or not any(Path(target.data_path).iterdir())


@pytest.mark.ducklake
def test_backups_of_a_lake_catalog_dump_and_data_files_and_a_duckdb_snapshot(
    postgres: LocalPostgres, tmp_path: Path
) -> None:
    name = postgres.create_db("backed_up")
    lake = postgres.lake(name, tmp_path / "lake-files")
    store = Store.open(lake)
    try:
        _add_authority(store)

        first = load_upload(store, build(), "p6.xlsx")
        # more lines than DuckLake inlines into the catalog (10), so some are in Parquet files
        lines = [["Adults", f"Service {i}", 1_000 + i, 1_005 + i, 5] for i in range(40)]
        load_upload(store, revenue(*lines, fields=with_fields(period="P7")), "p7.xlsx")
        withdraw_upload(store, first.upload_id)
        before = store.dump()
        snapshot = backup(store, tmp_path / "snapshots")  # `python -m finance backup`: a DuckDB file
        manifest = dump_lake(parse_lake(lake), tmp_path / "lake-backup")
    finally:
        store.close()
    assert manifest["data_files"], "the upload's lines are in Parquet files, which the backup must copy"
    copy = Store.open(snapshot.path, read_only=True)
    try:
        assert copy.dump() == before
    finally:
        copy.close()
    restored = postgres.lake(postgres.create_db("restored"), tmp_path / "restored-files")
    _refuses_damaged_copies(tmp_path / "lake-backup", parse_lake(restored), tmp_path / "damaged")
    restore(tmp_path / "lake-backup", restored, user="ops")  # `python -m finance restore` on a lake
    postgres.psql(f'DROP DATABASE "{name}"')  # the original is gone: the restore must stand on its own
    again = Store.open(restored)
    try:
        newest = again.query_one("SELECT audit_id, user_name, action, sha256 FROM audit_log ORDER BY 1 DESC LIMIT 1")
        assert newest is not None and newest[1:3] == ("ops", "restore")  # the restore is the row after the backup's
        assert again.head_file is not None
        assert json.loads(again.head_file.read_text()) == {"audit_id": newest[0], "sha256": newest[3]}
        assert {t: r for t, r in again.dump().items() if t != "audit_log"} == {
            t: r for t, r in before.items() if t != "audit_log"
        }
        report = check_database(again)
        assert report.ok, report.text()
    finally:
        again.close()
    assert json.loads((tmp_path / "lake-backup" / "manifest.json").read_text())["catalog_database"] == name
