"""Upload monthly monitoring: download the template, upload a workbook, read the validation report or the
preview, then confirm. Everything is computed in `finance.upload`; this page only draws it."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from finance.errors import HeadroomError, InputError
from finance.format import period_label
from finance.upload import (
    commit_upload,
    lines_table,
    mtfs_lines_table,
    prepare_upload,
    preview_table,
    problems_table,
    template_bytes,
)
from ui.context import current_authority, get_store
from ui.identity import acting, can
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()
store = get_store()


CHECKED = "upload_checked"  # (file_id, PreparedUpload | None, HeadroomError | None): a file is checked once


def _confirm() -> None:
    """Commit in the button's callback: it runs before the script, so a rerun cannot drop the click."""
    file = st.session_state.get("upload_file")
    checked = st.session_state.get(CHECKED)
    if file is None or checked is None or checked[0] != file.file_id or checked[1] is None:
        return
    try:
        with acting(store):
            result = commit_upload(store, checked[1])
    except HeadroomError as err:
        st.session_state["upload_failure"] = err
    else:
        st.session_state["upload_result"] = result.summary()
        st.session_state[CHECKED] = (file.file_id, replace(checked[1], already_loaded=result.upload_id), None)


st.title("Upload monthly monitoring")
st.markdown(
    "Fill the template (or use your own workbook with sheets named Revenue, Savings, Collection, DSG, Reserves, "
    "Capital or MTFS), then upload it. Every problem is listed at once with its cell; nothing is loaded until you "
    "confirm. An MTFS sheet (the approved medium-term financial strategy, one row per year) is kept as a new "
    "version beside the earlier ones."
)
st.download_button(
    "Download the template",
    template_bytes(authority=current_authority()),
    file_name="headroom-monitoring-template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="upload_template",
)

uploaded = st.file_uploader("Monitoring workbook (.xlsx)", type=["xlsx"], key="upload_file")
if done := st.session_state.pop("upload_result", None):
    st.success(done)
if refused := st.session_state.pop("upload_failure", None):
    show_error(refused)
checked = st.session_state.get(CHECKED)
failure: HeadroomError | None = None
if uploaded is not None and checked is not None and checked[0] == uploaded.file_id:
    prepared, failure = checked[1], checked[2]
elif uploaded is not None:
    with st.status(f"Checking {uploaded.name}…", expanded=False) as status:
        bar = st.progress(0.0)

        def _progress(done: float, text: str) -> None:
            bar.progress(done, text=text)

        try:
            prepared = prepare_upload(store, uploaded.getvalue(), uploaded.name, progress=_progress)
        except HeadroomError as err:
            status.update(label=f"{uploaded.name} was refused", state="error")
            prepared = None
            failure = err
        else:
            status.update(label=f"{uploaded.name} passed every check", state="complete")
            failure = None
    st.session_state[CHECKED] = (uploaded.file_id, prepared, failure)
if uploaded is not None:
    if failure is not None:
        show_error(failure)
        if isinstance(failure, InputError):
            downloads(problems_table(failure), "monitoring-upload-problems", key="upload_problems")
    elif prepared is not None and prepared.already_loaded is not None:
        st.info(f"This exact file was already loaded as upload {prepared.already_loaded}: there is nothing to do.")
    elif prepared is not None:
        periods = ", ".join(period_label(p, month=False) for p in prepared.periods) or "(MTFS only)"
        st.subheader("What will be loaded")
        st.markdown(
            f"**{prepared.authority_name}** ({prepared.authority_code}), **{prepared.financial_year}** {periods}: "
            f"{sum(prepared.line_counts.values()):,} lines; {prepared.totals_checked} totals row(s) reconciled."
        )
        st.dataframe(preview_table(prepared), hide_index=True, width="stretch")
        for sheet in prepared.lines:
            with st.expander(f"{sheet}: {prepared.line_counts[sheet]:,} lines"):
                st.dataframe(lines_table(prepared, sheet), hide_index=True, width="stretch")
        if prepared.mtfs is not None:
            with st.expander(f"MTFS: {len(prepared.mtfs)} years, new version '{prepared.mtfs.version_name}'"):
                st.dataframe(mtfs_lines_table(prepared), hide_index=True, width="stretch")
        if can("upload"):
            st.button("Confirm and load", type="primary", key="upload_confirm", on_click=_confirm)
        else:
            st.info("Your role can check workbooks but not load them: ask someone with the finance role.")
