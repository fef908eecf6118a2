"""The MTFS scenarios page as a user sees it (AppTest of the real app.py, switched to the page)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from finance.format import gbp_m
from finance.scenarios import run
from finance.scenarios.files import EXAMPLE_FILE

GAP = "Cumulative gap by 2027-28"  # the demo authority's base year is 2024-25, so three years end in 2027-28


def _open(app: Callable[..., AppTest]) -> AppTest:
    at = app()
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open_on_returns(app: Callable[..., AppTest]) -> AppTest:
    """The page started again from the returns (the demo marks a current scenario, which the page opens on)."""
    at = _open(app)
    at.button(key="scn_reset").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _group(at: AppTest, group: str) -> AppTest:
    """Show one group of inputs (the page draws one group at a time; the others keep their values). Run the whole
    page first: after an input's change only the results rerun, and AppTest then holds only what that run drew."""
    _run(at)
    at.segmented_control(key=f"scn{at.session_state['scn_gen']}_group").set_value(group)
    return _run(at)


def _problem_wheres(at: AppTest) -> list[str]:
    """The `where` column of the problems table `show_error` renders under a refused input."""
    frames = [d.value for d in at.dataframe if "Where" in d.value.columns]
    return [w for frame in frames for w in frame["Where"]]


def _gap_with_capital(at: AppTest, gap_gbp_m: float) -> str:
    """The gap metric when the start also carries the authority's capital programme (the demo's): `gap_gbp_m` plus
    the programme's financing costs in the final year (change from the base year), as the page formats it."""
    financing = run(at.session_state["scn_start"].scenario).financing
    assert financing is not None  # a start from the demo's returns carries its capital programme
    return gbp_m((gap_gbp_m + float(financing.change_from_base[0, -1])) * 1e6)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_demo_authority_starts_from_its_illustrative_base_with_sources(app: Callable[..., AppTest]) -> None:
    at = _open(app)
    assert any("Starting from **the current scenario" in m.value for m in at.markdown)  # the demo marks one
    at.button(key="scn_reset").click()
    _run(at)
    assert at.title[0].value == "MTFS scenarios"
    assert any("Illustrative" in w.value for w in at.warning)
    sources = at.dataframe[0].value
    assert list(sources["Base figure"])[:4] == [
        "Net revenue budget", "Council tax requirement", "Unallocated reserves (general fund)", "Earmarked reserves",
    ]  # fmt: skip
    assert set(sources["Year"][:4]) == {"2024-25"} and set(sources["Basis"][:4]) == {"illustrative"}
    notes = dict(zip(sources["Base figure"], sources["Note"], strict=True))
    assert "not guidance" in notes["Minimum prudent unallocated reserves"]
    assert "DSG adjustment account" in notes["Cumulative DSG deficit at the end of the base year"]
    # every assumption starts at zero: no change, so the only gap is the capital programme's financing costs
    assert _metrics(at)[GAP] == _gap_with_capital(at, 0.0) != "£0.0m"
    assert len(at.get("plotly_chart")) == 1  # only the open tab is drawn
    assert [t.label for t in at.tabs] == ["Budget gap", "Reserves", "Uncertainty", "Sensitivity"]


@pytest.mark.parametrize(
    ("tab", "first_column"),
    [
        ("Budget gap", "Incremental gap £m"),
        ("Reserves", "Met from reserves £m"),
        ("Uncertainty", "Cumulative gap P10 £m"),
        ("Sensitivity", "Assumption"),
    ],
)
def test_each_tab_draws_its_chart_and_table(app: Callable[..., AppTest], tab: str, first_column: str) -> None:
    at = _open(app)
    at.button(key="scn_example").click()
    _run(at)
    at.session_state["scn_tab"] = tab
    _run(at)
    assert len(at.get("plotly_chart")) == 1
    # the panel's table is drawn on request (a slider step then redraws no data grid); its downloads always
    (show,) = [t for t in at.toggle if t.key.endswith("-table-show")]
    assert show.label == "Show the data table" and not show.value
    show.set_value(True)
    _run(at)
    tables = [d.value for d in at.dataframe]
    assert any(list(frame.columns)[:2] in (["Year", first_column], [first_column, "Moved by"]) for frame in tables)
    assert len(at.get("download_button")) >= 3  # CSV and XLSX of the table, and the TOML export


