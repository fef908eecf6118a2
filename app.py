"""Headroom's shell: page config, navigation, and the sidebar selection every page shares.

Run with `streamlit run app.py` (see README). Pages live in `pages/` and are thin; everything they compute
comes from `finance`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from finance import config
from finance.bootstrap import ensure_ready
from ui import identity, sidebar
from ui.context import get_store

# The tab's icon is a file served by this server: a Material icon or an emoji here makes the browser fetch the
# favicon from fonts.gstatic.com, which a council network offline or behind a proxy cannot reach.
st.set_page_config(page_title="Headroom", page_icon=str(Path(__file__).parent / "ui" / "icon.png"), layout="wide")


@st.cache_resource(show_spinner="Preparing the database (first run only)…")
def _bootstrap(db: str) -> list[str]:
    report = ensure_ready(get_store(), config.official_dir())
    return report.official_errors


store = get_store()
boot_errors = _bootstrap(store.path)

# The navigation. Each entry is a thin script in pages/; sections group them in the sidebar.
PAGES: dict[str, list[st.Page]] = {
    "Committee": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/monitoring.py", title="In-year monitoring", icon=":material/query_stats:"),
        st.Page("pages/collection.py", title="Income collection", icon=":material/payments:"),
        st.Page("pages/dsg.py", title="DSG deficit", icon=":material/school:"),
        st.Page("pages/capital.py", title="Capital and borrowing", icon=":material/construction:"),
        st.Page("pages/nowcast.py", title="Reserves nowcast", icon=":material/update:"),
        st.Page("pages/adequacy.py", title="Reserve adequacy", icon=":material/shield:"),
        st.Page("pages/methodology.py", title="Methodology", icon=":material/menu_book:"),
        st.Page("pages/pack.py", title="Committee pack", icon=":material/picture_as_pdf:"),
    ],
    "Benchmarks": [
        st.Page("pages/reserves.py", title="Reserves benchmark", icon=":material/leaderboard:"),
        st.Page("pages/resilience.py", title="Resilience profile", icon=":material/monitor_heart:"),
        st.Page("pages/services.py", title="Service spending", icon=":material/account_balance:"),
        st.Page("pages/demand.py", title="Demand", icon=":material/groups:"),
    ],
    "Planning": [
        st.Page("pages/scenarios.py", title="MTFS scenarios", icon=":material/tune:"),
        st.Page("pages/targets.py", title="Targets", icon=":material/flag:"),
    ],
    "Data": [
        st.Page("pages/upload.py", title="Upload monitoring", icon=":material/upload_file:"),
        st.Page("pages/upload_history.py", title="Upload history", icon=":material/history:"),
        st.Page("pages/sources.py", title="Data sources", icon=":material/database:"),
    ],
}

# Who is signed in and the pages their role may use; expanded: the sidebar lists every page (no "View more").
navigation = st.navigation(identity.guard(store, PAGES), expanded=True)
slot = sidebar.prepare(navigation.url_path)
for message in boot_errors:
    st.sidebar.warning(f"An official file in the import folder was not loaded: {message}")
try:
    navigation.run()
finally:  # also when the page stops early (st.stop) or reruns: the pickers are always drawn
    sidebar.render(slot, navigation.url_path)
