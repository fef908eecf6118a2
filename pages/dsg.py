"""DSG deficit: the cumulative high-needs deficit over time with the end of the statutory override marked, what it
would mean for usable reserves if the override ended, and the peers' deficits from the official returns. Built by
`finance.committee.dsg_view.build`."""

from __future__ import annotations

import streamlit as st

from finance.years import DSG_OVERRIDE_END_TEXT
from ui import committee
from ui.shell import require_shell

require_shell()

st.title("DSG deficit")
st.caption(
    "The Dedicated Schools Grant deficit (mostly high needs / SEND) is held in an unusable reserve under the "
    f"statutory override until {DSG_OVERRIDE_END_TEXT}. Auditors ask what would happen if it ended: the deficit "
    "set against the council's usable reserves."
)

group = committee.peer_group_picker("dsg_group")
view = committee.load_view("dsg", group)
if view.message:
    committee.no_monitoring(view.message)
committee.draw_metrics(view.metrics)
for note in view.notes:
    st.caption(note)
committee.draw_panels(view.panels, tables_on_request=True)
