"""`python -m finance overview --json`: every overview card with its basis, date, rule, rating and direction — the
same numbers as the page's view and the pack, which are built by the same function."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finance import pack
from finance.cli import main as cli
from finance.committee import overview
from finance.store import Store

FIELDS = {"key", "title", "value", "units", "basis", "as_at", "rule", "rating", "direction", "compares_with"}


def _json(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = cli(["--db", db, "overview", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def db(demo_db: str, tmp_path: Path) -> str:
    path = tmp_path / "overview.duckdb"
    shutil.copy(demo_db, path)
    return str(path)


def test_every_card_has_its_basis_date_rule_rating_and_direction(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27")
    assert code == 0 and (data["period"], data["previous_period"]) == ("P7", "P6")
    cards = {c["key"]: c for c in data["cards"]}
    assert list(cards) == [
        "variance",
        "reserves_cover",
        "minimum_headroom",
        "risk_minimum",
        "reserves_rank",
        "mtfs_gap",
        "dsg_ratio",
        "collection",
        "prudential",
        "expected_loss",
        "reserves_by_status",
        "demand_driver",
    ]
    for card in cards.values():
        assert card.keys() >= FIELDS, card["key"]
        assert card["value"] is not None and card["basis"] and card["as_at"], card["key"]
        informative = card["key"] in (
            "expected_loss",
            "reserves_by_status",
            "demand_driver",
        )  # shown for information, not rated
        assert (card["rating"] == "Not rated") == informative, card["key"]
    risk = cards["risk_minimum"]  # the demo's register: 90th percentile £7.4m above the £5.2m forecast balance
    assert (risk["value"], risk["rating"], risk["basis"]) == (pytest.approx(7.4, abs=0.05), "Red", "risk_simulation")
    assert cards["expected_loss"]["units"] == "£m" and cards["expected_loss"]["value"] > 0
    assert "committed" in cards["reserves_by_status"]["detail"]
    assert cards["reserves_cover"]["basis"] == "in_year_forecast" and cards["reserves_cover"]["units"] == "£m"
    assert cards["reserves_cover"]["as_at"] == "31 March 2027"
    assert cards["mtfs_gap"]["basis"] == "scenario_projection"
    prudential = cards["prudential"]  # the demo's projected debt and financing costs stay within its three limits
    assert (prudential["value"], prudential["units"], prudential["rating"]) == (0, "breaches", "Green")
    assert prudential["basis"] == "scenario_projection" and prudential["as_at"].startswith("31 March")
    rank = cards["reserves_rank"]
    assert "projected 31 March 2027 vs peers' illustrative outturn at 31 March 2025" in rank["detail"]
    assert rank["compares_with"].startswith("peers' illustrative outturn at 31 March 2025")
    headroom = cards["minimum_headroom"]
    assert (headroom["value"], headroom["rating"]) == (pytest.approx(0.24, abs=0.01), "Amber")  # shown as £0.2m


def test_the_cli_the_page_view_and_the_pack_show_the_same_cards(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27", "--period", "P6")
    assert data["period"] == "P6"
    store = Store.open(db, read_only=True)
    try:
        view = overview.build(store, "DEMO01", "2026-27", 6)
        assert data == json.loads(json.dumps(view.as_dict(), default=str))
        built = pack.build_pack(store, "DEMO01", "2026-27", 6, sections=["overview"])
        workbook = pack.render(built, "xlsx")
    finally:
        store.close()
    assert built.overview.as_dict() == view.as_dict()
    rows = _table_rows(workbook)
    for card in data["cards"]:
        row = rows[card["title"]]
        assert row["Value"] == card["value_text"] and row["Status"].endswith(card["rating"])
        assert row["Basis"] == (card["basis_text"] or "—") and row["As at"] == (card["as_at"] or "—")


def _table_rows(workbook: bytes) -> dict[str, dict[str, Any]]:
    """The overview table of the Excel pack, by measure."""
    book = load_workbook(io.BytesIO(workbook))
    for ws in book.worksheets:
        values = [[c.value for c in row] for row in ws.iter_rows()]
        for i, row in enumerate(values):
            if row and row[0] == "Measure":
                header = [str(h) for h in row]
                return {r[0]: dict(zip(header, r, strict=False)) for r in values[i + 1 :] if r and r[0]}
    raise AssertionError("no overview table in the pack")


def test_unknown_authority_or_period_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(db, capsys, "--authority", "NOPE99", "--year", "2026-27")
    assert code == 2 and "NOPE99" in data["message"]
    code, data = _json(db, capsys, "--authority", "DEMO01", "--year", "2026-27", "--period", "P11")
    assert code == 2 and "P11" in data["message"]
