"""MTFS scenarios: move the assumptions and see the gap and reserves change; save, reload, compare, import, export.

Thin: one call, `finance.scenario_page.scenario_page`, gives the view model (the start is `finance.scenarios.session`,
the approved MTFS comes from `finance.mtfs`); inputs are read into `Choices`, the view model computes, this renders.
Three fragments keep a step cheap in the browser (issue 22): the inputs (one group at a time), the results (each
input's change reruns them alone, by key) and the saved scenarios (a save reruns that list alone, not the page).
"""

from __future__ import annotations

import streamlit as st

from finance.errors import HeadroomError
from finance.scenario_page import scenario_page
from finance.scenarios import Scenario
from ui.cache import view as cached_view
from ui.committee import draw_panels
from ui.context import current_authority, get_store
from ui.identity import acting, can
from ui.render import downloads, show_error, show_table
from ui.scenario_inputs import RESULTS, draw_inputs, read_choices
from ui.shell import require_shell

require_shell()
st.title("MTFS scenarios")
st.caption(
    "Medium-term financial strategy: move an assumption and the budget gap and reserves change at once. "
    "Money in £m; assumptions in % a year unless they say £m. The base year is assumed to balance."
)
store, code = get_store(), current_authority()
page = scenario_page(store, code, st.session_state, cached_view)
begun, approved = page.begun, page.approved
if page.flash is not None:
    st.success(page.flash)

with st.expander("Starting point", expanded=True):  # -- where the scenario starts ---------------------------
    st.write(f"Starting from **{begun.origin}**.")
    if begun.problem is not None:
        show_error(begun.problem)
    if begun.base is not None:
        if begun.base.is_illustrative:
            st.warning("**Illustrative.** These base figures are generated demo data, not any real council's.",
                       icon=":material/science:")  # fmt: skip
        st.caption(f"Source of each base figure held in the returns (base year {begun.base.base_year}):")
        show_table(begun.base.table())
        if begun.base.missing:
            st.info("Not in the returns held, so starting at zero: " + ", ".join(begun.base.missing) + ".")
    if approved is not None:
        st.caption(f"Approved MTFS held: **{approved.version.label}**, from {approved.version.file_name}. Its "
                   "cumulative gap is the grey dashed line on the gap charts; a scenario started from it has every "
                   "slider at zero when it matches the approved gap.")  # fmt: skip
        show_table(approved.table(), key="scn_mtfs_table")
    b1, b2, b3 = st.columns(3)
    if b1.button("Start again from the returns", key="scn_reset", disabled=code is None):
        page.restart_from_returns()
        st.rerun()
    if page.plan is not None and code is not None and b1.button("Start from the approved MTFS", key="scn_from_mtfs"):
        page.restart_from_approved()
        st.rerun()
    if b2.button("Load the Sefton worked example", key="scn_example"):
        page.restart_from_example()
        st.rerun()
    uploaded = b3.file_uploader("Import a scenario file (TOML)", type=["toml"], key="scn_upload")
    try:
        if uploaded is not None and page.import_file(uploaded.getvalue(), uploaded.name, uploaded.file_id):
            st.rerun()
    except HeadroomError as err:
        show_error(err)
    if page.other_authority is not None:
        st.warning(page.other_authority)


@st.fragment(key=RESULTS)
def scenario_results(start: Scenario, gen: int) -> None:
    key = f"scn{gen}"
    try:
        v = page.scenario(start, read_choices(start, key, code))
    except HeadroomError as err:
        show_error(err)
        return
    per_row = 2 if len(v.metrics) == 4 else 3  # wide enough that no figure ("Not by 2029-30") is cut short
    for start_at in range(0, len(v.metrics), per_row):
        for column, m in zip(st.columns(per_row), v.metrics[start_at : start_at + per_row], strict=False):
            column.metric(m.label, m.value, help=m.help or None)
    for c in v.cautions:
        (st.warning if c.level == "warning" else st.info)(c.text)
    # Only the open tab is drawn: a slider move then builds one chart, one table and one pair of downloads.
    tabs = st.tabs(["Budget gap", "Reserves", "Uncertainty", "Sensitivity"], key="scn_tab", on_change="rerun")
    for tab, kind in zip(tabs, ("gap", "reserves", None, "sensitivity"), strict=True):
        if not tab.open:
            continue
        with tab:
            if kind is None:
                u1, u2 = st.columns(2)
                sims = int(u1.number_input("Simulations", 100, 50_000, 2_000, 500, key=f"{key}_sims"))
                seed = int(u2.number_input("Seed (the same seed gives the same result)", 0, 1_000_000, 1, 1,
                                           key=f"{key}_seed"))  # fmt: skip
                try:
                    u = page.uncertainty(v, start, sims, seed)
                except HeadroomError as err:
                    show_error(err)
                    continue
                draw_panels([u.panel], tables_on_request=True)
                st.caption(f"Ranges used (triangular low / most likely / high, held across the years): "
                           f"{u.ranges_origin}.")  # fmt: skip
                show_table(u.ranges)
                continue
            draw_panels([v.panel(kind)], tables_on_request=True)
            if kind == "gap" and approved is not None and (against := page.against_approved(v)) is not None:
                st.caption(f"This scenario against the approved MTFS ({approved.version.label}), cumulative gap:")
                show_table(against, key=f"{key}_mtfs_diff")
                downloads(against, f"{v.slug}-against-approved-mtfs", key=f"{key}_mtfs_dl")
    st.download_button("Export this scenario (TOML)", lambda: page.export_toml(v), file_name=f"{v.slug}.toml",
                       mime="application/toml", key=f"{key}_exp", on_click="ignore")  # fmt: skip


