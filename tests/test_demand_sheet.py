"""The optional `Demand` sheet of the monthly workbook (issue 20 item 1): each metric under a Revenue line, its
variance split into a volume effect, a price effect and the line's 'other'. Negative volumes or unit costs and a
row naming no Revenue line are refused with the cell, nothing loaded; a budget more than 1% from volume × unit cost
is a warning before confirming, not a refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finance.committee import build_overview, definitions_table
from finance.committee.demand_card import DEMAND_DRIVER
from finance.errors import InputError
from finance.monitoring import demand_split, sheet_lines
from finance.store import Store
from finance.upload import demo_workbooks, load_demo_monitoring, load_upload, prepare_upload
from finance.upload.demand_sheet import BUDGET_TOLERANCE_PCT
from tests.monitoring_corpus import REVENUE_HEADER, REVENUE_ROWS, add_authority, build

HEADER = [
    "Directorate", "Service", "Metric", "Unit", "Budgeted volume", "Budgeted unit cost", "Forecast volume",
    "Forecast unit cost",
]  # fmt: skip
# Revenue (P6 2025-26, £000): Adults / Older people budget 50,000, variance +1,200; Children's budget 45,000, +2,000.
HOME_CARE = ["Adults", "Older people", "Home care hours", "hours", 1_000_000, 25, 1_020_000, 25.5]
RESIDENTIAL = ["Adults", "Older people", "Residential placements", "placements", 500, 50_000, 510, 50_400]
CLA = ["Children's", None, "Children looked after", "children", 500, 80_000, 520, 82_000]


def _workbook(*rows: list[object]) -> bytes:
    return build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Demand": [HEADER, *rows]})


def test_the_variance_is_split_into_volume_price_and_other(store: Store) -> None:
    add_authority(store)
    loaded = load_upload(store, _workbook(HOME_CARE, RESIDENTIAL, CLA), "p6.xlsx", isolated=False)
    assert loaded.line_counts["Demand"] == 3
    split = demand_split(store, "DEMO01", "2025-26")
    assert (split.period, split.as_at, split.upload_id) == (6, "P6 2025-26", loaded.upload_id)
    got = {m.metric: (m.volume_effect_gbp, m.price_effect_gbp, m.line_other_gbp) for m in split.metrics}
    # home care: 20,000 hours × £25 = £500,000; £0.50 × 1,020,000 hours = £510,000
    # residential: 10 × £50,000 = £500,000; £400 × 510 = £204,000; the line's other: 1,200,000 − 1,714,000
    # children looked after: 20 × £80,000 = £1,600,000; £2,000 × 520 = £1,040,000; other: 2,000,000 − 2,640,000
    assert got == {
        "Home care hours": (500_000, 510_000, -514_000),
        "Residential placements": (500_000, 204_000, -514_000),
        "Children looked after": (1_600_000, 1_040_000, -640_000),
    }
    assert split.largest is not None and split.largest.metric == "Children looked after"
    data = json.loads(json.dumps(split.as_dict()))
    assert data["basis"] == "in-year forecast (monitoring)" and data["source"]["upload_id"] == loaded.upload_id
    assert [v["forecast_volume"] for v in data["volumes"]] == [1_020_000, 510, 520]


def test_a_budget_more_than_1pct_from_volume_times_unit_cost_is_a_warning(store: Store) -> None:
    add_authority(store)
    prepared = prepare_upload(store, _workbook(HOME_CARE, RESIDENTIAL, CLA), "p6.xlsx")
    # Children's: 500 × £80,000 = £40m against a £45m budget (−11.1%); Older people's two metrics add to £50m exactly
    assert len(prepared.warnings) == 1
    assert prepared.warnings[0].startswith("Demand!E4:F4 (Children looked after; P6)")
    assert "£40,000,000 differs from the Revenue line's budget £45,000,000 by -11.1%" in prepared.warnings[0]
    within = ["Adults", "Older people", "Home care hours", "hours", 2_010_000, 25, 2_010_000, 25]  # +0.5%
    assert prepare_upload(store, _workbook(within), "p6.xlsx").warnings == ()


@pytest.mark.parametrize(
    ("row", "cell", "words"),
    [
        (
            ["Adults", "Older people", "Home care hours", "hours", -5, 25, 1_000, 25],
            "Demand!E2",
            "must not be negative",
        ),
        (
            ["Adults", "Older people", "Home care hours", "hours", 5, 25, 1_000, -25],
            "Demand!H2",
            "must not be negative",
        ),
        (["Adults", "Home care", "Home care hours", "hours", 5, 25, 5, 25], "Demand!B2", "names no Revenue line"),
        (["Children's", "Placements", "Children looked after", "children", 5, 25, 5, 25], "Demand!B2", "no Revenue"),
    ],
)
def test_refusals_name_the_cell_and_load_nothing(store: Store, row: list[object], cell: str, words: str) -> None:
    add_authority(store)
    before = store.dump()
    with pytest.raises(InputError) as err:
        load_upload(store, _workbook(row), "bad.xlsx", isolated=False)
    assert any(p.where == cell and words in p.message for p in err.value.problems), err.value.problems
    assert store.dump() == before


def test_the_demos_demand_reconciles_to_its_lines_and_raises_no_warning(store: Store) -> None:
    """Every demo workbook carries a Demand sheet within 1% of its lines' budgets; 70% of each metric's share of the
    variance is volume and 20% price, so volume + price + other is the line's variance and 'other' is the rest."""
    add_authority(store, "DEMO01", "Northbridge")
    for name, data in demo_workbooks("DEMO01")[-2:]:
        assert prepare_upload(store, data, name).warnings == (), name
    load_demo_monitoring(store, "DEMO01")
    split = demand_split(store, "DEMO01", "2026-27")
    assert split.period == 7 and len(split.metrics) == 3
    revenue = sheet_lines(store, "Revenue", "DEMO01", "2026-27", 7).set_index("service")["variance_gbp"]
    for line in ("Older people", "Children's social care"):
        metrics = [m for m in split.metrics if m.service == line]
        explained = sum(m.volume_effect_gbp + m.price_effect_gbp for m in metrics)
        assert explained + metrics[0].line_other_gbp == pytest.approx(revenue[line])
        whole_units = sum(m.budgeted_unit_cost_gbp for m in metrics) / 2 + 1_000  # volumes are whole; costs to 1p
        assert explained == pytest.approx(0.9 * revenue[line], abs=whole_units)  # 70% volume + 20% price
    assert split.largest is not None
    card = build_overview(store, "DEMO01", "2026-27").card("demand_driver")
    assert card.value_text == split.largest.metric and card.basis_text.startswith("in-year forecast (monitoring P7")


