"""The issue's hand-checkable acceptance, on the official returns as published, and the CLI on top of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from finance.cli import main
from finance.indicators.borrowing import import_borrowing
from finance.indicators.profile import resilience_profile
from finance.official import import_paths
from finance.store import Store

pytestmark = [pytest.mark.official, pytest.mark.slow]

SEFTON, BIRMINGHAM = "E08000014", "E08000025"
BORROWING = "la_borrowing_investment_mhclg/source/Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"


@pytest.fixture(scope="module")
def indicators_db(tmp_path_factory: pytest.TempPathFactory, official_source_dir: Path, shared_raw: Path) -> str:
    path = str(tmp_path_factory.mktemp("official") / "headroom.duckdb")
    store = Store.open(path)
    try:
        import_paths(store, [official_source_dir])
        import_borrowing(store, shared_raw / BORROWING)
    finally:
        store.close()
    return path


@pytest.fixture
def official(indicators_db: str) -> Iterator[Store]:
    store = Store.open(indicators_db)
    try:
        yield store
    finally:
        store.close()


def _result(store: Store, year: str, key: str, group: str = "MD"):  # type: ignore[no-untyped-def]
    profile = resilience_profile(store, SEFTON, year, group)
    return next(r for r in profile.results if r.spec.key == key)


def test_sefton_council_tax_ratio_2023_24(official: Store) -> None:
    r = _result(official, "2023-24", "council_tax_ratio_pct")
    assert r.reading.value == pytest.approx(160_236 / 299_666 * 100, abs=0.01)
    assert round(r.reading.value or 0, 1) == 53.5
    assert r.stats.n_peers == 36
    assert r.stats.n_ranked == 35  # Birmingham sent no 2023-24 return: listed, not ranked
    birmingham = next(p for p in r.peers if p.code == BIRMINGHAM)
    assert birmingham.reading.status == "no_return"


def test_sefton_reserves_2015_to_2018(official: Store) -> None:
    change = _result(official, "2017-18", "usable_reserves_change_3y_pct")
    assert change.reading.years_used == "1 April 2015 → 31 March 2018"
    assert round(change.reading.value or 0, 1) == -34.8
    sustain = _result(official, "2017-18", "reserves_sustainability_years")
    assert sustain.reading.value == pytest.approx(34_352 / ((52_671 - 34_352) / 3), abs=0.01)
    assert round(sustain.reading.value or 0, 1) == 5.6
    assert sustain.stats.n_ranked == 36


def test_external_borrowing_pairs_year_and_31_march(official: Store) -> None:
    r = _result(official, "2017-18", "external_borrowing_pct_nre")
    assert r.reading.years_used == "external borrowing at 31 March 2018 ÷ NRE 2017-18"
    nre = official.scalar(
        "SELECT value_gbp FROM official_value WHERE code = ? AND financial_year = '2017-18' "
        "AND basis = 'outturn' AND measure = 'net_revenue_expenditure'",
        [SEFTON],
    )
    assert r.reading.value == pytest.approx(154_703_000 / float(nre) * 100)
    assert r.stats.n_ranked == 36
    later = _result(official, "2023-24", "external_borrowing_pct_nre")
    assert later.reading.status == "not_reported"
    assert later.stats.rank is None


def test_cli_json_matches_the_profile(indicators_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", indicators_db, "indicators", "--authority", SEFTON, "--year", "2023-24", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["authority"] == {"ons_code": SEFTON, "name": "Sefton"}
    ctr = next(i for i in out["indicators"] if i["key"] == "council_tax_ratio_pct")
    assert round(ctr["value"], 1) == 53.5
    assert ctr["unit"] == "% of NRE"
    assert {"peer_median", "peer_lower_quartile", "peer_upper_quartile", "rank", "years_used"} <= ctr.keys()
    assert ctr["direction_of_travel"] in {"improving", "worsening", "unchanged"}
    assert ctr["previous_year"] == "2021-22" and ctr["previous_basis"] == "budget_estimate"


def test_cli_refuses_unknown_authority_and_year(indicators_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", indicators_db, "indicators", "--authority", "E08999999", "--year", "2023-24"]) == 2
    assert "E08999999" in capsys.readouterr().err
    assert main(["--db", indicators_db, "indicators", "--authority", SEFTON, "--year", "2019-20", "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "Not found" and "2019-20" in out["message"]
    assert main(["--db", indicators_db, "indicators", "--authority", SEFTON, "--year", "2019/21"]) == 2
    assert main(["--db", indicators_db, "indicators", "--authority", SEFTON, "--year", "2023-24", "--group", "X"]) == 2
