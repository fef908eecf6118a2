"""`python -m finance template|load|uploads|withdraw|monitoring`: exit codes, JSON, and an unchanged database."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from finance.cli import main
from finance.store import Store
from tests.conftest import PROJECT_ROOT
from tests.monitoring_corpus import AUTHORITY, add_authority, build, revenue


@pytest.fixture
def db(db_path: str) -> str:
    store = Store.open(db_path)
    add_authority(store)
    store.close()
    return db_path


def _dump(db: str) -> dict[str, object]:
    store = Store.open(db)
    try:
        return store.dump()  # type: ignore[return-value]
    finally:
        store.close()


def test_template_then_load_round_trip(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["--db", db, "template", str(out), "--authority", AUTHORITY, "--year", "2025/26", "--period", "6"]) == 0
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets[1:]:
        ws.delete_rows(2)
    wb["Revenue"].append(["Adults", None, 100, 110, 10])
    wb.save(out)
    capsys.readouterr()
    assert main(["--db", db, "load", str(out), "--json", "--user", "finance-bot"]) == 0
    loaded = json.loads(capsys.readouterr().out)
    assert loaded["status"] == "loaded" and loaded["periods"] == ["P6"] and loaded["line_counts"] == {"Revenue": 1}

    assert main(["--db", db, "monitoring", "--authority", AUTHORITY, "--year", "2025-26", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "P6" and data["money_units"] == "£"
    assert data["sheets"]["Revenue"][0]["budget_gbp"] == 100_000.0

    assert main(["--db", db, "uploads", "--json"]) == 0
    uploads = json.loads(capsys.readouterr().out)
    assert [(u["upload_id"], u["uploaded_by"], u["status"]) for u in uploads] == [(1, "finance-bot", "current")]


def test_refused_file_exits_2_with_json_problems_and_database_unchanged(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(revenue(["Adults", None, "n/a", 110, None], ["Adults", None, 1, 2, 1]))
    before = _dump(db)
    capsys.readouterr()
    assert main(["--db", db, "load", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    problems = json.loads(captured.out)["problems"]
    assert {"where": "Revenue!C2", "value": "n/a", "message": "Budget must be a number"} in problems
    assert any(p["where"] == "Revenue!A3" and "duplicate" in p["message"] for p in problems)
    assert "Traceback" not in captured.err
    assert _dump(db) == before


def test_withdraw_and_unknown_upload(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(build())
    assert main(["--db", db, "load", str(good)]) == 0
    assert "as upload 1" in capsys.readouterr().out
    assert main(["--db", db, "load", str(good)]) == 0
    assert "already loaded as upload 1" in capsys.readouterr().out
    assert main(["--db", db, "withdraw", "1"]) == 0
    assert main(["--db", db, "withdraw", "1"]) == 2
    assert main(["--db", db, "withdraw", "42"]) == 2
    capsys.readouterr()
    assert main(["--db", db, "monitoring", "--authority", AUTHORITY, "--year", "2025-26", "--period", "P6"]) == 0
    assert "No monitoring held" in capsys.readouterr().out
    assert main(["--db", db, "monitoring", "--authority", AUTHORITY, "--year", "2025-26", "--period", "P13"]) == 2
    assert main(["--db", db, "monitoring", "--authority", "E99999999", "--year", "2025-26"]) == 2


def test_not_a_workbook_and_missing_file_exit_2(db: str, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a spreadsheet")
    assert main(["--db", db, "load", str(text)]) == 2
    assert main(["--db", db, "load", str(tmp_path / "nowhere.xlsx")]) == 2


def test_real_process_exit_code(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(io.BytesIO(revenue(["Adults", None, "n/a", 1, None])).getvalue())
    proc = subprocess.run(
        [sys.executable, "-m", "finance", "--db", db, "load", str(bad), "--json"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["problems"][0]["where"] == "Revenue!C2"
    assert "Traceback" not in proc.stderr
