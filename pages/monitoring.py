"""In-year monitoring: forecast outturn against budget by directorate, its trend, the budget-to-forecast
waterfall, savings by rating and the capital programme. Built by `finance.committee.monitoring_view.build`."""

from __future__ import annotations

import streamlit as st

from ui import committee
from ui.shell import require_shell

require_shell()

st.title("In-year monitoring")
st.caption(
    "The latest monthly monitoring: forecast outturn against the net revenue budget (positive variance = overspend), "
    "savings delivery and the capital programme. Money in £m."
)

view = committee.load_view("monitoring")
if view.message:
    committee.no_monitoring(view.message)
    st.stop()
committee.draw_metrics(view.metrics)
committee.draw_panels(view.panels, tables_on_request=True)