def act(action: str, start: Scenario, key: str) -> None:
    """A button's callback (save, mark current, or delete), run before the saved scenarios' fragment redraws."""
    state, user = st.session_state, st.session_state.get("scn_who") or "local"
    try:
        with acting(store):  # a fragment rerun may run on another thread: bind the actor here
            if action == "save":
                page.save(page.scenario(start, read_choices(start, key, code)), who=state.get("scn_who", ""),
                          note=state.get(f"{key}_note", ""))  # fmt: skip
            else:
                (page.mark_current if action == "current" else page.delete)(state["scn_saved"], user=user)
    except HeadroomError as err:
        state["scn_refused"] = err


@st.fragment(key="scn_saved_area")
def saved_scenarios(start: Scenario, gen: int) -> None:
    key, args = f"scn{gen}", (start, f"scn{gen}")
    st.subheader("Save this scenario")
    s1, s2, s3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    s1.text_input("Your name (recorded with the saved scenario)", key="scn_who")
    s2.text_input("Note (optional)", key=f"{key}_note")
    if can("save_scenario"):
        s3.button("Save scenario", key=f"{key}_save", type="primary", disabled=code is None, on_click=act,
                  args=("save", *args))  # fmt: skip
    if (refused := st.session_state.pop("scn_refused", None)) is not None:
        show_error(refused)
    if (done := page.take_flash()) is not None:
        st.success(done)
    st.subheader("Saved scenarios")
    if code is None:
        st.info("Choose an authority in the sidebar to save and compare scenarios.")
        return
    if page.saved and approved is not None:
        st.caption(f"Each saved scenario's cumulative gap less the approved MTFS's ({approved.version.label}), £m:")
        try:
            against_all = page.saved_against_approved()
        except HeadroomError as err:
            show_error(err)
        else:
            show_table(against_all, key="scn_saved_vs_mtfs")
            downloads(against_all, "scenarios-against-approved-mtfs", key="scn_saved_vs_mtfs_dl")
    if not page.saved:
        st.caption("None saved yet for this authority. Saving a name again keeps the earlier version.")
        return
    labels = page.saved_labels
    chosen = st.selectbox("Saved scenario", list(labels), format_func=labels.__getitem__, key="scn_saved")
    a1, a2, a3 = st.columns(3)
    try:
        if a1.button("Reload", key="scn_reload"):
            page.reload(chosen)
            st.rerun()  # a new start: the whole page
    except HeadroomError as err:
        show_error(err)
    if can("set_current_scenario"):
        a2.button("Mark as current", key="scn_current", help="The overview shows the current scenario's gap.",
                  on_click=act, args=("current", *args))  # fmt: skip
    if can("delete_scenario"):
        a3.button("Delete", key="scn_delete", on_click=act, args=("delete", *args))
    st.subheader("Compare scenarios")
    ids = st.multiselect("Choose 2 to 4 saved scenarios", list(labels), format_func=labels.__getitem__,
                         max_selections=4, key="scn_compare")  # fmt: skip
    if len(ids) >= 2:
        try:
            compared = page.compare(ids)
        except HeadroomError as err:
            show_error(err)
        else:
            draw_panels([compared.panel])
            st.caption("Assumptions that differ:")
            show_table(compared.assumptions)
            downloads(compared.assumptions, "scenario-assumptions-compared", key="scn_cmp_diff_dl")


draw_inputs(begun.scenario, page.generation)
scenario_results(begun.scenario, page.generation)
saved_scenarios(begun.scenario, page.generation)

st.subheader("Approved MTFS versions")  # -- the approved MTFS's versions -----------------------------------------
if page.versions is None:
    st.caption("No approved MTFS uploaded for this authority: add an MTFS sheet to a workbook on the Upload page (the "
               "template has one). Each upload is kept as a version beside the earlier ones.")  # fmt: skip
else:
    show_table(page.versions.table, key="scn_mtfs_versions")
    draw_panels([page.versions.panel])