def test_the_split_is_documented_as_worked_out() -> None:
    """docs/METHODOLOGY.md and the Methodology page state the formulas, the 'other' remainder and the 1% warning in
    the words the code uses (the overview card's rule and the page's definition, verbatim)."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "METHODOLOGY.md").read_text(encoding="utf-8")
    for text in (
        "**Volume effect** = (forecast volume − budgeted volume) × budgeted unit cost",
        "**Price effect** = (forecast unit cost − budgeted unit cost) × forecast volume",
        "Volume + price + other = the line's variance exactly",
        f"**more than {BUDGET_TOLERANCE_PCT:g}%**",
        DEMAND_DRIVER.text,
    ):
        assert text in doc, text
    definitions = definitions_table().set_index("Figure")
    definition = str(definitions.loc["Demand: volume, price and other", "Definition"])
    assert definition in doc and f"more than {BUDGET_TOLERANCE_PCT:g}%" in definition


def test_a_period_column_names_each_rows_period(store: Store) -> None:
    """A Period column overrides the Instructions period row by row: a P6 row explains P6's Revenue line; a P5 row
    must name a Revenue line of P5, which this workbook does not hold, so it is refused with its cell."""
    add_authority(store)
    header = ["Period", *HEADER]
    data = build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Demand": [header, ["P6", *HOME_CARE], ["P6", *CLA]]})
    load_upload(store, data, "p6.xlsx", isolated=False)
    split = demand_split(store, "DEMO01", "2025-26")
    assert split.period == 6 and [m.metric for m in split.metrics] == ["Home care hours", "Children looked after"]
    before = store.dump()
    bad = build({"Revenue": [REVENUE_HEADER, *REVENUE_ROWS], "Demand": [header, ["P5", *HOME_CARE]]})
    with pytest.raises(InputError) as err:
        load_upload(store, bad, "p5.xlsx", isolated=False)
    problems = [(p.where, p.message.split(":")[0]) for p in err.value.problems]
    assert problems == [("Demand!C2", "names no Revenue line of P5")]
    assert store.dump() == before
