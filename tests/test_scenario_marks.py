"""The council's reserve targets and risk-based minimum on a scenario's reserves trajectory (issue 18): each target
drawn the one way (`draw_target`) against the balance it is on, named, with when it was set and from what in its
hover; a % target is not drawn on the £m chart; the marks are drawn only on a scenario written for the council."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import plotly.graph_objects as go

from finance.charts import target_traces
from finance.scenarios import Choices, Level, example_scenario, reserve_marks, reserves_chart, run, scenario_view
from finance.targets import Target


def _target(key: str, value: float, units: str = "gbp", via: str = "sheet") -> Target:
    return Target(1, "DEMO01", key, value, units, "at_least", date(2029, 3, 31), None, "s151",  # type: ignore[arg-type]
                  datetime(2026, 1, 5, 9, 30), via, 7 if via == "sheet" else None, "current")  # fmt: skip


TARGETS = {
    "unallocated_reserves": _target("unallocated_reserves", 23e6),
    "usable_reserves": _target("usable_reserves", 60e6, via="app"),
    "usable_reserves_pct_nre": _target("usable_reserves_pct_nre", 20.0, "pct"),  # a % of NRE: not on a £m chart
    "forecast_variance": _target("forecast_variance", 0.0),
}
RISK = Level(
    4.2,
    "Risk-based minimum for the general fund balance: £4.2m (2026-27 risk register)",
    "Risk-based minimum £4.2m: …<br>as at 12 Jun 2026: the risk register uploaded 12 Jun 2026 (p3.xlsx)",
)


def _hlines(fig: go.Figure) -> dict[str, float]:
    """Each dashed line across the plot: its label → its value (£m)."""
    notes = {a.y: a.text for a in fig.layout.annotations if a.yref == "y"}
    return {notes[s.y0]: s.y0 for s in fig.layout.shapes if s.line.dash == "dash" and s.y0 == s.y1 and s.y0 in notes}


def test_each_reserve_target_is_drawn_against_its_own_balance_with_when_and_how_it_was_set() -> None:
    marks = reserve_marks("DEMO01", TARGETS, RISK)
    assert [t.series_key for t in marks.targets] == ["usable_reserves", "unallocated_reserves"]
    fig = reserves_chart(run(example_scenario()), marks)
    gf = "Target for general fund balance: at least £23.0m by 31 Mar 2029 (set by s151)"
    usable = "Target for usable reserves: at least £60.0m by 31 Mar 2029 (set by s151)"
    assert target_traces(fig) == [usable, gf]  # the legend names the balance each is on
    lines = _hlines(fig)
    assert lines[gf] == 23.0 and lines[usable] == 60.0 and lines[RISK.label] == 4.2
    hovers = {a.text: a.hovertext for a in fig.layout.annotations if a.hovertext}
    assert hovers[gf] == f"{gf}<br>set 5 Jan 2026 by s151 on a Targets sheet (upload 7)"
    assert hovers[usable] == f"{usable}<br>set 5 Jan 2026 by s151 on the Targets page"
    assert hovers[RISK.label] == RISK.hover
    assert not any("%" in label for label in lines)  # the % of NRE target is left off the £m chart
    assert target_traces(reserves_chart(run(example_scenario()))) == []  # no marks, nothing drawn


def test_the_marks_are_drawn_only_on_a_scenario_written_for_their_council() -> None:
    marks = reserve_marks("DEMO01", TARGETS, RISK)
    example = example_scenario()  # the Sefton worked example: not the demo council's balances
    foreign = scenario_view(example, Choices(example.name, "DEMO01", {}), None, marks)
    assert foreign.marks is None and target_traces(foreign.panel("reserves").figure) == []
    own = replace(example, authority="DEMO01")
    view = scenario_view(own, Choices(own.name, "DEMO01", {}), None, marks)
    panel = view.panel("reserves")
    assert len(target_traces(panel.figure)) == 2
    assert "Target for general fund balance: at least £23.0m by 31 Mar 2029 (set by s151), set 5 Jan 2026" in (
        panel.caption
    )
    assert "as at 12 Jun 2026: the risk register uploaded 12 Jun 2026 (p3.xlsx)" in panel.caption
    assert (
        reserve_marks("DEMO01", {"usable_reserves_pct_nre": TARGETS["usable_reserves_pct_nre"]}).for_authority("DEMO01")
        is None
    )  # nothing of its own to draw


def test_the_demo_council_has_its_general_fund_target_and_risk_based_minimum(demo_db: str) -> None:
    from finance.reserves import risk_assessment, scenario_marks
    from finance.store import Store

    store = Store.open(demo_db, read_only=True)
    try:
        marks = scenario_marks(store, "DEMO01")
        found = risk_assessment(store, "DEMO01", "2026-27")
    finally:
        store.close()
    assert [(t.series_key, t.value) for t in marks.targets] == [("unallocated_reserves", 15e6)]
    assert found is not None and marks.risk_minimum is not None
    assert marks.risk_minimum.value_gbp_m == found.minimum_gbp / 1e6
    assert marks.risk_minimum.label.startswith("Risk-based minimum for the general fund balance: £")
    assert found.register.file_name in marks.risk_minimum.hover


def test_the_uncertainty_fan_draws_only_the_usable_reserves_target() -> None:
    """The fan shows the cumulative gap and usable reserves: only a usable reserves target belongs on it (not the
    general fund's, nor the risk-based minimum, a general fund floor), and only on the council's own scenario."""
    from finance.scenarios import uncertainty_view

    marks = reserve_marks("DEMO01", TARGETS, RISK)
    own = replace(example_scenario(), authority="DEMO01")
    fan = uncertainty_view(own, own, 200, 1, None, marks).panel.figure
    assert target_traces(fan) == ["Target for usable reserves: at least £60.0m by 31 Mar 2029 (set by s151)"]
    assert not [t for t in fan.data if t.meta == "level"]
    foreign = uncertainty_view(example_scenario(), example_scenario(), 200, 1, None, marks).panel.figure
    assert target_traces(foreign) == []


def test_the_comparison_draws_the_usable_reserves_target_on_its_reserves_panel() -> None:
    from finance.scenarios import compare_view

    marks = reserve_marks("DEMO01", TARGETS, RISK)
    own = replace(example_scenario(), authority="DEMO01")
    cheaper = replace(own, name="Cheaper")
    fig = compare_view({"Plan": own, "Cheaper": cheaper}, None, marks).panel.figure
    assert target_traces(fig) == ["Target for usable reserves: at least £60.0m by 31 Mar 2029 (set by s151)"]
    (line,) = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert (line.y0, line.yref) == (60.0, "y2")  # on the usable reserves panel, not the gap's
    mixed = compare_view({"Plan": own, "Example": example_scenario()}, None, marks).panel.figure
    assert target_traces(mixed) == []  # one of them is not the council's
