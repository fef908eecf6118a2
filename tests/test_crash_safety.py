"""Crash safety: SIGKILL the loading process at random points, many times; nothing is ever half there.

A subprocess runs `python -m finance load` on a large generated upload, or `import-official` on shared returns,
and is killed either after a random delay spread over its whole run (start-up, reading, validating), or at a
random moment within 150 ms of its write-ahead log appearing — the commit and the checkpoint that follows it,
where a torn write would happen. After every kill the database must open, `check` must pass,
each upload must be wholly present or wholly absent, and so must each batch of official files (one import is one
transaction: every file of it, each whole, or none). Bounded: KILLS kills, about a minute in all.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from finance.check import check_database
from finance.store import Store, sha256_bytes
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parent.parent
LINES = 6_000
LOAD_KILLS = 12
IMPORT_KILLS = 8
OFFICIAL_FILES = ("RA_2021-22_data_by_LA.csv", "RS_2016-17_data_by_LA.xlsx")


def _big_workbook() -> bytes:
    """A Revenue sheet of LINES lines for the demo authority; the period cell is a placeholder patched per run."""
    wb = Workbook(write_only=True)
    info = wb.create_sheet("Instructions")
    for row in (["Authority", "DEMO01"], ["Financial year", "2027-28"], ["Period", "PERIOD_PLACEHOLDER"],
                ["Units", "£"], ["Run", "RUN_PLACEHOLDER"]):  # fmt: skip
        info.append(row)
    ws = wb.create_sheet("Revenue")
    ws.append(["Directorate", "Service", "Budget", "Forecast outturn", "Variance"])
    for i in range(LINES):
        ws.append([f"Directorate {i % 40}", f"Service {i}", 1000 + i, 1100 + i, 100])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _variant(base: bytes, period: int, run: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if b"PLACEHOLDER" in content:
                content = content.replace(b"PERIOD_PLACEHOLDER", f"P{period}".encode())
                content = content.replace(b"RUN_PLACEHOLDER", f"run {run}".encode())
            dst.writestr(info, content)
    return out.getvalue()


def _run_and_kill(args: list[str], delay: float | None, rng: random.Random | None = None) -> bool:
    """Start `python -m finance ARGS`; SIGKILL it after `delay` seconds, or (delay None) at a random moment within
    150 ms of its database's write-ahead log appearing. True if it finished before the kill."""
    wal = Path(args[1] + ".wal")
    proc = subprocess.Popen(
        [sys.executable, "-m", "finance", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if delay is None:
        assert rng is not None
        deadline = time.monotonic() + 120
        while proc.poll() is None and not wal.exists() and time.monotonic() < deadline:
            time.sleep(0.002)
        delay = rng.uniform(0, 0.15)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return False
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else proc.returncode
    return True


def _timed(args: list[str]) -> float:
    start = time.monotonic()
    assert _run_and_kill(args, 120)
    return time.monotonic() - start


def _assert_clean(db: str) -> Store:
    store = Store.open(db)
    report = check_database(store)
    assert report.ok, report.text()
    return store


def test_killed_loads_leave_every_upload_whole(tmp_path: Path, demo_db: str) -> None:
    db = str(tmp_path / "crash.duckdb")
    copy_database(demo_db, db)
    base = _big_workbook()
    rng = random.Random(7)
    probe = tmp_path / "probe.xlsx"
    probe.write_bytes(_variant(base, 12, -1))
    scratch = str(tmp_path / "scratch.duckdb")
    copy_database(demo_db, scratch)
    full = _timed(["--db", scratch, "load", str(probe)])  # how long a whole load takes here
    outcomes: dict[str, bool] = {}
    for run in range(LOAD_KILLS):
        data = _variant(base, 1 + run % 12, run)
        path = tmp_path / f"upload-{run}.xlsx"
        path.write_bytes(data)
        delay = rng.uniform(0.2, 1.0) * full if run % 2 else None
        finished = _run_and_kill(["--db", db, "load", str(path)], delay, rng)
        store = _assert_clean(db)
        try:
            row = store.query_one("SELECT line_count FROM monitoring_upload WHERE sha256 = ?", [sha256_bytes(data)])
            present = row is not None
            assert not finished or present
            assert row is None or row[0] == LINES  # wholly present ...
            lines = store.scalar(
                "SELECT count(*) FROM monitoring_revenue r JOIN monitoring_upload u USING (upload_id) "
                "WHERE u.sha256 = ?",
                [sha256_bytes(data)],
            )
            assert lines == (LINES if present else 0)  # ... or wholly absent
            outcomes[path.name] = present
        finally:
            store.close()
    assert any(outcomes.values()) and not all(outcomes.values()), outcomes  # kills landed on both sides
    result = subprocess.run([sys.executable, "-m", "finance", "--db", db, "check"], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_killed_official_imports_leave_every_file_whole(
    tmp_path: Path, demo_db: str, official_source_dir: Path, official_store: Store
) -> None:
    files = [str(official_source_dir / name) for name in OFFICIAL_FILES]
    expected = {
        (year, basis): n
        for year, basis, n in official_store.query(
            "SELECT financial_year, basis, count(*) FROM official_value GROUP BY ALL"
        )
    }
    db = str(tmp_path / "crash.duckdb")
    copy_database(demo_db, db)
    rng = random.Random(11)
    scratch = str(tmp_path / "scratch.duckdb")
    copy_database(demo_db, scratch)
    full = _timed(["--db", scratch, "import-official", *files])
    seen: set[int] = set()
    for run in range(IMPORT_KILLS):
        delay = rng.uniform(0.2, 1.0) * full if run % 2 else None
        finished = _run_and_kill(["--db", db, "import-official", *files], delay, rng)
        store = _assert_clean(db)
        try:
            held = store.query(
                "SELECT financial_year, basis, count(*) FROM official_value WHERE basis <> 'illustrative' GROUP BY ALL"
            )
            for year, basis, n in held:
                assert n == expected[(year, basis)], (year, basis)  # each file wholly present ...
            assert len(held) in (0, len(files)), held  # ... and so is the batch: all of its files or none
            assert not finished or len(held) == len(files), held
            seen.add(len(held))
        finally:
            store.close()
        if delay is not None and len(held) == len(files):
            # committed within `delay`: this run was quicker than the measured one (a machine whose load fell), so
            # aim the later timed kills within it, before the commit
            full = min(full, delay)
        if len(held) == len(files):  # all in: start again from no official data, to keep killing writes
            copy_database(demo_db, db)  # a database replaced by hand: its audit head with it
    assert seen == {0, len(files)}, seen  # kills landed both before and after the import's commit
    result = subprocess.run([sys.executable, "-m", "finance", "--db", db, "check"], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEADROOM_DEBUG", raising=False)
