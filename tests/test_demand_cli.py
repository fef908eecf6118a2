"""`python -m finance demand`: the authority's official demand series with peers, as JSON and text, and the exit
code 2 with the reason for an unknown authority, group or year."""

from __future__ import annotations

import json
from typing import Any

import pytest

from finance.cli import main as cli

SEFTON = "E08000014"


def _json(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = cli(["--db", db, "demand", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_has_each_series_with_basis_as_at_and_peers(demand_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(demand_db, capsys, "--authority", SEFTON, "--year", "2025-26")
    assert code == 0
    assert data["authority"] == {"ons_code": SEFTON, "name": "Sefton", "class": "MD"}
    assert data["group"] == "MD" and len(data["members"]) == 36
    series = {s["metric"]: s for s in data["official"]}
    cla = series["cla_count"]
    assert (cla["value"], cla["as_at"], cla["basis"]) == (506, "31 March 2025", "official count")
    assert cla["rank_highest"] is not None and cla["n_ranked"] == 36
    assert cla["direction_of_travel"] == "down 75 (-12.9%) from 581 at 31 March 2024"
    assert series["cla_per_10k"]["value"] == 92 and series["cla_per_10k"]["basis"] == "official rate"
    assert (series["ehc_plans"]["value"], series["ehc_plans"]["as_at"]) == (3736, "January 2025")
    assert (series["ta_households"]["value"], series["ta_households"]["as_at"]) == (200, "31 December 2025")
    assert round(series["ta_per_1000"]["value"], 2) == 1.59
    assert {p["status"] for p in cla["peers"]} == {"figure"}
    assert set(data["budget_lines"]) == {"children's placements", "DSG high needs", "temporary accommodation"}


def test_group_all_lists_not_applicable_members(demand_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(demand_db, capsys, "--authority", SEFTON, "--group", "all")
    assert code == 0 and data["group"] == "ALL"
    cla = next(s for s in data["official"] if s["metric"] == "cla_count")
    statuses = {p["status"] for p in cla["peers"]}
    assert "not applicable: a shire district does not provide this service" in statuses
    assert cla["n_ranked"] == sum(1 for p in cla["peers"] if p["status"] == "figure")


def test_text_says_what_each_number_is(demand_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli(["--db", demand_db, "demand", "--authority", SEFTON]) == 0
    out = capsys.readouterr().out
    assert "Children looked after at 31 March (official count, as at 31 March 2025): 506 children" in out
    assert "EHC plans held in January (caseload) (official count, as at January 2025): 3,736 plans" in out


def test_group_nn_and_sn(demand_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for group, members in (("NN", 21), ("SN", 11)):
        code, data = _json(demand_db, capsys, "--authority", SEFTON, "--group", group)
        assert code == 0 and data["group"] == group and len(data["members"]) == members
        assert "sha256" in data["group_source"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--authority", "E99999999"], "E99999999"),
        (["--authority", SEFTON, "--group", "XX"], "--group"),
        (["--authority", SEFTON, "--year", "2025"], "2025"),
    ],
)
def test_bad_arguments_exit_2(demand_db: str, capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    capsys.readouterr()
    assert cli(["--db", demand_db, "demand", *args]) == 2
    assert words in capsys.readouterr().err
