"""Upload monthly monitoring: download the template, upload a workbook, read the validation report or the
preview, then confirm. The view is `finance.upload.upload_view`'s (the file is checked there, once); this page
only reads the widgets and draws it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from finance.errors import HeadroomError
from finance.upload import CheckedFile, confirm_upload, upload_view
from ui.context import current_authority, get_store
from ui.identity import acting, can, require_role
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()
store = get_store()


CHECKED = "upload_checked"  # the CheckedFile of the file chosen: a file is checked once


def _confirm() -> None:
    """Commit in the button's callback: it runs before the script, so a rerun cannot drop the click."""
    file = st.session_state.get("upload_file")
    checked: CheckedFile | None = st.session_state.get(CHECKED)
    if file is None or checked is None or checked.file_id != file.file_id or checked.prepared is None:
        return
    try:
        with acting(store):
            st.session_state["upload_result"], st.session_state[CHECKED] = confirm_upload(store, checked)
    except HeadroomError as err:
        st.session_state["upload_failure"] = err


st.title("Upload monthly monitoring")
require_role("upload")  # a role that cannot upload is told why and by whom it can be granted; nothing runs
st.markdown(
    "Fill the template (or use your own workbook with sheets named Revenue, Savings, Collection, DSG, Reserves, "
    "Capital or MTFS), then upload it. Every problem is listed at once with its cell; nothing is loaded until you "
    "confirm. An MTFS sheet (the approved medium-term financial strategy, one row per year) is kept as a new "
    "version beside the earlier ones."
)
template_slot = st.empty()
uploaded = st.file_uploader("Monitoring workbook (.xlsx)", type=["xlsx"], key="upload_file")
if done := st.session_state.pop("upload_result", None):
    st.success(done)
if refused := st.session_state.pop("upload_failure", None):
    show_error(refused)
checked = st.session_state.get(CHECKED)
opened: list[Any] = []  # the status box, when this run checks a new file


def _begin(name: str) -> Callable[[float, str], None]:
    """Called by `upload_view` as a new file's check starts: a status box whose bar follows the check."""
    opened.append(st.status(f"Checking {name}…", expanded=False))
    bar = opened[0].progress(0.0)

    def _progress(done: float, text: str) -> None:
        bar.progress(done, text=text)

    return _progress


view = upload_view(store, current_authority(), uploaded, checked, _begin)
if opened:
    opened[0].update(label=view.status, state="error" if view.checked and view.checked.failure else "complete")
st.session_state[CHECKED] = view.checked
template_slot.download_button(
    "Download the template",
    view.template,
    file_name="headroom-monitoring-template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="upload_template",
)
if view.checked is not None and view.checked.failure is not None:
    show_error(view.checked.failure)
    if view.problems is not None:
        downloads(view.problems, "monitoring-upload-problems", key="upload_problems")
elif view.already_loaded:
    if not done:  # a confirm just loaded it: the success above is this action's one outcome message
        st.info(view.already_loaded)
elif view.headline and view.preview is not None:
    st.subheader("What will be loaded")
    st.markdown(view.headline)
    show_table(view.preview)
    for warning in view.warnings:
        st.warning(warning)
    for title, lines in view.sheets:
        with st.expander(title):
            show_table(lines)
    if view.mtfs is not None:
        with st.expander(view.mtfs[0]):
            show_table(view.mtfs[1])
    if can("upload"):
        st.button("Confirm and load", type="primary", key="upload_confirm", on_click=_confirm)
    else:
        st.info("Your role can check workbooks but not load them: ask someone with the finance role.")