def test_moving_sliders_changes_the_gap(app: Callable[..., AppTest]) -> None:
    at = _open_on_returns(app)
    gen = at.session_state["scn_gen"]
    at.slider(key=f"scn{gen}_additional_pressures_gbp_m_2025-26").set_value(10.0)
    # a £10m pressure in 2025-26 recurs in 2026-27 and 2027-28: £30m of gap over the period is £10m a year
    assert _metrics(_run(at))[GAP] == _gap_with_capital(at, 10.0)
    _group(at, "savings")
    at.slider(key=f"scn{gen}_savings_planned_gbp_m_2025-26").set_value(5.0)
    at.slider(key=f"scn{gen}_savings_delivery_pct").set_value(80.0)
    assert _metrics(_run(at))[GAP] == _gap_with_capital(at, 6.0)
    _group(at, "funding")
    at.slider(key=f"scn{gen}_council_tax_increase_pct").set_value(4.99)
    assert _metrics(_run(at))[GAP].endswith(" surplus")  # council tax now more than covers it: said in words


def test_one_group_of_inputs_is_drawn_and_every_value_survives_switching_groups(app: Callable[..., AppTest]) -> None:
    at = _open_on_returns(app)
    gen = at.session_state["scn_gen"]
    assert at.segmented_control(key=f"scn{gen}_group").value == "spending"  # pressures first
    shown = {s.key for s in at.slider}
    assert f"scn{gen}_additional_pressures_gbp_m_2025-26" in shown and f"scn{gen}_council_tax_increase_pct" not in shown
    assert not at.number_input and not at.radio  # the base figures and the reserves policy are another group
    at.slider(key=f"scn{gen}_additional_pressures_gbp_m_2025-26").set_value(10.0)
    assert _metrics(_run(at))[GAP] == _gap_with_capital(at, 10.0)
    _group(at, "base")
    assert f"scn{gen}_base_net_revenue_budget" in {n.key for n in at.number_input}
    assert [s.key for s in at.slider] == [f"scn{gen}_dsg_off"]  # the assumption sliders are in the other groups
    at.radio(key=f"scn{gen}_policy").set_value("unallocated_only")
    _run(at)
    _group(at, "funding")
    at.slider(key=f"scn{gen}_council_tax_increase_pct").set_value(4.99)
    with_tax = _metrics(_run(at))[GAP]
    assert with_tax != _gap_with_capital(at, 10.0)  # the pressures (not shown) and the council tax both count
    _group(at, "spending")
    assert at.slider(key=f"scn{gen}_additional_pressures_gbp_m_2025-26").value == 10.0
    assert _metrics(at)[GAP] == with_tax
    _group(at, "base")
    assert at.radio(key=f"scn{gen}_policy").value == "unallocated_only"
    _group(at, "funding")
    assert at.slider(key=f"scn{gen}_council_tax_increase_pct").value == 4.99


def test_sefton_example_shows_the_published_figure(app: Callable[..., AppTest]) -> None:
    at = _open(app)
    at.button(key="scn_example").click()
    metrics = _metrics(_run(at))
    assert metrics["Cumulative gap by 2026-27"] == "£19.0m"
    assert any("E08000014" in w.value for w in at.warning)  # written for Sefton, selected authority is DEMO01
    gen = at.session_state["scn_gen"]
    _group(at, "funding")
    at.slider(key=f"scn{gen}_council_tax_increase_pct").set_value(0.0)
    at.slider(key=f"scn{gen}_adult_social_care_precept_pct").set_value(0.0)
    assert _metrics(_run(at))["Cumulative gap by 2026-27"] == "£44.2m"


