"""The Collection sheet across every stream and the Debt sheet: what loads, what is refused (with its cell), and that
a refused workbook leaves the database as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from finance.errors import InputError
from finance.monitoring import sheet_lines
from finance.store import Store
from finance.upload import load_upload, prepare_upload
from tests.monitoring_corpus import AUTHORITY, FIELDS, add_authority, build

HEADER = [
    "Stream",
    "Collectable",
    "Collected to date",
    "Arrears",
    "Arrears brought forward",
    "Arrears collected",
    "Write-offs",
    "Target collection rate (%)",
]
DEBT_HEADER = ["Stream", "Age band", "Balance", "Bad-debt provision"]
# £000: council tax 160,000 collectable, 82,000 collected; arrears 12,000 b/f, 3,000 collected, 500 written off
# → outstanding (160,000 − 82,000) + (12,000 − 3,000 − 500) = 86,500
CT = ["Council tax", 160_000, 82_000, 8_500, 12_000, 3_000, 500, 95.5]
RENTS = ["Commercial property rents", 8_000, 5_000, None, 1_000, 200, None, "96%"]
CT_BANDS = [
    ["Council tax", "0–30 days", 60_000, 600],
    ["Council tax", "31-90 days", 12_000, 1_200],
    ["Council tax", "91–365", 6_000, 2_100],
    ["Council tax", "1-2 years", 5_500, 3_300],
    ["Council tax", "over 2 years", 3_000, 2_700],
]


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def _book(collection: list[list[Any]], debt: list[list[Any]] | None = None, **fields: Any) -> bytes:
    sheets = {"Collection": [HEADER, *collection]}
    if debt is not None:
        sheets["Debt"] = [DEBT_HEADER, *debt]
    return build(sheets, FIELDS | fields)


def _refused(db: Store, data: bytes) -> list[tuple[str, str]]:
    before = db.dump()
    with pytest.raises(InputError) as caught:
        load_upload(db, data, "collection.xlsx", isolated=False)
    assert db.dump() == before
    return [(p.where, p.message) for p in caught.value.problems]


def test_any_stream_loads_with_new_columns_and_ageing(db: Store) -> None:
    data = _book([CT, RENTS, ["Parking fines", 2_000, 1_500, 300, None, None, None, None]], CT_BANDS)
    result = load_upload(db, data, "collection.xlsx", isolated=False)
    assert result.line_counts == {"Collection": 3, "Debt": 5}
    lines = sheet_lines(db, "Collection", AUTHORITY, "2025-26")
    assert list(lines["stream"]) == ["Council tax", "Commercial property rents", "Parking fines"]
    ct = lines.iloc[0]
    assert (ct["arrears_brought_forward_gbp"], ct["arrears_collected_gbp"], ct["write_offs_gbp"]) == (
        12_000_000.0,
        3_000_000.0,
        500_000.0,
    )
    assert ct["arrears_gbp"] == 8_500_000.0  # arrears outstanding at the period end, as before
    assert "target_rate_pct" not in lines.columns  # a target belongs in the targets store, not the lines
    debt = sheet_lines(db, "Debt", AUTHORITY, "2025-26")
    assert list(debt["age_band"]) == ["0-30 days", "31-90 days", "91-365 days", "1-2 years", "Over 2 years"]
    assert debt["balance_gbp"].sum() == 86_500_000.0
    assert debt["provision_gbp"].sum() == 9_900_000.0


def test_targets_and_collection_fund_share_are_read(db: Store) -> None:
    share = "Council share of the collection fund (%)"
    prepared = prepare_upload(db, _book([CT, RENTS], **{share: "84%"}), "c.xlsx", isolated=False)
    assert prepared.lines["Collection"]["target_rate_pct"] == [95.5, 96.0]
    assert prepared.collection_fund_share_pct == Decimal(84)
    result = load_upload(db, _book([CT, RENTS], **{share: 84}), "c.xlsx", isolated=False)
    sql = "SELECT collection_fund_share_pct FROM monitoring_upload WHERE upload_id = ?"
    stored = db.scalar(sql, [result.upload_id])
    assert stored == Decimal(84)


def test_old_four_column_file_still_loads(db: Store) -> None:
    data = build({"Collection": [HEADER[:4], ["Council tax", 160_000, 82_000, 9_000], ["NNDR", 90_000, 47_000, None]]})
    load_upload(db, data, "old.xlsx", isolated=False)
    lines = sheet_lines(db, "Collection", AUTHORITY, "2025-26")
    assert list(lines["stream"]) == ["Council tax", "Business rates"]
    assert lines["arrears_brought_forward_gbp"].isna().all()


def test_collected_above_collectable_and_arrears_rules_name_cells(db: Store) -> None:
    problems = _refused(
        db,
        _book(
            [
                ["Council tax", 160_000, 170_000, None, None, None, None, None],
                ["Business rates", 90_000, 47_000, None, 1_000, 1_200, None, None],
                ["Sundry debt", 9_000, 4_000, None, None, 100, None, None],
            ]
        ),
    )
    wheres = dict(problems)
    assert "must not exceed Collectable" in wheres["Collection!C2"]
    assert "must not exceed Arrears brought forward" in wheres["Collection!F3"]
    assert "needs Arrears brought forward" in wheres["Collection!E4"]


def test_bands_must_add_up_within_rounding(db: Store) -> None:
    off_by_one = [list(r) for r in CT_BANDS]
    off_by_one[0][2] = 60_001  # £1,000 out in £000: within 1.5 steps
    load_upload(db, _book([CT], off_by_one), "ok.xlsx", isolated=False)
    off_by_two = [list(r) for r in CT_BANDS]
    off_by_two[0][2] = 60_002
    problems = _refused(db, _book([CT], off_by_two, Period="P7"))
    assert problems[0][0] == "Debt!C6"
    assert "add up to £86,502,000.00" in problems[0][1] and "£86,500,000.00" in problems[0][1]


def test_ageing_falls_back_to_the_arrears_column(db: Store) -> None:
    bands = [["Council tax", "0-30 days", 78_000, None], ["Council tax", "Over 2 years", 9_000, None]]
    old_style = ["Council tax", 160_000, 82_000, 9_000, None, None, None, None]
    load_upload(db, _book([old_style], bands), "ok.xlsx", isolated=False)
    no_arrears = ["Council tax", 160_000, 82_000, None, None, None, None, None]
    problems = _refused(db, _book([no_arrears], bands, Period="P7"))
    assert problems[0][0] == "Debt!C3" and "neither Arrears brought forward nor Arrears" in problems[0][1]


def test_bad_debt_sheet_and_targets_are_refused_with_cells(db: Store) -> None:
    bands = [list(r) for r in CT_BANDS]
    bands[1][2] = -12_000
    bands[2][1] = "3-4 years"
    bands[3][3] = -1
    bands.append(["Sundry debt", "0-30 days", 10, None])
    high, fraction = list(CT), list(RENTS)
    high[7], fraction[7] = 101, 0.96
    problems = _refused(db, _book([high, fraction], bands))
    wheres = dict(problems)
    assert "Balance must not be negative" in wheres["Debt!C3"]
    assert "Age band must be one of" in wheres["Debt!B4"]
    assert "Bad-debt provision must not be negative" in wheres["Debt!D5"]
    assert "from 0 to 100" in wheres["Collection!H2"]
    assert "looks like a fraction" in wheres["Collection!H3"]
    # the ageing rule waits for cells that parse: a Debt sheet with its own cell problems gets no sum message
    assert not any("add up to" in m for _, m in problems)
    good_bands = [*CT_BANDS, ["Sundry debt", "0-30 days", 10, None]]
    problems = _refused(db, _book([CT], good_bands))
    assert problems == [("Debt!C7", "Sundry debt P6 is aged on the Debt sheet but has no line on the Collection sheet")]


def test_collection_fund_share_outside_range_is_refused(db: Store) -> None:
    problems = _refused(db, _book([CT], **{"Council share of the collection fund (%)": 120}))
    message = "Council share of the collection fund (%) must be a percentage from 0 to 100"
    assert problems == [("Instructions!B6", message)]
