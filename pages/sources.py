"""Data sources: every file behind the figures, with its hash, so any number can be traced back."""

from __future__ import annotations

import streamlit as st

from finance import provenance
from ui.cache import view
from ui.render import downloads
from ui.shell import require_shell

require_shell()

st.title("Data sources")
st.markdown(provenance.ATTRIBUTION_MD)
sources = view(provenance.sources_table)
st.dataframe(sources, hide_index=True, width="stretch")
downloads(sources, "headroom-data-sources", key="sources")
st.markdown(provenance.HOW_TO_LOAD_MD)
