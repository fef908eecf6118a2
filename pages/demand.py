"""Demand: children looked after, EHC plans and households in temporary accommodation for the selected authority,
against its peer group and beside the council's own budget lines. Built by `finance.committee.demand_page`."""

from __future__ import annotations

import streamlit as st

from finance.committee import demand_page
from finance.indicators import DEMAND_AREAS
from finance.peergroups import GROUP_LABELS
from ui import url
from ui.cache import view
from ui.committee import draw_panels
from ui.context import require_selection
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()

st.title("Demand")
st.caption(
    "Official demand statistics — DfE children looked after (at 31 March), DfE EHC plans (caseload in January; new "
    "plans and 20-week timeliness in the calendar year) and MHCLG households in temporary accommodation (at the "
    "quarter end) — each at the latest point up to the end of the sidebar's year, against the peer group's median "
    "and quartiles. Members without the duty are not applicable; a missing or suppressed figure is never zero."
)
group = url.group_picker("dm_group", list(GROUP_LABELS), GROUP_LABELS.__getitem__)
area = st.radio("Series", list(DEMAND_AREAS), format_func=DEMAND_AREAS.__getitem__, horizontal=True, key="dm_area")
code, sidebar_year = require_selection()
# the year is this page's own, as on Service spending: demand points (a quarter to December 2025, January 2025)
# fall in years the reserves returns do not cover, so the sidebar's year is the default only where it is held here
year_slot = st.container()  # the picker goes above what it chooses; the view says what there is to choose
page = view(demand_page, code, st.session_state.get(f"dm_year_{code}"), sidebar_year, group, area)
if page.years:
    year_slot.selectbox("Figures up to the end of", page.years, index=page.year_index, key=f"dm_year_{code}")
if page.problem is not None:
    show_error(page.problem)
    st.stop()
built, own = page.shown()

st.subheader(built.heading)
st.caption(f"{built.data.peers.definition}. Source: {built.data.peers.source}.")
if built.message:
    st.info(built.message)
show_table(built.summary, key="dm_summary")
downloads(built.summary, f"headroom-demand-{code}", key="dm_summary")
for note in built.notes[area]:
    st.caption(note)
draw_panels(built.panels[area], tables_on_request=True)
with st.expander(f"Members of the peer group ({len(built.members)})"):
    show_table(built.members, key="dm_members")

st.subheader(own.heading)
if own.message:
    st.info(own.message)
else:
    st.caption(own.caption)
    if own.split_panel is not None:  # across the page, the table of every figure under it
        st.subheader(own.split_panel.title)
        st.plotly_chart(own.split_panel.figure, width="stretch", key="dm_own_split_chart")
        st.caption(own.split_panel.caption)
    show_table(own.table, key="dm_own_split")
    downloads(own.table, f"headroom-demand-split-{code}-{sidebar_year}", key="dm_own_split")
    draw_panels(own.volume_panels, tables_on_request=True)
