"""How pages show errors, tables and downloads, the same way everywhere."""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from finance import export
from finance.errors import HeadroomError, InputError
from finance.pack import browser_path, chart_png


def show_table(frame: pd.DataFrame, *, key: str | None = None, height: int | Literal["auto"] = "auto") -> None:
    """Show a table the one way every page does: headers in words (`finance.export.human_columns`, the same as its
    downloads), no index, the column's full width. Pages never call `st.dataframe` themselves (a test reads every
    page's tables and fails on a header that is a program's name)."""
    st.dataframe(export.human_columns(frame), hide_index=True, width="stretch", height=height, key=key)


def table_on_request(
    frame: pd.DataFrame, *, key: str, label: str = "Show the data table", height: int | Literal["auto"] = "auto"
) -> None:
    """A table shown when the reader asks for it: a toggle (off on each visit), the table under it when on.

    Why: each data frame costs the browser its own grid (a canvas, its columns measured, its rows decoded) on every
    visit, a third of the time a page with a table under each chart takes to settle; most readers look at the
    chart and its caption (the text alternative), which stay shown. The toggle sits in a fragment, so turning it
    on draws only the table, not the page again. Downloads of the table are drawn beside it by the caller,
    always shown, so what a committee member downloads is still the table, shown or not.
    """
    st.fragment(_toggled_table)(frame, key, label, height)


def _toggled_table(frame: pd.DataFrame, key: str, label: str, height: int | Literal["auto"]) -> None:
    if st.toggle(label, key=f"{key}-show"):
        show_table(frame, key=key, height=height)


def show_error(err: HeadroomError) -> None:
    """Show a user's error once, in words: a heading, and a table of problems when there are several."""
    if isinstance(err, InputError):
        st.error(f"**{err.title}** — {err.summary}.")
        show_table(pd.DataFrame([p.as_dict() for p in err.problems]))
    else:
        st.error(f"**{err.title}** — {err}")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def downloads(frame: pd.DataFrame, name: str, *, key: str) -> None:
    """CSV and XLSX downloads of exactly the table shown (formula-safe: see finance.export).

    The files are built only when a button is clicked (a callable `data`), so drawing the page stays cheap, and
    clicking does not rerun the page.
    """
    slug = _slug(name)
    table = frame.copy()
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        lambda: export.csv_bytes(table),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
    )
    right.download_button(
        "Download XLSX",
        lambda: export.xlsx_bytes({name: table}),
        file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        on_click="ignore",
    )


def chart_png_download(figure: go.Figure, name: str, *, key: str) -> None:
    """A "Download PNG" button for one chart: the figure as drawn, restyled for print (finance.pack.images).

    Like `downloads`, the PNG is drawn only when the button is clicked (kaleido with Debian's chromium), and the
    click does not rerun the page. Without a browser on the server the button is replaced by a note.
    """
    if browser_path() is None:
        st.caption("PNG download unavailable: no Chromium on the server.")
        return
    st.download_button(
        "Download PNG",
        lambda: chart_png(go.Figure(figure)),  # a copy, made on the click: `figure` may be a shared view's
        file_name=f"{_slug(name)}.png",
        mime="image/png",
        key=f"{key}-png",
        on_click="ignore",
        icon=":material/image:",
    )
