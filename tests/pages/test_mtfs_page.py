"""The scenarios page with an approved MTFS held (issue 10): it starts from the MTFS, draws the approved gap as a
reference line, lists the difference, and shows how the gap moved between two versions (AppTest of app.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS = ("2025-26", "2026-27", "2027-28")  # the demo's base year is 2024-25
FIRST = {"2025-26": 9.0, "2026-27": 6.5, "2027-28": 4.0}  # £m, gap before savings
SAVINGS = {"2025-26": 2.0, "2026-27": 1.5, "2027-28": 0.0}
RESET = {"2025-26": 9.0, "2026-27": 8.0, "2027-28": 4.0}


def _workbook(gaps: dict[str, float], version: str, approved: date) -> bytes:
    fields = {"Authority": "DEMO01", "Financial year": "2024-25", "Version name": version, "Date approved": approved,
              "Units": "£m"}  # fmt: skip
    rows: list[list[Any]] = [["Year", "Gap before savings", "Savings identified", "Gap after savings"]]
    rows += [[y, gaps[y], SAVINGS[y], gaps[y] - SAVINGS[y]] for y in YEARS]
    return build({"MTFS": rows}, fields)


@pytest.fixture
def with_mtfs(tmp_path: Path, demo_db: str) -> str:
    path = str(tmp_path / "mtfs.duckdb")
    shutil.copy(demo_db, path)
    store = Store.open(path)
    try:
        load_upload(store, _workbook(FIRST, "February budget 2025", date(2025, 2, 27)), "feb-2025.xlsx")
        load_upload(store, _workbook(RESET, "Budget reset", date(2025, 9, 18)), "reset-2025.xlsx")
        # the demo also marks a current scenario: the page still opens on the approved MTFS (issue 10)
        assert store.scalar("SELECT count(*) FROM scenario_current WHERE authority_code = 'DEMO01'") == 1
        store.checkpoint()
    finally:
        store.close()
    return path


def _open(app: Callable[..., AppTest], db: str) -> AppTest:
    at = app(db=db)
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame_with(at: AppTest, column: str) -> Any:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_starts_from_the_latest_mtfs_with_its_reference_line_and_zero_difference(
    app: Callable[..., AppTest], with_mtfs: str
) -> None:
    at = _open(app, with_mtfs)
    origin = "the approved MTFS, Budget reset (approved 18 Sep 2025)"
    assert any(origin in m.value for m in at.markdown)
    gap_chart = at.get("plotly_chart")[0].proto.spec
    assert '"Approved MTFS: Budget reset"' in gap_chart
    against = _frame_with(at, "Approved MTFS cumulative gap £m")
    expected = [7.0, 7.0 + 6.5, 7.0 + 6.5 + 4.0]  # gap after savings, running total
    assert list(against["Year"]) == list(YEARS)
    assert list(against["Approved MTFS cumulative gap £m"]) == pytest.approx(expected)
    assert list(against["Difference £m"]) == [0.0, 0.0, 0.0]
    assert list(_frame_with(at, "Gap before savings £m")["Gap before savings £m"]) == list(RESET.values())


def test_moving_a_slider_moves_the_difference(app: Callable[..., AppTest], with_mtfs: str) -> None:
    at = _open(app, with_mtfs)
    at.segmented_control(key=f"scn{at.session_state['scn_gen']}_group").set_value("funding").run()  # one at a time
    slider = next(s for s in at.slider if s.label.startswith("Council tax increase"))
    slider.set_value(2.0).run()
    assert not at.exception, [e.value for e in at.exception]
    diff = list(_frame_with(at, "Difference £m")["Difference £m"])
    assert all(d < 0 for d in diff) and diff[0] > diff[-1]  # council tax closes more of the gap each year


def test_the_button_starts_again_from_the_mtfs(app: Callable[..., AppTest], with_mtfs: str) -> None:
    at = _open(app, with_mtfs)
    at.button(key="scn_reset").click().run()
    assert any("the returns held for" in m.value for m in at.markdown)
    assert "Difference £m" in _frame_with(at, "Difference £m").columns  # the comparison is shown whatever the start
    at.button(key="scn_from_mtfs").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("the approved MTFS, Budget reset" in m.value for m in at.markdown)
    assert list(_frame_with(at, "Difference £m")["Difference £m"]) == [0.0, 0.0, 0.0]


def test_versions_view_shows_both_versions_and_the_change(app: Callable[..., AppTest], with_mtfs: str) -> None:
    at = _open(app, with_mtfs)
    assert any(s.value == "Approved MTFS versions" for s in at.subheader)
    versions = _frame_with(at, "Version")
    assert list(versions["Version"]) == ["February budget 2025", "Budget reset"]
    assert list(versions["Approved"]) == ["2025-02-27", "2025-09-18"]
    change = _frame_with(at, "Change 1: February budget 2025 → Budget reset £m")[
        "Change 1: February budget 2025 → Budget reset £m"
    ]
    assert list(change) == pytest.approx([0.0, 1.5, 0.0])


def test_each_saved_scenario_is_set_against_the_approved_mtfs(app: Callable[..., AppTest], with_mtfs: str) -> None:
    """The demo's saved scenarios, each run from its own file (the saved list alone carries none), less the
    approved cumulative gap by year; no error is shown."""
    at = _open(app, with_mtfs)
    against = _frame_with(at, "Scenario")
    assert list(against.columns) == ["Scenario", *(f"{y} £m" for y in YEARS)]
    assert len(against) >= 1 and any(v.endswith("(current)") for v in against["Scenario"])
    assert against[f"{YEARS[0]} £m"].notna().all()
    assert not at.error, [e.value for e in at.error]


def test_upload_page_previews_an_mtfs_sheet_and_loads_it_as_a_version(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/upload.py").run()
    data = _workbook(FIRST, "February budget 2025", date(2025, 2, 27))
    at.file_uploader(key="upload_file").set_value(("mtfs.xlsx", data, XLSX)).run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    preview = at.dataframe[0].value.set_index("Sheet").loc["MTFS"]
    assert preview["Period"] == "2025-26 to 2027-28" and preview["Lines"] == 3
    assert "New version 'February budget 2025'" in preview["Totals"] and "£19.5m" in preview["Totals"]
    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("MTFS version 'February budget 2025' added" in s.value for s in at.success)
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(_frame_with(at, "Version")["Version"]) == ["February budget 2025"]


def test_sefton_as_published_is_the_reference_line_on_the_page(
    app: Callable[..., AppTest], tmp_path: Path, demo_db: str
) -> None:
    from tests.test_mtfs import SEFTON, SEFTON_GAPS, sefton_workbook

    path = str(tmp_path / "sefton.duckdb")
    shutil.copy(demo_db, path)
    store = Store.open(path)
    try:
        store.write(
            lambda tx: tx.execute("INSERT INTO authority VALUES (?, 'E4207', 'Sefton', 'MD', false, 0)", [SEFTON])
        )
        load_upload(store, sefton_workbook(), "sefton-mtfs.xlsx")
        store.checkpoint()
    finally:
        store.close()
    at = app(db=path)
    at.session_state["authority_code"] = SEFTON
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = at.get("plotly_chart")[0].proto.spec
    assert '"Approved MTFS: MTFS 2024-27 (CPC report)"' in spec
    against = _frame_with(at, "Approved MTFS cumulative gap £m")
    assert list(against["Year"]) == list(SEFTON_GAPS)
    assert list(against["Approved MTFS cumulative gap £m"]) == pytest.approx([14.3, 27.5, 44.2])
    # the shipped Sefton example at 0% council tax and 0% ASC precept: no difference in any year
    at.button(key="scn_example").click().run()
    at.segmented_control(key=f"scn{at.session_state['scn_gen']}_group").set_value("funding").run()  # one at a time
    for slider in at.slider:
        if slider.label.startswith(("Council tax increase", "Adult social care precept")):
            slider.set_value(0.0)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(_frame_with(at, "Difference £m")["Difference £m"]) == [0.0, 0.0, 0.0]
