"""The nowcast: indicators on the council's own forecast, ranked against the peers' latest official values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from finance.cli import main
from finance.demo import HOME_CODE, build_demo
from finance.indicators import measures as m
from finance.indicators.nowcast import NowcastInputs, compute_nowcast
from finance.indicators.nowcast_source import nowcast_inputs, resilience_nowcast
from finance.monitoring import sheet_lines
from finance.store import Store
from tests.test_indicators_rows import flow, usable

A, B = "E08000901", "E08000902"


def _series(code: str, rows: list[tuple]) -> m.AuthoritySeries:  # type: ignore[type-arg]
    frame = pd.DataFrame(rows, columns=["code", "financial_year", "basis", "measure", "point", "value_gbp"])
    frame["value_gbp"] = frame["value_gbp"].astype(float) * 1_000_000
    return m.AuthoritySeries(code, frame)


def test_projection_recomputes_each_indicator_and_ranks_it_against_older_peer_data() -> None:
    own = _series(A, [*usable(A, "2023-24", 60.0, 50.0), flow(A, "2023-24", "net_revenue_expenditure", 250.0)])
    peer = _series(B, [*usable(B, "2023-24", 40.0, 44.0), flow(B, "2023-24", "net_revenue_expenditure", 100.0)])
    inputs = NowcastInputs(
        financial_year="2025-26",
        period=6,
        unallocated_opening_gbp=10e6,
        earmarked_opening_gbp=30e6,
        unallocated_closing_gbp=8e6,
        earmarked_closing_gbp=22e6,
        dsg_deficit_gbp=15e6,
        net_revenue_budget_gbp=300e6,
        council_tax_requirement_gbp=None,
        scenario_label="Base v1",
    )
    now = compute_nowcast(inputs, own, {A: own, B: peer}, "2023-24")
    by_key = {r.spec.key: r for r in now.results}
    level = by_key["usable_reserves_pct_nre"]
    assert level.reading.value == pytest.approx(30e6 / 300e6 * 100)
    assert level.reading.basis == "projection"
    assert level.stats.n_ranked == 2 and level.stats.rank == 1  # 10% vs the peer's official 44%
    # the three-year window reaches back into the official returns: 1 April 2023 (opening 2023-24, £60m)
    change = by_key["usable_reserves_change_3y_pct"]
    assert change.reading.years_used == "1 April 2023 → 31 March 2026"
    assert change.reading.value == pytest.approx((30 - 60) / 60 * 100)
    one_year = by_key["usable_reserves_change_1y_pct"]
    assert one_year.reading.value == pytest.approx((30 - 40) / 40 * 100)
    assert by_key["dsg_deficit_pct_usable_reserves"].reading.value == pytest.approx(50.0)
    ctr = by_key["council_tax_ratio_pct"]
    assert ctr.reading.status == m.NOT_REPORTED and "council tax" in ctr.reading.note
    assert by_key["external_borrowing_pct_nre"].reading.note == "not projected"
    assert "against peers' official 2023-24" in now.label()
    table = now.table().set_index("Indicator")
    assert table.loc["Council tax ratio", "Projected value"] == "not projected"
    assert table.loc["Interest payable", "Projected value"] == "not projected"
    # the position in the words of the risk direction, as on the resilience profile (low reserves = risk)
    assert table.loc[level.spec.title, "Would rank"] == "1st lowest of 2"
    assert table.loc["DSG deficit ratio", "Would rank"] == "1st highest of 1"  # the peer has no DSG figure


def test_demo_monitoring_feeds_the_nowcast_like_for_like_with_the_peers(store: Store) -> None:
    build_demo(store)
    inputs = nowcast_inputs(store, HOME_CODE)
    assert inputs is not None
    reserves = sheet_lines(store, "Reserves", HOME_CODE, inputs.financial_year, inputs.period)
    usable = reserves[reserves["reserve_type"] != "Ring-fenced"]
    assert len(usable) < len(reserves)  # the demo has ring-fenced lines: not usable
    revenue = sheet_lines(store, "Revenue", HOME_CODE, inputs.financial_year, inputs.period)
    overspend = max(float(revenue["variance_gbp"].sum()), 0.0)
    assert overspend > 0
    # the one balance: usable forecast closing balances less the overspend the general fund meets
    assert inputs.usable_closing_gbp == pytest.approx(float(usable["closing_gbp"].sum()) - overspend)
    # the denominator is the peers' definition: the council's own net revenue expenditure on its latest return
    nre = store.scalar(
        """SELECT max_by(value_gbp, financial_year)::DOUBLE FROM official_value
           WHERE code = ? AND measure = 'net_revenue_expenditure'""",
        [HOME_CODE],
    )
    assert inputs.net_revenue_budget_gbp == pytest.approx(nre) and inputs.nre_year == "2024-25"
    now = resilience_nowcast(store, HOME_CODE, "MD")
    assert now is not None and now.peer_year == inputs.nre_year < inputs.financial_year
    usable_pct = next(r for r in now.results if r.spec.key == "usable_reserves_pct_nre")
    assert usable_pct.reading.value == pytest.approx(inputs.usable_closing_gbp / nre * 100)
    ctr = next(r for r in now.results if r.spec.key == "council_tax_ratio_pct")
    assert ctr.reading.value is None and "not projected" in ctr.reading.note  # no in-year figure of that definition


def test_no_monitoring_means_no_nowcast(store: Store) -> None:
    build_demo(store)
    assert resilience_nowcast(store, "DEMO02", "MD") is None


def test_cli_json_carries_the_nowcast_labelled_as_a_projection(
    db_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    s = Store.open(db_path)
    try:
        build_demo(s)
    finally:
        s.close()
    assert main(["--db", db_path, "indicators", "--authority", HOME_CODE, "--year", "2024-25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["is_illustrative"] is True
    now = out["nowcast"]
    assert now["peer_year"] == "2024-25" and now["monitoring_period"] >= 1
    assert "projection" in now["label"].lower()
    dsg = next(i for i in now["indicators"] if i["key"] == "dsg_deficit_pct_usable_reserves")
    assert dsg["value"] > 0 and dsg["rank"] is not None
