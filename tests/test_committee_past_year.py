"""A past year's overview never quotes a later year's figure (issue 14, item 10), on the real shared returns."""

from __future__ import annotations

from finance.committee import overview
from finance.store import Store


def test_sefton_2021_22_is_ranked_on_the_latest_outturn_up_to_that_year(official_store: Store) -> None:
    view = overview.build(official_store, "E08000014", "2021-22")
    card = view.card("reserves_rank")
    # RS 2023-24 is held, but the latest outturn up to 2021-22 is RS 2017-18 (RA 2021-22 is a budget estimate)
    assert "at 31 March 2018" in card.detail_text
    assert "2024" not in card.detail_text and "2024" not in view.summary
    latest = overview.build(official_store, "E08000014", "2023-24").card("reserves_rank")
    assert "at 31 March 2024" in latest.detail_text  # the year itself uses its own return
