"""Built views shared by every session of this server, until the data changes.

Why: a page's expensive part is not its queries but the Plotly figures (each property a figure sets is validated,
tens of milliseconds a chart), and ten committee members opening the same council's pages would each pay for
them on every rerun. A view depends only on the database and the arguments it is built from, so it is built once
per (database, data version, builder, arguments) and shared: `Store.data_version()` is the newest audit-log id,
which every committed write that changes a row advances — here or in another process on the same DuckLake — so a
cached view is never older than the data it was built from.

A view may hold a council's own data, so it is shared only between sessions with the same access: the
authorities the user may read (`Store.readable_codes()`, per-council access, issue 16) are part of the key, and a
session without access to an authority builds its own view — and is refused by `finance` — instead of being handed
another user's.

Views are shared between sessions, so pages must treat them as read-only (`st.plotly_chart` and `st.dataframe`
copy what they send; `ui.render.downloads` copies its table).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

import streamlit as st

from finance.store import Store
from ui.context import get_store

T = TypeVar("T")

MAX_VIEWS = 128  # each at most a few hundred kB (figures and tables); the least recently used go first


@st.cache_resource(max_entries=MAX_VIEWS, show_spinner=False)
def _built(
    name: str,
    db: str,
    version: int,
    access: tuple[str, ...] | None,
    args: tuple[Hashable, ...],
    kwargs: tuple[tuple[str, Hashable], ...],
    _build: Callable[..., Any],
) -> Any:
    return _build(get_store(), *args, **dict(kwargs))


def view(build: Callable[..., T], *args: Hashable, **kwargs: Hashable) -> T:
    """`build(store, *args, **kwargs)`, from the cache when this data version has already built it.

    Exceptions (a `HeadroomError` with its message for the user) are not cached: the next run tries again.
    """
    store: Store = get_store()
    name = f"{build.__module__}.{build.__qualname__}"
    access = store.readable_codes()
    return cast(T, _built(name, store.path, store.data_version(), access, args, tuple(sorted(kwargs.items())), build))
