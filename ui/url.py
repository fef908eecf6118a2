"""The selection in the address bar: authority, year, period and peer group live in the URL's query string, so a
reload or a shared link opens where the user left off.

The session's own state stays the source every page reads; the URL mirrors it. A value in the URL is taken only
when it came from outside this session (a link, a reload, an edited address): each value this session writes is
remembered, so a widget changed a moment ago is never overruled by the URL's older value. A value that is not
one of the choices offered is ignored with a short note, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

AUTHORITY = "authority"
YEAR = "year"
PERIOD = "period"
GROUP = "group"
_WRITTEN = "url_written"


def _written() -> dict[str, str | None]:
    written = st.session_state.get(_WRITTEN)
    if not isinstance(written, dict):
        written = {}
        st.session_state[_WRITTEN] = written
    return written


def asked(param: str) -> str | None:
    """The URL's value for `param` when it came from outside this session (a link or reload), else None."""
    value = st.query_params.get(param)
    if value is None or value == _written().get(param):
        return None
    return str(value)


def write(param: str, value: str | None) -> None:
    """Put the session's choice into the URL (None: take `param` out of it)."""
    _written()[param] = value
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def ignored_note(param: str, value: str, showing: str) -> str:
    """The short note shown when the link's value cannot be used."""
    return f"The link's {param} “{value}” is not available here; showing {showing}."


def choice(param: str, key: str, options: Sequence[Any], to_text: Callable[[Any], str] = str) -> str | None:
    """Before a page's selectbox keyed `key` is drawn: take its value from the URL when the URL brings a new one
    that is among `options` (compared as `to_text(option)`). Returns the note to show when it is not, else None.
    Call `keep(param, value, to_text)` after the widget to write the choice back."""
    value = asked(param)
    if value is None:
        return None
    by_text = {to_text(o): o for o in options}
    _written()[param] = value  # seen: a rerun does not take it again
    if value in by_text:
        st.session_state[key] = by_text[value]
        return None
    return ignored_note(param, value, "the page's own choice")


def keep(param: str, value: Any, to_text: Callable[[Any], str] = str) -> None:
    """After the widget: the URL says what it shows (None: nothing, the page's default)."""
    write(param, None if value is None else to_text(value))


def group_picker(key: str, options: Sequence[Any], labels: Callable[[Any], str], where: Any = None) -> Any:
    """A page's peer-group selectbox whose choice lives in the URL as `group` (`None`, the page's default, is
    left out of the URL). `where` is the container to draw in (default: the page)."""
    target = where if where is not None else st
    note = choice(GROUP, key, options, to_text=_group_text)
    group = target.selectbox("Peer group", list(options), format_func=labels, key=key)
    if note is not None:
        target.caption(note)
    keep(GROUP, group, to_text=_group_text)
    return group


def _group_text(group: Any) -> str:
    return "class" if group is None else str(group)
