"""What the committee detail pages (monitoring, collection, DSG, nowcast) draw the same way.

Each of those pages is a title, a built view from `finance.committee`, a row of metrics and a list of panels (chart
with caption beside its table and downloads); only the view and a few words differ. The view is built once per
database, selection and data version (a new upload or scenario changes the version) and kept in the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from finance.committee import (
    build_capital_page,
    build_collection_view,
    build_dsg_view,
    build_monitoring_view,
    build_nowcast_view,
)
from finance.errors import HeadroomError
from finance.peergroups import GROUP_LABELS, GROUPS
from ui import url
from ui.cache import view
from ui.context import current_period, report_used, require_selection
from ui.render import downloads, show_error, show_table, table_on_request

BUILDERS: dict[str, Callable[..., Any]] = {
    "monitoring": build_monitoring_view,
    "collection": build_collection_view,
    "dsg": build_dsg_view,
    "nowcast": build_nowcast_view,
    "capital": build_capital_page,
}


def load_view(kind: str, group: str | None = None) -> Any:
    """The built view for the sidebar's authority, year and period (and peer `group`, for the views that compare
    with peers: DSG and nowcast); stops the page (with the reason) otherwise."""
    code, year = require_selection()
    extra = () if group is None else (group,)
    try:
        built = view(BUILDERS[kind], code, year, current_period(), *extra)
    except HeadroomError as err:
        show_error(err)
        st.stop()
    report_used(built.year, built.period)
    return built


def peer_group_picker(key: str) -> str | None:
    """The peer group a committee page compares with: the authority's own class (None, the default), or any group
    of `finance.peergroups` (NN and SN are the selected authority's neighbours)."""
    options: list[str | None] = [None, *GROUPS]
    return url.group_picker(key, options, lambda g: "The authority's own class" if g is None else GROUP_LABELS[g])


def no_monitoring(message: str) -> None:
    st.info(message, icon=":material/upload_file:")
    st.page_link("pages/upload.py", label="Open Upload monitoring", icon=":material/arrow_forward:")


def draw_metrics(metrics: Sequence[tuple[str, str]]) -> None:
    per_row = 2 if len(metrics) == 4 else 3  # wide enough that no figure is cut short
    for start in range(0, len(metrics), per_row):
        for (label, value), column in zip(metrics[start : start + per_row], st.columns(per_row), strict=False):
            column.metric(label, value)


def draw_panels(panels: Sequence[Any], *, tables_on_request: bool = False, charts: bool = True) -> None:
    """Each panel: its chart the full width of the page with the caption (the chart's alt text), then its table
    and downloads below — side by side, a chart was too narrow for its labels and a table cut off its columns.

    `tables_on_request`: each table behind a "Show the data table" toggle (`ui.render.table_on_request`), for
    pages with several panels, where drawing every table is most of the time the page takes in the browser; the
    caption and the downloads stay shown. `charts=False`: the page has drawn the panels' charts as one figure of
    small multiples above (one figure draws far faster than several); each panel's title, caption, table and
    downloads follow it."""
    for panel in panels:
        st.subheader(panel.title)
        if charts:
            st.plotly_chart(panel.figure, width="stretch", key=f"{panel.key}-chart")
        st.caption(panel.caption)
        if tables_on_request:
            table_on_request(panel.table, key=f"{panel.key}-table")
        else:
            show_table(panel.table, key=f"{panel.key}-table")
        downloads(panel.table, panel.download_name, key=panel.key)
