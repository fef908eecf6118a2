"""The demo reconciles between its pages, as real data would, and is the same on every build.

Each year's closing balance is the next year's opening one; the home council's monitoring opens with what its last
(illustrative) return closed with; its monitoring budgets are its current MTFS scenario's; the DSG deficit carries
from the returns into the monitoring; savings ratings are seeded and never un-deliver.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pandas as pd
import pytest

from finance import scenarios
from finance.demo import DEMO_YEARS, HOME_CODE, demo_values
from finance.monitoring import sheet_lines
from finance.store import Store
from finance.years import shift

FIRST_MONITORING_YEAR = "2025-26"


@pytest.fixture(scope="module")
def demo(demo_db: str) -> Iterator[Store]:
    s = Store.open(demo_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


def _official(store: Store, year: str, point: str) -> dict[str, float]:
    rows = store.query(
        """SELECT measure, value_gbp::DOUBLE FROM official_value
           WHERE code = ? AND financial_year = ? AND point = ? AND basis = 'illustrative'""",
        [HOME_CODE, year, point],
    )
    return dict(rows)


def test_every_closing_balance_is_the_next_years_opening() -> None:
    values = demo_values().dropna(subset=["value_gbp"])
    balances = values[values["point"].isin(["opening", "closing"])]
    wide = balances.pivot_table(index=["code", "measure", "financial_year"], columns="point", values="value_gbp")
    checked = 0
    for (code, measure), rows in wide.groupby(level=[0, 1]):
        years = rows.droplevel([0, 1])
        for year in DEMO_YEARS[:-1]:
            nxt = shift(year, 1)
            if year in years.index and nxt in years.index:
                assert years.at[nxt, "opening"] == years.at[year, "closing"], (code, measure, year)
                checked += 1
    assert checked > 36 * 5 * 4


def test_monitoring_opens_with_the_last_outturn_closing(demo: Store) -> None:
    closing = _official(demo, DEMO_YEARS[-1], "closing")
    assert shift(DEMO_YEARS[-1], 1) == FIRST_MONITORING_YEAR
    reserves = sheet_lines(demo, "Reserves", HOME_CODE, FIRST_MONITORING_YEAR, 1)
    by_type = reserves.groupby("reserve_type")["opening_gbp"].sum()
    assert by_type["Unallocated"] == pytest.approx(closing["unallocated_reserves"])
    assert by_type["Earmarked"] == pytest.approx(closing["earmarked_reserves"])
    ring = reserves.set_index("reserve")["opening_gbp"]
    assert ring["Public health grant reserve"] == pytest.approx(closing["public_health_reserves"])
    assert ring["Schools balances"] == pytest.approx(closing["schools_reserves"])
    dsg = sheet_lines(demo, "DSG", HOME_CODE, FIRST_MONITORING_YEAR, 1).iloc[0]
    assert dsg["brought_forward_gbp"] == pytest.approx(-closing["dsg_adjustment_account"])


def test_each_monitoring_year_opens_with_the_previous_years_p12_closing(demo: Store) -> None:
    p12 = sheet_lines(demo, "Reserves", HOME_CODE, FIRST_MONITORING_YEAR, 12).set_index("reserve")
    overspend = max(float(sheet_lines(demo, "Revenue", HOME_CODE, FIRST_MONITORING_YEAR, 12)["variance_gbp"].sum()), 0)
    nxt = sheet_lines(demo, "Reserves", HOME_CODE, shift(FIRST_MONITORING_YEAR, 1), 1).set_index("reserve")
    expected = p12["closing_gbp"].copy()
    general_fund = p12.index[p12["reserve_type"] == "Unallocated"][0]
    expected[general_fund] -= overspend  # the outturn overspend was met from the general fund balance
    pd.testing.assert_series_equal(nxt["opening_gbp"], expected, check_names=False)
    dsg12 = sheet_lines(demo, "DSG", HOME_CODE, FIRST_MONITORING_YEAR, 12).iloc[0]
    dsg1 = sheet_lines(demo, "DSG", HOME_CODE, shift(FIRST_MONITORING_YEAR, 1), 1).iloc[0]
    assert dsg1["brought_forward_gbp"] == dsg12["cumulative_gbp"]


def test_monitoring_budgets_are_the_current_mtfs_scenarios(demo: Store) -> None:
    saved = scenarios.current_scenario(demo, HOME_CODE)
    assert saved is not None
    projection = scenarios.run(saved.scenario())
    for year in (FIRST_MONITORING_YEAR, shift(FIRST_MONITORING_YEAR, 1)):
        nrb_gbp = float(projection.net_revenue_budget[0, projection.years.index(year)]) * 1e6
        budgets = sheet_lines(demo, "Revenue", HOME_CODE, year).groupby("period")["budget_gbp"].sum()
        assert budgets.round(-3).tolist() == [round(nrb_gbp, -3)] * len(budgets), year


def test_savings_ratings_never_undeliver(demo: Store) -> None:
    savings = sheet_lines(demo, "Savings", HOME_CODE, FIRST_MONITORING_YEAR)
    for _, rows in savings.sort_values("period").groupby("scheme"):
        rags = rows["rag"].tolist()
        if "Delivered" in rags:
            assert set(rags[rags.index("Delivered") :]) == {"Delivered"}
    assert set(savings["rag"]) == {"Delivered", "Green", "Amber", "Red"}  # the story has every rating in it


_RAGS = """
from finance.upload import DemoStart, demo_workbooks
import hashlib
print(hashlib.sha256(b"".join(d for _, d in demo_workbooks("DEMO01", DemoStart()))).hexdigest())
"""


def test_the_demo_workbooks_are_the_same_in_every_process() -> None:
    """Seeded: two interpreters with different hash seeds write byte-identical workbooks (so the same RAGs)."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", _RAGS],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1
