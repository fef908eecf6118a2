"""Data sources: every file behind the figures, with its hash, so any number can be traced back. The view is
`finance.committee.sources_view`'s; this page only draws it."""

from __future__ import annotations

import streamlit as st

from finance.committee import sources_view
from ui.cache import view
from ui.render import downloads, show_error, show_table
from ui.shell import require_shell

require_shell()

code = st.session_state.get("authority_code")
page = view(sources_view, str(code) if code else None)

st.title("Data sources")
st.markdown(page.attribution_md)
show_table(page.sources)
downloads(page.sources, "headroom-data-sources", key="sources")
st.markdown(page.how_to_load_md)

if code:
    st.subheader("What is held, year by year")
    if page.refusal is not None:
        show_error(page.refusal)
    elif (held := page.coverage) is not None:
        st.caption(
            f"{held.name} and the {held.n_peers} authorities of class {held.peer_class} (it included): for each "
            "return and basis, whether it is held for the authority, and for how many of the class."
        )
        show_table(held.grid)
        if held.needs:
            st.markdown("**Missing outturn years**")
            st.markdown("\n".join(f"- {line}" for line in held.needs))
