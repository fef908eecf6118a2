"""MTFS scenarios: move the assumptions and see the gap and reserves change; save, reload, compare, import, export.

Thin: the widgets are read into a `Scenario`, `finance.scenarios` computes everything, this script renders it.
The sliders and results sit in one fragment, so moving a slider reruns only the scenario area.
"""

from __future__ import annotations

import re

import streamlit as st

from finance import mtfs
from finance import scenarios as sc
from finance.errors import HeadroomError
from finance.scenarios import charts
from finance.scenarios.spec import (
    ASSUMPTIONS,
    BASE,
    DSG_OVERRIDE_END,
    RESERVES_POLICIES,
    RESERVES_POLICY_LABELS,
    slider_bounds,
)
from ui.context import current_authority, get_store
from ui.identity import acting, can
from ui.render import downloads, show_error
from ui.shell import require_shell

START, GEN, FOR, ORIGIN, BASE_FIGS, FLASH = (
    "scn_start",
    "scn_gen",
    "scn_for",
    "scn_origin",
    "scn_base_figures",
    "scn_flash",
)
_FORMAT = {"pct": "%.2f%%", "gbp_m": "%.1f"}  # the label carries £m; "£-5.0m" would misplace the sign
GROUPS = (
    ("Funding", ("funding",)),
    ("Spending", ("cost",)),
    ("Savings and reserves", ("savings", "reserves")),
)

require_shell()

st.title("MTFS scenarios")
st.caption(
    "Medium-term financial strategy: move an assumption and the budget gap and reserves change at once. "
    "Money in £m; assumptions in % a year unless they say £m. The base year is assumed to balance."
)
store = get_store()
code = current_authority()
approved: mtfs.MtfsSeries | None = mtfs.latest_series(store, code) if code is not None else None
reference = approved.reference() if approved is not None else None


def _use(start: sc.Scenario, origin: str, base: sc.BaseFigures | None = None) -> None:
    st.session_state[START] = start
    st.session_state[ORIGIN] = origin
    st.session_state[BASE_FIGS] = base
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1


def _start_from_returns() -> None:
    if code is None:
        _use(sc.example_scenario(), "the shipped Sefton worked example (no authority selected)")
        return
    try:
        base = sc.base_figures(store, code)
    except HeadroomError as err:
        show_error(err)
        _use(sc.example_scenario(), "the shipped Sefton worked example (no figures held for this authority)")
        return
    _use(base.scenario(), f"the returns held for {base.authority_name}", base)


def _base_or_none(up_to_year: str | None = None) -> sc.BaseFigures | None:
    try:
        return sc.base_figures(store, str(code), up_to_year=up_to_year) if code is not None else None
    except HeadroomError:
        return None


def _start_from_mtfs(series: mtfs.MtfsSeries) -> None:
    base = _base_or_none(series.version.base_year)  # nothing from after the MTFS's base year
    _use(mtfs.starting_scenario(series, base), f"the approved MTFS, {series.version.label}", base)


def _start_from_current_or_returns() -> None:
    """An s151 officer opening the page starts from the latest approved MTFS when there is one (its gaps, with base
    figures from the returns), else the authority's current scenario when one is marked, else the returns."""
    if approved is not None:
        _start_from_mtfs(approved)
        return
    current = sc.current_scenario(store, code) if code is not None else None
    if current is None:
        _start_from_returns()
        return
    try:
        base: sc.BaseFigures | None = sc.base_figures(store, str(code))
    except HeadroomError:
        base = None
    _use(current.scenario(), f"the current scenario, {current.label}", base)


if st.session_state.get(FOR, "") != code or START not in st.session_state:
    st.session_state[FOR] = code
    _start_from_current_or_returns()

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))

