"""Committee pack: the pages' content as one PDF to attach to a committee report, or an Excel workbook of every
table, for the authority and year chosen in the sidebar. Built by `finance.pack` (one call, `pack_page`, gives what
the page offers and builds the file); this page only asks and hands over.
"""

from __future__ import annotations

import streamlit as st

from finance import pack
from finance.errors import HeadroomError
from finance.peergroups import GROUP_LABELS, GROUPS
from ui.context import current_period, get_store, require_selection
from ui.render import show_error
from ui.shell import require_shell

require_shell()

READY = "pack_ready"  # (choice, file name, mime, bytes) of the last pack built in this session
ASKED = "pack_asked"  # set by the button's callback, which runs before the script: a rerun cannot drop the click


def _ask() -> None:
    st.session_state[ASKED] = True


st.title("Committee pack")
st.caption(
    "Everything the committee pages show — the overview cards and summary, each page's charts with their data, the "
    "RAG rules and where the data came from — as a PDF (A4, numbered pages, readable in greyscale) or as an Excel "
    "workbook with one sheet per table. The authority and year are those chosen in the sidebar."
)

code, year = require_selection()

store = get_store()
try:
    offer = pack.pack_page(store, code, year)
except HeadroomError as err:
    show_error(err)
    st.stop()

left, right = st.columns(2)
period = left.selectbox(
    "Monitoring period",
    offer.periods,
    index=offer.default_index(current_period()),
    format_func=offer.period_text,
    help="The position as reported at this period; starts at the period chosen in the sidebar.",
    key="pk_period",
)
fmt = right.radio(
    "Format",
    list(pack.FORMATS),
    format_func=lambda f: {"pdf": "PDF", "xlsx": "Excel"}[f],
    key="pk_fmt",
    horizontal=True,
)
group = st.selectbox(
    "Peer group",
    [None, *GROUPS],
    format_func=lambda g: (
        "The pages' defaults (metropolitan districts; DSG and nowcast: own class)" if g is None else GROUP_LABELS[g]
    ),
    key="pk_group",
)
sections = st.multiselect(
    "Sections",
    list(pack.SECTIONS),
    default=list(pack.SECTIONS),
    format_func=pack.SECTIONS.__getitem__,
    key="pk_sections",
)
choice = (code, year, period, tuple(sections), fmt, group, store.data_version())

st.button("Build the pack", type="primary", disabled=not sections, key="pk_build", on_click=_ask)
if st.session_state.pop(ASKED, False) and sections:
    with st.status("Building the committee pack…", expanded=True) as status:
        try:
            built = offer.build(period, sections, fmt, group, progress=st.write)
        except HeadroomError as err:
            status.update(label="The pack could not be built", state="error")
            show_error(err)
        else:
            st.session_state[READY] = (choice, built.name, built.mime, built.data)
            status.update(label=f"Pack ready: {built.sections} sections", state="complete", expanded=False)

ready = st.session_state.get(READY)
if ready is not None and ready[0] == choice:
    _, name, mime, data = ready
    st.download_button(f"Download {name}", data, file_name=name, mime=mime, type="primary", key="pk_download")
