"""The resilience profile page as a user sees it (AppTest on the real app.py, temporary database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from finance.demo import DEMO_YEARS
from finance.indicators.borrowing import import_borrowing
from finance.indicators.profile import INDICATORS
from finance.official import import_paths
from finance.store import Store
from finance.upload import PERIODS_BY_YEAR
from tests.pages.conftest import show_tables

ROOT = Path(__file__).resolve().parents[2]
BORROWING = "la_borrowing_investment_mhclg/source/Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"


def _open(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: Path, code: str | None, year: str | None) -> AppTest:
    monkeypatch.setenv("HEADROOM_DB", str(db))
    monkeypatch.setenv("HEADROOM_OFFICIAL_DIR", str(tmp_path / "no-official"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if code is not None:
        at.session_state["authority_code"] = code
    if year is not None:
        at.session_state["financial_year"] = year
    at.switch_page("pages/resilience.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def page_db(tmp_path_factory: pytest.TempPathFactory, official_source_dir: Path, shared_raw: Path) -> Path:
    path = tmp_path_factory.mktemp("resilience") / "official.duckdb"
    store = Store.open(str(path))
    try:
        import_paths(store, [official_source_dir])
        import_borrowing(store, shared_raw / BORROWING)
    finally:
        store.close()
    return path


def _table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(frames) == 1, columns
    return frames[0]


def _facts(at: AppTest, key: str) -> dict[str, str]:
    """The facts of indicator `key` as the page lists them (its row of the "All indicators" table), as text."""
    title = next(s.title for s in INDICATORS if s.key == key)
    table = _table_with(at, "Indicator", "Position")
    [row] = table[table["Indicator"] == title].to_dict("records")
    return {k: str(v) for k, v in row.items()}


def _strips(at: AppTest) -> str:
    """The page's one figure of the strips (small multiples, a row per indicator), as its JSON."""
    charts = [c.proto.spec for c in at.get("plotly_chart") if "Higher risk when" in c.proto.spec]
    assert len(charts) == 1
    return str(charts[0])