# -- starting point -------------------------------------------------------------------------------------------
with st.expander("Starting point", expanded=True):
    st.write(f"Starting from **{st.session_state[ORIGIN]}**.")
    base_figs: sc.BaseFigures | None = st.session_state.get(BASE_FIGS)
    if base_figs is not None:
        if base_figs.is_illustrative:
            st.warning(
                "**Illustrative.** These base figures are generated demo data, not any real council's.",
                icon=":material/science:",
            )
        st.caption(f"Source of each base figure held in the returns (base year {base_figs.base_year}):")
        st.dataframe(base_figs.table(), hide_index=True, width="stretch")
        if base_figs.missing:
            st.info("Not in the returns held, so starting at zero: " + ", ".join(base_figs.missing) + ".")
    if approved is not None:
        st.caption(
            f"Approved MTFS held: **{approved.version.label}**, from {approved.version.file_name}. Its cumulative "
            "gap is the grey dashed line on the gap charts; a scenario started from it has every slider at zero "
            "when it matches the approved gap."
        )
        st.dataframe(approved.table(), hide_index=True, width="stretch", key="scn_mtfs_table")
    st.caption(
        "The returns do not split spending into pay, non-pay and social care: enter those base lines under "
        "*Base figures* below for the pay and inflation sliders to bite."
    )
    b1, b2, b3 = st.columns(3)
    if b1.button("Start again from the returns", key="scn_reset", disabled=code is None):
        _start_from_returns()
        st.rerun()
    if approved is not None and b1.button("Start from the approved MTFS", key="scn_from_mtfs"):
        _start_from_mtfs(approved)
        st.rerun()
    if b2.button("Load the Sefton worked example", key="scn_example"):
        _use(sc.example_scenario(), "the shipped Sefton worked example (Sefton CPC report, Nov 2023)")
        st.rerun()
    uploaded = b3.file_uploader("Import a scenario file (TOML)", type=["toml"], key="scn_upload")
    if uploaded is not None and st.session_state.get("scn_upload_id") != uploaded.file_id:
        st.session_state["scn_upload_id"] = uploaded.file_id
        try:
            imported = sc.parse_scenario_bytes(uploaded.getvalue(), source=uploaded.name)
        except HeadroomError as err:
            show_error(err)
        else:
            _use(imported, f"the imported file {uploaded.name}")
            st.rerun()
    start_now: sc.Scenario = st.session_state[START]
    if start_now.authority and code and start_now.authority != code:
        st.warning(
            f"This scenario was written for {start_now.authority}; it will be saved under the selected "
            f"authority {code}."
        )


def _assumption_inputs(start: sc.Scenario, key: str) -> dict[str, float | tuple[float, ...]]:
    values: dict[str, float | tuple[float, ...]] = {}
    nrb = start.base["net_revenue_budget"]
    for (title, roles), column in zip(GROUPS, st.columns(len(GROUPS)), strict=True):
        column.markdown(f"**{title}**")
        for spec in (a for a in ASSUMPTIONS if a.role in roles):
            current = start.assumptions[spec.key]
            if spec.per_year_slider or len(set(current)) > 1:
                per_year: list[float] = []
                for year, value in zip(start.years, current, strict=True):
                    low, high = slider_bounds(spec, value, nrb)
                    per_year.append(
                        column.slider(
                            f"{spec.label}, {year} ({spec.unit_text.replace(' a year', '')})",
                            low, high, value, spec.step, format=_FORMAT[spec.unit], key=f"{key}_{spec.key}_{year}",
                            help=spec.help or None,
                        )
                    )  # fmt: skip
                values[spec.key] = tuple(per_year)
            else:
                low, high = slider_bounds(spec, current[0], nrb)
                values[spec.key] = column.slider(
                    f"{spec.label} ({spec.unit_text})", low, high, current[0], spec.step,
                    format=_FORMAT[spec.unit], key=f"{key}_{spec.key}", help=spec.help or None,
                )  # fmt: skip
    return values


def _uncertainty(live: sc.Scenario, start: sc.Scenario, key: str, slug: str) -> None:
    u1, u2 = st.columns(2)
    simulations = int(u1.number_input("Simulations", 100, 50_000, 2_000, 500, key=f"{key}_sims"))
    seed = int(u2.number_input("Seed (the same seed gives the same result)", 0, 1_000_000, 1, 1, key=f"{key}_seed"))
    ranges = dict(start.ranges) or sc.default_ranges(live)
    try:
        mc = sc.simulate(live, simulations, seed, ranges)
    except HeadroomError as err:
        show_error(err)
        return
    chart, table = st.columns([3, 2])
    chart.plotly_chart(charts.fan_chart(mc, reference), width="stretch", key=f"{key}_fan_chart")
    with table:
        mc_table = mc.table()
        st.dataframe(mc_table, hide_index=True, width="stretch")
        downloads(mc_table, f"{slug}-monte-carlo", key=f"{key}_mc_dl")
    origin = "the scenario's own" if start.ranges else "Headroom's starting ranges (none in the scenario)"
    st.caption(f"Ranges used (triangular low / most likely / high, held across the years): {origin}.")
    st.dataframe(sc.ranges_table(ranges), hide_index=True, width="stretch")


