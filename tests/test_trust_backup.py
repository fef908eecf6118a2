"""`check`, `backup` and `restore`: invariants caught on corrupted copies, restores that reproduce every figure,
and a clear refusal (not a traceback) when another process owns the database file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from finance import benchmark
from finance.backup import ScheduledBackups, last_verified, list_backups, read_manifest, verify_backup
from finance.cli import main
from finance.demo import HOME_CODE
from finance.errors import InputError
from finance.monitoring import monitoring_lines, upload_history
from finance.scenarios import example_scenario, list_scenarios, save_scenario
from finance.store import Store, sha256_file
from finance.upload import withdraw_upload
from tests.conftest import copy_database


@pytest.fixture
def demo_copy(tmp_path: Path, demo_db: str) -> str:
    path = tmp_path / "demo.duckdb"
    copy_database(demo_db, path)
    return str(path)


def test_check_is_clean_on_the_demo_database(demo_copy: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", demo_copy, "check"]) == 0
    assert capsys.readouterr().out.startswith("OK:")


CORRUPTIONS: dict[str, tuple[str, str]] = {
    "lines deleted": ("DELETE FROM monitoring_revenue WHERE upload_id = 2 AND sheet_row > 10", "upload_line_count"),
    "sheet row deleted": ("DELETE FROM monitoring_upload_sheet WHERE upload_id = 3 AND sheet = 'DSG'", "orphan_lines"),
    "upload deleted": ("DELETE FROM monitoring_upload WHERE upload_id = 4", "current_upload"),
    "source deleted": ("DELETE FROM source_file WHERE kind = 'demo' AND basis = 'illustrative'", "provenance:"),
    "variance broken": ("UPDATE monitoring_dsg SET in_year_gbp = in_year_gbp + 1 WHERE upload_id = 5", "totals"),
    "withdrawn silently": (
        "UPDATE monitoring_upload SET status = 'withdrawn', withdrawn_at_utc = now() WHERE upload_id = 6",
        "withdrawal",
    ),
    "official return lost": ("DELETE FROM official_return WHERE code = 'DEMO03'", "official_per_file"),
    "current scenario lost": (
        "INSERT OR REPLACE INTO scenario_current VALUES ('DEMO01', 999, 'x', now())",
        "scenario_current",
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_check_fails_with_a_report_on_a_corrupted_copy(
    demo_copy: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sql, expected = CORRUPTIONS[name]
    raw = duckdb.connect(demo_copy)  # behind the store's back
    raw.execute(sql)
    assert raw.execute("SELECT 1").fetchall()
    raw.close()
    assert main(["--db", demo_copy, "check", "--json"]) == 3
    out = capsys.readouterr().out
    assert '"ok": false' in out and expected in out


def _scenario(name: str) -> Any:
    return replace(example_scenario(), authority=HOME_CODE, name=name)


def _figures(store: Store) -> dict[str, Any]:
    """What the pages show: rankings for every demo year, the current monitoring, history and scenarios."""
    out: dict[str, Any] = {"dump": store.dump()}
    for year in benchmark.years_held(store, illustrative=True):
        ranking = benchmark.rank(store, year=year, measure="usable_reserves_pct_nre", illustrative=True)
        out[f"rank {year}"] = benchmark.ranking_records(ranking)
    for year in ("2025-26", "2026-27"):
        out[f"monitoring {year}"] = {
            k: v.to_dict("records") for k, v in monitoring_lines(store, HOME_CODE, year).items()
        }
    out["history"] = upload_history(store).to_dict("records")
    out["scenarios"] = [s.label for s in list_scenarios(store, HOME_CODE)]
    return out


def test_restore_reproduces_every_figure(demo_copy: str, tmp_path: Path) -> None:
    store = Store.open(demo_copy)
    save_scenario(store, _scenario("before"), authority_code=HOME_CODE, user="Jo")
    withdraw_upload(store, 7, user="Jo")
    before = _figures(store)
    store.close()
    assert main(["--db", demo_copy, "backup", str(tmp_path / "bk")]) == 0

    store = Store.open(demo_copy)  # life goes on: more changes after the backup
    withdraw_upload(store, 8, user="Jo")
    save_scenario(store, _scenario("after"), authority_code=HOME_CODE, user="Jo")
    assert _figures(store) != before
    rolled_back_to = store.data_version()
    store.close()

    assert main(["--db", demo_copy, "restore", str(tmp_path / "bk"), "--user", "ops"]) == 0
    store = Store.open(demo_copy)
    try:
        after = _figures(store)
        log_before, log_after = before["dump"].pop("audit_log"), after["dump"].pop("audit_log")
        assert after == before
        (added,) = set(log_after) - set(log_before)  # the restore itself, after the rolled-back ids
        assert set(log_before) < set(log_after) and added[0] == rolled_back_to + 1
        assert added[2:6] == ("ops", None, "process", "restore")
    finally:
        store.close()
    assert main(["--db", demo_copy, "check"]) == 0


def test_backup_from_the_running_app_process_is_consistent(demo_copy: str, tmp_path: Path) -> None:
    store = Store.open(demo_copy)  # the app's store: the backup is taken in its own process
    store.require_actor = True  # as in the app: the scheduler must act as the system, not as nobody
    try:
        scheduled = ScheduledBackups(store, tmp_path / "sched", interval_h=0.2 / 3600, keep=2).start()
        taken: set[str] = set()  # wait for three backups (each reads its copy back in full, so no fixed sleep)
        deadline = time.monotonic() + 120
        while len(taken) < 3 and time.monotonic() < deadline and scheduled.last_error is None:
            taken |= {scheduled.last.path} if scheduled.last else set()
            time.sleep(0.05)
        scheduled.stop()
        scheduled.thread.join(timeout=10)
        assert scheduled.last_error is None and scheduled.last is not None
        assert len(list_backups(tmp_path / "sched")) == 2  # older ones pruned
        snap = Store.open(scheduled.last.path, read_only=True)
        try:
            assert snap.dump() == store.dump()
        finally:
            snap.close()
    finally:
        store.close()


def _hold(path: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({path!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_backup_and_restore_refuse_clearly_while_another_process_owns_the_file(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", demo_copy, "backup", str(tmp_path / "bk")]) == 0
    capsys.readouterr()
    holder = _hold(demo_copy)
    try:
        assert main(["--db", demo_copy, "backup", str(tmp_path / "bk2")]) == 2
        err = capsys.readouterr().err
        assert f"PID {holder.pid}" in err and "Traceback" not in err
        assert main(["--db", demo_copy, "restore", str(tmp_path / "bk")]) == 2
        assert f"PID {holder.pid}" in capsys.readouterr().err
    finally:
        holder.communicate("")
    assert not list_backups(tmp_path / "bk2")


def test_restore_refuses_a_backup_changed_after_it_was_taken_and_changes_nothing(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", demo_copy, "backup", str(tmp_path / "bk")]) == 0
    (backup,) = list_backups(tmp_path / "bk")
    raw = duckdb.connect(str(backup))
    raw.execute("DELETE FROM monitoring_capital WHERE upload_id = 1")
    raw.close()
    before = Path(demo_copy).read_bytes()
    assert main(["--db", demo_copy, "restore", str(backup)]) == 2
    assert "does not match its manifest" in capsys.readouterr().err
    assert Path(demo_copy).read_bytes() == before

    # the manifest rewritten to match the changed file: the checks still refuse it
    _rewrite_manifest(backup, sha256=sha256_file(backup), bytes=backup.stat().st_size)
    assert main(["--db", demo_copy, "restore", str(backup)]) == 2
    assert "upload_line_count" in capsys.readouterr().err
    assert Path(demo_copy).read_bytes() == before


def _rewrite_manifest(backup: Path, **changes: Any) -> None:
    path = backup.with_suffix(".json")
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}), encoding="utf-8")


@pytest.fixture(scope="module")
def taken_backup(tmp_path_factory: pytest.TempPathFactory, demo_db: str) -> Path:
    """One backup of the demo database (and its manifest); tests damage copies of it."""
    folder = tmp_path_factory.mktemp("taken")
    db = folder / "live.duckdb"
    copy_database(demo_db, db)
    assert main(["--db", str(db), "backup", str(folder / "bk")]) == 0
    (backup,) = list_backups(folder / "bk")
    return backup


def _damaged_copy(taken: Path, folder: Path, offset: int) -> Path:
    """A copy of the backup (with its manifest) with the byte at `offset` flipped (negative: from the end)."""
    folder.mkdir()
    copy = folder / taken.name
    shutil.copy(taken, copy)
    shutil.copy(taken.with_suffix(".json"), copy.with_suffix(".json"))
    data = bytearray(copy.read_bytes())
    data[offset] ^= 0xFF
    copy.write_bytes(bytes(data))
    return copy


# the file header (magic bytes at 8, header checksums), the database headers (4096, 8192), the first block,
# the middle and the unused tail of the file
OFFSETS = (0, 8, 20, 100, 4096, 4200, 8192, 12300, 1 << 20, -(1 << 20), -4096, -1)


@pytest.mark.parametrize("offset", OFFSETS)
def test_restore_refuses_a_backup_with_one_flipped_byte(
    taken_backup: Path, demo_copy: str, tmp_path: Path, offset: int, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = _damaged_copy(taken_backup, tmp_path / "bk", offset)
    before = Path(demo_copy).read_bytes()
    assert main(["--db", demo_copy, "restore", str(tmp_path / "bk")]) == 2
    err = capsys.readouterr().err
    assert f"{damaged.name}: does not match its manifest" in err
    assert "This is a bug" not in err and "Traceback" not in err
    assert Path(demo_copy).read_bytes() == before


@pytest.mark.parametrize("offset", [8, 100, 4200, 12300, 1 << 20])
def test_a_damaged_backup_is_refused_as_unreadable_even_when_its_manifest_matches(
    taken_backup: Path, demo_copy: str, tmp_path: Path, offset: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage and a manifest rewritten to match it: the file itself is read back in full and refused."""
    damaged = _damaged_copy(taken_backup, tmp_path / "bk", offset)
    _rewrite_manifest(damaged, sha256=sha256_file(damaged))
    before = Path(demo_copy).read_bytes()
    assert main(["--db", demo_copy, "restore", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert "cannot be read back" in err or "not a readable database" in err
    assert "This is a bug" not in err and "Traceback" not in err
    assert Path(demo_copy).read_bytes() == before


def test_restore_refuses_a_backup_without_a_readable_manifest_or_with_other_row_counts(
    taken_backup: Path, demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _damaged_copy(taken_backup, tmp_path / "bk", 0)
    shutil.copy(taken_backup, copy)  # undamaged again
    manifest = copy.with_suffix(".json")
    good = manifest.read_text()
    before = Path(demo_copy).read_bytes()

    manifest.write_text(good[: len(good) // 2])  # cut short
    assert main(["--db", demo_copy, "restore", str(copy)]) == 2
    assert "is not a readable backup manifest" in capsys.readouterr().err

    manifest.unlink()
    assert main(["--db", demo_copy, "restore", str(copy)]) == 2
    assert "has no manifest" in capsys.readouterr().err

    counts = json.loads(good)["row_counts"]
    manifest.write_text(good)
    _rewrite_manifest(copy, row_counts={**counts, "audit_log": counts["audit_log"] + 1})
    assert main(["--db", demo_copy, "restore", str(copy)]) == 2
    assert "does not match its manifest's row counts" in capsys.readouterr().err
    assert Path(demo_copy).read_bytes() == before

    manifest.write_text(good)  # and the same backup, as written, restores
    assert main(["--db", demo_copy, "restore", str(copy)]) == 0
    restored, backed_up = Store.open(demo_copy, read_only=True), Store.open(str(copy), read_only=True)
    try:
        assert restored.dump()["monitoring_revenue"] == backed_up.dump()["monitoring_revenue"]
    finally:
        restored.close()
        backed_up.close()


def test_backup_manifest_records_the_read_back_copy_and_verify_backup_rereads_it(
    taken_backup: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(taken_backup)
    assert manifest.sha256 == sha256_file(taken_backup) and manifest.bytes == taken_backup.stat().st_size
    assert manifest.verified_at_utc >= manifest.taken_at_utc
    copy = Store.open(str(taken_backup), read_only=True)
    try:
        assert manifest.row_counts == {t: len(rows) for t, rows in copy.dump().items() if t != "<sequences>"}
    finally:
        copy.close()
    folder = tmp_path / "bk"
    damaged = _damaged_copy(taken_backup, folder, -1)
    assert last_verified(folder) is not None  # the size still matches: the summary does not re-read the file
    with pytest.raises(InputError, match="does not match its manifest"):
        verify_backup(damaged)
    shutil.copy(taken_backup, damaged)
    again = verify_backup(damaged)
    assert again.verified_at_utc > manifest.verified_at_utc
    assert last_verified(folder) == replace(again, path=str(damaged))


def test_check_deep_reads_every_row_and_reports_a_damaged_file(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", demo_copy, "check", "--deep"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK:")
    raw = duckdb.connect(demo_copy, read_only=True)  # where the first block of monitoring_revenue's data is
    (block,) = raw.execute(
        "SELECT min(block_id) FROM pragma_storage_info('monitoring_revenue') WHERE persistent AND block_id >= 0"
    ).fetchone() or (None,)
    block_size = raw.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]  # type: ignore[index]
    raw.close()
    data = bytearray(Path(demo_copy).read_bytes())
    data[3 * 4096 + block * block_size + 100] ^= 0xFF  # after the file's three headers: a byte of that block
    Path(demo_copy).write_bytes(bytes(data))
    assert main(["--db", demo_copy, "check", "--deep", "--json"]) == 3
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert [f["check"] for f in report["failures"]] == ["readable"]
    assert "Corrupt database file" in report["failures"][0]["examples"][0][0]
    assert "This is a bug" not in captured.err


def test_check_on_a_file_with_a_damaged_header_says_so(demo_copy: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(Path(demo_copy).read_bytes())
    data[8] ^= 0xFF  # the magic bytes
    Path(demo_copy).write_bytes(bytes(data))
    assert main(["--db", demo_copy, "check"]) == 2
    err = capsys.readouterr().err
    assert "The database file is damaged" in err and "This is a bug" not in err
