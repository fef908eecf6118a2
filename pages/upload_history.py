"""Upload history: every monitoring workbook loaded, which is current, and withdrawing one (the previous upload
for its periods becomes current again). The view is `finance.upload.history_view`'s."""

from __future__ import annotations

import streamlit as st

from finance.errors import HeadroomError
from finance.upload import history_view, withdraw_upload
from ui.cache import view
from ui.context import current_authority, get_store
from ui.identity import acting, can
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()
store = get_store()


def _withdraw() -> None:
    """Withdraw in the submit button's callback: it runs before the script, so a rerun cannot drop the click."""
    if not st.session_state.get("history_sure"):
        st.session_state["history_warning"] = "Tick the box to confirm the withdrawal."
        return
    upload_id = int(st.session_state["history_upload"])
    try:
        with acting(store):
            withdraw_upload(store, upload_id)
    except HeadroomError as err:
        st.session_state["history_failure"] = err
    else:
        st.session_state["history_message"] = f"Upload {upload_id} was withdrawn."


authority = current_authority()

st.title("Upload history")
only_this = st.toggle(f"Only {authority}", value=authority is not None, key="history_only", disabled=not authority)
scope = authority if only_this else None
if message := st.session_state.pop("history_message", None):
    st.success(message)
if warning := st.session_state.pop("history_warning", None):
    st.warning(warning)
if failure := st.session_state.pop("history_failure", None):
    show_error(failure)

history = view(history_view, scope)
if history.table.empty:
    st.info("No monitoring workbooks have been uploaded yet.")
else:
    show_table(history.table)
    downloads(history.table, "monitoring-upload-history", key="history")
    choices = list(history.withdrawable)
    if choices and can("withdraw_upload"):
        with st.form("history_withdraw"):
            st.markdown(
                "**Withdraw an upload** — it stays in the history; for each of its periods the latest earlier "
                "upload, if any, becomes current again."
            )
            st.selectbox("Upload", choices, key="history_upload")
            st.checkbox("I understand the figures shown for these periods will change", key="history_sure")
            st.form_submit_button("Withdraw", on_click=_withdraw)