@st.fragment
def scenario_area(start: sc.Scenario, gen: int) -> None:
    key = f"scn{gen}"
    headline = st.container()  # filled after the widgets are read, shown above them
    assumptions = _assumption_inputs(start, key)
    with st.expander("Base figures (£m), reserves policy and the DSG cliff"):
        cols = st.columns(4)
        base = {
            spec.key: cols[i % 4].number_input(
                f"{spec.label} ({'%' if spec.unit == 'pct' else '£m'})",
                min_value=0.0, max_value=100.0 if spec.unit == "pct" else None,
                value=float(start.base[spec.key]), step=0.1, format="%.3f", key=f"{key}_base_{spec.key}",
            )
            for i, spec in enumerate(BASE)
        }  # fmt: skip
        policy = st.radio(
            "Gap not closed is met from",
            RESERVES_POLICIES,
            index=RESERVES_POLICIES.index(start.reserves_policy),
            format_func=RESERVES_POLICY_LABELS.__getitem__,
            horizontal=True,
            key=f"{key}_policy",
        )
        d1, d2 = st.columns(2)
        dsg_cliff = d1.toggle(
            f"DSG cliff: the statutory override ends {DSG_OVERRIDE_END}",
            value=start.dsg_cliff,
            key=f"{key}_dsg",
            help="From 2028-29 the cumulative DSG deficit counts against usable reserves.",
        )
        written_off = d2.slider(
            "Share of the DSG deficit written off by government (%)",
            0.0, 100.0, start.dsg_written_off_pct, 5.0, key=f"{key}_dsg_off", disabled=not dsg_cliff,
        )  # fmt: skip
    name = st.text_input("Scenario name", value=start.name, key=f"{key}_name")

    try:
        live = sc.with_choices(
            start,
            name=name,
            authority=code,
            assumptions=assumptions,
            base=base,
            reserves_policy=policy,
            dsg_cliff=dsg_cliff,
            dsg_written_off_pct=written_off,
        )
        ev = sc.evaluate(live)
    except HeadroomError as err:
        show_error(err)
        return

    proj, final = ev.projection, ev.final_year
    m1, m2, m3, m4 = headline.columns(4)
    m1.metric(
        f"Cumulative gap by {final}",
        charts.money_m(ev.final_gap_gbp_m),
        help="The recurring gap left in the final year after delivered savings.",
    )
    m2.metric(
        "Reserves exhausted",
        proj.exhaustion_year() or f"Not by {final}",
        help="The first year the reserves the policy can draw on are used up (unallocated at or below zero).",
    )
    m3.metric(f"Headroom above minimum, {final}", charts.money_m(float(proj.headroom[0, -1])))
    m4.metric(
        f"Usable reserves as % of NRB, {final}",
        f"{float(proj.reserves_pct_of_nrb[0, -1]):.1f}%" if proj.net_revenue_budget[0, -1] > 0 else "—",
    )

    slug = re.sub(r"[^a-z0-9]+", "-", live.name.lower()).strip("-") or "scenario"
    # Tabs track which is open, and only the open one is drawn: a slider move then builds one chart, one
    # table and one pair of downloads instead of four (the XLSX alone is ~25 ms a table).
    gap_tab, res_tab, mc_tab, tor_tab = st.tabs(
        ["Budget gap", "Reserves", "Uncertainty", "Sensitivity"], key="scn_tab", on_change="rerun"
    )
    if gap_tab.open:
        with gap_tab:
            chart, table = st.columns([3, 2])
            chart.plotly_chart(charts.gap_chart(proj, reference), width="stretch", key=f"{key}_gap_chart")
            with table:
                gap_table = proj.gap_table()
                st.dataframe(gap_table, hide_index=True, width="stretch")
                downloads(gap_table, f"{slug}-gap", key=f"{key}_gap_dl")
            if approved is not None:
                st.caption(f"This scenario against the approved MTFS ({approved.version.label}), cumulative gap:")
                against = mtfs.difference_table(proj, approved)
                st.dataframe(against, hide_index=True, width="stretch", key=f"{key}_mtfs_diff")
                downloads(against, f"{slug}-against-approved-mtfs", key=f"{key}_mtfs_dl")
    if res_tab.open:
        with res_tab:
            chart, table = st.columns([3, 2])
            chart.plotly_chart(charts.reserves_chart(proj), width="stretch", key=f"{key}_res_chart")
            with table:
                reserves_table = proj.reserves_table()
                st.dataframe(reserves_table, hide_index=True, width="stretch")
                downloads(reserves_table, f"{slug}-reserves", key=f"{key}_res_dl")
    if mc_tab.open:
        with mc_tab:
            _uncertainty(live, start, key, slug)
    if tor_tab.open:
        with tor_tab:
            chart, table = st.columns([3, 2])
            chart.plotly_chart(charts.tornado_chart(ev.sensitivities, final), width="stretch", key=f"{key}_tor_chart")
            with table:
                sens_table = ev.sensitivity_table()
                st.dataframe(sens_table, hide_index=True, width="stretch")
                downloads(sens_table, f"{slug}-sensitivity", key=f"{key}_tor_dl")

    s1, s2, s3 = st.columns([2, 2, 1])
    who = s1.text_input("Your name (recorded with the saved scenario)", key="scn_who")
    note = s2.text_input("Note (optional)", key=f"{key}_note")
    s3.download_button(
        "Export TOML", sc.scenario_to_toml(live), file_name=f"{slug}.toml", mime="application/toml", key=f"{key}_exp"
    )
    if can("save_scenario") and s3.button("Save scenario", key=f"{key}_save", type="primary", disabled=code is None):
        try:
            with acting(store, "save_scenario"):  # a fragment rerun: name the actor explicitly
                saved = sc.save_scenario(store, live, authority_code=str(code), user=who, note=note)
        except HeadroomError as err:
            show_error(err)
        else:
            st.session_state[FLASH] = f"Saved {saved.label}."
            st.rerun()


