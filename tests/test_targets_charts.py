"""Targets drawn the one way (`finance.charts.draw_target`) on the charts of their series: a path from the latest
value of the judged basis to the target at its date on a chart along time, a labelled dashed line elsewhere."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from finance.charts import draw_target, series_line, target_traces
from finance.committee.charts_position import dsg_trajectory
from finance.targets import Target
from finance.upload.demo_collection import STREAMS as DEMO_STREAMS

GF = Target(1, "DEMO01", "unallocated_reserves", 15e6, "gbp", "at_least", date(2029, 3, 31), None, "s151",
            datetime(2026, 1, 5), "app", None, "current")  # fmt: skip


def test_the_reserves_series_runs_a_path_from_the_latest_outturn_to_the_target_year() -> None:
    frame = pd.DataFrame(
        {
            "financial_year": ["2022-23", "2023-24", "2024-25", "2024-25"],
            "basis": ["outturn", "outturn", "outturn", "budget_estimate"],
            "value": [12.5e6, 11.8e6, 11.5e6, 13.0e6],
        }
    )
    fig = series_line(frame, measure="unallocated_reserves", title="t", target=GF)
    path = next(t for t in fig.data if t.meta == "target")
    assert list(path.x) == ["2024-25", "2028-29"]  # from the latest outturn, never the RA estimate
    assert list(path.y) == [11.5, 15.0]
    assert path.name == "Target: at least £15.0m by 31 Mar 2029 (set by s151)"
    assert list(fig.layout.xaxis.categoryarray)[-1] == "2028-29"  # the axis runs on to the target's year


def test_a_line_names_its_series_when_asked_and_no_target_draws_nothing() -> None:
    import plotly.graph_objects as go

    fig = draw_target(go.Figure(), GF, scale=1e6, series_words="general fund balance")
    assert fig.layout.shapes[0].y0 == 15.0 and fig.layout.shapes[0].line.dash == "dash"
    assert fig.layout.annotations[0].text.startswith("Target for general fund balance: at least £15.0m")
    assert target_traces(draw_target(go.Figure(), None)) == []


def test_the_dsg_trajectory_runs_to_the_target_date() -> None:
    dsg = Target(2, "DEMO01", "dsg_deficit", 30e6, "gbp", "at_most", date(2029, 3, 31), None, "s151",
                 datetime(2026, 1, 5), "app", None, "current")  # fmt: skip
    frame = pd.DataFrame(
        {
            "date": [date(2025, 3, 31), date(2026, 10, 31)],
            "deficit_gbp": [20e6, 26e6],
            "source": ["official", "monitoring"],
        }
    )
    fig = dsg_trajectory(frame, title="t", target=dsg)
    path = next(t for t in fig.data if t.meta == "target")
    assert list(path.x) == [date(2026, 10, 31), date(2029, 3, 31)] and list(path.y) == [26.0, 30.0]
    assert fig.layout.xaxis.range[1] > date(2029, 3, 31)


def test_the_demo_targets_are_drawn_on_the_committee_charts_of_their_series(demo_db: str) -> None:
    from finance.committee import build_collection_view, build_monitoring_view, build_nowcast_view
    from finance.store import Store

    store = Store.open(demo_db, read_only=True)
    try:
        drawn = {
            p.key: target_traces(p.figure)
            for view in (
                build_nowcast_view(store, "DEMO01", "2026-27"),
                build_monitoring_view(store, "DEMO01", "2026-27"),
                build_collection_view(store, "DEMO01", "2026-27"),
            )
            for p in view.panels
            if target_traces(p.figure)
        }
    finally:
        store.close()
    assert drawn == {
        "nowcast-peers": ["Target: at least 20.0% by 31 Mar 2029 (set by demo)"],
        "monitoring-variance-trend": ["Target: at most £0.0m by 31 Mar 2027 (set by demo)"],
        # each stream's rate from the latest Collection sheet (it supersedes the 94% the P1 Targets sheet set for
        # council tax): one line per stream (in name order), each naming its stream, from the demo's own table
        "collection-profile": [
            f"Target for {stream.lower()}: at least {target:.1f}% by 31 Mar 2027 (set by demo)"
            for stream, _, _, _, target, _, _ in sorted(DEMO_STREAMS)
        ],
        # this year's rate by stream at the latest period: each stream's target for the year across its own bars
        "collection-streams": [
            f"Target for {stream.lower()}: at least {target:.1f}% by 31 Mar 2027 (set by demo)"
            for stream, _, _, _, target, _, _ in DEMO_STREAMS
        ],
        # last year's (2025-26) year-end rates against England's, with the targets in force for it (by 31 Mar 2027)
        # across their own stream's bar, naming it
        "collection-year-end": [
            f"Target for {stream.lower()}: at least {target:.1f}% by 31 Mar 2027 (set by demo)"
            for stream, _, _, _, target, _, _ in sorted(DEMO_STREAMS)
            if stream in ("Council tax", "Business rates")
        ],
    }


def test_the_year_end_collection_chart_draws_each_streams_target_across_its_own_bar() -> None:
    from finance.committee.charts_position import year_end_vs_england

    ct = Target(3, "DEMO01", "collection_rate_council_tax", 78.5, "pct", "at_least", date(2026, 3, 31), None, "s151",
                datetime(2025, 4, 2), "collection_sheet", 4, "current")  # fmt: skip
    frame = pd.DataFrame({"stream": ["Business rates", "Council tax"], "rate_pct": [97.0, 94.2],
                          "england_pct": [97.3, 95.9]})  # fmt: skip
    fig = year_end_vs_england(frame, title="t", subtitle="s", targets={"Council tax": ct})
    label = "Target for council tax: at least 78.5% by 31 Mar 2026 (set by s151)"
    assert target_traces(fig) == [label]
    (line,) = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert (line.x0, line.x1, line.y0, line.y1) == (0.55, 1.45, 78.5, 78.5)  # across the council tax bar only
    (note,) = [a for a in fig.layout.annotations if a.hovertext]
    assert note.text == "target 78.5%"
    assert note.hovertext == f"{label}<br>set 2 Apr 2025 by s151 by a Collection sheet's target rate (upload 4)"
    assert fig.layout.yaxis.range[0] == 75  # the axis runs down to a target below its usual 80% floor
    plain = year_end_vs_england(frame, title="t", subtitle="s")
    assert target_traces(plain) == [] and plain.layout.yaxis.range[0] == 80
