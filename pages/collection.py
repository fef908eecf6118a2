"""Income collection: the cumulative share of each income stream collected by period against the same period last
year, the year-end position against England's published rates, and arrears. Built by
`finance.committee.collection_view.build`."""

from __future__ import annotations

import streamlit as st

from ui import committee
from ui.shell import require_shell

require_shell()

st.title("Income collection")
st.caption(
    "How much of this year's council tax, business rates and other income has been collected so far, against the "
    "same point last year. Rates are cumulative: collected to date ÷ the year's collectable amount."
)

view = committee.load_view("collection")
if view.message:
    committee.no_monitoring(view.message)
    st.stop()
committee.draw_metrics(view.metrics)
for text in view.target_texts:
    st.markdown(f":material/flag: {text}")
committee.draw_panels(view.panels)
st.caption(f"Source of the England rates: {view.source_note}")
