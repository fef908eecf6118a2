"""The 2024-25 layout (RSX, RO3 and, when supplied, RS): read by asset codes or labels, markers held as not
returned, bad variants loaded correctly or refused whole.

The expected figures are read straight from the shared files here, with python-calamine and the column found by
its asset code, not through Headroom's reader. Variants (renamed sheet, moved columns, no code row, markers) are
built in a temporary folder from the real file's rows; nothing derived from the official files is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from finance import benchmark
from finance.check import check_database
from finance.cli import main
from finance.errors import InputError
from finance.indicators import resilience_profile
from finance.official import import_paths, read_return
from finance.official.reader import UnreadableReturnError
from finance.store import Store

RSX = "RSX_LA_Data_2024-25_data_by_LA.ods"
RO3 = "RO3_LA_Data_2024-25_data_by_LA.ods"
RSX_SHEET = "RSX_LA_Data_202425"
RS_2023 = "RS_2023-24_data_by_LA.ods"
# Adur (SD), Sefton (MD), Kent (SC), Camden (LB), Birmingham (MD, no return: '[x]'), Slough (UA, '[x]')
CODES = ("E07000223", "E08000014", "E10000016", "E09000007", "E08000025", "E06000039")

Rows = list[list[object]]


@pytest.fixture(scope="module")
def outturn_dir(shared_raw: Path) -> Path:
    folder = shared_raw / "la_outturn_2024-25_mhclg" / "source"
    if not folder.is_dir():
        pytest.skip("the shared 2024-25 outturn files are not here")
    return folder


def _sheet(path: Path, name: str | None = None) -> Rows:
    book = CalamineWorkbook.from_path(str(path))
    sheet = name or next(n for n in book.sheet_names if "LA_Data" in n)
    return [list(r) for r in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]


def _straight(path: Path, asset_code: str) -> dict[str, object]:
    """ONS code → the cell under `asset_code`, read from the file with calamine (the code is in the last row)."""
    rows = _sheet(path)
    col = rows[-1].index(asset_code)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "E-code")
    return {str(r[1]): r[col] for r in rows[header + 1 : -1] if str(r[0]).startswith("E") and len(str(r[0])) == 5}


def _expected(cell: object) -> tuple[Decimal | None, str | None]:
    if isinstance(cell, float | int):
        return (Decimal(repr(float(cell))) * 1000).quantize(Decimal("0.01")), None
    return None, str(cell)


def _service(store: Store, dataset: str, line: str) -> dict[str, tuple[Decimal | None, str | None]]:
    rows = store.query(
        "SELECT code, value_gbp, published_text FROM service_value WHERE dataset = ? AND line = ?", [dataset, line]
    )
    return {str(c): (v, t) for c, v, t in rows}


@pytest.fixture(scope="module")
def outturn_store(tmp_path_factory: pytest.TempPathFactory, outturn_dir: Path, official_source_dir: Path) -> Store:
    store = Store.open(str(tmp_path_factory.mktemp("outturn") / "h.duckdb"))
    import_paths(store, [outturn_dir / RSX, outturn_dir / RO3, official_source_dir / RS_2023])
    return store


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("adult_social_care", "RSX-asc-net-cur-exp"),
        ("childrens_social_care", "RSX-csc-net-cur-exp"),
        ("education", "RSX-edu-net-cur-exp"),
        ("total_service", "RSX-totsx-net-cur-exp"),
    ],
)
def test_rsx_figures_match_the_file(outturn_store: Store, outturn_dir: Path, line: str, code: str) -> None:
    held = _service(outturn_store, "RSX outturn", line)
    straight = _straight(outturn_dir / RSX, code)
    for ons in CODES:
        assert held[ons] == _expected(straight[ons]), (ons, line)
    assert held["E08000025"] == (None, "[x]")  # Birmingham sent no return: not returned, never zero


def test_ro3_figures_match_the_file(outturn_store: Store, outturn_dir: Path) -> None:
    for line, code in [
        ("total children social care", "RO3-csctot-net-cur-exp"),
        ("children's social care - children looked after", "RO3-csclkd-net-cur-exp"),
        ("total adult social care", "RO3-asctot-net-cur-exp"),
    ]:
        held = _service(outturn_store, "RO3 outturn", line)
        straight = _straight(outturn_dir / RO3, code)
        for ons in CODES:
            assert held[ons] == _expected(straight[ons]), (ons, line)


def test_ro3_totals_agree_with_rsx(outturn_store: Store) -> None:
    """Two returns, one definition: RO3's social care totals are RSX's service lines."""
    rsx = _service(outturn_store, "RSX outturn", "adult_social_care")
    ro3 = _service(outturn_store, "RO3 outturn", "total adult social care")
    assert all(rsx[ons] == ro3[ons] for ons in CODES)


def test_rsx_does_not_make_2024_25_a_reserves_year(outturn_store: Store) -> None:
    assert benchmark.years_held(outturn_store, illustrative=False) == ["2023-24"]
    assert outturn_store.scalar("SELECT count(*) FROM official_return WHERE financial_year = '2024-25'") == 0
    held = outturn_store.query("SELECT DISTINCT financial_year, dataset FROM service_return ORDER BY ALL")
    assert held == [("2023-24", "RS outturn"), ("2024-25", "RO3 outturn"), ("2024-25", "RSX outturn")]


def test_the_database_checks_pass(outturn_store: Store) -> None:
    report = check_database(outturn_store)
    assert "service_per_file" in report.checks_run and report.failures == []


def test_reimport_is_unchanged(outturn_store: Store, outturn_dir: Path) -> None:
    before = outturn_store.dump()
    reports = import_paths(outturn_store, [outturn_dir])
    assert {r.status for r in reports} == {"unchanged"}
    assert {r.service_rows for r in reports} >= {5740}
    assert outturn_store.dump() == before


# -- variants built from the real RSX file ----------------------------------------------------------------------


def _write(path: Path, sheets: dict[str, Rows]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def _variant(outturn_dir: Path, folder: Path, change: Callable[[Rows], Rows], sheet: str = RSX_SHEET) -> Path:
    rows = change(_sheet(outturn_dir / RSX))
    return _write(folder / RSX.replace(".ods", ".xlsx"), {"Front_Page": [["RSX 2024-25"]], sheet: rows})


def _services_of(path: Path) -> dict[tuple[str, str], tuple[Decimal | None, str | None]]:
    ret = read_return(path)
    return {(v.ecode, v.line): (v.value_gbp, v.published_text) for v in ret.service_values}


@pytest.fixture(scope="module")
def rsx_read(outturn_dir: Path) -> dict[tuple[str, str], tuple[Decimal | None, str | None]]:
    return _services_of(outturn_dir / RSX)


def _header_index(rows: Rows) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == "E-code")


def _without_code_row(rows: Rows) -> Rows:
    return rows[:-1]


def _reversed_data_columns(rows: Rows) -> Rows:
    return [r[:7] + list(reversed(r[7:])) for r in rows]


def test_a_renamed_sheet_reads_the_same(outturn_dir: Path, tmp_path: Path, rsx_read: dict) -> None:
    path = _variant(outturn_dir, tmp_path, lambda rows: rows, sheet="Sheet1")
    assert _services_of(path) == rsx_read


def test_moved_columns_read_the_same(outturn_dir: Path, tmp_path: Path, rsx_read: dict) -> None:
    assert _services_of(_variant(outturn_dir, tmp_path, _reversed_data_columns)) == rsx_read


def test_labels_alone_read_the_same(outturn_dir: Path, tmp_path: Path, rsx_read: dict) -> None:
    """No hidden code row (saved through another tool): the labels, split from their end, give the same."""
    path = _variant(outturn_dir, tmp_path, _without_code_row)
    assert _services_of(path) == rsx_read
    assert {v.asset_code for v in read_return(path).service_values} == {None}


def test_moved_columns_without_codes_read_the_same(outturn_dir: Path, tmp_path: Path, rsx_read: dict) -> None:
    path = _variant(outturn_dir, tmp_path, lambda rows: _reversed_data_columns(_without_code_row(rows)))
    assert _services_of(path) == rsx_read


@pytest.mark.parametrize("marker", ["[x]", "[c]", "..", "[z]"])
def test_markers_are_held_as_not_published(outturn_dir: Path, tmp_path: Path, marker: str) -> None:
    def mark(rows: Rows) -> Rows:
        header = rows[_header_index(rows)]
        col = header.index("Adult Social Care - Net Current Expenditure (C7 = C3 - C6)")
        row = next(r for r in rows if r[1] == "E08000014")
        row[col] = marker
        return rows

    path = _variant(outturn_dir, tmp_path, mark)
    values = _services_of(path)
    sefton = next(v.ecode for v in read_return(path).authorities if v.ons_code == "E08000014")
    assert values[(sefton, "adult_social_care")] == (None, marker)


def test_a_label_that_contradicts_its_code_is_refused(outturn_dir: Path, tmp_path: Path) -> None:
    def swap_labels(rows: Rows) -> Rows:
        header = rows[_header_index(rows)]
        a = header.index("Adult Social Care - Net Current Expenditure (C7 = C3 - C6)")
        header[a] = "Adult Social Care - Employees (C1)"
        return rows

    path = _variant(outturn_dir, tmp_path, swap_labels)
    with pytest.raises(InputError) as info:
        read_return(path)
    assert "disagree" in str(info.value) and "RSX-asc-net-cur-exp" in str(info.value)


def _unknown_layout(rows: Rows) -> Rows:
    """The RSX table with its labels replaced by numbers and no code row: a layout Headroom does not know."""
    header = _header_index(rows)
    rows[header] = rows[header][:7] + [f"Column {i}" for i in range(7, len(rows[header]))]
    return rows[:-1]


def test_a_return_in_an_unknown_layout_fails_the_whole_import(
    outturn_dir: Path, official_source_dir: Path, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "official"
    folder.mkdir()
    _variant(outturn_dir, folder, _unknown_layout)
    (folder / RS_2023).write_bytes((official_source_dir / RS_2023).read_bytes())
    (folder / "readme.txt").write_text("not a return")
    before = store.dump()
    with pytest.raises(InputError) as info:  # the CLI exits 2 on it
        import_paths(store, [folder])
    text = str(info.value)
    assert "RSX_LA_Data_2024-25_data_by_LA.xlsx" in text and f"sheet '{RSX_SHEET}'" in text
    assert "RSX-asc-net-cur-exp" in text  # what was expected
    assert store.dump() == before
    with pytest.raises(UnreadableReturnError):
        read_return(folder / "RSX_LA_Data_2024-25_data_by_LA.xlsx")


def test_a_folder_still_skips_what_is_not_a_return(outturn_dir: Path, tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "official"
    folder.mkdir()
    (folder / RSX).write_bytes((outturn_dir / RSX).read_bytes())
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    reports = {r.file_name: r for r in import_paths(store, [folder])}
    assert reports[RSX].status == "imported" and reports[RSX].dataset == "RSX outturn"
    assert reports["notes.csv"].status == "skipped"


# -- RS 2024-25, when a user supplies it: a file MADE IN THIS TEST in the RSX 2024-25 layout --------------------

RS_MADE_COLUMNS: Sequence[tuple[str, str]] = (
    ("Adult Social Care - Net Current Expenditure (C7 = C3 - C6)", "RS-asc-net-exp"),
    ("Children Social Care - Net Current Expenditure (C7 = C3 - C6)", "RS-csc-net-exp"),
    ("Total Service Expenditure - Net Current Expenditure (C7 = C3 - C6)", "RS-totsx-net-exp"),
    ("Net Revenue Expenditure", "RS-netrevexp-net-exp"),
    ("Estimated other earmarked financial reserves level at 1 April (unadjusted)", "RS-resoth-start-cy"),
    ("Estimated other earmarked financial reserves level at 31 March (unadjusted)", "RS-resoth-end-cy"),
    ("Estimated unallocated financial reserves level at 1 April", "RS-resunall-start-cy"),
    ("Estimated unallocated financial reserves level at 31 March", "RS-resunall-end-cy"),
)


def _made_rs(outturn_dir: Path, folder: Path, *, codes: bool = True) -> Path:
    """An RS 2024-25 workbook made here from the RSX file's authorities, in its layout, with made-up figures
    (a council's RSX total service spend scaled); it is labelled as made in its own title."""
    rows = _sheet(outturn_dir / RSX)
    header = _header_index(rows)
    title = [
        ["Revenue Outturn (RO) 2024-25: Revenue Outturn Summary (RS) data - MADE IN A HEADROOM TEST, not published"]
    ]
    table: Rows = [rows[header][:7] + [label for label, _ in RS_MADE_COLUMNS]]
    total = rows[header].index("Total Service Expenditure - Net Current Expenditure (C7 = C3 - C6)")
    for r in rows[header + 1 : -1]:
        spend = r[total]
        if not isinstance(spend, float):
            table.append(r[:7] + ["[x]"] * len(RS_MADE_COLUMNS))
            continue
        table.append([*r[:7], spend * 0.3, spend * 0.2, spend, spend * 1.1, spend * 0.2, spend * 0.25, 5.0, 6.0])
    if codes:
        table.append([""] * 7 + [code for _, code in RS_MADE_COLUMNS])
    return _write(folder / "RS_LA_Data_2024-25_data_by_LA_MADE_IN_TEST.xlsx", {"RS_LA_Data_202425": title + table})


@pytest.mark.parametrize("codes", [True, False], ids=["codes", "labels-only"])
def test_a_made_rs_2024_25_loads_and_moves_the_reserves_year(
    outturn_dir: Path, official_source_dir: Path, tmp_path: Path, store: Store, codes: bool
) -> None:
    path = _made_rs(outturn_dir, tmp_path, codes=codes)
    ret = read_return(path)
    assert (ret.financial_year, ret.dataset, ret.layout) == ("2024-25", "RS outturn", "2024-25 coded")
    import_paths(store, [official_source_dir / RS_2023, outturn_dir / RSX, path])
    assert benchmark.years_held(store, illustrative=False) == ["2024-25", "2023-24"]
    nre = store.query_one(
        "SELECT value_gbp FROM official_value WHERE code = 'E08000014' AND financial_year = '2024-25' "
        "AND measure = 'net_revenue_expenditure'"
    )
    total = _straight(outturn_dir / RSX, "RSX-totsx-net-cur-exp")["E08000014"]
    assert isinstance(total, float) and nre == ((Decimal(repr(total * 1.1)) * 1000).quantize(Decimal("0.01")),)
    assert store.query_one(
        "SELECT published_text FROM official_value WHERE code = 'E08000025' AND financial_year = '2024-25' "
        "AND measure = 'unallocated_reserves' AND point = 'closing'"
    ) == ("[x]",)
    # with RS 2024-25 held, 2024-25 has the CIPFA social care ratio (and not the share shown in its place)
    keys = {r.spec.key for r in resilience_profile(store, "E08000014", "2024-25", "MD").results}
    assert "social_care_ratio_pct_nre" in keys and "social_care_pct_total_service" not in keys


def test_cli_exits_2_naming_the_file_and_sheet(
    outturn_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "official"
    folder.mkdir()
    _variant(outturn_dir, folder, _unknown_layout)
    assert main(["--db", str(tmp_path / "h.duckdb"), "import-official", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "RSX_LA_Data_2024-25_data_by_LA.xlsx" in err and RSX_SHEET in err and "unknown layout" in err


def test_an_rs_file_loaded_before_service_lines_were_read_gains_them(store: Store, official_source_dir: Path) -> None:
    """A database from before service lines were read holds RS files with no service rows: importing the same
    file again reads it again and adds them, leaving its reserves as they were."""
    import_paths(store, [official_source_dir / RS_2023])
    official = store.query("SELECT * FROM official_value ORDER BY ALL")
    services = store.scalar("SELECT count(*) FROM service_value")

    def forget_service_lines(tx: Any) -> None:
        tx.execute("DELETE FROM service_value")
        tx.execute("DELETE FROM service_return")

    store.write(forget_service_lines)
    [report] = import_paths(store, [official_source_dir / RS_2023])
    assert report.status == "imported" and report.service_rows == services > 0
    assert store.scalar("SELECT count(*) FROM service_value") == services
    assert store.query("SELECT * FROM official_value ORDER BY ALL") == official
    [again] = import_paths(store, [official_source_dir / RS_2023])
    assert again.status == "unchanged"
