"""The income collection and debt recovery page as a user sees it (AppTest on the real app.py): every stream, the
forecast rule and the collection fund share stated, debt by age; and for a real council with only official data,
the council tax receipts live table read from the official folder at start, with its peers and its latest year."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import show_tables


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_demo_council_every_stream_forecast_and_ageing(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/collection.py").run()
    _clean(at)
    assert at.title[0].value == "Income collection and debt recovery"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Income streams at P7 (Oct) 2026-27"] == "6"
    assert metrics["Weakest stream (forecast against target)"].startswith("Council tax: £")
    info = " ".join(i.value for i in at.info)
    assert "Forecast year-end rate = this year's rate now + (last year's final rate" in info
    assert "Council share of the collection fund: 84.0%" in info
    captions = " ".join(c.value for c in at.caption)
    assert "No official council tax receipts are held for illustrative councils." in captions
    assert "Stacked bar chart of the debt outstanding at the end of each period of 2026-27 by age band" in captions
    assert len(at.get("plotly_chart")) == 7
    tables = [t.value for t in show_tables(at).dataframe]
    shortfall = next(t for t in tables if "Cash effect on the budget (£m)" in t.columns)
    assert len(shortfall) == 6 and set(shortfall["Council's share (%)"]) == {84.0, 100.0}


def test_official_receipts_read_at_start_with_peers(
    app: Callable[..., AppTest], official_db: str, shared_raw: Path, tmp_path: Path
) -> None:
    db = tmp_path / "official.duckdb"
    shutil.copy(official_db, db)
    folder = tmp_path / "official-folder"
    folder.mkdir()
    source = shared_raw / "council_tax_receipts_mhclg" / "source" / "CT_Receipts_Live_Table_Q4_2022-23.xlsx"
    shutil.copy(source, folder / source.name)
    at = app(db=str(db), official_dir=str(folder))
    at.selectbox(key="sidebar_authority").set_value("E08000014").run()
    at.switch_page("pages/collection.py").run()
    _clean(at)
    assert any("No monitoring uploaded yet" in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    assert "the latest figures are for 2022-23" in captions and "CT_Receipts_Live_Table_Q4_2022-23.xlsx" in captions
    assert len(at.get("plotly_chart")) == 2
    peers = next(t.value for t in show_tables(at).dataframe if "Growth (%)" in t.value.columns)
    assert len(peers) == 36 and "Sefton" in set(peers["Authority"])
    at.selectbox(key="collection_group").set_value("ALL").run()  # any peer group, as on the other peer pages
    _clean(at)
    everyone = next(t.value for t in at.dataframe if "Growth (%)" in t.value.columns)
    assert len(everyone) > len(peers) and "Sefton" in set(everyone["Authority"])
    assert at.query_params["group"] == ["ALL"] or at.query_params["group"] == "ALL"
