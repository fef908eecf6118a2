"""Reserves benchmark: the published Sefton position, "no return" handling, units, and the demo peer group."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from finance import benchmark, demo
from finance.errors import InputError, NotFoundError
from finance.store import Store

SEFTON, BIRMINGHAM = "E08000014", "E08000025"


def test_sefton_fourth_lowest_usable_reserves_pct_nre_2023_24(official_store: Store) -> None:
    """Sefton CPC report (Nov 2023): "the fourth lowest reserve level amongst metropolitan councils"."""
    r = benchmark.rank(official_store, year="2023-24", measure="usable_reserves_pct_nre", point="opening")
    sefton = r.position(SEFTON)
    assert sefton is not None
    assert sefton["rank_lowest"] == 4
    assert r.ranked == 35  # 36 metropolitan districts, Birmingham made no 2023-24 return
    # usable = 11,991 + 51,398 (£000) over NRE 299,666 (£000), published in RS 2023-24
    assert sefton["value"] == pytest.approx(100 * (11_991 + 51_398) / 299_666)


def test_birmingham_is_no_return_never_zero(official_store: Store) -> None:
    for measure in benchmark.MEASURES:
        r = benchmark.rank(official_store, year="2023-24", measure=measure, point="opening")
        row = r.position(BIRMINGHAM)
        assert row is not None, measure
        assert row["status"] == "no return"
        assert pd.isna(row["rank_lowest"]) and pd.isna(row["value"])
        assert "[x]" in row["published_text"]


def test_sefton_levels_in_pounds(official_store: Store) -> None:
    r = benchmark.rank(official_store, year="2023-24", measure="unallocated_reserves", point="opening")
    assert r.position(SEFTON)["value"] == 11_991_000
    r = benchmark.rank(official_store, year="2023-24", measure="earmarked_reserves", point="opening")
    assert r.position(SEFTON)["value"] == 51_398_000


def test_group_membership_by_that_years_class(official_store: Store) -> None:
    md = benchmark.rank(official_store, year="2023-24", measure="usable_reserves", group="MD")
    assert len(md.table) == 36
    assert set(md.table["class"]) == {"MD"}
    everyone = benchmark.rank(official_store, year="2023-24", measure="usable_reserves", group="ALL")
    assert set(md.table["code"]) < set(everyone.table["code"])
    assert not everyone.table["code"].str.startswith("DEMO").any()


def test_ranks_are_lowest_first_and_quartiles_bracket_the_median(official_store: Store) -> None:
    r = benchmark.rank(official_store, year="2017-18", measure="usable_reserves_pct_nre", point="closing")
    ranked = r.table.dropna(subset=["rank_lowest"]).sort_values("rank_lowest")
    assert list(ranked["rank_lowest"]) == list(range(1, len(ranked) + 1))
    assert ranked["value"].is_monotonic_increasing
    assert r.lower_quartile <= r.median <= r.upper_quartile


def test_sefton_series_covers_every_imported_year(official_store: Store) -> None:
    years = benchmark.years_held(official_store, illustrative=False)
    series = benchmark.series(official_store, code=SEFTON, measure="usable_reserves_pct_nre", point="opening")
    assert list(series["financial_year"]) == sorted(years)
    assert series["value"].notna().all()
    assert series.set_index("financial_year").loc["2021-22", "basis"] == "budget_estimate"


def test_ratio_to_non_positive_nre_is_not_meaningful(official_store: Store) -> None:
    r = benchmark.rank(official_store, year="2017-18", measure="usable_reserves_pct_nre", group="ALL")
    nonsense = r.table[r.table["status"] == "not meaningful"]
    assert len(nonsense) > 0  # bodies publishing NRE <= 0 (e.g. Spelthorne in 2017-18)
    assert nonsense["value"].isna().all() and nonsense["rank_lowest"].isna().all()


def test_demo_peer_group_never_mixes_with_real(official_db: str, tmp_path) -> None:
    import shutil

    path = tmp_path / "both.duckdb"
    shutil.copy(official_db, path)
    s = Store.open(str(path))
    demo.build_demo(s)
    r = benchmark.rank(s, year="2023-24", measure="usable_reserves", illustrative=True)
    assert r.table["code"].str.startswith("DEMO").all() and len(r.table) == 36
    real = benchmark.rank(s, year="2023-24", measure="usable_reserves")
    assert not real.table["code"].str.startswith("DEMO").any()
    s.close()


def test_demo_is_deterministic_labelled_and_idempotent(store: Store) -> None:
    first = demo.build_demo(store)
    assert first.status == "built" and first.authorities == 36
    dump = store.dump()
    assert demo.build_demo(store).status == "unchanged"
    assert store.dump() == dump
    names = store.query("SELECT name, is_illustrative FROM authority")
    assert all(n.endswith("(illustrative)") and ill for n, ill in names)
    kinds = set(store.query("SELECT DISTINCT kind, basis FROM source_file"))
    assert kinds == {("demo", "illustrative"), ("demo", "monitoring")}
    r = benchmark.rank(store, year="2024-25", measure="usable_reserves_pct_nre", illustrative=True)
    late = r.position(demo.NO_RETURN[0])
    assert late["status"] == "no return"


def test_bad_arguments_are_input_errors(store: Store) -> None:
    demo.build_demo(store)
    with pytest.raises(InputError, match="measure"):
        benchmark.rank(store, year="2024-25", measure="reserves", illustrative=True)
    with pytest.raises(InputError, match="2023-24"):
        benchmark.rank(store, year="2024/5", measure="usable_reserves", illustrative=True)
    with pytest.raises(InputError, match="group"):
        benchmark.rank(store, year="2024-25", measure="usable_reserves", group="XX", illustrative=True)
    with pytest.raises(NotFoundError, match="2030-31"):
        benchmark.rank(store, year="2030-31", measure="usable_reserves", illustrative=True)


def test_series_direction_of_travel_is_like_for_like(store: Store) -> None:
    demo.build_demo(store)
    closing = benchmark.series(store, code=demo.HOME_CODE, measure="usable_reserves", point="closing")
    opening = benchmark.series(store, code=demo.HOME_CODE, measure="usable_reserves", point="opening")
    opening_of = dict(zip(opening["financial_year"], opening["value"], strict=True))
    for _, row in closing.iterrows():  # at 31 March: the same return's 1 April balance, the change in the year
        year = row["financial_year"]
        assert row["compared_with"] == f"{benchmark.as_at(year, 'opening')} (Illustrative {year})"
        assert math.isclose(row["change"], row["value"] - opening_of[row["financial_year"]])
        assert row["direction"] == ("down" if row["change"] < 0 else "up" if row["change"] > 0 else "level")
    assert opening["direction"].iloc[0] == "" and opening["compared_with"].iloc[0] == ""
    for prev, (_, row) in zip(opening["value"], opening.iloc[1:].iterrows(), strict=False):
        assert math.isclose(row["change"], row["value"] - prev)
