"""Income collection: the cumulative share of each income stream collected by period against the same period last
year, the year-end position against England's published rates, and arrears. Built by
`finance.committee.collection_view.build`."""

from __future__ import annotations

import streamlit as st

from finance.committee import collection_view
from finance.committee.queries import data_version
from finance.errors import HeadroomError
from ui.context import current_authority, current_period, current_year, get_store
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()


@st.cache_resource(max_entries=32, show_spinner=False)
def _build(db: str, code: str, year: str, period: int | None, version: str) -> collection_view.CollectionView:
    """Built once per database, selection and data version (a new upload or scenario changes `version`)."""
    return collection_view.build(get_store(), code, year, period)


st.title("Income collection")
st.caption(
    "How much of this year's council tax, business rates and other income has been collected so far, against the "
    "same point last year. Rates are cumulative: collected to date ÷ the year's collectable amount."
)

code, year = current_authority(), current_year()
if code is None or year is None:
    st.info("Choose an authority and year in the sidebar.")
    st.stop()

try:
    store = get_store()
    view = _build(store.path, code, year, current_period(), data_version(store))
except HeadroomError as err:
    show_error(err)
    st.stop()

if view.message:
    st.info(view.message, icon=":material/upload_file:")
    st.page_link("pages/upload.py", label="Open Upload monitoring", icon=":material/arrow_forward:")
    st.stop()

per_row = 2 if len(view.metrics) == 4 else 3  # wide enough that no figure is cut short
for start in range(0, len(view.metrics), per_row):
    for (label, value), column in zip(view.metrics[start : start + per_row], st.columns(per_row), strict=False):
        column.metric(label, value)

for panel in view.panels:
    st.subheader(panel.title)
    chart, table = st.columns([3, 2])
    with chart:
        st.plotly_chart(panel.figure, width="stretch", key=f"{panel.key}-chart")
        st.caption(panel.caption)
    with table:
        st.dataframe(panel.table, hide_index=True, width="stretch", key=f"{panel.key}-table")
        downloads(panel.table, panel.download_name, key=panel.key)

st.caption(f"Source of the England rates: {view.source_note}")
