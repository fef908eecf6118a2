"""In-year monitoring: forecast outturn against budget by directorate, its trend, the budget-to-forecast
waterfall, savings by rating and the capital programme. Built by `finance.committee.monitoring_view.build`."""

from __future__ import annotations

import streamlit as st

from finance.committee import monitoring_view
from finance.committee.queries import data_version
from finance.errors import HeadroomError
from ui.context import current_authority, current_period, current_year, get_store
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()


@st.cache_resource(max_entries=32, show_spinner=False)
def _build(db: str, code: str, year: str, period: int | None, version: str) -> monitoring_view.MonitoringView:
    """Built once per database, selection and data version (a new upload or scenario changes `version`)."""
    return monitoring_view.build(get_store(), code, year, period)


st.title("In-year monitoring")
st.caption(
    "The latest monthly monitoring: forecast outturn against the net revenue budget (positive variance = overspend), "
    "savings delivery and the capital programme. Money in £m."
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
