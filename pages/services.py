"""Service spending: the selected authority's net current expenditure by service, beside a peer group. The view
is `finance.indicators.services_view`'s; this page only reads the controls and draws it."""

from __future__ import annotations

import streamlit as st

from finance.benchmark import GROUP_LABELS
from finance.errors import HeadroomError
from finance.indicators import services_view
from ui import url
from ui.cache import view
from ui.context import current_authority, current_year
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()

st.title("Service spending")
st.caption(
    "Net current expenditure by service (outturn, £m), from the government's Revenue Outturn returns: RS where "
    "held, else RSX (2024-25 is published as RSX before RS). Shares are of the authority's own total service "
    "expenditure, so councils of different sizes compare. 2010-11 has one combined social care line."
)
group = url.group_picker("sv_group", list(GROUP_LABELS), GROUP_LABELS.__getitem__)
code = current_authority()
if code is None:
    st.info("Choose an authority in the sidebar.")
    st.stop()
# the year is this page's own: service lines are held for years the reserves returns are not (RSX 2024-25
# before RS 2024-25), so the sidebar's year is the default only where it is held here
year_key = f"sv_year_{code}"
try:
    page = view(services_view, code, st.session_state.get(year_key), current_year(), group)
except HeadroomError as err:
    show_error(err)
    st.stop()
if page.years:
    st.selectbox("Year", page.years, index=page.year_index, key=year_key)
spending = page.spending

st.subheader(f"{spending.authority.name}, {spending.financial_year} — peer group: {GROUP_LABELS[spending.group]}")
if page.note:
    st.info(page.note)
st.caption(f"Source: {spending.source}. Peers on the return: {spending.n_peers}.")
show_table(page.table)
downloads(page.table, f"headroom-service-spending-{spending.authority.code}-{spending.financial_year}", key="sv")
if spending.peer_group is not None:
    st.caption(f"Peer group: {spending.peer_group.definition}. Members from {spending.peer_group.source}.")
    with st.expander("Peer group members", expanded=spending.group in ("NN", "SN")):
        titles = {r.title: r.line for r in spending.rows}
        service = st.selectbox("Service", list(titles), key="sv_members_service")
        if service is not None:
            members = spending.members_table(titles[service])
            show_table(members, key="sv_members")
