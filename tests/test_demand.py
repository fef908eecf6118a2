"""Official demand against peers (finance.indicators.demand / demand_view) on the real imported files: the peer
median, quartiles and rank checked against DuckDB's own quantiles, like-for-like direction of travel, "not
applicable" kept apart from "no return", and the budget line from a real monitoring upload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from finance.errors import InputError, NotFoundError
from finance.indicators import demand_series, demand_view
from finance.official import import_paths
from finance.store import Store
from finance.upload.demo import load_demo_monitoring
from tests.demand_files import SEFTON, TA_FILE, earlier_quarter

BURNLEY = "E07000117"  # a shire district: no children's services
LANCASHIRE = "E10000017"  # a shire county: no temporary accommodation duty
BRENT = "E09000005"
STAFFORDSHIRE = "E10000028"
SWANSEA = "W06000011"
WIRRAL, ST_HELENS, KNOWSLEY = "E08000015", "E08000013", "E08000011"  # H-CLIC '..' (missing data) at 31 December 2025


@pytest.fixture(scope="module")
def db(demand_db: str) -> Iterator[Store]:
    s = Store.open(demand_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def writable(demand_db: str, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "demand.duckdb"
    shutil.copy(demand_db, path)
    s = Store.open(str(path))
    try:
        yield s
    finally:
        s.close()


def test_sefton_against_metropolitan_districts_matches_duckdb_quantiles(db: Store) -> None:
    series = demand_series(db, SEFTON, None, "MD").by_key()
    cla = series["cla_count"]
    assert cla.point is not None
    assert (cla.point.period_label, cla.point.value) == ("31 March 2025", 506)
    # the same statistics computed independently by DuckDB over the metropolitan districts' published figures
    median, q1, q3, above, n = (
        db.query_one(
            """SELECT quantile_cont(value, 0.5), quantile_cont(value, 0.25), quantile_cont(value, 0.75),
                  count(*) FILTER (WHERE value > 506), count(value)
           FROM demand_value v JOIN authority a USING (code)
           WHERE a.class = 'MD' AND NOT a.is_illustrative AND metric = 'cla_count' AND period_end = DATE '2025-03-31'"""
        )
        or ()
    )
    assert (cla.point.median, cla.point.lower_quartile, cla.point.upper_quartile) == pytest.approx((median, q1, q3))
    assert (cla.point.rank_highest, cla.point.n_ranked) == (above + 1, n)
    assert cla.direction == "down 75 (-12.9%) from 581 at 31 March 2024"
    assert "cla_number_and_rate_per_10k_children.csv" in cla.source
    assert series["cla_per_10k"].point is not None and series["cla_per_10k"].point.value == 92
    ehc = series["ehc_plans"]
    assert ehc.point is not None and (ehc.point.period_label, ehc.point.value) == ("January 2025", 3736)
    assert ehc.direction == "up 620 (+19.9%) from 3,116 at January 2024"
    ta = series["ta_per_1000"]
    assert ta.point is not None and round(ta.point.value or 0, 2) == 1.59
    assert ta.point.period_label == "31 December 2025"


def test_direction_never_crosses_the_sen2_collection_change(db: Store) -> None:
    ehc = demand_series(db, SEFTON, "2022-23", "MD").by_key()["ehc_plans"]
    assert ehc.point is not None and ehc.point.period_label == "January 2023"
    assert ehc.direction.startswith("not comparable: January 2022 is from the SEN2 aggregate return")


def test_year_picks_the_latest_point_up_to_its_31_march(db: Store) -> None:
    series = demand_series(db, SEFTON, "2024-25", "MD").by_key()
    assert series["cla_count"].point is not None and series["cla_count"].point.period_label == "31 March 2025"
    assert series["ehc_new_plans"].point is not None
    assert series["ehc_new_plans"].point.period_label == "calendar year 2024"
    assert series["ta_households"].point is None  # H-CLIC held only for 31 December 2025, after 2024-25
    later = demand_series(db, SEFTON, "2025-26", "MD").by_key()["cla_count"]
    assert later.note.endswith("no figure as at a point in 2025-26: showing the latest before it")


def test_not_applicable_members_are_never_no_return_and_never_ranked(db: Store) -> None:
    series = demand_series(db, SEFTON, None, "ALL").by_key()
    cla = {f.code: f for f in series["cla_count"].peers}
    assert cla[BURNLEY].status == "not applicable: a shire district does not provide this service"
    ta = {f.code: f for f in series["ta_households"].peers}
    assert ta[LANCASHIRE].status == "not applicable: a shire county does not provide this service"
    assert ta[BRENT].status == "no return (..)" and ta[BRENT].value is None
    for s in series.values():
        assert s.point is not None
        assert s.point.n_ranked == sum(1 for f in s.peers if f.status == "figure")
    burnley = demand_series(db, BURNLEY, None, "SD").by_key()
    assert burnley["cla_count"].point is None and burnley["cla_count"].direction == "not applicable"
    assert "not applicable to Burnley" in burnley["cla_count"].note
    assert burnley["ta_households"].point is not None and burnley["ta_households"].point.value == 32


def test_nearest_neighbours_and_statistical_neighbours(db: Store) -> None:
    nn = demand_series(db, SEFTON, None, "NN")
    assert nn.group == "NN" and len(nn.members) == 21
    ta = {f.code: f for f in nn.by_key()["ta_households"].peers}
    assert ta[STAFFORDSHIRE].status.startswith("not applicable")  # a county: no temporary accommodation duty
    assert ta[SWANSEA].status == "not applicable: outside England: not on the English returns"
    cla = nn.by_key()["cla_count"]
    assert cla.point is not None
    assert cla.point.n_ranked == sum(1 for f in cla.peers if f.status == "figure")
    sn = demand_series(db, SEFTON, None, "sn").by_key()
    assert {f.code for f in sn["cla_count"].peers} >= {WIRRAL, ST_HELENS, KNOWSLEY}
    assert all(f.status == "figure" for f in sn["ehc_plans"].peers)  # DfE's neighbours are all upper tier
    lancashire = next(f for f in sn["ta_households"].peers if f.code == LANCASHIRE)
    assert lancashire.status.startswith("not applicable")
    assert sn["ta_households"].point is not None and sn["ta_households"].point.n_ranked == 10


def test_a_changed_ons_code_is_still_the_member(db: Store) -> None:
    # H-CLIC publishes Barnsley and Sheffield under their 2024 codes; the metropolitan group holds the old ones
    ta = {f.name: f for f in demand_series(db, SEFTON, None, "MD").by_key()["ta_households"].peers}
    assert ta["Barnsley"].status == "figure" and ta["Sheffield"].status == "figure"


def test_quarterly_direction_compares_the_previous_quarter(writable: Store, demand_source_dirs: list[Path]) -> None:
    ods = demand_source_dirs[2] / TA_FILE
    import_paths(writable, [earlier_quarter(ods, writable.path + ".q3.xlsx", 180.0)])
    ta = demand_series(writable, SEFTON, None, "MD").by_key()["ta_households"]
    assert ta.direction == "up 20 (+11.1%) from 180 at 30 September 2025"
    assert [h.period_label for h in ta.history] == ["30 September 2025", "31 December 2025"]


def test_budget_lines_come_from_the_councils_upload(writable: Store) -> None:
    empty = demand_view(writable, SEFTON, "2025-26", "MD")
    assert all(line is None for line in empty.budgets.values())
    assert any("No DSG high needs budget line" in n for n in empty.notes["send"])
    load_demo_monitoring(writable, SEFTON)
    view = demand_view(writable, SEFTON, "2025-26", "MD")
    dsg = view.budgets["DSG high needs"]
    assert dsg is not None and dsg.period == 12 and dsg.basis == "in-year forecast (monitoring P12 (Mar) 2025-26)"
    cumulative = writable.scalar(
        """SELECT sum(cumulative_gbp) FROM monitoring_dsg l JOIN monitoring_current c
             ON c.upload_id = l.upload_id AND c.period = l.period AND c.sheet = 'DSG'
           WHERE c.authority_code = ? AND c.financial_year = '2025-26' AND l.period = 12""",
        [SEFTON],
    )
    assert dsg.headline_gbp == pytest.approx(float(cumulative))
    placements = view.budgets["children's placements"]
    assert placements is not None and placements.lines == ("Children's Services — Children's social care",)
    assert view.budgets["temporary accommodation"] is None  # the demo workbook has no such line
    titles = [p.title for p in view.panels["send"]]
    assert titles[-1] == "Beside the budget: DSG high-needs cumulative forecast deficit"


def test_every_table_says_its_basis_and_as_at_point(db: Store) -> None:
    view = demand_view(db, SEFTON, None, "MD")
    assert {"Series", "Unit", "Basis", "As at"} <= set(view.summary.columns)
    for panels in view.panels.values():
        for panel in panels:
            assert "Basis" in panel.table.columns
            assert "As at" in panel.table.columns or "Period" in panel.table.columns
    assert list(view.members.columns[:3]) == ["Authority", "ONS code", "Class"]


def test_bad_input(db: Store) -> None:
    with pytest.raises(InputError, match="--group"):
        demand_series(db, SEFTON, None, "XX")
    with pytest.raises(InputError):
        demand_series(db, SEFTON, "2025", "MD")
    with pytest.raises(NotFoundError):
        demand_series(db, "E99999999", None, "MD")
