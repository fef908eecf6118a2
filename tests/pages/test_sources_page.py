"""The Data sources page's coverage grid: which returns and bases are held, year by year, for the selected
authority and its class, and what a missing year needs (AppTest on the real app.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from finance.official import import_paths
from finance.store import Store

RSX = "RSX_LA_Data_2024-25_data_by_LA.ods"
RS_2023 = "RS_2023-24_data_by_LA.ods"
RA_2021 = "RA_2021-22_data_by_LA.csv"


@pytest.mark.official
def test_coverage_grid_for_sefton(
    app: Callable[..., AppTest], tmp_path: Path, official_source_dir: Path, shared_raw: Path
) -> None:
    db = tmp_path / "official.duckdb"
    store = Store.open(str(db))
    outturn = shared_raw / "la_outturn_2024-25_mhclg" / "source" / RSX
    import_paths(store, [official_source_dir / RS_2023, official_source_dir / RA_2021, outturn])
    store.close()
    at = app(db=str(db))
    at.session_state["authority_code"] = "E08000014"
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "What is held, year by year" in [s.value for s in at.subheader]
    grid = at.dataframe[1].value.set_index("Year")
    assert grid.loc["2023-24", "RS (outturn)"] == "held · 36 of 36 peers"
    assert grid.loc["2024-25", "RS (outturn)"] == "not held · 0 of 36 peers"
    assert grid.loc["2024-25", "RSX (outturn)"] == "held · 36 of 36 peers"
    assert grid.loc["2021-22", "RA (budget estimate)"] == "held · 36 of 36 peers"
    assert grid.loc["2022-23", "RA (budget estimate)"] == "not held · 0 of 36 peers"
    text = "\n".join(m.value for m in at.markdown)
    assert (
        "RS 2022-23: not held — fetch it (python -m finance fetch-official) or place the file in the official "
        "folder" in text
    )
    assert "RS 2024-25: not held — reserves and net revenue expenditure for 2024-25 need it" in text
    assert "RS 2019-20: not held — place the file in the official folder (no download address is known" in text
    assert "RS 2023-24: not held" not in text
