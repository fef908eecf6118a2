"""The reserves benchmark's own-trend chart and table on the official returns: one trace per basis, never joined,
and every year from the first to the last held on the axis, so a year not held is a gap (issue 14)."""

from __future__ import annotations

import pytest

from finance import reserves_view
from finance.store import Store

pytestmark = [pytest.mark.official]

SEFTON = "E08000014"


def test_series_chart_draws_each_basis_apart_with_gaps_for_missing_years(official_store: Store) -> None:
    v = reserves_view.build(
        official_store, code=SEFTON, year="2023-24", measure="usable_reserves", point="closing", group="MD"
    )
    traces = {t.name: t for t in v.series_figure.data}
    outturn, estimate = traces["Outturn (RS)"], traces["Budget estimate (RA), not outturn"]
    years = list(outturn.x)
    assert years[0] == "2010-11" and years[-1] == "2023-24" and len(years) == 14  # 2018-19 … 2022-23 are slots
    held = dict(zip(outturn.x, outturn.y, strict=True))
    assert all(held[y] is None for y in ("2018-19", "2019-20", "2020-21", "2021-22", "2022-23"))
    assert outturn.connectgaps is False  # so 2017-18 and 2023-24 are not joined across the missing years
    assert "lines" not in estimate.mode and estimate.marker.symbol == "diamond"  # a lone, hollow, labelled mark
    assert [y for y, v in zip(estimate.x, estimate.y, strict=True) if v is not None] == ["2021-22"]
    table = v.series_table
    assert dict(zip(table["Financial year"], table["Basis"], strict=True))["2021-22"] == "Budget estimate (RA)"
    # the 2023-24 direction compares within RS 2023-24 only; the RA year is compared with nothing
    row = table[table["Financial year"] == "2023-24"].iloc[0]
    assert row["Compared with"] == "1 April 2023 (RS 2023-24)" and row["Change (£m)"] == pytest.approx(-14.41)
    ra = table[table["Financial year"] == "2021-22"].iloc[0]
    assert ra["Compared with"] == "1 April 2021 (RA 2021-22)"  # RA's own two ends, never an RS figure
