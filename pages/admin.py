"""Administration (admin role only): back up now, check the database, and read the audit log of every write.
The view and the actions are `finance.admin_view`'s; this page only draws them."""

from __future__ import annotations

import streamlit as st

from finance import admin_view as admin
from finance.errors import HeadroomError
from ui.context import backup_schedule, get_store
from ui.identity import acting, require_role
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()
store = get_store()

st.title("Administration")
require_role("backup")

schedule = backup_schedule(store.path)
view = admin.admin_view(store, schedule, st.session_state.get("admin_backup_dir"))


def _back_up_now() -> None:
    """A button callback (it runs before the script, so its result survives any rerun): snapshot as this admin."""
    try:
        with acting(store):
            st.session_state["admin_outcome"] = admin.back_up_now(store, st.session_state["admin_backup_dir"])
    except HeadroomError as err:
        st.session_state["admin_outcome"] = err


def _verify_newest() -> None:
    try:
        st.session_state["admin_outcome"] = admin.verify_newest(st.session_state["admin_backup_dir"])
    except HeadroomError as err:
        st.session_state["admin_outcome"] = err


def _check_now() -> None:
    st.session_state["admin_check_report"] = admin.check_now(store)


st.subheader("Backups")
(st.caption if view.scheduled else st.info)(view.schedule_text)
if view.schedule_error:
    st.error(f"The last scheduled backup failed: {view.schedule_error}")
st.text_input("Backup folder (on the server)", value=view.default_folder, key="admin_backup_dir")
st.button("Back up now", type="primary", key="admin_backup", on_click=_back_up_now)
outcome = st.session_state.pop("admin_outcome", None)
if isinstance(outcome, HeadroomError):
    show_error(outcome)
elif outcome:
    st.success(outcome)
if view.last_verified_text is None:
    st.warning(view.no_verified_text)
else:
    st.markdown(view.last_verified_text)
if view.backups_text:
    st.caption(view.backups_text)
    st.button("Verify the newest backup", key="admin_verify", on_click=_verify_newest)

st.subheader("Database check")
st.button("Check the database", key="admin_check", on_click=_check_now)
report = st.session_state.pop("admin_check_report", None)
if report is not None:
    (st.success if report.ok else st.error)(report.text())

st.subheader("Audit log")
show_table(view.audit_log)
downloads(view.audit_log, "headroom-audit-log", key="admin_audit")
