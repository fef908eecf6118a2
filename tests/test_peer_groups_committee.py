"""NN and SN in the committee views (DSG, reserves nowcast) and the pack (issue 20): a member without a DSG is
"not applicable" — listed, never compared or counted — and the group's definition travels with the pack."""

from __future__ import annotations

import pytest

from finance.committee import build_dsg_view, build_nowcast_view
from finance.pack import build_pack
from finance.peergroups import UPPER_TIER, peer_group
from finance.store import Store

pytestmark = pytest.mark.official

SEFTON = "E08000014"
YEAR = "2023-24"


def test_dsg_peers_among_the_nn_leave_districts_out(peer_store: Store) -> None:
    group = peer_group(peer_store, SEFTON, "NN")
    districts = {c for c, k in group.class_of().items() if k == "SD"}
    assert districts
    view = build_dsg_view(peer_store, SEFTON, YEAR, None, "NN")
    [panel] = [p for p in view.panels if p.key == "dsg-peers"]
    table = panel.table
    status = dict(zip(table["Authority"], table["In this comparison"], strict=True))
    names = dict(zip(group.members["code"], group.members["name"], strict=True))
    assert all(status[names[c]].startswith("not applicable: a shire district") for c in districts)
    compared = group.applicable(UPPER_TIER)
    assert f"of {len(compared)} peers have a figure" in panel.caption
    assert f"{len(group.codes) - len(compared)} not applicable" in panel.caption  # districts, outside England
    # the default is unchanged: the authority's own class
    [default] = [p for p in build_dsg_view(peer_store, SEFTON, YEAR).panels if p.key == "dsg-peers"]
    assert "metropolitan districts" in str(default.figure.layout.title.text)


def test_nowcast_among_the_sn_ranks_only_its_neighbours(peer_store: Store) -> None:
    view = build_nowcast_view(peer_store, SEFTON, YEAR, None, "SN")
    assert view.nowcast is not None
    ranked = set(view.nowcast.peers["code"])
    assert ranked <= set(peer_group(peer_store, SEFTON, "SN").codes) and SEFTON in ranked


def test_pack_with_nn_states_the_group(peer_store: Store) -> None:
    built = build_pack(peer_store, SEFTON, YEAR, None, ["reserves", "resilience"], group="NN")
    texts = " ".join(t for s in built.sections for t in s.text)
    assert "ONS statistical nearest neighbours (global model, released 14 February 2025)" in texts
    resilience = next(s for s in built.sections if s.key == "resilience")
    assert any(getattr(i, "key", "") == "resilience-members" for i in resilience.items)
