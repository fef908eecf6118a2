"""NN and SN peer groups in every comparison (issue 20): resilience indicators, reserves benchmark, service
spending and the CLI; members that do not provide the service, or are outside England, are "not applicable" and
never counted, ranked or called "no return"."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from finance import benchmark
from finance.cli import main
from finance.indicators import IndicatorResult, Profile, resilience_profile, service_spending
from finance.peergroups import UPPER_TIER, peer_group
from finance.store import Store

pytestmark = pytest.mark.official

SEFTON, MIDDLESBROUGH, LANCASHIRE = "E08000014", "E06000002", "E10000017"
YEAR = "2023-24"


def _result(key: str, profile: Profile) -> IndicatorResult:
    return next(r for r in profile.results if r.spec.key == key)


def test_nn_profile_leaves_members_outside_england_out_of_the_comparison(peer_store: Store) -> None:
    group = peer_group(peer_store, MIDDLESBROUGH, "NN")
    outside = [c for c in group.codes if not c.startswith("E")]
    assert outside  # Glasgow City, Newport, …
    profile = resilience_profile(peer_store, MIDDLESBROUGH, YEAR, "NN")
    usable = _result("usable_reserves_pct_nre", profile)
    status = {p.code: p.reading.status for p in usable.peers}
    assert all(status[c] == "not_applicable" for c in outside)
    assert usable.stats.n_peers == 21 - len(outside)
    table = profile.members_table("usable_reserves_pct_nre")
    rows = dict(zip(table["ONS code"], table["In this comparison"], strict=True))
    assert all(rows[c] == "not applicable: outside England: not on the English returns" for c in outside)
    assert "no return" not in {rows[c] for c in outside}
    payload = profile.as_dict()
    assert payload["peer_group"]["definition"].startswith("ONS statistical nearest neighbours (global model, released")
    assert next(i for i in payload["indicators"] if i["key"] == "usable_reserves_pct_nre")["n_not_applicable"] == len(
        outside
    )


def test_nn_median_is_like_for_like_with_the_benchmark(peer_store: Store) -> None:
    """The profile's NN median of usable reserves % NRE at 31 March 2024 is the benchmark's for the same members,
    year and basis (RS 2023-24), and both are the median of the members' own figures."""
    profile = resilience_profile(peer_store, SEFTON, YEAR, "NN")
    usable = _result("usable_reserves_pct_nre", profile)
    ranking = benchmark.rank(
        peer_store, year=YEAR, measure="usable_reserves_pct_nre", point="closing", group="NN", code=SEFTON
    )
    assert ranking.basis == "outturn"
    values = [float(v) for v in ranking.table["value"].dropna()]
    assert usable.stats.median == pytest.approx(statistics.median(values))
    assert set(ranking.table["code"]) == set(peer_group(peer_store, SEFTON, "NN").codes)
    assert ranking.definition.startswith("ONS statistical nearest neighbours")


def test_district_in_a_dsg_measure_is_not_applicable(peer_store: Store) -> None:
    """Among Sefton's ONS neighbours, shire districts have no DSG and no social care: 'not applicable' for those
    indicators (left out of n_peers) but compared on reserves."""
    group = peer_group(peer_store, SEFTON, "NN")
    districts = [c for c, k in group.class_of().items() if k == "SD"]
    assert districts
    profile = resilience_profile(peer_store, SEFTON, YEAR, "NN")
    dsg, usable = _result("dsg_deficit_pct_usable_reserves", profile), _result("usable_reserves_pct_nre", profile)
    dsg_status = {p.code: p.reading for p in dsg.peers}
    assert all(dsg_status[c].status == "not_applicable" for c in districts)
    assert "shire district" in dsg_status[districts[0]].note
    upper = group.applicable(UPPER_TIER)
    assert dsg.stats.n_peers == len(upper)
    assert all(p.reading.status != "not_applicable" for p in usable.peers if p.code in districts)
    table = profile.members_table("dsg_deficit_pct_usable_reserves")
    text = dict(zip(table["ONS code"], table["In this comparison"], strict=True))
    assert text[districts[0]].startswith("not applicable: a shire district")


def test_county_in_a_housing_measure_is_not_applicable(peer_store: Store) -> None:
    """Sefton's DfE neighbours include Lancashire, a shire county: no housing (homelessness) duty, so 'not
    applicable' for the housing services line, while compared on children's social care."""
    spending = service_spending(peer_store, SEFTON, YEAR, "SN")
    housing = spending.members_table("housing")
    status = dict(zip(housing["ONS code"], housing["In this comparison"], strict=True))
    assert status[LANCASHIRE].startswith("not applicable: a shire county")
    children = spending.members_table("childrens_social_care")
    assert dict(zip(children["ONS code"], children["In this comparison"], strict=True))[LANCASHIRE] == "yes"
    row = next(r for r in spending.rows if r.line == "housing")
    assert row.n_peers_with_figure == 10  # Sefton and its 10 neighbours, less Lancashire


def test_cli_group_nn_and_sn(peer_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    db = str(tmp_path / "h.duckdb")
    shutil.copyfile(peer_db, db)
    assert main(["--db", db, "indicators", "--authority", SEFTON, "--year", YEAR, "--group", "NN", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["group"] == "NN" and len(out["peer_group"]["members"]) == 21
    assert "sha256" in out["peer_group"]["source"]

    assert main(["--db", db, "services", "--authority", SEFTON, "--year", YEAR, "--group", "sn", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["group"] == "SN" and out["peer_group"]["definition"].startswith(
        "DfE children's services statistical neighbours (2025 model)"
    )
    args = ["benchmark", "--year", YEAR, "--measure", "usable_reserves_pct_nre", "--group", "NN"]
    assert main(["--db", db, *args, "--authority", SEFTON, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 21 and {r["peer_group"] for r in records} == {"NN"}
    assert records[0]["peer_group_definition"].startswith("ONS statistical nearest neighbours (global model")
    assert main(["--db", db, *args]) == 2  # NN without --authority: refused, naming it
    assert "authority" in capsys.readouterr().err
    assert main(["--db", db, *args[:-1], "CIPFA", "--authority", SEFTON]) == 2
