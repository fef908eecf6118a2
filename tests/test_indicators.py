"""Unit tests of each indicator on small hand-made rows (the official files are tested in test_indicators_official)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from finance.errors import InputError, NotFoundError
from finance.indicators import financing as fc
from finance.indicators import measures as m
from finance.indicators.peers import direction_of_travel, peer_stats, quantile
from finance.indicators.profile import resilience_profile
from finance.indicators.view import resilience_view
from finance.store import Store
from tests.test_indicators_rows import flow, seed, usable

A, B, C, D = "E08000901", "E08000902", "E08000903", "E08000904"


def series(rows: list[tuple], borrowing: dict[str, float | None] | None = None) -> m.AuthoritySeries:  # type: ignore[type-arg]
    frame = pd.DataFrame(rows, columns=["code", "financial_year", "basis", "measure", "point", "value_gbp"])
    frame["value_gbp"] = frame["value_gbp"].astype(float) * 1_000_000
    return m.AuthoritySeries(A, frame, borrowing_gbp=borrowing)


def test_sustainability_and_three_year_change_match_the_issue_example() -> None:
    # Sefton: £52.671m at 1 April 2015, £34.352m at 31 March 2018
    s = series(
        usable(A, "2015-16", 52.671, 47.0) + usable(A, "2016-17", 46.0, 40.0) + usable(A, "2017-18", 40.5, 34.352)
    )
    r = m.reserves_sustainability(s, "2017-18")
    assert r.status == m.OK
    assert r.value == pytest.approx(34.352 / ((52.671 - 34.352) / 3))
    assert round(r.value or 0, 1) == 5.6
    assert r.years_used == "1 April 2015 → 31 March 2018"
    assert r.note == ""
    change = m.change_3y(s, "2017-18")
    assert round(change.value or 0, 1) == -34.8


def test_one_year_change_uses_the_years_opening_level() -> None:
    s = series(usable(A, "2017-18", 40.0, 30.0))
    r = m.change_1y(s, "2017-18")
    assert r.value == pytest.approx(-25.0)
    assert r.years_used == "1 April 2017 → 31 March 2018"


def test_rising_reserves_are_not_depleting_and_rank_as_lowest_risk() -> None:
    s = series(usable(A, "2015-16", 30.0, 32.0) + usable(A, "2017-18", 33.0, 35.0))
    r = m.reserves_sustainability(s, "2017-18")
    assert r.status == m.NOT_DEPLETING
    assert r.value is None
    assert r.sort_value == math.inf
    falling = m.Reading(4.0, m.OK)
    stats = peer_stats({"x": r, "y": falling}, "x", "lower")
    assert stats.rank == 2  # the lowest-risk position of two
    assert stats.rank_lowest == 2


def test_a_window_not_held_is_not_available_never_a_shorter_one() -> None:
    # only 2017-18 is held: the three-year measures need the balance at 31 March 2015 and say so
    s = series(usable(A, "2017-18", 40.0, 34.0))
    for fn in (m.reserves_sustainability, m.change_3y, m.unallocated_change_3y, m.earmarked_change_3y):
        r = fn(s, "2017-18")
        assert r.status == m.NOT_AVAILABLE and r.value is None and r.sort_value is None, fn
        assert r.note == "not available: needs the balance at 31 March 2015 (RS 2014-15 closing or RS 2015-16 opening)"
    assert m.change_1y(s, "2017-18").value == pytest.approx((34.0 - 40.0) / 40.0 * 100)


def test_three_year_window_takes_the_earlier_closing_level_when_no_later_opening() -> None:
    s = series(usable(A, "2014-15", None, 50.0) + usable(A, "2017-18", None, 38.0))
    r = m.change_3y(s, "2017-18")
    assert r.years_used == "31 March 2015 → 31 March 2018"
    assert r.value == pytest.approx(-24.0)
    assert r.note == ""


def test_a_window_never_mixes_budget_estimates_with_outturn() -> None:
    s = series(
        usable(A, "2021-22", 40.0, 36.0, basis="budget_estimate")
        + usable(A, "2023-24", 30.0, 27.0)
        + [flow(A, "2023-24", "net_revenue_expenditure", 300.0)]
    )
    r = m.reserves_sustainability(s, "2023-24")
    assert r.status == m.NOT_AVAILABLE and r.basis == "outturn"
    assert "RS 2020-21 closing or RS 2021-22 opening" in r.note  # the RA estimate at 1 April 2021 is not used
    ra = m.change_1y(s, "2021-22")
    assert ra.basis == "budget_estimate"
    assert ra.value == pytest.approx(-10.0)
    assert "budget estimate (RA)" in ra.note
    assert m.change_3y(s, "2021-22").note.endswith("(RA 2018-19 closing or RA 2019-20 opening)")


def test_unallocated_and_earmarked_changes_and_earmarked_level() -> None:
    s = series(
        usable(A, "2015-16", 60.0, 55.0)
        + usable(A, "2017-18", 45.0, 40.0)
        + [flow(A, "2017-18", "net_revenue_expenditure", 200.0)]
    )
    # usable() splits a level a quarter unallocated, three quarters earmarked
    assert m.unallocated_change_3y(s, "2017-18").value == pytest.approx((10.0 - 15.0) / 15.0 * 100)
    assert m.earmarked_change_3y(s, "2017-18").value == pytest.approx((30.0 - 45.0) / 45.0 * 100)
    assert m.earmarked_pct_nre(s, "2017-18").value == pytest.approx(30.0 / 200.0 * 100)


def test_interest_payable_pct_nre_and_years_without_the_line() -> None:
    rows = [
        *usable(A, "2023-24", 60.0, 50.0),
        flow(A, "2023-24", "net_revenue_expenditure", 300.0),
        (A, "2023-24", "outturn", "interest_payable", "year", 4.194),
    ]
    s = series(rows + usable(A, "2021-22", 40.0, 36.0, basis="budget_estimate"))
    r = m.interest_payable_pct_nre(s, "2023-24")
    assert r.value == pytest.approx(4.194 / 300.0 * 100)
    assert r.years_used == "interest payable (RS line 781) 2023-24 ÷ NRE 2023-24"
    assert m.interest_payable_pct_nre(s, "2021-22").status == m.NOT_REPORTED


def test_level_of_reserves_and_council_tax_ratio() -> None:
    s = series(
        [
            *usable(A, "2023-24", 63.4, 60.0),
            flow(A, "2023-24", "net_revenue_expenditure", 299.666),
            flow(A, "2023-24", "council_tax_requirement", 160.236),
        ]
    )
    assert m.usable_pct_nre(s, "2023-24").value == pytest.approx(60.0 / 299.666 * 100)
    assert m.unallocated_pct_nre(s, "2023-24").value == pytest.approx(15.0 / 299.666 * 100)
    ctr = m.council_tax_ratio(s, "2023-24")
    assert round(ctr.value or 0, 1) == 53.5
    assert ctr.years_used == "council tax requirement 2023-24 ÷ NRE 2023-24"


def test_non_positive_nre_is_not_meaningful_not_ranked() -> None:
    s = series([*usable(A, "2023-24", 5.0, 5.0), flow(A, "2023-24", "net_revenue_expenditure", -2.0)])
    r = m.usable_pct_nre(s, "2023-24")
    assert r.status == m.NOT_MEANINGFUL
    assert r.sort_value is None


def test_dsg_deficit_ratio_and_years_without_the_line() -> None:
    rows = [
        *usable(A, "2023-24", 60.0, 50.0),
        (A, "2023-24", "outturn", "dsg_adjustment_account", "closing", -36.12),
        (A, "2023-24", "outturn", "dsg_adjustment_account", "opening", -17.06),
    ]
    s = series(rows + usable(A, "2017-18", 40.0, 34.0))
    assert m.dsg_deficit_ratio(s, "2023-24").value == pytest.approx(36.12 / 50.0 * 100)
    assert m.dsg_deficit_ratio(s, "2017-18").status == m.NOT_REPORTED
    surplus = series(
        [*usable(A, "2023-24", 1.0, 1.0), (A, "2023-24", "outturn", "dsg_adjustment_account", "closing", 2.0)]
    )
    assert m.dsg_deficit_ratio(surplus, "2023-24").value == 0.0


def test_external_borrowing_pairs_the_years_nre_with_its_31_march() -> None:
    s = series(
        [*usable(A, "2017-18", 40.0, 34.0), flow(A, "2017-18", "net_revenue_expenditure", 200.0)],
        borrowing={"2017-18": 154_703_000.0},
    )
    r = m.external_borrowing_pct_nre(s, "2017-18")
    assert r.value == pytest.approx(154.703 / 200.0 * 100)
    assert r.years_used == "external borrowing at 31 March 2018 ÷ NRE 2017-18"
    assert m.external_borrowing_pct_nre(s, "2016-17").status == m.NO_RETURN


def test_quantiles_and_direction_of_travel() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([1.0, 2.0, math.inf], 0.75) == math.inf
    assert quantile([], 0.5) is None
    up, down = m.Reading(5.0, m.OK), m.Reading(3.0, m.OK)
    assert direction_of_travel(up, down, "lower") == "improving"
    assert direction_of_travel(up, down, "higher") == "worsening"
    assert direction_of_travel(up, up, "higher") == "unchanged"
    assert direction_of_travel(up, None, "higher") == "no earlier figure on the same basis"


def _peer_store(store: Store) -> None:
    seed(
        store,
        [(A, "Alpha", "MD", False), (B, "Beta", "MD", False), (C, "Gamma", "MD", False), (D, "Delta", "UA", False),
         ("DEMO01", "Demo", "MD", True)],
        usable(A, "2016-17", 50.0, 40.0) + usable(A, "2017-18", 40.0, 30.0)
        + usable(B, "2017-18", 60.0, 66.0) + usable(C, "2017-18", None, None) + usable(D, "2017-18", 10.0, 5.0)
        + usable("DEMO01", "2017-18", 1.0, 0.5, basis="illustrative")
        + [flow(c, "2017-18", "net_revenue_expenditure", 100.0) for c in (A, B, D)]
        + [flow(A, "2016-17", "net_revenue_expenditure", 100.0)],
    )  # fmt: skip


def test_profile_ranks_peers_and_lists_no_return_without_ranking(store: Store) -> None:
    _peer_store(store)
    p = resilience_profile(store, A, "2017-18", "MD")
    level = next(r for r in p.results if r.spec.key == "usable_reserves_pct_nre")
    assert level.reading.value == pytest.approx(30.0)
    assert level.stats.n_peers == 3  # Alpha, Beta, Gamma: never Delta (UA) or the demo authority
    assert level.stats.n_ranked == 2  # Gamma has no return
    assert level.stats.rank == 1 and level.stats.quartile == 1
    assert level.stats.median == pytest.approx(48.0)
    gamma = next(v for v in level.peers if v.code == C)
    assert gamma.reading.status == m.NO_RETURN
    assert level.previous_year == "2016-17" and level.travel == "worsening"
    all_group = resilience_profile(store, A, "2017-18", "ALL")
    assert next(r for r in all_group.results if r.spec.key == "usable_reserves_pct_nre").stats.n_ranked == 3
    demo = resilience_profile(store, "DEMO01", "2017-18", "ALL")
    assert {v.code for v in demo.results[0].peers} == {"DEMO01"}


def test_profile_refuses_unknown_authority_year_and_group(store: Store) -> None:
    _peer_store(store)
    with pytest.raises(NotFoundError):
        resilience_profile(store, "E08999999", "2017-18")
    with pytest.raises(NotFoundError, match="Years held: 2016-17, 2017-18"):
        resilience_profile(store, A, "2019-20")
    with pytest.raises(InputError):
        resilience_profile(store, A, "2017/2019")
    with pytest.raises(InputError):
        resilience_profile(store, A, "2017-18", "XX")


def test_view_falls_back_to_the_latest_official_year_and_says_so(store: Store) -> None:
    _peer_store(store)
    view = resilience_view(store, A, "2019-20", "MD")
    assert view.profile.financial_year == "2017-18"
    assert view.note == "No official figures for 2019-20 yet: showing 2017-18, the latest year held."
    assert view.nowcast is None and view.markers == {}
    assert resilience_view(store, A, "2017-18").note == ""
    with pytest.raises(NotFoundError, match="up to 2015-16"):
        resilience_view(store, A, "2015-16")


def test_every_indicator_and_rule_is_defined_on_the_page_and_in_the_docs() -> None:
    from pathlib import Path

    from finance.indicators import comparison_rules, indicator_definitions
    from finance.indicators.definitions import DEFINITIONS, RULES
    from finance.indicators.profile import INDICATORS

    assert set(DEFINITIONS) == {s.key for s in INDICATORS}
    assert list(indicator_definitions()["Indicator"]) == [s.title for s in INDICATORS]
    assert len(comparison_rules()) == len(RULES)
    doc = (Path(__file__).resolve().parents[1] / "docs" / "METHODOLOGY-indicators.md").read_text(encoding="utf-8")
    for key, texts in DEFINITIONS.items():
        for text in texts:
            assert text in doc, f"docs/METHODOLOGY-indicators.md is out of date for {key}: {text}"
    for title, text in RULES:
        assert text in doc, f"docs/METHODOLOGY-indicators.md is out of date for the rule {title!r}"


def test_financing_costs_sum_the_lines_as_published_and_never_fill_a_gap() -> None:
    lines = {
        "minimum_revenue_provision": 7.318,
        "leasing_payments": 0.0,
        "interest_payable": 4.194,
        "hra_item8_interest": 0.0,
        "interest_investment_income": -2.480,
    }
    base = [*usable(A, "2023-24", 60.0, 50.0), flow(A, "2023-24", "net_revenue_expenditure", 299.666)]
    full = series(base + [(A, "2023-24", "outturn", k, "year", v) for k, v in lines.items()])
    r = fc.financing_costs_pct_nre(full, "2023-24")
    assert r.status == m.OK and r.value == pytest.approx(9.032 / 299.666 * 100)
    assert dict(r.parts)["financing_costs_gbp"] == pytest.approx(9_032_000)
    # a line the return does not carry: not reported, naming it (never summed as if it were zero)
    carried = {k: v for k, v in lines.items() if k != "hra_item8_interest"}
    no_hra = series(base + [(A, "2023-24", "outturn", k, "year", v) for k, v in carried.items()])
    gap = fc.financing_costs_pct_nre(no_hra, "2023-24")
    assert gap.value is None and gap.status == m.NOT_REPORTED and "783" in gap.note
    # a line carried but not published ('[x]'): no return
    blank = {**lines, "leasing_payments": None}
    unpublished = series(base + [(A, "2023-24", "outturn", k, "year", v) for k, v in blank.items()])
    x = fc.financing_costs_pct_nre(unpublished, "2023-24")
    assert x.value is None and x.status == m.NO_RETURN and "776" in x.note
    # an RA budget estimate year is not read for these lines
    ra = series(base + usable(A, "2021-22", 40.0, 36.0, basis="budget_estimate"))
    assert fc.financing_costs_pct_nre(ra, "2021-22").status == m.NOT_REPORTED
