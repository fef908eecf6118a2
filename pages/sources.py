"""Data sources: every file behind the figures, with its hash, so any number can be traced back."""

from __future__ import annotations

import streamlit as st

from finance import provenance
from finance.errors import HeadroomError
from finance.official import coverage
from ui.cache import view
from ui.render import downloads, show_error
from ui.shell import require_shell

require_shell()

st.title("Data sources")
st.markdown(provenance.ATTRIBUTION_MD)
sources = view(provenance.sources_table)
st.dataframe(sources, hide_index=True, width="stretch")
downloads(sources, "headroom-data-sources", key="sources")
st.markdown(provenance.HOW_TO_LOAD_MD)

code = st.session_state.get("authority_code")
if code:
    st.subheader("What is held, year by year")
    try:
        held = view(coverage, str(code))
    except HeadroomError as err:
        show_error(err)
    else:
        st.caption(
            f"{held.name} and the {held.n_peers} authorities of class {held.peer_class} (it included): for each "
            "return and basis, whether it is held for the authority, and for how many of the class."
        )
        st.dataframe(held.grid, hide_index=True, width="stretch")
        if held.needs:
            st.markdown("**Missing outturn years**")
            st.markdown("\n".join(f"- {line}" for line in held.needs))
