"""Income collection and debt recovery: each stream's in-year collection rate against the same period last year and
its target, the forecast year-end rate and the shortfall's cash effect on the budget, the cumulative profile, the
debt by age, its movement, write-offs and provision cover, and the official council tax receipts against peers.
Built by `finance.committee.collection_view.build`."""

from __future__ import annotations

import streamlit as st

from ui import committee
from ui.shell import require_shell

require_shell()

st.title("Income collection and debt recovery")
st.caption(
    "How much of this year's council tax, business rates and other income has been collected so far, against the "
    "same point last year and the target, and how old the debt still owed is. Rates are cumulative: collected to "
    "date ÷ the year's collectable amount."
)

group = committee.peer_group_picker("collection_group")  # the official receipts' peers; the upload has none
view = committee.load_view("collection", group)
if view.message:
    committee.no_monitoring(view.message)
else:
    committee.draw_metrics(view.metrics)
    st.info(f"{view.forecast_rule} {view.share_note}", icon=":material/info:")
receipts = view.receipts
if receipts is not None and receipts.latest_year:
    st.caption(
        f"Official council tax receipts: the latest figures are for {receipts.latest_year} (source: {receipts.source})."
    )
elif receipts is not None and receipts.message:
    st.caption(f"Official council tax receipts: {receipts.message}")
for text in view.target_texts:
    st.markdown(f":material/flag: {text}")
committee.draw_panels(view.panels, tables_on_request=True)
if view.period:
    st.caption(f"Source of the England rates: {view.source_note}")
