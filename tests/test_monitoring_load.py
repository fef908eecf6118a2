"""Loading monitoring workbooks: the template round trip, units, real-world quirks, re-upload, supersede, withdraw."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from finance.errors import InputError, NotFoundError
from finance.monitoring import monitoring_lines, periods_held, revenue_by_period, upload_history
from finance.store import Store
from finance.upload import load_upload, prepare_upload, template_bytes, withdraw_upload
from tests.monitoring_corpus import (
    AUTHORITY,
    AUTHORITY_NAME,
    MTFS_HEADER,
    MTFS_ROWS,
    REVENUE_HEADER,
    REVENUE_ROWS,
    add_authority,
    all_sheets,
    build,
    revenue,
    with_cached_values,
    with_fields,
)


@pytest.fixture
def db(store: Store) -> Store:
    add_authority(store)
    return store


def _revenue_gbp(store: Store, upload_id: int) -> list[tuple[str, str | None, Decimal, Decimal, Decimal]]:
    rows = store.query(
        """SELECT directorate, service, budget_gbp, forecast_gbp, variance_gbp FROM monitoring_revenue
           WHERE upload_id = ? ORDER BY sheet_row""",
        [upload_id],
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _filled_template(units: str, rows: list[list[object]], period: int = 6) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    info = wb["Instructions"]
    info["B3"], info["B4"], info["B5"], info["B6"] = AUTHORITY_NAME.upper(), "2025/26", f"P{period}", units
    for ws in wb.worksheets[1:]:
        if ws.max_row >= 2 and str(ws["A2"].value or "").startswith("Example"):
            ws.delete_rows(2)
    for row in rows:
        wb["Revenue"].append(row)
    wb["Savings"].append(["Home care review", "Adults", 1.5, 1.1, "Amber"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- the template ------------------------------------------------------------------------------------------------


def test_template_has_protected_headers_unlocked_inputs_dropdowns_and_marked_examples() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(authority="DEMO01", year="2025-26", period=6)))
    assert wb.sheetnames == [
        "Instructions",
        "Revenue",
        "Savings",
        "Collection",
        "Debt",
        "DSG",
        "Reserves",
        "Capital",
        "MTFS",
        "Reserve plan",
        "Risks",
        "Capital programme",
        "Targets",
        "Demand",
    ]
    info = wb["Instructions"]
    assert (info["A3"].value, info["B3"].value) == ("Authority", "DEMO01")
    assert (info["B4"].value, info["B5"].value, info["B6"].value) == ("2025-26", "P6", "£000")
    assert info.protection.sheet and not info["B3"].protection.locked
    savings = wb["Savings"]
    assert savings.protection.sheet
    assert [c.value for c in savings[1]] == ["Scheme", "Directorate", "Target", "Forecast delivered", "RAG"]
    assert savings["A1"].protection.locked
    assert not savings["A2"].protection.locked
    assert not savings.column_dimensions["C"].protection.locked  # empty input cells take the column's style
    assert savings["A2"].value.startswith("Example:")
    validations = {dv.formula1 for dv in savings.data_validations.dataValidation}
    assert '"Delivered,Green,Amber,Red"' in validations
    stream_lists = {dv.formula1 for dv in wb["Collection"].data_validations.dataValidation}
    assert (
        '"Council tax,Business rates,Adult social care charges,Sundry debt,Commercial property rents,'
        'Housing benefit overpayments"'
    ) in stream_lists
    assert template_bytes() == template_bytes()  # deterministic bytes


def test_template_as_downloaded_is_refused_until_examples_are_deleted(db: Store) -> None:
    with pytest.raises(InputError) as caught:
        load_upload(db, template_bytes(authority=AUTHORITY, year="2025-26", period=6), "template.xlsx")
    assert {p.where for p in caught.value.problems} >= {"Revenue!A2", "Savings!A2", "Capital!A2"}


@pytest.mark.parametrize(("units", "factor"), [("£000", 1_000), ("£m", 1_000_000), ("£", 1)])
def test_filled_template_round_trip_stores_pounds(db: Store, units: str, factor: int) -> None:
    rows = [["Adults", "Older people", 52.5, 53.25, 0.75], ["Children's", None, 40, 41.1, None]]
    result = load_upload(db, _filled_template(units, rows), "filled.xlsx")
    assert result.status == "loaded" and result.periods == [6]
    assert result.line_counts == {"Revenue": 2, "Savings": 1}
    stored = _revenue_gbp(db, result.upload_id)
    assert stored[0][2:] == (Decimal("52.5") * factor, Decimal("53.25") * factor, Decimal("0.75") * factor)
    assert stored[1][4] == (Decimal("41.1") - Decimal(40)) * factor
    savings = db.query("SELECT target_gbp, forecast_gbp, rag FROM monitoring_savings")
    assert savings == [(Decimal("1.5") * factor, Decimal("1.1") * factor, "Amber")]


# -- real-world quirks -------------------------------------------------------------------------------------------


def _quirky(wb: openpyxl.Workbook) -> None:
    ws = wb.create_sheet("REVENUE  Monitoring", 1)
    ws["A1"] = "Northbridge MBC — Revenue budget monitoring 2025/26, Period 6"
    ws.merge_cells("A1:F1")
    ws["A2"] = "All figures £000"
    ws.append([])
    ws.append(["Department", "Cost centre", "Net Budget", "Projected Outturn", "Over/(under) spend", "Notes"])
    ws.append(["Adults", "Older people", "50,000", "51,200.0", "1,200", "pressures in home care"])
    ws.append([])
    ws.append(["Adults", "Learning disabilities", "30000", 30_500, 500])
    ws.append(["Children's", None, 45_000, 47_000, "=D8-C8"])
    ws.append(["Resources", None, "(400)", "(800)", "(400)"])
    ws.append(["Corporate", None, "-", 0, "-"])
    ws.append([])
    ws.append(["Total", None, "=SUM(C5:C10)", "=SUM(D5:D10)", "=SUM(E5:E10)"])
    ws.append(["Note: excludes schools"])
    hidden = wb.create_sheet("Capital")
    hidden.append(["this sheet is hidden and would be refused if read"])
    hidden.sheet_state = "hidden"


def test_workbook_with_every_quirk_loads(db: Store) -> None:
    data = build(
        sheets={}, fields=with_fields(units=None, authority="northbridge metropolitan borough council"), mutate=_quirky
    )
    data = with_cached_values(
        data, "xl/worksheets/sheet2.xml", {"E8": 2000, "C12": 124_600, "D12": 127_900, "E12": 3_300}
    )
    result = load_upload(db, data, "quirky.xlsx")
    assert result.line_counts == {"Revenue": 5}
    rows = _revenue_gbp(db, result.upload_id)
    assert rows[0] == ("Adults", "Older people", Decimal(50_000_000), Decimal(51_200_000), Decimal(1_200_000))
    assert rows[2][4] == Decimal(2_000_000)  # cached formula value
    assert rows[3][2:] == (Decimal(-400_000), Decimal(-800_000), Decimal(-400_000))  # brackets
    assert rows[4][2] == Decimal(0)  # a lone dash is nil
    assert db.query("SELECT sheet_title FROM monitoring_upload_sheet") == [("REVENUE  Monitoring",)]


def test_units_in_a_header_override_the_workbook_units(db: Store) -> None:
    header = ["Directorate", "Service", "Budget £m", "Forecast outturn (£m)", "Variance £m"]
    result = load_upload(db, revenue(["Adults", None, 1.5, 1.75, 0.25], header=header), "m.xlsx")
    assert _revenue_gbp(db, result.upload_id)[0][2:] == (Decimal(1_500_000), Decimal(1_750_000), Decimal(250_000))


def test_a_period_column_overrides_the_workbook_period(db: Store) -> None:
    header = [*REVENUE_HEADER, "Period"]
    rows = [[*REVENUE_ROWS[0], "P4"], [*REVENUE_ROWS[0], 5], [*REVENUE_ROWS[1], None]]
    result = load_upload(db, revenue(*rows, header=header), "periods.xlsx")
    assert result.periods == [4, 5, 6]
    assert periods_held(db, AUTHORITY, "2025-26") == [4, 5, 6]
    assert len(monitoring_lines(db, AUTHORITY, "2025-26", 5)["Revenue"]) == 1


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_all_six_sheets_load_and_queries_return_pounds(db: Store) -> None:
    result = load_upload(db, build(), "all.xlsx")
    assert set(result.line_counts) == {"Revenue", "Savings", "Collection", "DSG", "Reserves", "Capital"}
    lines = monitoring_lines(db, AUTHORITY, "2025-26")
    assert lines["DSG"].loc[0, "cumulative_gbp"] == 25_000_000.0
    assert lines["Collection"]["arrears_gbp"].isna().tolist() == [False, True]  # missing is missing, not zero
    assert lines["Reserves"]["reserve_type"].tolist() == ["Unallocated", "Earmarked"]
    trend = revenue_by_period(db, AUTHORITY, "2025-26")
    assert trend.loc[0, "budget_gbp"] == sum(r[2] for r in REVENUE_ROWS) * 1000


# -- re-upload, supersede, withdraw ------------------------------------------------------------------------------


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_identical_reupload_changes_nothing(db: Store) -> None:
    data = build()
    first = load_upload(db, data, "a.xlsx")
    before = db.dump()
    again = load_upload(db, data, "renamed.xlsx", user="someone else")
    assert (again.status, again.upload_id) == ("unchanged", first.upload_id)
    assert "already loaded" in again.summary()
    assert db.dump() == before
    assert prepare_upload(db, data, "x.xlsx").already_loaded == first.upload_id


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_new_upload_supersedes_per_period_and_sheet_and_withdraw_restores(db: Store) -> None:
    first = load_upload(db, build(), "p6-first.xlsx", user="alice")
    changed = [["Adults", "Older people", 50_000, 52_000, 2_000]]
    second = load_upload(db, revenue(*changed), "p6-second.xlsx", user="bob")
    assert second.superseded == [first.upload_id]
    current = monitoring_lines(db, AUTHORITY, "2025-26", 6)
    assert current["Revenue"]["forecast_gbp"].tolist() == [52_000_000.0]
    assert current["Revenue"]["upload_id"].tolist() == [second.upload_id]
    assert current["Savings"]["upload_id"].unique().tolist() == [first.upload_id]  # other sheets stay current
    history = upload_history(db).set_index("upload_id")
    assert history.loc[first.upload_id, "status"] == "partly superseded"
    assert history.loc[second.upload_id, "uploaded_by"] == "bob"
    assert history.loc[second.upload_id, "sheets"] == "Revenue 1"

    withdraw_upload(db, second.upload_id, user="carol")
    current = monitoring_lines(db, AUTHORITY, "2025-26", 6)
    assert current["Revenue"]["upload_id"].unique().tolist() == [first.upload_id]
    history = upload_history(db).set_index("upload_id")
    assert history.loc[second.upload_id, "status"] == "withdrawn"
    assert history.loc[second.upload_id, "withdrawn_by"] == "carol"
    assert history.loc[first.upload_id, "status"] == "current"


def test_withdraw_refuses_unknown_and_repeated(db: Store) -> None:
    upload = load_upload(db, build(), "a.xlsx")
    with pytest.raises(NotFoundError):
        withdraw_upload(db, 999)
    withdraw_upload(db, upload.upload_id)
    before = db.dump()
    with pytest.raises(InputError):
        withdraw_upload(db, upload.upload_id)
    assert db.dump() == before
    assert monitoring_lines(db, AUTHORITY, "2025-26") == {}


@pytest.mark.parametrize("with_mtfs", [False, True], ids=["monitoring", "monitoring and an MTFS sheet"])
def test_a_withdrawn_upload_can_be_loaded_again(db: Store, with_mtfs: bool) -> None:
    """Withdrawing by mistake is undone by loading the same file again: a new upload, current again."""
    sheets = all_sheets() | ({"MTFS": [MTFS_HEADER, *MTFS_ROWS]} if with_mtfs else {})
    data = build(sheets)
    first = load_upload(db, data, "a.xlsx")
    withdraw_upload(db, first.upload_id)
    assert prepare_upload(db, data, "a.xlsx").already_loaded is None
    again = load_upload(db, data, "a.xlsx")
    assert again.status == "loaded" and again.upload_id != first.upload_id
    assert monitoring_lines(db, AUTHORITY, "2025-26", 6)["Revenue"]["upload_id"].unique().tolist() == [again.upload_id]
    history = upload_history(db).set_index("upload_id")
    assert (history.loc[first.upload_id, "status"], history.loc[again.upload_id, "status"]) == ("withdrawn", "current")


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_failed_commit_rolls_back_everything(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = prepare_upload(db, build(), "a.xlsx")
    before = db.dump()
    from finance.upload import load as load_module

    calls = {"n": 0}
    real = load_module._insert

    def failing(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "_insert", failing)
    with pytest.raises(RuntimeError):
        load_module.commit_upload(db, prepared)
    assert db.dump() == before


def test_large_sheet_goes_through_the_dataframe_path(db: Store) -> None:
    rows = [[f"Directorate {i}", None, 1_000 + i, 1_010 + i, 10] for i in range(1_000)]
    result = load_upload(db, revenue(*rows), "big.xlsx")
    assert result.line_counts == {"Revenue": 1_000}
    total = db.scalar("SELECT sum(budget_gbp) FROM monitoring_revenue")
    assert total == Decimal(sum(1_000 + i for i in range(1_000)) * 1_000)
