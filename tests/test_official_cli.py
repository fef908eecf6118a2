"""`python -m finance import-official`: exit codes, text and --json output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finance.cli import main
from finance.store import Store

RS_2023 = "RS_2023-24_data_by_LA.ods"


def test_import_prints_one_line_per_file(
    official_source_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "h.duckdb")
    assert main(["--db", db, "import-official", str(official_source_dir / RS_2023)]) == 0
    out = capsys.readouterr().out
    assert "2023-24" in out and "outturn" in out and "411 authorities" in out and "imported" in out
    assert main(["--db", db, "import-official", str(official_source_dir / RS_2023)]) == 0
    assert "unchanged" in capsys.readouterr().out
    store = Store.open(db)
    try:
        assert store.scalar("SELECT count(*) FROM official_return") == 411
    finally:
        store.close()


def test_import_json(official_source_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "h.duckdb")
    ra = official_source_dir / "RA_2021-22_data_by_LA.csv"
    assert main(["--db", db, "import-official", "--json", str(ra), str(official_source_dir / RS_2023)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [(r["financial_year"], r["basis"], r["status"]) for r in reports] == [
        ("2023-24", "outturn", "imported"),
        ("2021-22", "budget_estimate", "imported"),
    ]
    assert {"file_name", "sha256", "dataset", "authorities", "rows"} <= set(reports[0])


def test_bad_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "RS_2019-20_data_by_LA.xlsx"
    bad.write_bytes(b"definitely not a workbook")
    assert main(["--db", str(tmp_path / "h.duckdb"), "import-official", str(bad)]) == 2
    captured = capsys.readouterr()
    assert bad.name in captured.err and "Traceback" not in captured.err

    assert main(["--db", str(tmp_path / "h.duckdb"), "import-official", "--json", str(bad)]) == 2
    payload = json.loads(capsys.readouterr().out)
    assert payload["problems"][0]["where"] == bad.name


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "h.duckdb"), "import-official", str(tmp_path / "nothing.ods")]) == 2
    assert "nothing.ods" in capsys.readouterr().err
