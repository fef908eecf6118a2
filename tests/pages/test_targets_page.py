"""Targets as a user sees them (AppTest on the real app.py, demo database): the demo council's targets listed with
who set them; a finance user sets one with the form (audited `set_target`, the old one kept as history); the
target drawn on the charts of its series — the variance trend, the collection profile, the reserves series."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from finance.store import Store
from finance.upload import load_upload
from finance.upload.demo_collection import STREAMS as DEMO_STREAMS
from tests.conftest import copy_database
from tests.monitoring_corpus import build


def _table(at: AppTest, column: str, n: int = 0) -> pd.DataFrame:
    """The `n`th table on the page with `column` (AppTest does not expose a dataframe's key)."""
    return [d.value for d in at.dataframe if column in d.value.columns][n]


def _targets_drawn(spec: str) -> list[str]:
    """The target labels a chart carries: its target traces' names and its annotations (the line's label)."""
    fig = json.loads(spec)
    names = [t.get("name", "") for t in fig["data"] if t.get("meta") == "target"]
    notes = [a.get("text", "") for a in fig["layout"].get("annotations", []) if a.get("text", "").startswith("Target")]
    return names + notes


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_a_finance_user_sets_a_target_with_the_form(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/targets.py").run()
    _clean(at)
    current = _table(at, "State")
    assert "Unallocated reserves (general fund balance) at 31 March" in set(current["Series"])
    at.selectbox(key="tg_series").set_value("unallocated_reserves")
    at.number_input(key="tg_value").set_value(18.5)
    at.radio(key="tg_direction").set_value("at least")
    at.date_input(key="tg_date").set_value(date(date.today().year + 2, 3, 31))
    at.text_input(key="tg_mandate").set_value("Budget report, February")
    at.button[0].click().run()  # the form's submit button
    _clean(at)
    assert any(f"Set: Target: at least £18.5m by 31 Mar {date.today().year + 2}" in s.value for s in at.success)
    row = _table(at, "State").set_index("Series").loc["Unallocated reserves (general fund balance) at 31 March"]
    assert (row["Target"], row["Rests on"], row["How"]) == ("at least £18.5m", "Budget report, February", "app")
    history = _table(at, "State", 1)
    history = history[history["Series"] == "Unallocated reserves (general fund balance) at 31 March"]
    assert list(history["Target"]) == ["at least £15.0m"] and list(history["State"]) == ["superseded"]


def test_a_bad_target_is_refused_naming_the_field(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/targets.py").run()
    before = _table(at, "State")
    at.selectbox(key="tg_series").set_value("forecast_variance")
    at.date_input(key="tg_date").set_value(date(2020, 3, 31))
    at.button[0].click().run()
    assert at.error and "refused" in at.error[0].value
    problems = _table(at, "Where")
    assert list(problems["Where"]) == ["target date"] and "is before today" in problems["Message"].iloc[0]
    assert _table(at, "State").equals(before)


def test_the_target_is_drawn_on_the_charts_of_its_series(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("pages/monitoring.py").run()
    _clean(at)
    drawn = [_targets_drawn(c.proto.spec) for c in at.get("plotly_chart")]
    label = "Target: at most £0.0m by 31 Mar 2027 (set by demo)"
    assert [d for d in drawn if d] == [[label, label]]  # the variance trend only: its legend entry and its line
    shapes = [s for c in at.get("plotly_chart") for s in json.loads(c.proto.spec)["layout"].get("shapes", [])]
    assert any(s.get("line", {}).get("dash") == "dash" and s.get("y0") == 0 for s in shapes)
    at.switch_page("pages/collection.py").run()
    _clean(at)
    # council tax: the latest Collection sheet's 95.5% (superseding the P1 Targets sheet's 94%), projected 94.0%
    profile = next(c for c in at.get("plotly_chart") if "collection-profile" in c.proto.id)
    assert "Target for council tax: at least 95.5% by 31 Mar 2027 (set by demo)" in _targets_drawn(profile.proto.spec)
    assert any(m.value.startswith(":material/flag: Council tax: Target: at least 95.5%") and "off track — 94.0%"
               in m.value for m in at.markdown)  # fmt: skip
    # last year's year-end rates against England's: each stream's target across its own bar, named, with its hover
    year_end = json.loads(next(c for c in at.get("plotly_chart") if "collection-year-end" in c.proto.id).proto.spec)
    drawn = [t["name"] for t in year_end["data"] if t.get("meta") == "target"]
    assert drawn == [
        f"Target for {stream.lower()}: at least {target:.1f}% by 31 Mar 2027 (set by demo)"
        for stream, _, _, _, target, _, _ in sorted(DEMO_STREAMS)
        if stream in ("Council tax", "Business rates")
    ]
    notes = {a["text"]: a.get("hovertext", "") for a in year_end["layout"]["annotations"]}
    assert notes["target 95.5%"].startswith(f"{drawn[1]}<br>set ") and "Collection sheet" in notes["target 95.5%"]
    assert len([s for s in year_end["layout"]["shapes"] if s["line"]["dash"] == "dash"]) == 2
    at.switch_page("pages/overview.py").run()
    _clean(at)
    targets = _table(at, "In words")
    # three from the Targets sheet, six stream rates from the latest Collection sheet
    assert set(targets["Status"]) <= {"on track", "off track", "not judged"} and len(targets) == 3 + len(DEMO_STREAMS)
    assert targets.set_index("Series").loc["In-year collection rate, Council tax (%)", "Status"] == "off track"


def test_a_stream_outside_the_usual_six_has_its_target_listed_set_and_drawn(
    app: Callable[..., AppTest], demo_db: str, tmp_path: Path
) -> None:
    """A Collection sheet naming "Parking penalty charges" with a target of 88%: the Targets page lists it, the form
    offers the stream's series and sets a new one, and the collection profile draws it, naming the stream."""
    db = copy_database(demo_db, tmp_path / "parking.duckdb")
    store = Store.open(db)
    try:
        header = ["Stream", "Collectable", "Collected to date", "Target collection rate (%)"]
        rows = [header, ["Council tax", 162_000, 113_000, 95.5], ["Parking penalty charges", 3_000, 1_900, "88%"]]
        fields = {"Authority": "DEMO01", "Financial year": "2026-27", "Period": "P8", "Units": "£000"}
        load_upload(store, build({"Collection": rows}, fields), "parking.xlsx", isolated=False)
    finally:
        store.close()
    at = app(db=db)
    at.switch_page("pages/targets.py").run()
    _clean(at)
    series = "In-year collection rate, Parking penalty charges (%)"
    row = _table(at, "State").set_index("Series").loc[series]
    assert (row["Target"], row["How"], row["State"]) == ("at least 88.0%", "collection_sheet", "current")
    at.selectbox(key="tg_series").set_value("collection_rate_parking_penalty_charges")
    at.number_input(key="tg_value").set_value(90.0)
    at.radio(key="tg_direction").set_value("at least")
    at.date_input(key="tg_date").set_value(date(2027, 3, 31))
    at.button[0].click().run()
    _clean(at)
    assert any("Set: Target: at least 90.0% by 31 Mar 2027" in s.value for s in at.success)
    assert _table(at, "State").set_index("Series").loc[series, "Target"] == "at least 90.0%"
    at.switch_page("pages/collection.py").run()
    _clean(at)
    profile = next(c for c in at.get("plotly_chart") if "collection-profile" in c.proto.id)
    drawn = _targets_drawn(profile.proto.spec)
    assert any(t.startswith("Target for parking penalty charges: at least 90.0% by 31 Mar 2027") for t in drawn)
