"""`python -m finance demand`: the authority's official demand series with peers, as JSON and text, the council's
uploaded demand (series and split) as its workbook says it, and the exit code 2 with the reason for an unknown
authority, group or year."""

from __future__ import annotations

import json
from typing import Any

import pytest

from finance.cli import main as cli
from finance.store import Store
from tests.demand_upload import demo_uploads

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


def test_uploaded_series_and_split_are_those_of_the_demo_upload(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The uploaded part of `--json` for the demo council: every period's volumes as its workbook's Demand sheet says
    them, and the split at the latest period worked out from that workbook (its sha256 is the upload's)."""
    store = Store.open(demo_db, read_only=True)
    try:
        uploads = demo_uploads(store, "2026-27")
    finally:
        store.close()
    latest = uploads[-1]
    code, data = _json(demo_db, capsys, "--authority", "DEMO01")
    assert code == 0
    own = data["uploaded"]
    assert (own["basis"], own["financial_year"], own["period"], own["as_at"]) == (
        "in-year forecast (monitoring)", "2026-27", latest.period, f"P{latest.period} 2026-27"
    )  # fmt: skip
    assert own["source"]["file_name"] == latest.file_name and own["source"]["sha256"] == latest.sha256
    expected_volumes = [(u.period, m.metric, m.budgeted_volume, m.forecast_volume) for u in uploads for m in u.metrics]
    got_volumes = [(v["period"], v["metric"], v["budgeted_volume"], v["forecast_volume"]) for v in own["volumes"]]
    assert got_volumes == expected_volumes and len({p for p, *_ in got_volumes}) == latest.period
    got = {m["metric"]: m for m in own["metrics"]}
    assert list(got) == [m.metric for m in latest.metrics]
    for m in latest.metrics:
        row = got[m.metric]
        assert (row["directorate"], row["service"], row["unit"]) == (m.directorate, m.service, m.unit)
        assert row["line_variance_gbp"] == pytest.approx(m.line_variance_gbp, abs=0.01)
        assert row["volume_effect_gbp"] == pytest.approx(m.volume_effect_gbp, abs=0.01)
        assert row["price_effect_gbp"] == pytest.approx(m.price_effect_gbp, abs=0.01)
        assert row["line_other_gbp"] == pytest.approx(latest.line_other_gbp(m.service), abs=0.01)
        assert m.volume_effect_gbp > 0 and m.price_effect_gbp > 0  # the demo's demand is above its budget
    largest = max(latest.metrics, key=lambda m: abs(m.volume_effect_gbp + m.price_effect_gbp))
    assert own["largest_driver"] == largest.metric
    capsys.readouterr()
    assert cli(["--db", demo_db, "demand", "--authority", "DEMO01"]) == 0
    text = capsys.readouterr().out
    first = latest.metrics[0]
    assert (
        f"uploaded demand {first.metric} (P{latest.period} 2026-27, in-year forecast): volume effect "
        f"£{first.volume_effect_gbp / 1e6:,.2f}m, price effect £{first.price_effect_gbp / 1e6:,.2f}m"
    ) in text


def test_an_earlier_year_gives_that_years_uploaded_demand(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(demo_db, read_only=True)
    try:
        latest = demo_uploads(store, "2025-26")[-1]
    finally:
        store.close()
    code, data = _json(demo_db, capsys, "--authority", "DEMO01", "--year", "2025-26")
    assert code == 0
    own = data["uploaded"]
    assert (own["financial_year"], own["period"], own["source"]["sha256"]) == ("2025-26", 12, latest.sha256)
    volume = {m["metric"]: m["volume_effect_gbp"] for m in own["metrics"]}
    assert volume == {m.metric: pytest.approx(m.volume_effect_gbp, abs=0.01) for m in latest.metrics}
