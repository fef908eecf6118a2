"""`python -m finance capital --json`: the demo council's programme by year and source (approved plan), this year's
capital forecast by directorate (in-year forecast), the prudential indicators and borrowing capacity (scenario
projection) with their inputs — the same view the Capital page draws; a breached limit is Red."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from finance.cli import main as cli
from finance.committee import build_capital_page
from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import build


def _json(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = cli(["--db", db, "capital", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def db(demo_db: str, tmp_path: Path) -> str:
    path = tmp_path / "capital.duckdb"
    shutil.copy(demo_db, path)
    return str(path)


def test_programme_in_year_and_prudential_blocks_with_basis(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27")
    assert code == 0
    programme = data["programme"]
    assert programme["basis"] == "approved plan" and programme["source"]["file_name"].endswith("2026-27-P07.xlsx")
    assert len(programme["source"]["sha256"]) == 64
    by_year = {r["year"]: r for r in programme["by_year"]}
    # the demo programme (finance/upload/demo.py) in £m: 2026-27 borrows 10 + 2 + 5 + 3.8 + 2 = 22.8
    assert by_year["2026-27"]["borrowing_gbp_m"] == 22.8 and by_year["2029-30"]["budget_gbp_m"] == 9.5
    for row in by_year.values():  # funding sources add up to the budget
        total = row["grants_gbp_m"] + row["receipts_gbp_m"] + row["revenue_gbp_m"] + row["borrowing_gbp_m"]
        assert total == pytest.approx(row["budget_gbp_m"])
    assert data["in_year"]["basis"] == "in-year forecast" and data["in_year"]["period"] == "P7"
    position = data["position"]
    assert position["as_at"] == "2026-04-01" and position["authorised_limit_gbp_m"] == 480.0
    prudential = data["prudential"]
    assert prudential["basis"] == "scenario projection" and prudential["rag"] == "Green" == data["rag"]
    assert prudential["mrp_method"] == "annuity" and prudential["breaches"] == []
    # the programme's borrowing-weighted asset life: (10×40 + 8×40 + 4×40 + 2×20×4 + 5×25 + 3.8×7 + 3.5×7 + 2×5
    # + 1.6×5) ÷ 45.9
    life = (400 + 320 + 160 + 160 + 125 + 26.6 + 24.5 + 10 + 8) / 45.9
    assert prudential["asset_life_years"] == pytest.approx(life)
    for year in prudential["years"]:
        # capacity = (limit % × net revenue stream − financing costs) ÷ (rate + 1 ÷ asset life), from its own inputs
        per_pound = year["borrowing_rate_pct"] / 100 + 1 / life
        expected = (0.10 * year["net_revenue_stream_gbp_m"] - year["financing_costs_gbp_m"]) / per_pound
        assert year["borrowing_capacity_gbp_m"] == pytest.approx(expected, rel=1e-12)
        assert year["external_debt_gbp_m"] <= prudential["authorised_limit_gbp_m"]
    first = prudential["years"][0]  # 2026-27: £310m at 1 April + the year's £22.8m of new borrowing
    assert first["year"] == "2026-27" and first["external_debt_gbp_m"] == pytest.approx(332.8)
    assert first["borrowing_rate_pct"] == 4.5
    assert set(data["official"]) == {"financing_costs", "external_debt"}


def test_the_cli_and_the_page_view_agree(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27")
    store = Store.open(db, read_only=True)
    try:
        view = build_capital_page(store, "DEMO01", "2026-27")
    finally:
        store.close()
    assert data == json.loads(json.dumps({**view.data, "message": None, "rag": view.rag}, default=str))


def test_a_limit_below_the_projected_debt_is_a_red_breach(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(db)
    try:
        fields = {
            "Authority": "DEMO01",
            "Financial year": "2026-27",
            "Units": "£000",
            "Authorised limit": 320_000,
            "External debt at 1 April": 310_000,
            "Financing costs limit (% of net revenue stream)": 10,
        }
        capital = [["Scheme", "Budget", "Forecast", "Spend to date"], ["Depot", 100, 100, 60]]
        load_upload(store, build({"Capital": capital}, fields | {"Period": "P8"}), "limit.xlsx", isolated=False)
    finally:
        store.close()
    code, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27")
    assert code == 0 and data["rag"] == "Red"
    assert data["prudential"]["breaches"][0].startswith("2026-27: external debt £332.8m above the authorised limit")


def test_unknown_authority_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(db, capsys, "--authority", "NOPE99", "--year", "2026-27")
    assert code == 2 and data


def test_the_pack_has_the_capital_page_and_says_a_breach_is_red(db: str) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from finance import pack

    store = Store.open(db)
    try:
        built = pack.build_pack(store, "DEMO01", "2026-27", sections=["capital"])
        section = built.sections[0]
        assert section.title == "Capital and borrowing" and not any(t.startswith("Prudential indicators: Red")
                                                                    for t in section.text)  # fmt: skip
        fields = {"Authority": "DEMO01", "Financial year": "2026-27", "Units": "£000", "Period": "P7",
                  "Authorised limit": 320_000, "External debt at 1 April": 310_000}  # fmt: skip
        capital = [["Scheme", "Budget", "Forecast", "Spend to date"], ["Depot", 100, 100, 60]]
        load_upload(store, build({"Capital": capital}, fields), "limit.xlsx", isolated=False)
        red = pack.build_pack(store, "DEMO01", "2026-27", sections=["capital"])
        workbook = load_workbook(BytesIO(pack.render(red, "xlsx")))
    finally:
        store.close()
    text = red.sections[0].text[0]
    assert text.startswith("Prudential indicators: Red (scenario projection) — 2026-27: external debt £332.8m")
    cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("Capital programme by year" in c or "capital programme (approved plan)" in c.lower() for c in cells)
    # the prudential table's year columns and the breach in words beside it, in the Excel pack
    assert "External debt, £m" in cells
    assert any("2026-27: external debt £332.8m above the authorised limit" in c for c in cells), cells
