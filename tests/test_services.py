"""Service spending and the social care ratio: the `services` view and CLI, and the indicator with the figure
shown instead of it when the year's NRE is not held (RSX 2024-25 before RS 2024-25).

Expected figures are read from the shared files here with python-calamine (column found by asset code or by
label), not through Headroom's reader.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from finance.cli import main
from finance.errors import NotFoundError
from finance.indicators import resilience_profile, service_spending
from finance.official import import_paths
from finance.store import Store

RSX = "RSX_LA_Data_2024-25_data_by_LA.ods"
RS_2023 = "RS_2023-24_data_by_LA.ods"
RS_2010 = "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls"
SEFTON, KNOWSLEY = "E08000014", "E08000011"


def _rows(path: Path, sheet_has: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    name = next(n for n in book.sheet_names if sheet_has in n)
    return [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]


def _rsx(path: Path, code: str, ons: str) -> float:
    rows = _rows(path, "LA_Data")
    col = rows[-1].index(code)
    value = next(r[col] for r in rows if r[1] == ons)
    assert isinstance(value, float)
    return value * 1000


def _rs_2023(path: Path, label: str, ons: str) -> float:
    rows = _rows(path, "LA_Data")
    header = next(r for r in rows if r and r[0] == "E-code")
    col = header.index(label)
    value = next(r[col] for r in rows if r[1] == ons)
    assert isinstance(value, float)
    return value * 1000


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared_raw: Path, official_source_dir: Path) -> str:
    outturn = shared_raw / "la_outturn_2024-25_mhclg" / "source"
    if not outturn.is_dir():
        pytest.skip("the shared 2024-25 outturn files are not here")
    path = str(tmp_path_factory.mktemp("services") / "h.duckdb")
    store = Store.open(path)
    import_paths(store, [outturn / RSX, official_source_dir / RS_2023, official_source_dir / RS_2010])
    store.close()
    return path


@pytest.fixture(scope="module")
def rsx_path(shared_raw: Path) -> Path:
    return shared_raw / "la_outturn_2024-25_mhclg" / "source" / RSX


def test_services_cli_json_matches_the_file(db: str, rsx_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "services", "--authority", SEFTON, "--year", "2024-25", "--group", "MD", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"].startswith("RSX outturn 2024-25") and out["basis"] == "outturn"
    lines = {s["line"]: s for s in out["services"]}
    for line, code in [("adult_social_care", "RSX-asc-net-cur-exp"), ("childrens_social_care", "RSX-csc-net-cur-exp"),
                       ("education", "RSX-edu-net-cur-exp"), ("total_service", "RSX-totsx-net-cur-exp")]:  # fmt: skip
        assert lines[line]["value_gbp"] == pytest.approx(_rsx(rsx_path, code, SEFTON))
    asc = lines["adult_social_care"]
    assert asc["share_of_total_pct"] == pytest.approx(
        _rsx(rsx_path, "RSX-asc-net-cur-exp", SEFTON) / _rsx(rsx_path, "RSX-totsx-net-cur-exp", SEFTON) * 100,
        abs=1e-4,
    )
    assert asc["n_peers_with_figure"] == 35  # 36 metropolitan districts, Birmingham '[x]'
    assert set(lines) >= {"education", "highways", "public_health", "housing", "cultural", "environmental",
                          "planning", "central", "other"}  # fmt: skip


def test_services_any_group_and_latest_year(db: str) -> None:
    store = Store.open(db, read_only=True)
    try:
        view = service_spending(store, KNOWSLEY, None, "ALL")
        assert view.financial_year == "2024-25" and view.years_held == ("2010-11", "2023-24", "2024-25")
        assert view.n_peers > 400
        old = service_spending(store, SEFTON, "2010-11", "MD")
        assert "social_care" in {r.line for r in old.rows}
        assert "adult_social_care" not in {r.line for r in old.rows}  # one combined line that year
        with pytest.raises(NotFoundError, match="Years held"):
            service_spending(store, SEFTON, "2016-17", "MD")
        birmingham = service_spending(store, "E08000025", "2024-25", "MD")
        assert {r.published_text for r in birmingham.rows} == {"[x]"}  # not returned, never zero
        assert {r.value_gbp for r in birmingham.rows} == {None}
    finally:
        store.close()


def _indicator(profile: dict, key: str) -> dict | None:
    return next((i for i in profile["indicators"] if i["key"] == key), None)


def test_2024_25_shows_the_share_instead_of_the_cipfa_ratio(
    db: str, rsx_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db, "indicators", "--authority", SEFTON, "--year", "2024-25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _indicator(out, "social_care_ratio_pct_nre") is None  # never under the CIPFA title without NRE
    share = _indicator(out, "social_care_pct_total_service")
    assert share is not None and "not the CIPFA social care ratio" in share["title"]
    adults = _rsx(rsx_path, "RSX-asc-net-cur-exp", SEFTON)
    children = _rsx(rsx_path, "RSX-csc-net-cur-exp", SEFTON)
    total = _rsx(rsx_path, "RSX-totsx-net-cur-exp", SEFTON)
    assert share["parts"]["adult_social_care_gbp"] == pytest.approx(adults)
    assert share["parts"]["childrens_social_care_gbp"] == pytest.approx(children)
    assert share["value"] == pytest.approx((adults + children) / total * 100, abs=1e-4)
    assert share["compared_with"] == "2023-24 (outturn)"  # the same share, from RS 2023-24
    assert share["n_ranked"] == 35  # the metropolitan districts on RSX 2024-25 (Birmingham '[x]')
    # RSX does not make 2024-25 a reserves year: the reserves indicators say nothing is held, not "not published"
    usable = _indicator(out, "usable_reserves_pct_nre")
    assert usable is not None and (usable["status"], usable["note"]) == ("no_return", "no figures held for 2024-25")


def test_2023_24_shows_the_cipfa_ratio_with_its_parts(db: str, official_source_dir: Path) -> None:
    store = Store.open(db, read_only=True)
    try:
        profile = resilience_profile(store, SEFTON, "2023-24", "MD").as_dict()
    finally:
        store.close()
    assert _indicator(profile, "social_care_pct_total_service") is None
    ratio = _indicator(profile, "social_care_ratio_pct_nre")
    assert ratio is not None and ratio["title"] == "Social care ratio" and ratio["basis"] == "outturn"
    path = official_source_dir / RS_2023
    adults = _rs_2023(path, "Adult Social Care", SEFTON)
    children = _rs_2023(path, "Children Social Care", SEFTON)
    nre = _rs_2023(path, "NET REVENUE EXPENDITURE", SEFTON)
    assert ratio["parts"] == pytest.approx(
        {"adult_social_care_gbp": adults, "childrens_social_care_gbp": children, "net_revenue_expenditure_gbp": nre}
    )
    assert ratio["value"] == pytest.approx((adults + children) / nre * 100, abs=1e-4)
    # like for like: 2010-11's combined line is another definition, so there is no earlier figure to compare
    assert ratio["previous_year"] is None and ratio["direction_of_travel"] == "no earlier figure on the same basis"


def test_2010_11_has_no_ratio_from_the_combined_line(db: str) -> None:
    store = Store.open(db, read_only=True)
    try:
        ratio = _indicator(resilience_profile(store, SEFTON, "2010-11", "MD").as_dict(), "social_care_ratio_pct_nre")
    finally:
        store.close()
    assert ratio is not None and ratio["value"] is None and ratio["status"] == "not_reported"
    assert "combined" in ratio["note"]
