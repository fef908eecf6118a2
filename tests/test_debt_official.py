"""External debt and investments over time against peers, and as % of NRE, on the shared official files.

Expected figures come from the shared tidy extract (another program's reading of the live table) and from the RS
file itself (read here with python-calamine), never from Headroom's output.
"""

from __future__ import annotations

import json
import shutil
import statistics
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from finance.cli import main
from finance.indicators import debt_panels, debt_series, import_borrowing
from finance.pack import build_pack
from finance.store import Store

pytestmark = [pytest.mark.official, pytest.mark.slow]

SEFTON = "E08000014"
LIVE_TABLE = "la_borrowing_investment_mhclg/source/Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"
EXTRACT = "la_borrowing_investment_mhclg/la_borrowing_investment_long.csv"


@pytest.fixture(scope="module")
def debt_db(tmp_path_factory: pytest.TempPathFactory, official_db: str, shared_raw: Path) -> str:
    path = tmp_path_factory.mktemp("debt") / "debt.duckdb"
    shutil.copy(official_db, path)
    store = Store.open(str(path))
    try:
        import_borrowing(store, shared_raw / LIVE_TABLE)
    finally:
        store.close()
    return str(path)


@pytest.fixture
def debt_store(debt_db: str) -> Iterator[Store]:
    store = Store.open(debt_db, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _md_extract(shared_raw: Path, period_end: str) -> pd.DataFrame:
    extract = pd.read_csv(shared_raw / EXTRACT, dtype={"period_end": str})
    return extract[(extract["period_end"] == period_end) & extract["ons_code"].str.startswith("E08")]


def _nre_2017_18(source: Path) -> dict[str, float]:
    """Every authority's NRE 2017-18 in £000, by the printed line number 805 of the RS file."""
    rows = (
        CalamineWorkbook.from_path(str(source / "RS_2017-18_data_by_LA.xlsx"))
        .get_sheet_by_name("RS LA Data 2017-18")
        .to_python(skip_empty_area=False)
    )
    h = next(i for i, r in enumerate(rows) if "E-code" in [str(c).strip() for c in r])
    col = [str(c).strip() for c in rows[h - 1]].index("805.0")
    ons = [str(c).strip().lower() for c in rows[h]].index("ons code")
    return {str(r[ons]).strip(): float(r[col]) for r in rows[h + 1 :] if isinstance(r[col], float)}


def test_sefton_over_time_against_metropolitan_districts(
    debt_store: Store, shared_raw: Path, official_source_dir: Path
) -> None:
    series = debt_series(debt_store, SEFTON, "MD")
    borrowing = {p.as_at: p for p in series.of("external_borrowing")}
    investments = {p.as_at: p for p in series.of("investments")}
    assert len(borrowing) == len(investments) == 13  # 7 year ends + 6 quarter ends
    # PROVENANCE.md: total borrowing £168.8m at 31 March 2020; investments £42.4m
    assert borrowing[date(2020, 3, 31)].value_gbp == 168_818_000
    assert investments[date(2020, 3, 31)].value_gbp == 42_360_000
    # the peer median and rank at one date, from the extract's 36 metropolitan districts at that date
    for period_end, points, column in (
        ("2018-03-31", borrowing, "total_borrowing"),
        ("2019-12-31", investments, "total_investments"),
    ):
        peers = _md_extract(shared_raw, period_end)
        assert len(peers) == 36
        values = (peers[column] * 1000).tolist()
        p = points[date.fromisoformat(period_end)]
        assert p.stats.median == pytest.approx(statistics.median(values))
        own = float(peers.loc[peers["ons_code"] == SEFTON, column].iloc[0]) * 1000
        assert p.value_gbp == own
        assert p.stats.rank == 1 + sum(1 for v in values if v > own) and p.stats.n_ranked == 36
    # % of NRE: 31 March only, ÷ the RS outturn NRE of the year ending then (2017-18), read from the RS file
    nre = _nre_2017_18(official_source_dir)
    p = borrowing[date(2018, 3, 31)]
    assert p.pct_nre == pytest.approx(p.value_gbp / (nre[SEFTON] * 1000) * 100)
    peers = _md_extract(shared_raw, "2018-03-31")
    ratios = [row.total_borrowing / nre[row.ons_code] * 100 for row in peers.itertuples()]
    assert p.pct_stats is not None and p.pct_stats.median == pytest.approx(statistics.median(ratios))
    # no % at a quarter end, nor at a 31 March whose year has no RS outturn held (2018-19, 2019-20): never
    # another year's NRE, never the RA 2021-22 budget estimate
    assert borrowing[date(2019, 12, 31)].pct_nre is None and borrowing[date(2019, 12, 31)].pct_stats is None
    assert borrowing[date(2020, 3, 31)].pct_stats is None
    assert sorted(d.year for d, q in borrowing.items() if q.pct_stats is not None) == [2014, 2015, 2016, 2017, 2018]
    # a year-on-year change compares the same date a year earlier only
    assert borrowing[date(2019, 12, 31)].change_on_year_gbp == 148_818_000 - 155_353_000
    assert borrowing[date(2018, 6, 30)].change_on_year_gbp is None  # 30 June 2017 is not held
    panels = debt_panels(series)
    assert [p.table.shape[0] for p in panels] == [13, 13, 5, 5]
    assert all(p.caption and "Sefton" in p.caption for p in panels)


def test_indicators_json_carries_debt_with_basis_date_and_source(
    debt_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", debt_db, "indicators", "--authority", SEFTON, "--year", "2017-18", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["debt_and_investments"]
    assert out["authority"]["ons_code"] == SEFTON and out["group"] == "MD"
    last = out["series"]["external_borrowing"][-1]
    assert last["as_at"] == "2020-03-31" and last["basis"] == "outturn" and last["value_gbp"] == 168_818_000
    assert last["pct_nre"] is None and last["nre_year"] is None
    assert last["source"]["file_name"] == Path(LIVE_TABLE).name and len(last["source"]["sha256"]) == 64
    march_2018 = next(p for p in out["series"]["investments"] if p["as_at"] == "2018-03-31")
    assert march_2018["nre_year"] == "2017-18" and march_2018["pct_nre"] == pytest.approx(15_420 / 244_222 * 100)


def test_the_committee_pack_carries_the_same_panels(debt_store: Store) -> None:
    pack = build_pack(debt_store, SEFTON, "2017-18", sections=["resilience"])
    titles = [t.title for _, t in pack.tables()]
    assert "Investments (outstanding), £m, as at each quarter end" in titles
    table = next(t.frame for _, t in pack.tables() if t.title.startswith("External borrowing (outstanding"))
    assert "31 March 2020" in list(table["As at"]) and "£168.8m" in list(table["Sefton"])