def test_demo_profile_shows_every_indicator_labelled_illustrative(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = _open(monkeypatch, tmp_path, tmp_path / "demo.duckdb", None, None)
    assert at.title[0].value == "Resilience profile"
    assert any("Illustrative data" in i.value for i in at.info)
    # the sidebar's default year is the monitoring year: the latest official year is shown instead, and said so
    year = at.session_state["financial_year"]
    assert year == max(PERIODS_BY_YEAR) and year > DEMO_YEARS[-1]
    assert f"No official figures for {year} yet: showing {DEMO_YEARS[-1]}, the latest year held." in [
        i.value for i in at.info
    ]
    # the demo holds NRE, so the CIPFA social care ratio is shown and the share that stands in for it is not
    shown = [s for s in INDICATORS if s.key != "social_care_pct_total_service"]
    assert len(at.get("plotly_chart")) == 1  # every strip in one figure, a row each
    assert all(s.title in _strips(at) for s in shown)
    table = _table_with(at, "Position")
    assert list(table["Indicator"]) == [s.title for s in shown]
    # the demo authority has monitoring: the nowcast is shown as a projection, distinct from the official strip
    assert any(s.value.startswith("Nowcast") for s in at.subheader)
    nowcast = _table_with(at, "Projected value")
    assert len(nowcast) == len(shown)
    assert "not projected" in set(nowcast["Projected value"])  # borrowing is never projected
    strips = _strips(at)
    assert "projection 20" in strips and "triangle-up-open" in strips
    # the demo's peer median is "not depleting", drawn at the right-hand cap: its label reads inward, not cut off
    sustain = [t for t in json.loads(strips)["data"] if t["xaxis"] == "x"]  # the first row: reserves sustainability
    [median] = [t for t in sustain if str(t.get("text", [""])[0]).startswith("median")]
    assert median["x"][0] == 50 and median["textposition"] == "bottom left"
    assert any("a projection, not an official figure" in c.value for c in at.caption)
    assert len(at.get("download_button")) == 6


@pytest.mark.official
@pytest.mark.slow
def test_sefton_2023_24_against_metropolitan_districts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page_db: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(page_db, db)
    at = _open(monkeypatch, tmp_path, db, "E08000014", "2023-24")
    assert at.subheader[0].value == "Sefton, 2023-24 — peer group: Metropolitan districts"
    assert not any("Illustrative data" in i.value for i in at.info)
    ctr = _facts(at, "council_tax_ratio_pct")
    assert ctr["Value"] == "53.5%"
    assert ctr["Years used"] == "council tax requirement 2023-24 ÷ NRE 2023-24"
    assert ctr["Position"].endswith("lowest of 35")  # Birmingham: no return, not ranked
    assert ctr["Peers with a figure"] == "35 of 36 peers have a figure"
    assert ctr["Basis"] == "outturn"
    # the strip says the position and the coverage in the same words as its table
    ctr_strip = _strips(at)
    assert f"Sefton: {ctr['Position']}" in ctr_strip and "35 of 36 peers have a figure" in ctr_strip
    assert "Ranked:" not in ctr_strip
    # the three-year measures need 31 March 2021, which no return held gives: not available, never a shorter window
    change = _facts(at, "usable_reserves_change_3y_pct")
    assert change["Value"] == "not available"
    assert change["Note"] == (
        "not available: needs the balance at 31 March 2021 (RS 2020-21 closing or RS 2021-22 opening)"
    )
    assert _facts(at, "earmarked_reserves_pct_nre")["Value"] == "10.9%"
    assert "budget estimate" not in " ".join(_table_with(at, "Position")["Direction of travel"])
    borrowing = _facts(at, "external_borrowing_pct_nre")
    assert borrowing["Value"] == "not reported"
    financing = _facts(at, "financing_costs_pct_nre")
    assert financing["Value"] == "3.0%"  # (7,318 + 0 + 4,194 + 0 − 2,480) ÷ 299,666
    assert financing["Basis"] == "outturn"
    assert financing["Years used"] == "RS lines 773 + 776 + 781 + 783 + 786 2023-24 ÷ NRE 2023-24 (line 805)"
    assert financing["Peers with a figure"] == "35 of 36 peers have a figure"
    assert financing["Direction of travel"].endswith("since 2017-18 (outturn)")
    assert "Financing costs (RS lines 773 + 776 + 781 + 783 + 786, as published)" in list(
        _table_with(at, "Position")["Indicator"]
    )
    assert any("No nowcast" in c.value for c in at.caption)
    # external debt and investments over time, against the same peers at the same date (issue 19)
    assert "External debt and investments over time" in [h.value for h in at.header]
    assert not any("Change on a year earlier" in d.value.columns for d in at.dataframe)  # tables on request
    assert not any("ONS code" in d.value.columns and "Indicator" in d.value.columns for d in at.dataframe)
    show_tables(at)
    borrowed = next(d.value for d in at.dataframe if "Change on a year earlier" in d.value.columns)
    march_2020 = borrowed[borrowed["As at"] == "31 March 2020"].iloc[0]
    assert march_2020["Sefton"] == "£168.8m" and march_2020["Basis"] == "outturn (as at the date)"
    assert march_2020["Position among peers"].endswith("highest of 36")
    assert "Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx (sha256 f44f129ccd7a" in march_2020["Source"]
    assert "30 June 2019" in list(borrowed["As at"])  # the quarterly sheets too
    shares = [d.value for d in at.dataframe if "Divided by" in d.value.columns]
    assert len(shares) == 2  # borrowing and investments as % of NRE
    assert list(shares[0]["As at"]) == [f"31 March {y}" for y in range(2014, 2019)]  # years with RS outturn NRE
    assert shares[0].iloc[-1]["Divided by"] == "net revenue expenditure 2017-18 (RS outturn)"
    # the strips (one figure) + the 4 debt panels' charts as one figure of small multiples, a row each
    [debt_chart] = [c.proto.spec for c in at.get("plotly_chart") if "as at each quarter end" in c.proto.spec]
    assert len(at.get("plotly_chart")) == 2
    assert all(f'"yaxis{n}"' in debt_chart for n in (2, 3, 4)) and '"yaxis5"' not in debt_chart
    peers = _table_with(at, "ONS code", "Indicator")
    birmingham = peers[(peers["ONS code"] == "E08000025") & (peers["Indicator"] == "Council tax ratio")]
    assert list(birmingham["Status"]) == ["no return"]
    strip = _strips(at)
    assert "Level of usable reserves" in strip and "higher risk" in strip and "Sefton" in strip

    at.session_state["financial_year"] = "2017-18"
    at.selectbox(key="rp_group").set_value("ALL").run()
    assert not at.exception
    assert at.subheader[0].value == "Sefton, 2017-18 — peer group: All English authorities"
    sustain = _facts(at, "reserves_sustainability_years")
    assert sustain["Value"] == "5.6 years"
    assert sustain["Years used"] == "1 April 2015 → 31 March 2018"
