"""Pages with an NN or SN peer group chosen (issue 20): the group's members are listed, each saying whether it is
in the measure's comparison, and the group's definition and source are stated (AppTest on the real app.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from finance.peergroups import GROUP_LABELS

pytestmark = pytest.mark.official

SEFTON, MIDDLESBROUGH = "E08000014", "E06000002"


def _page(app: Callable[..., AppTest], peer_db: str, tmp_path: Path, code: str, page: str) -> AppTest:
    db = tmp_path / "peers.duckdb"
    shutil.copyfile(peer_db, db)
    at = app(db=str(db))
    at.session_state["authority_code"] = code
    at.session_state["financial_year"] = "2023-24"
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(frames) == 1, column
    return frames[0]


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_resilience_page_with_nn_lists_the_members(app: Callable[..., AppTest], peer_db: str, tmp_path: Path) -> None:
    at = _page(app, peer_db, tmp_path, MIDDLESBROUGH, "pages/resilience.py")
    at.selectbox(key="rp_group").set_value("NN").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(GROUP_LABELS["NN"] in s.value for s in at.subheader)
    assert "ONS statistical nearest neighbours (global model, released 14 February 2025)" in _captions(at)
    assert "clusteringsimilarlocalauthoritiesandnearestneighbours.xlsx (sha256 " in _captions(at)
    at.selectbox(key="rp_members_indicator").set_value("Level of usable reserves").run()
    members = _table_with(at, "In this comparison")
    assert list(members.columns) == ["Authority", "ONS code", "Class", "In this comparison"]
    assert len(members) == 21 and members["ONS code"].iloc[0] == MIDDLESBROUGH
    status = dict(zip(members["ONS code"], members["In this comparison"], strict=True))
    assert status["S12000049"].startswith("not applicable: outside England")  # Glasgow City
    assert status[MIDDLESBROUGH] == "yes"
    # coverage counts only the applicable members (no member outside England in the M)
    outside = sum(1 for c in status if not c.startswith("E"))
    facts = _table_with(at, "Peers with a figure")
    usable = facts[facts["Indicator"] == "Level of usable reserves"].iloc[0]
    assert usable["Peers with a figure"].endswith(f"of {21 - outside} peers have a figure")


def test_services_page_with_sn_marks_a_county_not_applicable_for_housing(
    app: Callable[..., AppTest], peer_db: str, tmp_path: Path
) -> None:
    at = _page(app, peer_db, tmp_path, SEFTON, "pages/services.py")
    at.selectbox(key="sv_group").set_value("SN").run()
    at.selectbox(key="sv_members_service").set_value("Housing services (GFRA only)").run()
    assert not at.exception, [e.value for e in at.exception]
    members = _table_with(at, "In this comparison")
    status = dict(zip(members["ONS code"], members["In this comparison"], strict=True))
    assert len(status) == 11 and status["E10000017"].startswith("not applicable: a shire county")
