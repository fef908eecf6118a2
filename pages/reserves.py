"""Reserves benchmark: rank the selected authority's reserves among its peers, and show its own trend. The view
is `finance.reserves_view.build`'s; this page only reads the controls and draws it."""

from __future__ import annotations

import streamlit as st

from finance import reserves_view as rv
from finance.errors import HeadroomError
from ui import url
from ui.cache import view as cached_view
from ui.context import report_used, require_selection
from ui.render import chart_png_download, downloads, show_error, show_table
from ui.shell import require_shell

require_shell()

st.title("Reserves benchmark")
st.caption(
    "Where the authority's reserves stand among its peers, from the government's own outturn returns. "
    "Usable reserves = unallocated + other earmarked reserves (excluding schools, public health and DSG)."
)

controls = st.columns([3, 2, 2, 2])
measure = controls[0].selectbox(
    "Measure",
    list(rv.MEASURES),
    index=list(rv.MEASURES).index(rv.DEFAULT_MEASURE),
    format_func=rv.MEASURES.__getitem__,
    key="rb_measure",
)
point = controls[1].radio("When", list(rv.POINT_LABELS), format_func=rv.POINT_LABELS.__getitem__, key="rb_point")
group = url.group_picker("rb_group", list(rv.GROUPS), rv.GROUPS.__getitem__, controls[2])

code, year = require_selection()

try:
    view = cached_view(rv.build, code=code, year=year, measure=measure, point=point, group=group)
except HeadroomError as err:
    show_error(err)
    st.stop()

report_used(view.ranking.year, None, view.year_note)
if view.year_note:
    st.info(view.year_note, icon=":material/event:")
st.caption(view.basis_note)
st.caption(view.group_note)
m1, m2, m3 = st.columns(3)
m1.metric(f"{view.authority.name}", view.value_text, help=view.measure_label)
m2.metric("Position among peers", view.rank_short)
m3.metric(view.travel_label, view.travel_short)
st.write(f"{view.rank_text} {view.travel_text}")

# each chart the full width of the page with its table below it, so neither is cut at any width
st.plotly_chart(view.ranking_figure, width="stretch", key="rb_ranking_chart")
chart_png_download(view.ranking_figure, f"reserves-ranking-{year}-{measure}-{point}-{group}", key="rb_rank")
show_table(view.ranking_table, height=420)
downloads(view.ranking_table, f"reserves-ranking-{year}-{measure}-{point}-{group}", key="rb_rank")

st.plotly_chart(view.series_figure, width="stretch", key="rb_series_chart")
if view.target_text:
    st.markdown(view.target_text)
chart_png_download(view.series_figure, f"reserves-series-{code}-{measure}-{point}", key="rb_series")
show_table(view.series_table)
downloads(view.series_table, f"reserves-series-{code}-{measure}-{point}", key="rb_series")
