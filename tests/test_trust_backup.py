"""`check`, `backup` and `restore`: invariants caught on corrupted copies, restores that reproduce every figure,
and a clear refusal (not a traceback) when another process owns the database file."""

from __future__ import annotations

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
from finance.backup import ScheduledBackups, list_backups
from finance.cli import main
from finance.demo import HOME_CODE
from finance.monitoring import monitoring_lines, upload_history
from finance.scenarios import example_scenario, list_scenarios, save_scenario
from finance.store import Store
from finance.upload import withdraw_upload


@pytest.fixture
def demo_copy(tmp_path: Path, demo_db: str) -> str:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
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
    store.close()

    assert main(["--db", demo_copy, "restore", str(tmp_path / "bk")]) == 0
    store = Store.open(demo_copy)
    try:
        assert _figures(store) == before
    finally:
        store.close()
    assert main(["--db", demo_copy, "check"]) == 0


def test_backup_from_the_running_app_process_is_consistent(demo_copy: str, tmp_path: Path) -> None:
    store = Store.open(demo_copy)  # the app's store: the backup is taken in its own process
    store.require_actor = True  # as in the app: the scheduler must act as the system, not as nobody
    try:
        scheduled = ScheduledBackups(store, tmp_path / "sched", interval_h=0.2 / 3600, keep=2).start()
        time.sleep(1.5)
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


def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", demo_copy, "backup", str(tmp_path / "bk")]) == 0
    (backup,) = list_backups(tmp_path / "bk")
    raw = duckdb.connect(str(backup))
    raw.execute("DELETE FROM monitoring_capital WHERE upload_id = 1")
    raw.close()
    before = Path(demo_copy).read_bytes()
    assert main(["--db", demo_copy, "restore", str(backup)]) == 2
    assert "upload_line_count" in capsys.readouterr().err
    assert Path(demo_copy).read_bytes() == before
