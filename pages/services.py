"""Service spending: the selected authority's net current expenditure by service, beside a peer group."""

from __future__ import annotations

import streamlit as st

from finance.benchmark import GROUP_LABELS
from finance.errors import HeadroomError
from finance.indicators import service_page, service_year_options
from ui.cache import view
from ui.context import current_authority, current_year
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()

st.title("Service spending")
st.caption(
    "Net current expenditure by service (outturn, £m), from the government's Revenue Outturn returns: RS where "
    "held, else RSX (2024-25 is published as RSX before RS). Shares are of the authority's own total service "
    "expenditure, so councils of different sizes compare. 2010-11 has one combined social care line."
)
group = st.selectbox("Peer group", list(GROUP_LABELS), format_func=GROUP_LABELS.__getitem__, key="sv_group")
code = current_authority()
if code is None:
    st.info("Choose an authority in the sidebar.")
    st.stop()
# the year is this page's own: service lines are held for years the reserves returns are not (RSX 2024-25
# before RS 2024-25), so the sidebar's year is the default only where it is held here
years = view(service_year_options, code)
sidebar_year = current_year()
year = None
if years:
    default = years.index(sidebar_year) if sidebar_year in years else 0
    year = st.selectbox("Year", years, index=default, key=f"sv_year_{code}")
try:
    spending, note = view(service_page, code, year, group)
except HeadroomError as err:
    show_error(err)
    st.stop()

st.subheader(f"{spending.authority.name}, {spending.financial_year} — peer group: {GROUP_LABELS[spending.group]}")
if sidebar_year is not None and sidebar_year not in years:
    st.info(f"No service spending held for {sidebar_year}, the sidebar's year: showing the latest year held.")
elif note:
    st.info(note)
st.caption(f"Source: {spending.source}. Peers on the return: {spending.n_peers}.")
table = spending.table()
st.dataframe(table, hide_index=True, width="stretch")
downloads(table, f"headroom-service-spending-{spending.authority.code}-{spending.financial_year}", key="sv")
if spending.peer_group is not None:
    st.caption(f"Peer group: {spending.peer_group.definition}. Members from {spending.peer_group.source}.")
    with st.expander("Peer group members", expanded=spending.group in ("NN", "SN")):
        titles = {r.title: r.line for r in spending.rows}
        service = st.selectbox("Service", list(titles), key="sv_members_service")
        if service is not None:
            members = spending.members_table(titles[service])
            st.dataframe(members, hide_index=True, width="stretch", key="sv_members")
