"""The Service spending page as a user sees it (AppTest on the real app.py, temporary database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from streamlit.testing.v1 import AppTest

from finance.official import import_paths
from finance.store import Store

RSX = "RSX_LA_Data_2024-25_data_by_LA.ods"
RS_2023 = "RS_2023-24_data_by_LA.ods"


def _open(app: Callable[..., AppTest], db: str, code: str, year: str) -> AppTest:
    at = app(db=db)
    at.session_state["authority_code"] = code
    at.session_state["financial_year"] = year
    at.switch_page("pages/services.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def official_db(tmp_path: Path, official_source_dir: Path, shared_raw: Path) -> str:
    db = tmp_path / "official.duckdb"
    store = Store.open(str(db))
    import_paths(store, [official_source_dir / RS_2023, shared_raw / "la_outturn_2024-25_mhclg" / "source" / RSX])
    store.close()
    return str(db)


@pytest.mark.official
def test_sefton_2024_25_with_peers_and_any_group(
    app: Callable[..., AppTest], official_db: str, shared_raw: Path
) -> None:
    at = _open(app, official_db, "E08000014", "2023-24")  # the sidebar offers the reserves years only
    assert at.subheader[0].value == "Sefton, 2023-24 — peer group: Metropolitan districts"
    assert at.selectbox(key="sv_year_E08000014").options == ["2024-25", "2023-24"]
    at.selectbox(key="sv_year_E08000014").set_value("2024-25").run()
    assert at.subheader[0].value == "Sefton, 2024-25 — peer group: Metropolitan districts"
    table = at.dataframe[0].value.set_index("Service")
    rows = [list(r) for r in CalamineWorkbook.from_path(
        str(shared_raw / "la_outturn_2024-25_mhclg" / "source" / RSX)
    ).get_sheet_by_name("RSX_LA_Data_202425").to_python(skip_empty_area=False)]  # fmt: skip
    col = rows[-1].index("RSX-asc-net-cur-exp")
    sefton = next(r[col] for r in rows if r[1] == "E08000014")
    assert isinstance(sefton, float)
    assert table.loc["Adult social care", "Net current expenditure"] == f"£{sefton / 1000:,.1f}m"
    assert table.loc["Adult social care", "Share position"].endswith("highest of 35")
    at.selectbox(key="sv_group").set_value("ALL").run()
    assert not at.exception
    assert at.subheader[0].value == "Sefton, 2024-25 — peer group: All English authorities"


@pytest.mark.official
def test_a_sidebar_year_without_service_lines_shows_the_latest_and_says_so(
    app: Callable[..., AppTest], official_db: str, official_source_dir: Path
) -> None:
    store = Store.open(official_db)
    import_paths(store, [official_source_dir / "RA_2021-22_data_by_LA.csv"])  # a sidebar year with no RS/RSX
    store.close()
    at = _open(app, official_db, "E08000014", "2021-22")
    assert at.session_state["financial_year"] == "2021-22"
    assert "No service spending held for 2021-22, the sidebar's year: showing the latest year held." in [
        i.value for i in at.info
    ]
    assert at.selectbox(key="sv_year_E08000014").value == "2024-25"
    assert at.subheader[0].value.startswith("Sefton, 2024-25")


def test_demo_authority_is_told_what_to_import(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/services.py").run()
    assert not at.exception
    assert any("import an RS or RSX return" in e.value for e in at.error)
