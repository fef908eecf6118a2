"""How pages show errors, tables and downloads, the same way everywhere."""

from __future__ import annotations

import io
import re

import pandas as pd
import streamlit as st

from finance.errors import HeadroomError, InputError


def show_error(err: HeadroomError) -> None:
    """Show a user's error once, in words: a heading, and a table of problems when there are several."""
    if isinstance(err, InputError):
        st.error(f"**{err.title}** — {err.summary}.")
        st.dataframe(
            pd.DataFrame([p.as_dict() for p in err.problems]),
            hide_index=True,
            width="stretch",
        )
    else:
        st.error(f"**{err.title}** — {err}")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        writer.sheets[sheet[:31]].freeze_panes = "A2"
    return buf.getvalue()


def downloads(frame: pd.DataFrame, name: str, *, key: str) -> None:
    """CSV and XLSX downloads of exactly the table shown."""
    slug = _slug(name)
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"{key}-csv",
    )
    right.download_button(
        "Download XLSX",
        xlsx_bytes(frame),
        file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
    )
