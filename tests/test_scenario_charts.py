"""The scenario charts: units on every axis, the palette, the exhaustion marker, the reference line."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from finance.scenarios import compare, example_scenario, run, sensitivities, simulate
from finance.scenarios.charts import (
    PALETTE,
    compare_chart,
    fan_chart,
    gap_chart,
    money_m,
    reserves_chart,
    tornado_chart,
)

ZERO_CT = {"council_tax_increase_pct": 0.0, "adult_social_care_precept_pct": 0.0}


def _axes_titles(fig: go.Figure) -> list[str]:
    layout = fig.to_plotly_json()["layout"]
    return [v["title"]["text"] for k, v in layout.items() if k.startswith(("xaxis", "yaxis")) and v.get("title")]


def _colours(fig: go.Figure) -> set[str]:
    out = set()
    for trace in fig.data:
        colour = (trace.marker.color if trace.type == "bar" else trace.line.color) or ""
        out.add(str(colour))
    return out


def test_every_chart_has_units_and_uses_the_palette() -> None:
    proj = run(example_scenario())
    figures = [
        gap_chart(proj),
        reserves_chart(proj),
        fan_chart(simulate(example_scenario(), 200, 1)),
        tornado_chart(sensitivities(example_scenario()), "2026-27"),
        compare_chart(
            compare({"a": example_scenario(), "b": example_scenario().with_assumptions(**ZERO_CT)}).projections
        ),
    ]
    for fig in figures:
        titles = _axes_titles(fig)
        assert any("£m" in t for t in titles), titles
        assert _colours(fig) <= set(PALETTE), _colours(fig)


def test_reserves_chart_marks_the_exhaustion_year_and_the_minimum() -> None:
    exhausted = run(example_scenario().with_assumptions(**ZERO_CT))
    fig = reserves_chart(exhausted)
    assert [s.x0 for s in fig.layout.shapes] == ["2026-27"]
    assert "Reserves exhausted 2026-27" in fig.layout.annotations[0].text
    minimum = next(t for t in fig.data if t.name == "Minimum prudent level")
    assert list(minimum.y) == [10.0, 10.0, 10.0]
    assert not reserves_chart(run(example_scenario())).layout.shapes


def test_gap_chart_can_carry_a_reference_series() -> None:
    proj = run(example_scenario().with_assumptions(**ZERO_CT))
    fig = gap_chart(proj, reference=("Approved MTFS", {"2024-25": 14.3, "2025-26": 27.5, "2026-27": 44.2}))
    approved = next(t for t in fig.data if t.name == "Approved MTFS")
    assert list(approved.x) == ["2024-25", "2025-26", "2026-27"]
    assert list(approved.y) == [14.3, 27.5, 44.2]
    assert approved.line.dash == "dash"
    partial = gap_chart(proj, reference=("Approved", {"2025-26": 27.5}))
    assert list(next(t for t in partial.data if t.name == "Approved").x) == ["2025-26"]
    assert len(gap_chart(proj).data) == 3


def test_tornado_puts_the_largest_swing_on_top() -> None:
    items = sensitivities(replace(example_scenario(), base={**example_scenario().base, "pay": 100.0}))
    fig = tornado_chart(items, "2026-27")
    labels = list(fig.data[0].y)
    assert labels[-1].startswith(items[0].label)


def test_money_is_written_as_gbp_m() -> None:
    assert money_m(19.0) == "£19.0m"
    assert money_m(-4.54) == "−£4.5m"