def test_import_a_file_and_a_bad_file(app: Callable[..., AppTest]) -> None:
    at = _open(app)
    at.file_uploader(key="scn_upload").set_value(("sefton.toml", EXAMPLE_FILE.read_bytes(), "application/toml"))
    _run(at)
    assert _metrics(at)["Cumulative gap by 2026-27"] == "£19.0m"
    assert any("imported file sefton.toml" in m.value for m in at.markdown)
    bad = EXAMPLE_FILE.read_bytes().replace(b"tax_base_growth_pct", b"tax_base_grwth_pct")
    at.file_uploader(key="scn_upload").set_value(("bad.toml", bad, "application/toml"))
    _run(at)
    assert any("refused" in e.value for e in at.error)
    assert _problem_wheres(at) == ["assumptions.tax_base_grwth_pct"]


@pytest.mark.slow
def test_save_reload_current_and_compare(app: Callable[..., AppTest]) -> None:
    at = _open_on_returns(app)
    gen = at.session_state["scn_gen"]
    at.button(key=f"scn{gen}_save").click()
    _run(at)
    assert any("refused" in e.value for e in at.error)
    assert _problem_wheres(at) == ["saved by"]  # who saved it is required
    at.text_input(key="scn_who").set_value("A. Treasurer")
    at.text_input(key=f"scn{gen}_name").set_value("Flat")
    at.button(key=f"scn{gen}_save").click()
    _run(at)
    assert any("Saved Flat v1" in s.value for s in at.success)
    at.slider(key=f"scn{gen}_additional_pressures_gbp_m_2025-26").set_value(12.0)
    at.text_input(key=f"scn{gen}_name").set_value("Pressures")
    at.button(key=f"scn{gen}_save").click()
    _run(at)
    assert any("Saved Pressures v1" in s.value for s in at.success)

    options = [o for o in at.selectbox(key="scn_saved").options if "A. Treasurer" in o]  # beside the demo's own
    assert len(options) == 2 and options[0].startswith("Pressures v1") and options[1].startswith("Flat v1")
    at.multiselect(key="scn_compare").select(at.multiselect(key="scn_compare").options[0])
    at.multiselect(key="scn_compare").select(at.multiselect(key="scn_compare").options[1])
    _run(at)
    diff = at.dataframe[-1].value
    assert "Additional pressures (new each year) (£m a year)" in set(diff["Assumption"])
    assert len(at.get("plotly_chart")) == 2  # the open tab's chart and the comparison

    saved = at.selectbox(key="scn_saved")
    saved.select_index(next(i for i, o in enumerate(saved.options) if o.startswith("Flat v1")))
    _run(at)
    flat_id = at.selectbox(key="scn_saved").value
    at.button(key="scn_current").click()
    _run(at)
    assert any("is now the current scenario" in s.value for s in at.success)
    at.selectbox(key="scn_saved").set_value(flat_id)
    at.button(key="scn_delete").click()
    _run(at)
    assert any("refused" in e.value for e in at.error)
    assert _problem_wheres(at) == ["Flat v1 (current)"]
    at.button(key="scn_reload").click()
    _run(at)
    assert any("saved scenario" in m.value for m in at.markdown)

    fresh = _open(app)  # a new session on the same database starts from the authority's current scenario
    assert any("the current scenario, Flat v1 (current)" in m.value for m in fresh.markdown)
    assert _metrics(fresh)[GAP] == _gap_with_capital(fresh, 0.0)  # saved with the programme it started from


