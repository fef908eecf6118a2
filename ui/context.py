"""The per-process database and the per-session selection (authority, year) that every page shares.

A page may show another year or period than the one chosen (a benchmark falls back to the latest return held, a
committee page shows the latest period its own sheets have); it says which with `report_used`, and the sidebar,
drawn after the page, shows that (issue 14: the sidebar always shows the selection the page uses).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

import streamlit as st

from finance import config
from finance.backup import ScheduledBackups, schedule_from_env
from finance.errors import HeadroomError
from finance.store import Store

AUTHORITY_KEY = "authority_code"
YEAR_KEY = "financial_year"
PERIOD_KEY = "monitoring_period"
USED_KEY = "page_used_selection"


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
    path = config.db_path(_db_from_argv())
    backup_schedule(path)
    return _open_store(path)


@st.cache_resource(show_spinner=False)
def backup_schedule(path: str) -> ScheduledBackups | None:
    """The app's scheduled backups (started once per process when HEADROOM_BACKUP_DIR is set)."""
    try:
        return schedule_from_env(_open_store(path))
    except HeadroomError as err:
        logging.getLogger(__name__).error("scheduled backups not started: %s", err)
        return None


def current_authority() -> str | None:
    value = st.session_state.get(AUTHORITY_KEY)
    return str(value) if value else None


def current_year() -> str | None:
    value = st.session_state.get(YEAR_KEY)
    return str(value) if value else None


def require_selection() -> tuple[str, str]:
    """The sidebar's authority and year; without both, the page says how to choose them and stops there."""
    code, year = current_authority(), current_year()
    if code is None or year is None:
        st.info("Choose an authority and year in the sidebar.")
        st.stop()
    return code, year


def current_period() -> int | None:
    """The monitoring period chosen in the sidebar (1..12, April = P1), or None for the latest held (stored as 0)."""
    value = st.session_state.get(PERIOD_KEY)
    return int(value) if value else None


@dataclass(frozen=True)
class Used:
    """The year and monitoring period (None: none) a page actually shows, and why it differs from the choice."""

    year: str
    period: int | None = None
    note: str = ""


def report_used(year: str, period: int | None = None, note: str = "") -> None:
    """Say which year and period this page shows, for the sidebar (drawn after the page) to show the same."""
    st.session_state[USED_KEY] = Used(year, period, note)


def take_used() -> Used | None:
    """What the page just run reported (and forget it, so the next page starts clean)."""
    used = st.session_state.pop(USED_KEY, None)
    return used if isinstance(used, Used) else None
