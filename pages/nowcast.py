"""Reserves nowcast: projected year-end usable reserves from the latest monitoring, re-ranked among the peers'
latest official figures, before the official data arrives. Built by `finance.committee.nowcast_view.build`."""

from __future__ import annotations

import streamlit as st

from ui import committee
from ui.shell import require_shell

require_shell()

st.title("Reserves nowcast")
st.caption(
    "Where the council's usable reserves would stand among its peers at this year end, from the latest monitoring: "
    "opening balances less forecast use and the forecast overspend (ring-fenced reserves excluded), as % of net "
    "revenue expenditure on the council's latest return — the peers' definitions."
)

group = committee.peer_group_picker("nowcast_group")
view = committee.load_view("nowcast", group)
if view.message:
    committee.no_monitoring(view.message)
else:
    st.info(view.caveat, icon=":material/history:")
committee.draw_metrics(view.metrics)
committee.draw_panels(view.panels, tables_on_request=True)
