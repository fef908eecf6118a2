"""Administration (admin role only): back up now, check the database, and read the audit log of every write."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from finance.backup import ENV_BACKUP_DIR, backup, last_verified, list_backups, verify_backup
from finance.check import audit_log, check_database
from finance.errors import HeadroomError
from ui.context import backup_schedule, get_store
from ui.identity import acting, can
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()
store = get_store()

st.title("Administration")
if not can("backup"):
    st.warning("This page is for administrators.")
    st.stop()

st.subheader("Backups")
schedule = backup_schedule(store.path)
if schedule is None:
    st.info(f"Scheduled backups are off: set {ENV_BACKUP_DIR} (and HEADROOM_BACKUP_INTERVAL_H) to turn them on.")
else:
    last = schedule.last.path if schedule.last else "none yet"
    st.caption(f"Scheduled every {schedule.interval_s / 3600:g} h into {schedule.folder}; last: {last}")
    if schedule.last_error:
        st.error(f"The last scheduled backup failed: {schedule.last_error}")
default_dir = str(schedule.folder) if schedule else str(Path(store.path).parent / "backups")
folder = st.text_input("Backup folder (on the server)", value=default_dir, key="admin_backup_dir")


def _back_up_now() -> None:
    """A button callback (it runs before the script, so its result survives any rerun): snapshot as this admin."""
    try:
        with acting(store):
            result = backup(store, Path(st.session_state["admin_backup_dir"]))
    except HeadroomError as err:
        st.session_state["admin_outcome"] = err
    else:
        st.session_state["admin_outcome"] = f"Backed up to {result.path} ({result.bytes / 1048576:.1f} MB)."


def _check_now() -> None:
    st.session_state["admin_check_report"] = check_database(store)


st.button("Back up now", type="primary", key="admin_backup", on_click=_back_up_now)
outcome = st.session_state.pop("admin_outcome", None)
if isinstance(outcome, HeadroomError):
    show_error(outcome)
elif outcome:
    st.success(outcome)


def _verify_newest() -> None:
    """Re-read the newest backup in full against its manifest (sha256, every row, row counts, checks)."""
    found = list_backups(Path(st.session_state["admin_backup_dir"]))
    try:
        verify_backup(found[-1])
    except HeadroomError as err:
        st.session_state["admin_outcome"] = err
    else:
        st.session_state["admin_outcome"] = f"{Path(found[-1]).name} verified: it matches its manifest."


backups = list_backups(Path(folder))
verified = last_verified(Path(folder))
if verified is None:
    st.warning(f"No verified backup in {folder}.")
else:
    st.markdown(
        f"**Last verified backup:** `{Path(verified.path).name}` — taken {verified.taken_at_utc[:19]} UTC, "
        f"verified {verified.verified_at_utc[:19]} UTC ({sum(verified.row_counts.values()):,} rows read back, "
        f"sha256 `{verified.sha256[:16]}…`)."
    )
if backups:
    st.caption(
        f"{len(backups)} backup(s) in {folder}; newest {backups[-1].name}. Restore with "
        "`python -m finance restore FOLDER` while the app is stopped (it verifies the backup first)."
    )
    st.button("Verify the newest backup", key="admin_verify", on_click=_verify_newest)

st.subheader("Database check")
st.button("Check the database", key="admin_check", on_click=_check_now)
report = st.session_state.pop("admin_check_report", None)
if report is not None:
    (st.success if report.ok else st.error)(report.text())

st.subheader("Audit log")
log = audit_log(store)
st.dataframe(log, hide_index=True, width="stretch")
downloads(log, "headroom-audit-log", key="admin_audit")
