"""A council's target drawn on the peer charts of its own measure (issue 18: "targets are drawn on every chart that
shows their series"): the reserves benchmark's ranking (a vertical line at the target, on a ranking of outturn or
illustrative values, the basis the target is judged on) and the DSG page's peers' deficit as % of usable reserves."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from finance import reserves_view
from finance.charts import target_traces
from finance.committee import build_dsg_view
from finance.store import Store
from finance.targets import NewTarget, set_target


def test_the_reserves_ranking_draws_the_councils_target_on_the_measure(demo_db: str) -> None:
    store = Store.open(demo_db, read_only=True)
    try:
        gf = reserves_view.build(store, code="DEMO01", year="2024-25", measure="unallocated_reserves",
                                 point="closing", group="MD")  # fmt: skip
        opening = reserves_view.build(store, code="DEMO01", year="2024-25", measure="unallocated_reserves",
                                      point="opening", group="MD")  # fmt: skip
        earmarked = reserves_view.build(store, code="DEMO01", year="2024-25", measure="earmarked_reserves",
                                        point="closing", group="MD")  # fmt: skip
    finally:
        store.close()
    label = "Target: at least £15.0m by 31 Mar 2029 (set by demo)"
    assert gf.ranking.basis == "illustrative"
    assert target_traces(gf.ranking_figure) == [label]
    (line,) = [s for s in gf.ranking_figure.layout.shapes if s.line.dash == "dash"]
    assert (line.x0, line.x1, line.yref) == (15.0, 15.0, "y domain")  # a vertical line at £15.0m
    # a target is on the 31 March balance only, and on its own measure only
    assert target_traces(opening.ranking_figure) == [] and target_traces(earmarked.ranking_figure) == []


def test_the_dsg_peers_chart_draws_a_target_on_the_deficit_ratio(demo_db: str, tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(str(path))
    try:
        before = build_dsg_view(store, "DEMO01", "2026-27")
        new = NewTarget("dsg_deficit_pct_usable_reserves", 40.0, "pct", "at_most", date(2029, 3, 31))
        set_target(store, "DEMO01", new, user="s151")
        after = build_dsg_view(store, "DEMO01", "2026-27")
    finally:
        store.close()
    peers = next(p for p in after.panels if p.key == "dsg-peers")
    assert target_traces(next(p for p in before.panels if p.key == "dsg-peers").figure) == []
    assert target_traces(peers.figure) == ["Target: at most 40.0% by 31 Mar 2029 (set by s151)"]
    (line,) = [s for s in peers.figure.layout.shapes if s.line.dash == "dash" and s.x0 == 40.0]
    assert line.x1 == 40.0 and peers.figure.layout.xaxis.range[1] >= 40.0
