"""The sidebar's monitoring period drives the committee pages."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest


def test_sidebar_period_drives_the_overview(app: Callable[..., AppTest]) -> None:
    at = app()
    picker = at.selectbox(key="sidebar_period")
    assert at.session_state["monitoring_period"] == 0 and picker.options[0] == "Latest · P7 (Oct)"
    assert any("P7 (Oct) 2026-27" in h.value for h in at.subheader)
    picker.set_value(3).run()
    assert not at.exception
    assert any("P3 (Jun) 2026-27" in h.value for h in at.subheader)
    at.selectbox(key="sidebar_year").set_value("2025-26").run()
    assert at.session_state["monitoring_period"] == 0  # a new year starts at its latest period
    assert any("P12 (Mar) 2025-26" in h.value for h in at.subheader)
