"""The committee figures: RAG rules at their boundaries, the period figures on hand-made lines, the overview
against the CLI's own lines, the summary quoting only shown figures, and authorities with no monitoring."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from finance.cli import main as cli
from finance.committee import collection_view, dsg_view, methodology, monitoring_view, nowcast_view, overview, rag
from finance.committee.figures import position
from finance.committee.queries import selectable_years
from finance.committee.rag import Status
from finance.format import gbp_m, ordinal, pct
from finance.indicators import nowcast_inputs
from finance.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(demo_db: str) -> Iterator[Store]:
    s = Store.open(demo_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


@pytest.mark.parametrize(
    ("rule", "value", "status"),
    [
        (rag.VARIANCE, 2.01, Status.RED),
        (rag.VARIANCE, 2.0, Status.AMBER),
        (rag.VARIANCE, 1.01, Status.AMBER),
        (rag.VARIANCE, 1.0, Status.GREEN),
        (rag.VARIANCE, -4.0, Status.GREEN),
        (rag.RESERVES_COVER, 2.99, Status.RED),
        (rag.RESERVES_COVER, 3.0, Status.AMBER),
        (rag.RESERVES_COVER, 5.0, Status.GREEN),
        (rag.RESERVES_COVER, math.inf, Status.GREEN),
        (rag.RESERVES_RANK, 1, Status.RED),
        (rag.RESERVES_RANK, 2, Status.AMBER),
        (rag.RESERVES_RANK, 3, Status.GREEN),
        (rag.DSG_RATIO, 50.0, Status.RED),
        (rag.DSG_RATIO, 49.9, Status.AMBER),
        (rag.DSG_RATIO, 19.9, Status.GREEN),
        (rag.MTFS_GAP, 5.0, Status.RED),
        (rag.MTFS_GAP, 0.1, Status.AMBER),
        (rag.MTFS_GAP, 0.0, Status.GREEN),
        (rag.COLLECTION, -1.0, Status.RED),
        (rag.COLLECTION, -0.5, Status.AMBER),
        (rag.COLLECTION, -0.49, Status.GREEN),
        (rag.COLLECTION, 2.0, Status.GREEN),
    ],
)
def test_rag_rules_at_their_boundaries(rule: rag.Rule, value: float, status: Status) -> None:
    assert rag.rate(rule, value) is status


def test_no_value_is_not_rated_and_every_status_has_a_word_and_a_symbol() -> None:
    assert rag.rate(rag.VARIANCE, None) is Status.NOT_RATED
    labels = [s.label for s in Status]
    assert len(set(labels)) == len(labels) and all(s.word in s.label and s.symbol in s.label for s in Status)


def test_rule_texts_state_their_thresholds_and_are_on_the_methodology_page_and_doc() -> None:
    assert f"more than {rag.VARIANCE_RED_PCT:g}%" in rag.VARIANCE.text
    assert f"below {rag.COVER_RED_YEARS:g} years" in rag.RESERVES_COVER.text
    assert f"{rag.DSG_RED_PCT:g}% or more" in rag.DSG_RATIO.text
    doc = (ROOT / "docs" / "METHODOLOGY.md").read_text(encoding="utf-8")
    table = methodology.rules_table()
    for rule in rag.RULES:
        assert rule.text in doc, f"docs/METHODOLOGY.md is out of date for {rule.key}"
        assert rule.text in set(table["Rule"])


def _lines(**sheets: list[dict[str, object]]) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(rows) for name, rows in sheets.items()}


def test_position_on_hand_made_lines() -> None:
    lines = _lines(
        Revenue=[
            {"period": 3, "directorate": "Adults", "budget_gbp": 100e6, "forecast_gbp": 103e6, "variance_gbp": 3e6},
            {"period": 3, "directorate": "Children", "budget_gbp": 50e6, "forecast_gbp": 50.5e6, "variance_gbp": 5e5},
            {"period": 3, "directorate": "Adults", "budget_gbp": 10e6, "forecast_gbp": 9e6, "variance_gbp": -1e6},
        ],
        Reserves=[{"period": 3, "opening_gbp": 30e6, "forecast_use_gbp": 4e6, "closing_gbp": 26e6}],
        DSG=[{"period": 3, "cumulative_gbp": 13e6}],
        Collection=[{"period": 3, "stream": "Council tax", "collectable_gbp": 100e6, "collected_gbp": 28e6}],
    )
    last = pd.DataFrame([{"period": 3, "stream": "Council tax", "collectable_gbp": 90e6, "collected_gbp": 27e6}])
    pos = position(lines, 3, last_year_collection=last)
    assert pos.variance_gbp == pytest.approx(2.5e6) and pos.variance_pct == pytest.approx(2.5e6 / 160e6 * 100)
    assert (pos.top_directorate, pos.top_directorate_variance_gbp) == ("Adults", pytest.approx(2e6))
    assert pos.annual_draw_gbp == pytest.approx(6.5e6)  # forecast use + the overspend reserves must meet
    assert pos.reserves_closing_gbp == pytest.approx(23.5e6)  # and the closing balance has met it
    assert pos.cover_years == pytest.approx(23.5 / 6.5)
    assert pos.dsg_pct_reserves == pytest.approx(100 * 13 / 23.5)
    assert pos.ct_points_vs_last_year == pytest.approx(28.0 - 30.0)
    missing = position(_lines(Revenue=lines["Revenue"].to_dict("records")), 3)
    assert missing.reserves_closing_gbp is None and missing.cover_years is None and missing.ct_rate_pct is None
    no_draw = position(_lines(Reserves=[{"period": 3, "opening_gbp": 5e6, "forecast_use_gbp": -1e6,
                                         "closing_gbp": 6e6}]), 3)  # fmt: skip
    assert math.isinf(no_draw.cover_years or 0)


def _cli_json(db: str, capsys: pytest.CaptureFixture[str]) -> dict[str, list[dict[str, float | str | None]]]:
    capsys.readouterr()
    assert cli(["--db", db, "monitoring", "--authority", "DEMO01", "--year", "2026-27", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "P7"
    return data["sheets"]


def test_overview_and_detail_pages_equal_the_cli_monitoring_lines(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.duckdb"
    db.write_bytes(Path(demo_db).read_bytes())
    sheets = _cli_json(str(db), capsys)
    budget = sum(float(r["budget_gbp"] or 0) for r in sheets["Revenue"])
    variance = sum(float(r["variance_gbp"] or 0) for r in sheets["Revenue"])
    overspend = max(variance, 0.0)
    closing = sum(float(r["closing_gbp"] or 0) for r in sheets["Reserves"] if r["reserve_type"] != "Ring-fenced")
    closing -= overspend  # the forecast overspend is met from the general fund balance
    dsg = sum(float(r["cumulative_gbp"] or 0) for r in sheets["DSG"])
    ct = next(r for r in sheets["Collection"] if r["stream"] == "Council tax")
    ct_rate = 100 * float(ct["collected_gbp"] or 0) / float(ct["collectable_gbp"] or 1)

    store = Store.open(str(db), read_only=True)
    try:
        view = overview.build(store, "DEMO01", "2026-27")
        assert view.card("variance").value_text == f"{gbp_m(variance)} overspend"
        assert view.card("variance").detail_text.startswith(f"{pct(100 * variance / budget)} of the {gbp_m(budget)}")
        assert view.card("reserves_cover").value_text == gbp_m(closing)
        assert view.card("dsg_ratio").value_text == pct(100 * dsg / closing)
        assert gbp_m(dsg) in view.card("dsg_ratio").detail_text
        assert 0 < ct_rate < 100
        # spending = net revenue expenditure on the council's latest return: the peers' definition
        inputs = nowcast_inputs(store, "DEMO01")
        assert inputs is not None and inputs.net_revenue_budget_gbp is not None
        assert view.card("reserves_rank").value_text == pct(100 * closing / inputs.net_revenue_budget_gbp)

        mon = dict(monitoring_view.build(store, "DEMO01", "2026-27").metrics)
        assert mon["Forecast variance"] == view.card("variance").value_text
        assert mon["Net revenue budget"] == gbp_m(budget)
        assert mon["Variance as % of budget"] == pct(100 * variance / budget)
        col = dict(collection_view.build(store, "DEMO01", "2026-27").metrics)
        card = view.card("collection")
        assert col["Weakest stream (forecast against target)"] == f"Council tax: {card.value_text}"
        assert card.detail_text.startswith("weakest of 6 streams: Council tax, forecast ")
        dsg_metrics = dict(dsg_view.build(store, "DEMO01", "2026-27").metrics)
        assert (
            dsg_metrics["Deficit as % of usable reserves, if the override ended"] == view.card("dsg_ratio").value_text
        )
        assert dsg_metrics["Cumulative DSG deficit (forecast)"] == gbp_m(dsg)
        now = nowcast_view.build(store, "DEMO01", "2026-27")
        now_metrics = dict(now.metrics)
        after = now_metrics["Forecast usable reserves, 31 March 2027 (after the overspend)"]
        assert after == view.card("reserves_cover").value_text
        assert now_metrics["Usable reserves as % of spending (projected)"] == view.card("reserves_rank").value_text
        assert now_metrics["Position among peers (projected)"] in view.card("reserves_rank").detail_text
    finally:
        store.close()


FIGURE = re.compile(
    r"[−+]?£[\d,.]+m|[−+]?[\d,.]+%|\d+(?:\.\d+)? (?:years|points)|\d{4}-\d{2}|P\d+ \(\w+\)|\d+(?:st|nd|rd|th)"
)


def test_summary_quotes_only_figures_shown_on_the_cards(demo: Store) -> None:
    view = overview.build(demo, "DEMO01", "2026-27")
    shown = " ".join([view.heading, *(f"{c.value_text} {c.detail_text} {c.travel.text}" for c in view.cards)])
    quoted = FIGURE.findall(view.summary)
    assert len(quoted) >= 8, view.summary
    assert [q for q in quoted if q not in shown] == []
    assert "forecasts a £" in view.summary and "overspend" in view.summary


def test_authority_with_no_monitoring_is_told_where_to_upload(demo: Store) -> None:
    view = overview.build(demo, "DEMO02", "2024-25")
    assert view.message is not None and "upload it on the Upload monitoring page" in view.message
    assert view.card("variance").status is Status.NOT_RATED
    assert view.card("reserves_rank").status is not Status.NOT_RATED  # official figures still place it
    assert "latest official return" in view.card("reserves_rank").detail_text
    for build in (monitoring_view.build, collection_view.build):
        assert build(demo, "DEMO02", "2024-25").message == view.message
    assert dsg_view.build(demo, "DEMO02", "2024-25").panels  # peers' official deficits still shown
    assert nowcast_view.build(demo, "DEMO02", "2024-25").nowcast is not None


def test_sidebar_years_include_monitoring_years_newest_first(demo: Store) -> None:
    assert selectable_years(demo, "DEMO01")[:3] == ["2026-27", "2025-26", "2024-25"]
    assert selectable_years(demo, "DEMO02")[0] == "2024-25"


def test_peer_deficits_are_the_official_dsg_adjustment_account(demo: Store) -> None:
    view = dsg_view.build(demo, "DEMO01", "2026-27")
    peers = next(p for p in view.panels if p.key == "dsg-peers").table
    raw = demo.query(
        """SELECT a.name, -v.value_gbp::DOUBLE FROM official_value v JOIN authority a USING (code)
           WHERE v.financial_year = '2023-24' AND v.measure = 'dsg_adjustment_account' AND v.point = 'closing'
             AND a.is_illustrative"""
    )
    expected = {name: round(max(value, 0) / 1e6, 1) for name, value in raw}
    got = dict(zip(peers["Authority"], peers["DSG deficit at 31 March 2024 (£m)"], strict=True))
    assert got == expected and len(got) == 36


def test_mtfs_card_reads_the_current_saved_scenario(demo_db: str, tmp_path: Path) -> None:
    from finance.scenarios import base_figures, current_gap_gbp_m, run, save_scenario, set_current

    db = tmp_path / "scenario.duckdb"
    db.write_bytes(Path(demo_db).read_bytes())
    store = Store.open(str(db))
    try:
        scenario = base_figures(store, "DEMO01").scenario("Committee test")
        saved = save_scenario(store, scenario, authority_code="DEMO01", user="tests")
        set_current(store, saved.scenario_id, user="tests")
        card = overview.build(store, "DEMO01", "2026-27").card("mtfs_gap")
        final_year, gap_gbp_m = current_gap_gbp_m(store, "DEMO01") or ("", 0.0)
        assert card.value_text == f"{gbp_m(gap_gbp_m * 1e6)} by {final_year}"
        nrb_gbp_m = float(run(scenario).net_revenue_budget[0, -1])
        assert card.value == pytest.approx(100 * gap_gbp_m / nrb_gbp_m)
        # straight from the returns it has no pay or price lines: its gap leaves them out, so it is not rated
        assert card.status is Status.NOT_RATED and "no pay or price assumptions" in card.detail_text
        assert "Committee test v1" in card.detail_text
        priced = scenario.with_assumptions(pay_award_pct=3.0)
        priced = replace(priced, name="Priced", base={**priced.base, "pay": 100.0, "non_pay": 80.0})
        priced_id = save_scenario(store, priced, authority_code="DEMO01", user="tests").scenario_id
        set_current(store, priced_id, user="tests")
        card = overview.build(store, "DEMO01", "2026-27").card("mtfs_gap")
        assert card.status is rag.rate(rag.MTFS_GAP, card.value) and card.status is not Status.NOT_RATED
        assert "no pay or price" not in card.detail_text
    finally:
        store.close()


def test_every_chart_has_a_title_units_on_an_axis_a_caption_and_a_table(demo: Store) -> None:
    panels = [
        p
        for build in (monitoring_view.build, collection_view.build, dsg_view.build, nowcast_view.build)
        for p in build(demo, "DEMO01", "2026-27").panels
    ]
    assert len(panels) == 17  # collection: rates, shortfall, profile, year end, ageing, movement, streams' debt
    for p in panels:
        layout = p.figure.layout
        axes = f"{layout.xaxis.title.text or ''} | {layout.yaxis.title.text or ''}"
        assert layout.title.text, p.key
        assert "£m" in axes or "%" in axes, (p.key, axes)
        assert p.caption.endswith(".") and len(p.caption) > 60, p.key
        assert not p.table.empty, p.key
        assert all(t.type in ("bar", "scatter", "waterfall") for t in p.figure.data)


def test_the_overview_projection_is_the_resilience_nowcast(demo_db: str, tmp_path: Path) -> None:
    from finance.indicators import resilience_nowcast
    from finance.scenarios import base_figures, save_scenario, set_current

    db = tmp_path / "nowcast.duckdb"
    db.write_bytes(Path(demo_db).read_bytes())
    store = Store.open(str(db))
    try:
        scenario = base_figures(store, "DEMO01").scenario("Budget 2025")  # covers 2025-26 .. 2027-28
        set_current(store, save_scenario(store, scenario, authority_code="DEMO01", user="tests").scenario_id, user="t")
        theirs = resilience_nowcast(store, "DEMO01", "MD")
        assert theirs is not None and theirs.inputs.financial_year == "2026-27"
        usable = next(r for r in theirs.results if r.spec.key == "usable_reserves_pct_nre")
        card = overview.build(store, "DEMO01", "2026-27").card("reserves_rank")
        assert usable.reading.value is not None and card.value_text == pct(usable.reading.value)
        assert f"{ordinal(usable.stats.rank_lowest or 0)} lowest of {usable.stats.n_ranked}" in card.detail_text
        page = nowcast_view.build(store, "DEMO01", "2026-27")
        # the denominator is the peers' definition, net revenue expenditure on the council's latest return: not
        # the monitoring budget, nor the scenario's
        assert page.nowcast is not None and page.nowcast.denominator_text == "net revenue expenditure 2024-25 (RS)"
        assert theirs.inputs.net_revenue_budget_gbp == pytest.approx(page.nowcast.budget_gbp)
        assert "projected 31 March 2027 vs peers' illustrative outturn at 31 March 2025" in card.detail_text
    finally:
        store.close()
