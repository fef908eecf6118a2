"""Demand: children looked after, EHC plans and households in temporary accommodation for the selected authority,
against its peer group and beside the council's own budget lines. Built by `finance.indicators.demand_view`."""

from __future__ import annotations

import streamlit as st

from finance.committee import uploaded_demand
from finance.errors import HeadroomError
from finance.indicators import DEMAND_AREAS, demand_view, demand_year_options
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
years = view(demand_year_options, code)
year = None
if years:
    default = years.index(sidebar_year) if sidebar_year in years else 0
    year = st.selectbox("Figures up to the end of", years, index=default, key=f"dm_year_{code}")
try:
    built = view(demand_view, code, year, group, (area,))
except HeadroomError as err:
    show_error(err)
    st.stop()

st.subheader(built.heading)
st.caption(f"{built.data.peers.definition}. Source: {built.data.peers.source}.")
if built.message:
    st.info(built.message)
show_table(built.summary, key="dm_summary")
downloads(built.summary, f"headroom-demand-{code}", key="dm_summary")
for note in built.notes[area]:
    st.caption(note)
draw_panels(built.panels[area])
with st.expander(f"Members of the peer group ({len(built.members)})"):
    show_table(built.members, key="dm_members")

own = view(uploaded_demand, code, sidebar_year)
st.subheader(own.heading)
if own.message:
    st.info(own.message)
else:
    st.caption(own.caption)
    show_table(own.table, key="dm_own_split")
    downloads(own.table, f"headroom-demand-split-{code}-{sidebar_year}", key="dm_own_split")
    for i, chart in enumerate(own.charts):
        st.plotly_chart(chart, key=f"dm_own_chart_{i}")
