"""The approved MTFS (issue 10): the Sefton figures as published load, scenarios are measured against them, a
second version is kept beside the first, and the schema refuses what validation refuses."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
import openpyxl
import pytest

from finance.cli import main
from finance.errors import InputError, NotFoundError
from finance.monitoring import upload_history
from finance.mtfs import (
    all_series,
    difference_by_year,
    latest_series,
    list_versions,
    mtfs_series,
    scenarios_against,
    starting_scenario,
    versions_table,
)
from finance.scenarios import example_scenario, run
from finance.scenarios.charts import gap_chart
from finance.store import Store, Tx
from finance.upload import load_upload, template_bytes, withdraw_upload
from tests.monitoring_corpus import AUTHORITY, FIELDS, MTFS_ROWS, add_authority, build, mtfs

SEFTON = "E08000014"
# Sefton Council CPC report, Nov 2023 (DOMAIN.md): "£14.3m in 2024-25, £13.2m in 2025-26 and £16.7m in 2026-27".
SEFTON_GAPS = {"2024-25": 14.3, "2025-26": 13.2, "2026-27": 16.7}


def sefton_workbook(gaps: dict[str, float] = SEFTON_GAPS, version: str = "MTFS 2024-27 (CPC report)") -> bytes:
    fields = {"Authority": SEFTON, "Financial year": "2023-24", "Version name": version, "Units": "£m"}
    rows: list[list[Any]] = [["Year", "Gap before savings"], *([y, g] for y, g in gaps.items())]
    return build({"MTFS": rows}, fields)


@pytest.fixture
def sefton(store: Store) -> Store:
    def write(tx: Tx) -> None:
        tx.execute("INSERT INTO authority VALUES (?, 'E4207', 'Sefton', 'MD', false, 0)", [SEFTON])

    store.write(write)
    return store


@pytest.mark.both_backends  # the same on a DuckDB file and on DuckLake
def test_sefton_as_published_loads_and_is_the_reference_line(sefton: Store) -> None:
    result = load_upload(sefton, sefton_workbook(), "sefton-mtfs.xlsx")
    assert result.status == "loaded" and result.line_counts == {"MTFS": 3} and result.periods == []
    assert result.financial_year == "2023-24" and result.mtfs_version == "MTFS 2024-27 (CPC report)"
    stored = sefton.query("SELECT mtfs_year, gap_before_savings_gbp FROM mtfs_line ORDER BY mtfs_year")
    assert stored == [(y, Decimal(str(g)) * 1_000_000) for y, g in SEFTON_GAPS.items()]
    series = latest_series(sefton, SEFTON)
    assert series is not None and series.version.base_year == "2023-24"
    label, values = series.reference()
    figure = gap_chart(run(example_scenario()), reference=(label, values))
    line = next(t for t in figure.data if t.name == label)
    assert list(line.x) == list(SEFTON_GAPS)
    # the line is the cumulative approved gap: its steps are the published gaps, its end the published £44.2m
    steps = [line.y[0], *(b - a for a, b in zip(line.y, line.y[1:], strict=False))]
    assert steps == pytest.approx(list(SEFTON_GAPS.values()))
    assert line.y[-1] == pytest.approx(44.2)


def test_shipped_sefton_scenario_differs_by_zero_at_zero_council_tax(sefton: Store) -> None:
    load_upload(sefton, sefton_workbook(), "sefton-mtfs.xlsx")
    series = mtfs_series(sefton, SEFTON)
    flat = example_scenario().with_assumptions(council_tax_increase_pct=0.0, adult_social_care_precept_pct=0.0)
    assert difference_by_year(run(flat), series) == dict.fromkeys(SEFTON_GAPS, 0.0)
    # with council tax rising as the example has it, the scenario's gap is smaller than approved (about £19m)
    as_shipped = difference_by_year(run(example_scenario()), series)
    assert as_shipped["2026-27"] == pytest.approx(19.0 - 44.2, abs=0.2)
    table = scenarios_against({"flat": flat, "shipped": example_scenario()}, series)
    assert list(table["Scenario"]) == ["flat", "shipped"]
    assert list(table.iloc[0, 1:]) == [0.0, 0.0, 0.0] and table.iloc[1, -1] < -25


def test_starting_scenario_reproduces_the_approved_gap(store: Store) -> None:
    add_authority(store)
    load_upload(store, mtfs(), "mtfs.xlsx")
    series = mtfs_series(store, AUTHORITY)
    start = starting_scenario(series)
    assert start.base_year == "2025-26" and start.years == ("2026-27", "2027-28", "2028-29")
    proj = run(start)
    approved_after = [(r[3] - r[4]) / 1000 for r in MTFS_ROWS]  # £000 → £m, gap before − savings
    assert list(proj.cumulative_gap[0]) == pytest.approx([sum(approved_after[: i + 1]) for i in range(3)])
    assert difference_by_year(proj, series) == dict.fromkeys(series.years, 0.0)


@pytest.mark.both_backends
def test_two_versions_are_both_kept_and_the_versions_view_shows_the_change(sefton: Store) -> None:
    load_upload(sefton, sefton_workbook(), "sefton-nov-2023.xlsx")
    reset = {"2024-25": 14.3, "2025-26": 15.0, "2026-27": 16.7}
    fields = {"Authority": SEFTON, "Version name": "Budget reset", "Date approved": date(2024, 2, 28), "Units": "£m"}
    rows: list[list[Any]] = [["Year", "Gap before savings"], *([y, g] for y, g in reset.items())]
    result = load_upload(sefton, build({"MTFS": rows}, fields), "sefton-feb-2024.xlsx")
    assert result.status == "loaded"
    versions = list_versions(sefton, SEFTON)
    assert [v.version_name for v in versions] == ["MTFS 2024-27 (CPC report)", "Budget reset"]
    assert versions[1].approved_on == date(2024, 2, 28)
    assert mtfs_series(sefton, SEFTON).version.version_name == "Budget reset"
    assert mtfs_series(sefton, SEFTON, "mtfs 2024-27 (cpc report)").gap_before_savings_gbp_m[1] == pytest.approx(13.2)
    table = versions_table(all_series(sefton, SEFTON))
    assert list(table["Year"]) == list(SEFTON_GAPS)
    change = table[next(c for c in table.columns if c.startswith("Change"))]
    assert list(change) == pytest.approx([0.0, 1.8, 0.0])
    assert any("approved 28 Feb 2024" in c for c in table.columns)
    # withdrawing the newer upload makes the earlier version the latest again
    withdraw_upload(sefton, result.upload_id)
    assert mtfs_series(sefton, SEFTON).version.version_name == "MTFS 2024-27 (CPC report)"


@pytest.mark.both_backends
def test_identical_reupload_changes_nothing_and_history_lists_it(sefton: Store) -> None:
    data = sefton_workbook()
    first = load_upload(sefton, data, "sefton.xlsx")
    before = sefton.dump()
    again = load_upload(sefton, data, "sefton-copy.xlsx")
    assert again.status == "unchanged" and again.upload_id == first.upload_id
    assert sefton.dump() == before
    history = upload_history(sefton, SEFTON)
    assert list(history["upload_id"]) == [first.upload_id]
    assert history.iloc[0]["sheets"] == "MTFS 3" and history.iloc[0]["status"] == "current"


def test_monitoring_and_mtfs_in_one_workbook_load_together(store: Store) -> None:
    add_authority(store)
    sheets: dict[str, list[list[Any]]] = {
        "Revenue": [["Directorate", "Budget", "Forecast outturn"], ["Adults", 100, 110]]
    }
    sheets["MTFS"] = [["Year", "Gap before savings", "Savings identified", "Gap after savings"], *(
        [r[0], r[3], r[4], r[5]] for r in MTFS_ROWS
    )]  # fmt: skip
    result = load_upload(store, build(sheets), "both.xlsx")
    assert result.periods == [6] and result.line_counts == {"Revenue": 1, "MTFS": 3}
    assert len(list_versions(store, AUTHORITY)) == 1


def test_refused_mtfs_with_a_bad_revenue_sheet_writes_no_version(store: Store) -> None:
    add_authority(store)
    before = store.dump()
    sheets: dict[str, list[list[Any]]] = {
        "Revenue": [["Directorate", "Budget", "Forecast outturn"], ["Adults", "n/a", 110]]
    }
    sheets["MTFS"] = [["Year", "Gap before savings"], *([r[0], r[3]] for r in MTFS_ROWS)]
    with pytest.raises(InputError) as caught:
        load_upload(store, build(sheets), "bad.xlsx")
    assert [p.where for p in caught.value.problems] == ["Revenue!B2"]
    assert store.dump() == before and latest_series(store, AUTHORITY) is None


@pytest.mark.both_backends
def test_the_schema_refuses_negative_funding_and_budget_requirement(store: Store) -> None:
    for column in ("funding_gbp", "budget_requirement_gbp"):

        def write(tx: Tx, column: str = column) -> None:
            tx.execute(
                "INSERT INTO mtfs_line (version_id, source_id, sheet_row, mtfs_year, gap_before_savings_gbp, "
                f"{column}) VALUES (1, 1, 2, '2026-27', 0, -1)"
            )

        with pytest.raises(duckdb.ConstraintException):
            store.write(write)


def test_template_has_an_mtfs_sheet_that_round_trips(store: Store) -> None:
    add_authority(store)
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(authority=AUTHORITY, year="2025-26", period=6)))
    sheet = wb["MTFS"]
    assert [c.value for c in sheet[1]] == [
        "Year", "Net budget requirement", "Funding", "Gap before savings", "Savings identified", "Gap after savings",
        "Planned use of reserves",
    ]  # fmt: skip
    assert str(sheet["A2"].value).startswith("Example:")
    for name in wb.sheetnames[1:]:
        if wb[name].max_row >= 2 and str(wb[name]["A2"].value or "").startswith("Example"):
            wb[name].delete_rows(2)
    for row in MTFS_ROWS:
        sheet.append(row)
    info = wb["Instructions"]
    labels = {info.cell(r, 1).value: r for r in range(1, 12)}
    info.cell(labels["Version name"], 2, "February budget 2026")
    info.cell(labels["Date approved"], 2, "26/02/2026")
    buf = io.BytesIO()
    wb.save(buf)
    result = load_upload(store, buf.getvalue(), "template.xlsx")
    version = list_versions(store, AUTHORITY)[0]
    assert result.mtfs_version == version.version_name == "February budget 2026"
    assert version.approved_on == date(2026, 2, 26)
    series = mtfs_series(store, AUTHORITY)
    assert series.funding_gbp_m == pytest.approx((275.7, 272.5, 265.8))
    assert series.reserves_use_gbp_m == pytest.approx((10.3, 5.0, 0.0))


def test_no_mtfs_is_not_found(store: Store) -> None:
    add_authority(store)
    assert latest_series(store, AUTHORITY) is None
    with pytest.raises(NotFoundError):
        mtfs_series(store, AUTHORITY)


def test_cli_prints_the_series_and_exits_2_when_unknown(
    sefton: Store, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sefton.path
    load_upload(sefton, sefton_workbook(), "sefton.xlsx")
    sefton.close()
    assert main(["--db", path, "mtfs", "--authority", SEFTON, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [y["gap_before_savings_gbp_m"] for y in data["years"]] == list(SEFTON_GAPS.values())
    assert data["years"][-1]["cumulative_gap_gbp_m"] == pytest.approx(44.2)
    assert main(["--db", path, "mtfs", "--authority", SEFTON]) == 0
    assert "£44.2m" in capsys.readouterr().out
    assert main(["--db", path, "mtfs", "--authority", SEFTON, "--version", "nope"]) == 2
    assert main(["--db", path, "mtfs", "--authority", "E08000999"]) == 2


def test_workbook_fields_are_used_for_the_version(store: Store) -> None:
    add_authority(store)
    fields = FIELDS | {"Date approved": "28 February 2026"}
    load_upload(store, mtfs(fields=fields), "feb.xlsx")
    version = list_versions(store, AUTHORITY)[0]
    assert version.approved_on == date(2026, 2, 28) and version.version_name == "Approved 28 Feb 2026"


def test_versions_with_one_name_stay_apart_and_every_gap_chart_carries_the_reference(sefton: Store) -> None:
    from finance.mtfs import versions_chart
    from finance.scenarios import simulate
    from finance.scenarios.charts import compare_chart, fan_chart

    load_upload(sefton, sefton_workbook(), "a.xlsx")
    load_upload(sefton, sefton_workbook({"2024-25": 15.0, "2025-26": 13.2, "2026-27": 16.7}), "b.xlsx")
    held = all_series(sefton, SEFTON)
    assert [len(t.x) for t in versions_chart(held).data] == [3, 3]
    assert len([c for c in versions_table(held).columns if c.startswith("MTFS 2024-27")]) == 2
    label, values = held[-1].reference()
    proj = run(example_scenario())
    for figure in (
        fan_chart(simulate(example_scenario(), 50, 1), (label, values)),
        compare_chart({"a": proj, "b": proj}, (label, values)),
    ):
        line = next(t for t in figure.data if t.name == label)
        assert list(line.y) == pytest.approx([15.0, 28.2, 44.9])


def test_a_totals_row_is_checked_and_not_loaded(store: Store) -> None:
    from tests.monitoring_corpus import MTFS_HEADER

    add_authority(store)
    total = ["Total", 900_000, 814_000, 44_200, 9_000, 35_200, 15_300]
    load_upload(store, build({"MTFS": [MTFS_HEADER, *MTFS_ROWS, total]}), "with-total.xlsx")
    assert mtfs_series(store, AUTHORITY).years == ("2026-27", "2027-28", "2028-29")
    wrong = [*total[:3], 50_000, *total[4:]]
    with pytest.raises(InputError) as caught:
        load_upload(store, build({"MTFS": [MTFS_HEADER, *MTFS_ROWS, wrong]}), "wrong-total.xlsx")
    assert [(p.where, "does not reconcile" in p.message) for p in caught.value.problems] == [("MTFS!D5", True)]
