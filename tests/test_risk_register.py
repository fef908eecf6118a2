"""The Risks sheet: a register loads and is simulated; each bad-input rule refuses the workbook naming every cell and
loading nothing; the risk-based minimum card is red, amber or green by its rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from finance.committee import rag
from finance.committee.adequacy import expected_loss_card, risk_minimum_card, status_card
from finance.committee.cards import When
from finance.committee.figures import Position
from finance.committee.rag import Status
from finance.errors import InputError
from finance.monitoring import reserve_balances, upload_history
from finance.reserves import LossSimulation, RiskAssessment, RiskRegister, risk_assessment, risk_register
from finance.store import Store
from finance.upload import load_upload
from tests.monitoring_corpus import AUTHORITY, add_authority, build
from tests.refusals import assert_only_refusals_added

YEAR = "2025-26"
FIELDS: dict[str, Any] = {"Authority": AUTHORITY, "Financial year": YEAR, "Units": "£000"}
HEADER = ["Risk ID", "Description", "Category", "Likelihood", "Impact low", "Impact most likely", "Impact high",
          "Mitigation", "Owner"]  # fmt: skip
SCORES: list[list[Any]] = [
    HEADER,
    ["R1", "Care demand", "Demand", 4, 1_000, 2_000, 4_000, "Demand panel", "DASS"],
    ["R2", "Pay award", "Inflation", 3, 1_500, 1_500, 1_500, None, None],
]
PERCENTS: list[list[Any]] = [
    HEADER,
    ["R1", "Care demand", "Demand", "35%", 1_000, 2_000, 4_000, None, None],
    ["R2", "Pay award", "Inflation", 0.5, 1_500, 1_500, 1_500, None, None],  # an Excel percentage cell: 50%
    ["R3", "Appeals", "Funding", "100%", 0, 0, 0, None, None],
]


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def _load(store: Store, rows: list[list[Any]]) -> Any:
    return load_upload(store, build({"Risks": rows}, FIELDS), "risks.xlsx", isolated=False)


def test_a_scored_register_loads_with_the_mapping_and_is_in_the_upload_history(db: Store) -> None:
    result = _load(db, SCORES)
    assert result.line_counts == {"Risks": 2}
    register = risk_register(db, AUTHORITY, YEAR)
    assert register is not None and register.upload_id == result.upload_id
    lines = register.lines
    assert list(lines["likelihood_pct"]) == [80.0, 50.0] and list(lines["likelihood_score"]) == [4, 3]
    assert list(lines["impact_high_gbp"]) == [4_000_000.0, 1_500_000.0]
    history = upload_history(db, AUTHORITY)
    assert history["sheets"][0] == "Risks 2" and history["status"][0] == "current"
    assert risk_register(db, AUTHORITY, "2024-25") is None  # not in force for an earlier year


def test_the_upload_preview_lists_the_register_and_the_plan(db: Store) -> None:
    from finance.upload import prepare_upload, preview_table

    reserves = [["Reserve", "Type", "Opening balance", "Forecast use", "Forecast closing balance"],
                ["Budget risk reserve", "Earmarked", 2_000, 500, 1_500]]  # fmt: skip
    plan = [["Reserve", "Year", "Planned use"], ["Budget risk reserve", "2026-27", 700]]
    data = build({"Reserves": reserves, "Reserve plan": plan, "Risks": SCORES}, FIELDS | {"Period": "P3"})
    table = preview_table(prepare_upload(db, data, "r.xlsx", isolated=False)).set_index("Sheet")
    assert table.loc["Reserve plan", "Totals"] == "Planned use £0.7m" and table.loc["Reserve plan", "Lines"] == 1
    assert table.loc["Risks", "Lines"] == 2 and table.loc["Risks", "Totals"] == "Impact high (all risks together) £5.5m"


def test_a_percentage_register_reads_percent_text_and_excel_percentage_cells(db: Store) -> None:
    _load(db, PERCENTS)
    found = risk_assessment(db, AUTHORITY, YEAR)
    assert found is not None
    assert list(found.register.lines["likelihood_pct"]) == [35.0, 50.0, 100.0]
    assert found.register.lines["likelihood_score"].isna().all()
    top = found.top()
    # mean losses: R1 0.35 × £2.33m (the triangle's mean) ≈ £0.82m, R2 exactly 0.5 × £1.5m, R3 nothing
    assert list(top["risk_id"]) == ["R1", "R2", "R3"]
    assert top["mean_loss_gbp"][0] == pytest.approx(0.35 * 7e6 / 3, rel=0.05)
    assert top["mean_loss_gbp"][1] == pytest.approx(0.75e6, rel=0.05) and top["mean_loss_gbp"][2] == 0.0


def _refused(store: Store, rows: list[list[Any]]) -> list[tuple[str, str]]:
    before = store.dump()
    with pytest.raises(InputError) as err:
        _load(store, rows)
    assert_only_refusals_added(before, store.dump())
    return [(p.where, p.message) for p in err.value.problems]


def _row(rows: list[list[Any]], index: int, column: int, value: Any) -> list[list[Any]]:
    out = [list(r) for r in rows]
    out[index][column] = value
    return out


def test_a_likelihood_outside_0_to_100_percent_is_refused(db: Store) -> None:
    problems = _refused(db, _row(_row(PERCENTS, 1, 3, "120%"), 3, 3, "-5%"))
    assert [w for w, _ in problems] == ["Risks!D2", "Risks!D4"]
    assert all("between 0% and 100%" in m for _, m in problems)


def test_a_score_outside_1_to_5_or_not_whole_is_refused(db: Store) -> None:
    problems = _refused(db, _row(_row(SCORES, 1, 3, 6), 2, 3, 2.5))
    assert [w for w, _ in problems] == ["Risks!D2", "Risks!D3"]
    assert all("whole number from 1 to 5" in m for _, m in problems)


def test_impacts_out_of_order_are_refused_naming_the_cell_that_breaks_the_order(db: Store) -> None:
    rows = _row(_row(SCORES, 1, 5, 500), 2, 6, 1_000)  # R1 most likely below low; R2 high below most likely
    problems = _refused(db, rows)
    assert [w for w, _ in problems] == ["Risks!F2", "Risks!G3"]
    assert all("low ≤ most likely ≤ high" in m for _, m in problems)


def test_a_negative_impact_is_refused(db: Store) -> None:
    problems = _refused(db, _row(SCORES, 1, 4, -100))
    assert problems == [("Risks!E2", "Impact low must not be negative")]


def test_a_duplicate_risk_id_is_refused(db: Store) -> None:
    problems = _refused(db, [*SCORES, ["r1", "Again", None, 2, 1, 1, 1, None, None]])
    assert problems == [("Risks!A4", "duplicate Risk ID: r1 is already on row 2")]


def test_every_problem_of_a_register_is_listed_at_once(db: Store) -> None:
    rows = [*_row(_row(SCORES, 1, 3, 9), 2, 4, -1), ["R1", "Again", None, 2, 3, 2, 1, None, None]]
    assert [w for w, _ in _refused(db, rows)] == ["Risks!E3", "Risks!D2", "Risks!F4", "Risks!A4"]


# -- the card ----------------------------------------------------------------------------------------------------

WHEN = When(YEAR, 6, "31 March 2026", "P5 (Sep)")


def _assessment(minimum_gbp: float) -> RiskAssessment:
    import pandas as pd

    lines = pd.DataFrame({"risk_id": ["R1"], "description": ["x"], "category": [None], "likelihood_pct": [100.0]})
    register = RiskRegister(1, "risks.xlsx", "0" * 64, YEAR, pd.Timestamp("2026-01-05").to_pydatetime(), lines)
    sim = LossSimulation(np.full(10, minimum_gbp), np.array([minimum_gbp]), 1, 90.0)
    return RiskAssessment(register, sim)


def _position(general_fund_gbp: float, stated_gbp: float | None, status: bool = True) -> Position:
    import pandas as pd

    reserves = pd.DataFrame(
        {
            "reserve_type": ["Unallocated", "Earmarked", "Earmarked"],
            "opening_gbp": [general_fund_gbp, 6e6, 4e6],
            "forecast_use_gbp": [0.0, 0.0, 0.0],
            "closing_gbp": [general_fund_gbp, 6e6, 4e6],
            "status": ["", "Committed", "Uncommitted"] if status else [None, None, None],
        }
    ).replace("", None)
    return Position(6, reserves=reserve_balances(reserves, None, minimum_gf_balance_gbp=stated_gbp))


@pytest.mark.parametrize(
    ("general_fund", "stated", "status"),
    [
        (7e6, 9e6, Status.RED),  # the forecast balance is below the risk-based minimum (£8m), whatever else holds
        (9e6, 5e6, Status.AMBER),  # the balance covers it; the stated minimum does not
        (9e6, None, Status.AMBER),  # no minimum stated
        (9e6, 8e6, Status.GREEN),  # both cover it (equal is enough)
    ],
)
def test_the_risk_card_is_rated_by_the_forecast_balance_and_the_stated_minimum(
    general_fund: float, stated: float | None, status: Status
) -> None:
    card = risk_minimum_card(_position(general_fund, stated), _assessment(8e6), WHEN)
    assert card.status is status and card.value_text == "£8.0m" and card.rule is rag.RISK_MINIMUM
    assert card.as_dict()["basis"] == "risk_simulation" and card.as_at == "31 March 2026"


def test_without_a_register_the_risk_card_is_not_rated_and_says_why() -> None:
    card = risk_minimum_card(_position(9e6, 5e6), None, WHEN)
    assert card.status is Status.NOT_RATED and "No risk register uploaded" in card.detail_text
    assert expected_loss_card(None, WHEN).status is Status.NOT_RATED


def test_the_status_card_shows_the_uncommitted_share_and_says_when_no_status_is_given() -> None:
    card = status_card(_position(9e6, 5e6), WHEN)
    assert (
        card.value_text == "£4.0m"
        and "40.0% of earmarked" in card.detail_text
        and "committed £6.0m" in card.detail_text
    )
    unstated = status_card(_position(9e6, 5e6, status=False), WHEN)
    assert (
        unstated.value_text == "—"
        and "all £10.0m of earmarked reserves are treated as drawable" in unstated.detail_text
    )
