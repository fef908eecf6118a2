"""Upload history: every monitoring workbook loaded, which is current, and withdrawing one (the previous upload
for its periods becomes current again). Tables come from `finance.monitoring.display`."""

from __future__ import annotations

import streamlit as st

from finance.errors import HeadroomError
from finance.monitoring import withdraw_upload
from finance.monitoring.display import history_table, withdrawable
from ui.context import current_authority, get_store
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()
store = get_store()
authority = current_authority()

st.title("Upload history")
only_this = st.toggle(f"Only {authority}", value=authority is not None, key="history_only", disabled=not authority)
scope = authority if only_this else None
message = st.session_state.pop("history_message", None)
if message:
    st.success(message)

history = history_table(store, scope)
if history.empty:
    st.info("No monitoring workbooks have been uploaded yet.")
else:
    st.dataframe(history, hide_index=True, width="stretch")
    downloads(history, "monitoring-upload-history", key="history")
    choices = withdrawable(store, scope)
    if choices:
        with st.form("history_withdraw"):
            st.markdown(
                "**Withdraw an upload** — it stays in the history; the previous upload for its periods "
                "becomes current again."
            )
            upload_id = st.selectbox("Upload", choices, key="history_upload")
            sure = st.checkbox("I understand the figures shown for these periods will change", key="history_sure")
            if st.form_submit_button("Withdraw"):
                if not sure:
                    st.warning("Tick the box to confirm the withdrawal.")
                else:
                    try:
                        withdraw_upload(store, int(upload_id))
                    except HeadroomError as err:
                        show_error(err)
                    else:
                        st.session_state["history_message"] = f"Upload {upload_id} was withdrawn."
                        st.rerun()
