"""Guard that every page runs inside the app shell (app.py), never on its own.

Why: the design keeps page scripts in a `pages/` folder beside app.py. Streamlit still treats such a folder as
its legacy ("v1") multipage layout until `st.navigation` has been called once in the process, and in that mode
it can execute a page script directly, skipping app.py — on a server's very first run when a user opens a page's
URL, and on every AppTest run. The page would then have no sidebar and no selection. Each page calls
`require_shell()` first: if the legacy mode is active it is switched off and the run restarts through app.py.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_shell() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
