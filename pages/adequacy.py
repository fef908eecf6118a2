"""Reserve adequacy: reserves by type, status and purpose, the uncommitted share of earmarked reserves, the planned
draw-down, and the risk-based minimum simulated from the council's risk register. Built by
`finance.reserves.build_adequacy_view`; this page only draws it."""

from __future__ import annotations

import streamlit as st

from finance.errors import HeadroomError
from finance.reserves import build_adequacy_view
from ui import committee
from ui.cache import view as cached_view
from ui.context import current_period, report_used, require_selection
from ui.render import show_error, show_table
from ui.shell import require_shell

require_shell()

st.title("Reserve adequacy")
st.caption(
    "Are the council's reserves adequate for the risks it carries? The section 25 question: which reserves are "
    "already committed, what is planned to be drawn, and the minimum general fund balance its risk register implies "
    "(the 90th percentile of a simulated year's loss). Money in £m."
)

code, year = require_selection()
try:
    view = cached_view(build_adequacy_view, code, year, current_period())
except HeadroomError as err:
    show_error(err)
    st.stop()
report_used(view.year, view.period)

st.subheader(f"{view.authority.name} — {year}")
if view.message:
    committee.no_monitoring(view.message)
committee.draw_metrics(view.metrics)
for note in view.notes:
    st.caption(note)
committee.draw_panels(view.panels)
with st.expander("How a likelihood score is read", expanded=False):
    st.caption("A Risks sheet may give likelihood as a percentage or a whole score 1–5; a score is read as below.")
    show_table(view.likelihood_table, key="adequacy-likelihood")
