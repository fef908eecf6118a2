"""The MTFS scenarios page with the demo council's uploaded demand: a slider per demand line moves the gap and the
reserves at once, the blanket growth it replaces is disabled, the tornado and the Monte Carlo carry the lines, and an
imported file naming no Revenue line is refused (AppTest of the real app.py on the demo database)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from finance.format import gbp_m
from finance.scenarios import run, scenario_to_toml

GAP = "Cumulative gap by 2027-28"  # the demo's base year is 2024-25


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _on_returns(app: Callable[..., AppTest]) -> AppTest:
    at = app()
    _run(at.switch_page("pages/scenarios.py"))
    at.button(key="scn_reset").click()
    return _run(at)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _show_table(at: AppTest) -> None:
    """Turn on the open tab's data table (drawn on request)."""
    next(t for t in at.toggle if t.key.endswith("-table-show")).set_value(True)
    _run(at)


def test_a_demand_slider_moves_the_gap_by_the_lines_pressure(app: Callable[..., AppTest]) -> None:
    at = _on_returns(app)
    start = at.session_state["scn_start"]
    assert any("demand lines of P" in m.value for m in at.markdown)  # the origin names the upload's period
    lines = start.scenario.demand
    assert [line.metric for line in lines] == ["Home care hours", "Residential and nursing placements",
                                               "Children looked after"]  # fmt: skip
    gen = at.session_state["scn_gen"]
    assert at.slider(key=f"scn{gen}_adults_demand_growth_pct").disabled  # never both: shown with the spending
    assert at.slider(key=f"scn{gen}_childrens_demand_growth_pct").disabled
    assert not at.slider(key=f"scn{gen}_pay_award_pct").disabled
    group = at.segmented_control(key=f"scn{gen}_group")
    assert group.options == ["Spending and pressures", "Funding", "Savings and reserves", "Demand lines",
                             "Base figures, reserves policy and DSG"]  # fmt: skip
    group.set_value("demand")
    _run(at)
    homecare = at.slider(key=f"scn{gen}_demand_0")
    assert homecare.label == "Demand growth: Home care hours (Older people) (% a year)" and homecare.value == 0.0
    # the lines' base is the in-year forecast of 2026-27, not the base year 2024-25: said as a warning
    assert any("Demand lines" in w.value and "another time" in w.value for w in at.warning)
    before = float(run(start.scenario).cumulative_gap[0, -1])
    reserves_before = float(run(start.scenario).usable_closing[0, -1])

    at.slider(key=f"scn{gen}_demand_0").set_value(5.0)
    _run(at)
    home = lines[0]
    pressure = home.base_volume * home.base_unit_cost_gbp * (1.05**3 - 1) / 1e6
    assert pressure > 0.05  # large enough to show in £m to one decimal
    assert _metrics(at)[GAP] == gbp_m((before + pressure) * 1e6)
    _show_table(at)
    table = next(d.value for d in at.dataframe if "Demand pressure: Home care hours (Older people) £m" in d.value)
    assert list(table["Demand pressure: Home care hours (Older people) £m"])[-1] == round(pressure, 3)

    at.session_state["scn_tab"] = "Reserves"
    _run(at)
    _show_table(at)
    reserves = next(d.value for d in at.dataframe if "Usable reserves (closing) £m" in d.value)
    # the gap met from reserves: each year's extra pressure comes off usable reserves
    drawn = sum(home.base_volume * home.base_unit_cost_gbp * (1.05**t - 1) / 1e6 for t in (1, 2, 3))
    assert list(reserves["Usable reserves (closing) £m"])[-1] == round(reserves_before - drawn, 3)

    at.session_state["scn_tab"] = "Sensitivity"
    _run(at)
    _show_table(at)
    tornado = next(d.value for d in at.dataframe if "Assumption" in d.value)
    assert "Demand growth: Home care hours (Older people)" in list(tornado["Assumption"])

    at.session_state["scn_tab"] = "Uncertainty"
    _run(at)
    ranges = next(d.value for d in at.dataframe if "Most likely" in d.value)
    row = ranges[ranges["Assumption"] == "Demand growth: Home care hours (Older people)"]
    assert list(row[["Low", "Most likely", "High"]].iloc[0]) == [4.0, 5.0, 8.0]
    assert "Adults' social care demand growth" not in list(ranges["Assumption"])


def test_an_imported_file_naming_no_revenue_line_is_refused(app: Callable[..., AppTest]) -> None:
    at = _on_returns(app)
    seeded = at.session_state["scn_start"].scenario
    stray = replace(seeded, demand=(replace(seeded.demand[0], service="Younger adults"), *seeded.demand[1:]))
    at.file_uploader(key="scn_upload").set_value(("stray.toml", scenario_to_toml(stray).encode(), "application/toml"))
    _run(at)
    wheres = [w for d in at.dataframe if "Where" in d.value.columns for w in d.value["Where"]]
    assert wheres == ["demand[0].service"]
    assert at.session_state["scn_start"].scenario == seeded  # the start in use is kept
