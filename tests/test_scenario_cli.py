"""`python -m finance scenario FILE.toml` and `scenarios`: output, and exit 2 naming the key for a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finance.cli import main
from finance.scenarios import example_scenario, run, save_scenario
from finance.scenarios.files import EXAMPLE_FILE
from finance.store import Store


def test_runs_the_example_as_json(capsys: pytest.CaptureFixture[str], db_path: str) -> None:
    assert main(["--db", db_path, "scenario", str(EXAMPLE_FILE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    years = data["years"]
    assert [y["year"] for y in years] == ["2024-25", "2025-26", "2026-27"]
    expected = run(example_scenario())
    assert years[-1]["cumulative_gap_gbp_m"] == pytest.approx(float(expected.cumulative_gap[0, -1]))
    assert years[0]["unallocated_reserves_gbp_m"] == pytest.approx(11.991)
    assert "monte_carlo" not in data


def test_simulations_add_percentiles_and_the_seed_repeats(capsys: pytest.CaptureFixture[str], db_path: str) -> None:
    args = ["--db", db_path, "scenario", str(EXAMPLE_FILE), "--json", "--simulations", "500", "--seed", "4"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)["monte_carlo"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["monte_carlo"] == first
    row = first["years"][-1]
    assert row["cumulative_gap_p10_gbp_m"] <= row["cumulative_gap_p50_gbp_m"] <= row["cumulative_gap_p90_gbp_m"]


def test_text_output_for_people(capsys: pytest.CaptureFixture[str], db_path: str) -> None:
    assert main(["--db", db_path, "scenario", str(EXAMPLE_FILE), "--simulations", "100"]) == 0
    out = capsys.readouterr().out
    assert "2026-27" in out and "£19.0m" in out and "P10/P50/P90" in out


def test_bad_file_exits_2_naming_the_key(capsys: pytest.CaptureFixture[str], db_path: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE_FILE.read_text().replace("tax_base_growth_pct", "tax_base_grwth_pct"))
    assert main(["--db", db_path, "scenario", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    wheres = [p["where"] for p in json.loads(captured.out)["problems"]]
    assert wheres == ["assumptions.tax_base_grwth_pct"]
    assert "assumptions.tax_base_grwth_pct" in captured.err
    assert "Traceback" not in captured.err


def test_missing_file_and_bad_simulations_exit_2(
    capsys: pytest.CaptureFixture[str], db_path: str, tmp_path: Path
) -> None:
    assert main(["--db", db_path, "scenario", str(tmp_path / "none.toml")]) == 2
    assert main(["--db", db_path, "scenario", str(EXAMPLE_FILE), "--simulations", "-5"]) == 2
    assert "--simulations" in capsys.readouterr().err


def test_lists_saved_scenarios(capsys: pytest.CaptureFixture[str], db_path: str) -> None:
    store = Store.open(db_path)
    try:
        save_scenario(store, example_scenario(), authority_code="E08000014", user="Jo")
    finally:
        store.close()
    assert main(["--db", db_path, "scenarios", "--authority", "E08000014", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["name"], s["version"], s["saved_by"]) for s in listed] == [(example_scenario().name, 1, "Jo")]


def test_simulations_without_ranges_say_so(capsys: pytest.CaptureFixture[str], db_path: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.toml"
    text = EXAMPLE_FILE.read_text()
    plain.write_text(text[: text.index("[uncertainty]")])
    assert main(["--db", db_path, "scenario", str(plain), "--simulations", "50", "--json"]) == 0
    captured = capsys.readouterr()
    assert "no [uncertainty] ranges" in captured.err
    row = json.loads(captured.out)["monte_carlo"]["years"][-1]
    assert row["cumulative_gap_p10_gbp_m"] == row["cumulative_gap_p90_gbp_m"]