def test_a_start_from_the_returns_says_what_it_lacks_when_its_balances_are_and_what_it_draws(
    app: Callable[..., AppTest],
) -> None:
    at = _open_on_returns(app)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("This scenario lacks pay, prices (non-pay spending)") for w in warnings)
    said = warnings + [i.value for i in at.info]
    # the demo's base year is 2024-25: its balances are those at 31 March 2025, from its (illustrative) returns
    assert any("at 31 March 2025 from" in t and "illustrative" in t for t in said)
    assert any(w.startswith("All £") and "assumed drawable" in w for w in warnings)  # earmarked_first, none stated
    gen = at.session_state["scn_gen"]
    _group(at, "funding")
    at.slider(key=f"scn{gen}_council_tax_increase_pct").set_value(4.99)
    _run(at)
    assert _metrics(at)[GAP].endswith(" surplus")
    assert any(w.startswith("Funding exceeds spending by") for w in (x.value for x in at.warning))
    _group(at, "base")
    at.radio(key=f"scn{gen}_policy").set_value("unallocated_only")
    _run(at)
    assert not any("assumed drawable" in w.value for w in at.warning)


def test_the_sefton_example_says_its_balances_are_at_31_march_2023(app: Callable[..., AppTest]) -> None:
    at = _open(app)
    at.button(key="scn_example").click()
    _run(at)
    older = [w.value for w in at.warning if w.value.startswith("Starting balances:")]
    assert len(older) == 1 and "£12.0m and earmarked £51.4m at 31 March 2023" in older[0]
    assert "older than the start of the first projected year (1 April 2024)" in older[0]
    assert not any(w.value.startswith("This scenario lacks") for w in at.warning)  # its pressures carry the costs


def test_the_reserves_tab_draws_the_councils_reserve_targets_and_risk_based_minimum(
    app: Callable[..., AppTest],
) -> None:
    """The demo council's general fund target (£15m by 31 Mar 2029, from its Targets sheet) against the general fund
    line, and its risk-based minimum; its 20%-of-NRE target is not drawn on the £m chart; the Sefton worked example
    (not the council's balances) draws neither."""
    import json

    at = _open_on_returns(app)
    at.session_state["scn_tab"] = "Reserves"
    _run(at)
    (chart,) = at.get("plotly_chart")
    fig = json.loads(chart.proto.spec)
    names = [t.get("name", "") for t in fig["data"] if t.get("meta") in ("target", "level")]
    gf = "Target for general fund balance: at least £15.0m by 31 Mar 2029 (set by demo)"
    assert names[0] == gf and names[1].startswith("Risk-based minimum for the general fund balance: £")
    assert len(names) == 2
    hovers = {a["text"]: a.get("hovertext", "") for a in fig["layout"]["annotations"]}
    assert hovers[gf].startswith(f"{gf}<br>set ") and "on a Targets sheet (upload " in hovers[gf]
    assert "<br>as at " in hovers[names[1]] and "-27 risk register, demo01-monitoring-" in hovers[names[1]]
    assert any(s["y0"] == 15.0 and s["line"]["dash"] == "dash" for s in fig["layout"]["shapes"])
    assert any(gf in c.value for c in at.caption)
    at.button(key="scn_example").click()
    _run(at)
    (chart,) = at.get("plotly_chart")
    assert not [t for t in json.loads(chart.proto.spec)["data"] if t.get("meta") in ("target", "level")]


def test_the_borrowing_rate_slider_moves_the_capital_financing_costs_in_the_gap(app: Callable[..., AppTest]) -> None:
    at = _open_on_returns(app)
    gen = at.session_state["scn_gen"]
    start = at.session_state["scn_start"].scenario
    before = _metrics(at)[GAP]
    at.slider(key=f"scn{gen}_borrowing_rate_pct").set_value(8.0)
    after = _metrics(_run(at))[GAP]
    # the programme's new borrowing at 8% a year: interest and annuity MRP rise, and the gap with them, by exactly
    # what the model gives for that rate
    expected = run(start.with_assumptions(borrowing_rate_pct=8.0))
    assert expected.financing is not None
    assert after == gbp_m(float(expected.cumulative_gap[0, -1]) * 1e6) != before
    lower = run(start)
    assert lower.financing is not None
    assert float(expected.financing.costs[0].sum()) > float(lower.financing.costs[0].sum())
