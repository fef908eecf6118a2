"""The sidebar shows the authority, year and period the page actually uses (issue 14, item 10)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from finance.committee import overview
from finance.monitoring.queries import sheet_lines
from finance.store import Store
from finance.upload import load_upload


def _savings_only_p8(store: Store) -> bytes:
    """A P8 workbook for the demo council holding only a Savings sheet (P7's lines): the committee pages' own
    sheets still end at P7."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Instructions"
    for row in (["Authority", "DEMO01"], ["Financial year", "2026-27"], ["Period", "P8"], ["Units", "£"]):
        info.append(row)
    ws = wb.create_sheet("Savings")
    ws.append(["Scheme", "Directorate", "Target", "Forecast delivered", "RAG"])
    for r in sheet_lines(store, "Savings", "DEMO01", "2026-27", 7).itertuples():
        ws.append([r.scheme, r.directorate, round(r.target_gbp), round(r.forecast_gbp), r.rag])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_benchmark_that_falls_back_shows_its_year_and_the_choice_is_kept(app: Callable[..., AppTest]) -> None:
    at = app()
    at.selectbox(key="sidebar_year").set_value("2026-27").run()  # a monitoring-only year
    at.switch_page("pages/reserves.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="sidebar_year").value == "2024-25"  # what the page shows, not 2026-27
    assert any("showing 2024-25" in c.value for c in at.sidebar.caption)
    assert not [s for s in at.selectbox if s.key == "sidebar_period"]  # the benchmark shows no monitoring period
    assert at.session_state["financial_year"] == "2026-27"  # the choice itself is kept for the other pages
    at.switch_page("pages/overview.py").run()
    assert at.selectbox(key="sidebar_year").value == "2026-27"
    assert any("2026-27" in h.value for h in at.subheader)


def test_latest_names_the_period_the_page_shows(app: Callable[..., AppTest], tmp_path: Path, demo_db: str) -> None:
    path = str(tmp_path / "p8.duckdb")
    shutil.copy(demo_db, path)
    store = Store.open(path)
    try:
        load_upload(store, _savings_only_p8(store), "p8-savings.xlsx")
        assert overview.build(store, "DEMO01", "2026-27").period == 7  # its sheets end at P7
        store.checkpoint()
    finally:
        store.close()
    at = app(db=path)
    picker = at.selectbox(key="sidebar_period")
    assert picker.options[0] == "Latest · P7 (Oct)"  # not P8, which only a Savings sheet has
    assert any("P7 (Oct) 2026-27" in h.value for h in at.subheader)


def test_a_past_years_overview_quotes_no_later_return(app: Callable[..., AppTest]) -> None:
    at = app()
    at.selectbox(key="sidebar_year").set_value("2021-22").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="sidebar_year").value == "2021-22"
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "31 March 2022" in text
    not_shown = "The current MTFS scenario starts from 2024-25, after 2021-22."  # says why, quoting no figure
    assert not_shown in text
    no_programme = "the capital programme held starts in 2026-27, after 2021-22."  # the prudential card says why
    assert no_programme in text
    for later in ("2023", "2024", "2025", "2026", "2027", "2028"):  # no later return, no later plan
        assert later not in text.replace(not_shown, "").replace(no_programme, ""), later
