"""Rank words follow the risk direction, and a chart and its table say rank and coverage in the same words (issue 14),
on the official returns as published."""

from __future__ import annotations

import pytest

from finance.committee import dsg_view
from finance.store import Store

pytestmark = [pytest.mark.official]

SEFTON = "E08000014"


def test_dsg_peer_panel_names_the_2nd_highest_deficit_as_such(official_store: Store) -> None:
    view = dsg_view.build(official_store, SEFTON, "2023-24")
    panel = next(p for p in view.panels if p.key == "dsg-peers")
    table = panel.table.dropna(subset=["Deficit as % of usable reserves"])
    higher = table[table["Deficit as % of usable reserves"] > 73.7]
    assert len(higher) == 1  # one metropolitan district has a larger deficit relative to its reserves
    assert "Sefton is 2nd highest of 35 at 73.7% (35 of 36 peers have a figure)" in panel.caption
    assert "lowest of" not in panel.caption
