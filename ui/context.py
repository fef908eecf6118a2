"""The per-process database and the per-session selection (authority, year) that every page shares."""

from __future__ import annotations

import sys

import streamlit as st

from finance import config
from finance.store import Store

AUTHORITY_KEY = "authority_code"
YEAR_KEY = "financial_year"


def _db_from_argv() -> str | None:
    """`streamlit run app.py -- --db PATH` passes `--db` through to the script."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--db="):
            return arg.split("=", 1)[1]
    return None


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    return Store.open(path)


def get_store() -> Store:
    """The one Store of this server process (a DuckDB file has one writing process)."""
    return _open_store(config.db_path(_db_from_argv()))


def current_authority() -> str | None:
    value = st.session_state.get(AUTHORITY_KEY)
    return str(value) if value else None


def current_year() -> str | None:
    value = st.session_state.get(YEAR_KEY)
    return str(value) if value else None
