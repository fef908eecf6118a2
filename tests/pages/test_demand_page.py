"""The Demand page as a user sees it (AppTest on the real app.py): official demand for Sefton against its peers,
any peer group, the members listed with "not applicable", and the demo council told why it has no figures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

SEFTON = "E08000014"


@pytest.fixture
def db(demand_db: str, tmp_path: Path) -> str:
    path = tmp_path / "demand.duckdb"
    shutil.copy(demand_db, path)
    return str(path)


def _open(app: Callable[..., AppTest], db: str) -> AppTest:
    at = app(db=db)
    at.session_state["authority_code"] = SEFTON
    at.session_state["financial_year"] = "2023-24"
    at.switch_page("pages/demand.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sefton_check_figures_with_peers_and_budget_notes(app: Callable[..., AppTest], db: str) -> None:
    at = _open(app, db)
    year = at.selectbox(key=f"dm_year_{SEFTON}")
    assert year.value == "2023-24"  # the sidebar's year, where demand points fall in it
    assert year.options[:2] == ["2025-26", "2024-25"]
    year.set_value("2024-25").run()
    assert not at.exception
    assert at.subheader[0].value == (
        "Sefton, points up to 31 March of 2024-25 — peer group: Metropolitan districts (36 authorities)"
    )
    summary = at.dataframe[0].value.set_index("Series")
    cla = summary.loc["Children looked after at 31 March"]
    assert (cla["As at"], cla["Sefton"], cla["Basis"]) == ("31 March 2025", 506, "official count")
    assert cla["Direction of travel"] == "down 75 (-12.9%) from 581 at 31 March 2024"
    assert summary.loc["Children looked after at 31 March per 10,000 children aged under 18", "Sefton"] == 92
    assert summary.loc["EHC plans held in January (caseload)", "Sefton"] == 3736
    assert summary.loc["Households in temporary accommodation at the quarter end", "As at"] == "—"
    titles = [s.value for s in at.subheader]
    assert "Children looked after at 31 March: over time" in titles
    assert "No children's placements budget line is held from the council's monitoring uploads." in [
        c.value for c in at.caption
    ]
    at.radio(key="dm_area").set_value("housing").run()
    at.selectbox(key=f"dm_year_{SEFTON}").set_value("2025-26").run()
    assert not at.exception
    titles = [s.value for s in at.subheader]
    assert "Households in temporary accommodation at 31 December 2025: peers" in titles
    summary = at.dataframe[0].value.set_index("Series")
    assert summary.loc["Households in temporary accommodation at the quarter end", "Sefton"] == 200
    assert (
        round(summary.loc["Households in temporary accommodation at the quarter end per 1,000 households", "Sefton"], 2)
        == 1.59
    )


def test_statistical_neighbours_list_not_applicable_members(app: Callable[..., AppTest], db: str) -> None:
    at = _open(app, db)
    at.selectbox(key="dm_group").set_value("SN").run()
    at.radio(key="dm_area").set_value("housing").run()
    at.selectbox(key=f"dm_year_{SEFTON}").set_value("2025-26").run()
    assert not at.exception
    assert at.subheader[0].value.endswith(
        "peer group: DfE children's services statistical neighbours (10 + the authority) (11 authorities)"
    )
    members = at.dataframe[-1].value.set_index("ONS code")  # the members table, last on the page
    column = next(c for c in members.columns if c.startswith("Temporary accommodation"))
    assert members.loc["E10000017", column] == "not applicable: a shire county does not provide this service"
    assert members.loc[SEFTON, column] == "figure"


def test_demo_council_is_told_why_there_are_no_figures(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/demand.py").run()
    assert not at.exception
    assert any("illustrative: the official demand statistics cover real authorities only" in i.value for i in at.info)


def test_the_demo_councils_own_demand_splits_its_variance(app: Callable[..., AppTest]) -> None:
    """The uploaded section: the demo's Demand sheet at its latest period, the split and a volume chart per metric."""
    at = app()
    at.switch_page("pages/demand.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("The council's own demand (Demand sheet)") for s in at.subheader)
    assert any("Basis: in-year forecast (monitoring), as at P7 2026-27; source: upload" in c.value for c in at.caption)
    split = next(d.value for d in at.dataframe if "Volume effect (£m)" in d.value.columns)
    assert list(split["Metric"]) == ["Home care hours", "Residential and nursing placements", "Children looked after"]
    assert list(split.columns[2:6]) == [
        "Volume effect (£m)", "Price effect (£m)", "Other, whole line (£m)", "Line forecast variance (£m)"
    ]  # fmt: skip
    explained = split["Volume effect (£m)"] + split["Price effect (£m)"]
    for service, rows in split.groupby("Service"):  # volume + price + other = the line's variance, to the rounding
        total = explained[rows.index].sum() + rows["Other, whole line (£m)"].iloc[0]
        assert total == pytest.approx(rows["Line forecast variance (£m)"].iloc[0], abs=0.002), service
    titles = [s.value for s in at.subheader]
    assert "Forecast variance split by demand, P7 2026-27" in titles
    assert "Home care hours: volume against the budget assumption, hours" in titles
    assert len(at.get("plotly_chart")) >= 4  # the split and a volume chart per metric
