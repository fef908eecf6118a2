"""Capital and borrowing: the capital programme by year and funding source (approved plan), this year's capital
forecast against budget and slippage by directorate (in-year forecast), the prudential indicators and borrowing
capacity (scenario projection), beside the official record of the council's debt. Built by
`finance.committee.build_capital_page`."""

from __future__ import annotations

import streamlit as st

from ui import committee
from ui.shell import require_shell

require_shell()

st.title("Capital and borrowing")
st.caption(
    "What the capital programme costs the revenue budget, and whether the borrowing stays within the limits the "
    "council sets in its treasury management strategy (authorised limit, operational boundary, financing costs as "
    "a share of the net revenue stream). Each figure says its basis: approved plan, in-year forecast, scenario "
    "projection or outturn."
)

view = committee.load_view("capital")
if view.message:
    committee.no_monitoring(view.message)
if view.rag == "Red":
    st.error("Prudential indicators: a limit is breached in the projection (see the table below).", icon="🔴")
committee.draw_metrics(view.metrics)
for note in view.notes:
    st.caption(note)
committee.draw_panels(view.panels)