scenario_area(st.session_state[START], st.session_state[GEN])

# -- the approved MTFS's versions -----------------------------------------------------------------------------
st.subheader("Approved MTFS versions")
held = mtfs.all_series(store, code) if code is not None else []
if not held:
    st.caption(
        "No approved MTFS uploaded for this authority: add an MTFS sheet to a workbook on the Upload page (the "
        "template has one). Each upload is kept as a version beside the earlier ones."
    )
else:
    st.dataframe(mtfs.versions_list(held), hide_index=True, width="stretch", key="scn_mtfs_versions")
    moved = mtfs.versions_table(held)
    chart, table = st.columns([3, 2])
    chart.plotly_chart(mtfs.versions_chart(held), width="stretch", key="scn_mtfs_versions_chart")
    with table:
        st.caption("The gap new in each year after savings identified, by version (oldest first), and the change:")
        st.dataframe(moved, hide_index=True, width="stretch", key="scn_mtfs_moved")
        downloads(moved, "mtfs-versions", key="scn_mtfs_moved_dl")

# -- saved scenarios and comparison ---------------------------------------------------------------------------
st.subheader("Saved scenarios")
if code is None:
    st.info("Choose an authority in the sidebar to save and compare scenarios.")
    st.stop()
saved_list = sc.list_scenarios(store, code, all_versions=True)
if saved_list and approved is not None:
    st.caption(f"Each saved scenario's cumulative gap less the approved MTFS's ({approved.version.label}), £m:")
    try:
        against_all = mtfs.scenarios_against({s.label: s.scenario() for s in saved_list}, approved)
    except HeadroomError as err:
        show_error(err)
    else:
        st.dataframe(against_all, hide_index=True, width="stretch", key="scn_saved_vs_mtfs")
        downloads(against_all, "scenarios-against-approved-mtfs", key="scn_saved_vs_mtfs_dl")
if not saved_list:
    st.caption("None saved yet for this authority. Saving a name again keeps the earlier version.")
    st.stop()
labels = {s.scenario_id: f"{s.label} · {s.saved_by} · {s.saved_at_utc:%d %b %Y %H:%M}" for s in saved_list}
chosen = st.selectbox("Saved scenario", list(labels), format_func=labels.__getitem__, key="scn_saved")
a1, a2, a3 = st.columns(3)
try:
    if a1.button("Reload", key="scn_reload"):
        picked = sc.load_saved(store, chosen)
        _use(picked.scenario(), f"the saved scenario {picked.label}")
        st.rerun()
    if can("set_current_scenario") and a2.button(
        "Mark as current", key="scn_current", help="The overview shows the current scenario's gap."
    ):
        with acting(store, "set_current_scenario"):
            sc.set_current(store, chosen, user=st.session_state.get("scn_who") or "local")
        st.session_state[FLASH] = f"{labels[chosen].split(' · ')[0]} is now the current scenario."
        st.rerun()
    if can("delete_scenario") and a3.button("Delete", key="scn_delete"):
        with acting(store, "delete_scenario"):
            sc.delete_scenario(store, chosen, user=st.session_state.get("scn_who") or "local")
        st.session_state[FLASH] = f"Deleted {labels[chosen].split(' · ')[0]}."
        st.rerun()
except HeadroomError as err:
    show_error(err)

st.subheader("Compare scenarios")
picked_ids = st.multiselect(
    "Choose 2 to 4 saved scenarios",
    list(labels),
    format_func=labels.__getitem__,
    max_selections=4,
    key="scn_compare",
)
if len(picked_ids) >= 2:
    try:
        comparison = sc.compare({s.label: s.scenario() for s in (sc.load_saved(store, i) for i in picked_ids)})
    except HeadroomError as err:
        show_error(err)
    else:
        chart, table = st.columns([3, 2])
        chart.plotly_chart(
            charts.compare_chart(comparison.projections, reference), width="stretch", key="scn_cmp_chart"
        )
        with table:
            st.dataframe(comparison.gap_table, hide_index=True, width="stretch")
            downloads(comparison.gap_table, "scenarios-compared", key="scn_cmp_dl")
        st.caption("Assumptions that differ:")
        st.dataframe(comparison.assumptions_table, hide_index=True, width="stretch")
        downloads(comparison.assumptions_table, "scenario-assumptions-compared", key="scn_cmp_diff_dl")
