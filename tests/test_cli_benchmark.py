"""The CLI's benchmark and demo commands: JSON contract, units, and exit codes."""

from __future__ import annotations

import json

import pytest

from finance.cli import main

SEFTON = "E08000014"


def test_benchmark_json_contract(official_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", official_db, "benchmark", "--year", "2023-24", "--point", "opening"]
    assert main([*args, "--measure", "usable_reserves_pct_nre", "--group", "MD", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 36
    assert {"ons_code", "name", "value", "rank_lowest"} <= set(rows[0])
    sefton = next(r for r in rows if r["ons_code"] == SEFTON)
    assert sefton["rank_lowest"] == 4
    assert sefton["value"] == pytest.approx(21.15, abs=0.01)  # percent, not a fraction
    birmingham = next(r for r in rows if r["ons_code"] == "E08000025")
    assert birmingham["rank_lowest"] is None and birmingham["value"] is None
    for row in rows:  # every row says what its value is: basis, return, year and date
        assert row["basis"] == "outturn" and row["source"] == "RS 2023-24"
        assert (row["financial_year"], row["point"], row["as_at"]) == ("2023-24", "opening", "1 April 2023")

    assert main([*args[:4], "2021-22", *args[5:], "--measure", "usable_reserves", "--json"]) == 0
    estimates = json.loads(capsys.readouterr().out)
    assert {(r["basis"], r["source"]) for r in estimates} == {("budget_estimate", "RA 2021-22")}

    assert main([*args, "--measure", "unallocated_reserves", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["ons_code"] == SEFTON)["value"] == 11_991_000  # £, not £000


def test_bad_input_exits_2_without_traceback(official_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", official_db, "benchmark", "--measure", "usable_reserves"]
    assert main([*base, "--year", "2023/2025"]) == 2
    err = capsys.readouterr().err
    assert "2023-24" in err and "Traceback" not in err
    assert main([*base, "--year", "2019-20", "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert "2019-20" in out["message"]
    with pytest.raises(SystemExit) as exit_info:
        main([*base, "--year", "2023-24", "--point", "midday"])
    assert exit_info.value.code == 2


def test_demo_command_builds_once(db_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_path, "demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "built"
    assert main(["--db", db_path, "demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "unchanged"


def test_a_closed_pipe_is_not_an_error(official_db: str) -> None:
    """`python -m finance … | head` must not end in a traceback or 'Unexpected error'.

    All England as JSON is ~100 kB, more than a pipe buffer, so the writer really meets the closed pipe.
    """
    import subprocess
    import sys

    proc = subprocess.run(
        f'"{sys.executable}" -m finance --db "{official_db}" benchmark --year 2023-24 --measure usable_reserves '
        "--group ALL --json | head -c 100",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.startswith("[")
    assert "Unexpected error" not in proc.stderr and "Traceback" not in proc.stderr
