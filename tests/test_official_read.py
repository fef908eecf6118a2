"""read_return on the real published files: layouts, labels, the published figures, and refused files."""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.errors import InputError
from finance.official import ParsedReturn, read_return
from finance.official.labels import match_label
from finance.official.model import gbp_from_thousands, norm_label

SEFTON = "E4304"
BIRMINGHAM = "E4601"
RECOGNISED = {".xls", ".xlsx", ".ods", ".csv"}


def source_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.iterdir() if p.suffix.lower() in RECOGNISED)


def value(ret: ParsedReturn, ecode: str, measure: str, point: str) -> Decimal | None:
    found = [v for v in ret.values if (v.ecode, v.measure, v.point) == (ecode, measure, point)]
    assert len(found) == 1, (ecode, measure, point, found)
    return found[0].value_gbp


@pytest.fixture(scope="module")
def returns(official_source_dir: Path) -> dict[str, ParsedReturn]:
    return {r.financial_year: r for r in (read_return(p) for p in source_files(official_source_dir))}


def test_every_shared_file_parses(official_source_dir: Path) -> None:
    files = source_files(official_source_dir)
    assert len(files) == 10
    for path in files:
        ret = read_return(path)
        assert ret.financial_year in path.name, path.name
        assert ret.dataset == ("RA budget" if path.name.startswith("RA_") else "RS outturn")
        assert ret.basis == ("budget_estimate" if ret.dataset == "RA budget" else "outturn")
        assert 400 <= len(ret.authorities) <= 450
        ecodes = [a.ecode for a in ret.authorities]
        assert len(ecodes) == len(set(ecodes))
        keys = [(v.ecode, v.measure, v.point) for v in ret.values]
        assert len(keys) == len(set(keys))
        assert {"unallocated_reserves", "earmarked_reserves", "net_revenue_expenditure"} <= set(ret.measures)


def test_year_and_dataset_come_from_the_content_not_the_name(official_source_dir: Path, tmp_path: Path) -> None:
    for original, year, dataset in [
        ("RS_2023-24_data_by_LA.ods", "2023-24", "RS outturn"),
        ("RA_2021-22_data_by_LA.csv", "2021-22", "RA budget"),
        ("Revenue_Outturn_Summary__RS__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls", "2012-13", "RS outturn"),
    ]:
        renamed = tmp_path / f"download{Path(original).suffix}"
        shutil.copyfile(official_source_dir / original, renamed)
        ret = read_return(renamed)
        assert (ret.financial_year, ret.dataset) == (year, dataset)


def test_sefton_2023_24_published_figures(returns: dict[str, ParsedReturn]) -> None:
    # Sefton CPC report (Nov 2023) and RS 2023-24: £11.99m unallocated, £51.4m other earmarked at 1 April 2023
    ret = returns["2023-24"]
    assert value(ret, SEFTON, "unallocated_reserves", "opening") == Decimal("11991000")
    assert value(ret, SEFTON, "earmarked_reserves", "opening") == Decimal("51398000")
    assert value(ret, SEFTON, "net_revenue_expenditure", "year") == Decimal("299666000")
    assert value(ret, SEFTON, "council_tax_requirement", "year") == Decimal("160236000")
    # deficits in the DSG adjustment account are negative (PROVENANCE.md: -£17.06m, -£36.12m)
    assert value(ret, SEFTON, "dsg_adjustment_account", "opening") == Decimal("-17060000")
    assert value(ret, SEFTON, "dsg_adjustment_account", "closing") == Decimal("-36121000")
    sefton = next(a for a in ret.authorities if a.ecode == SEFTON)
    assert (sefton.ons_code, sefton.la_class, sefton.certified) == ("E08000014", "MD", "Y")


def test_sefton_usable_reserves_2015_and_2018(returns: dict[str, ParsedReturn]) -> None:
    # published figures quoted in the project's issues
    r16, r18 = returns["2015-16"], returns["2017-18"]
    opening_2015 = value(r16, SEFTON, "unallocated_reserves", "opening") + value(  # type: ignore[operator]
        r16, SEFTON, "earmarked_reserves", "opening"
    )
    closing_2018 = value(r18, SEFTON, "unallocated_reserves", "closing") + value(  # type: ignore[operator]
        r18, SEFTON, "earmarked_reserves", "closing"
    )
    assert opening_2015 == Decimal("52671000")
    assert closing_2018 == Decimal("34352000")


def test_birmingham_2023_24_is_missing_not_zero(returns: dict[str, ParsedReturn]) -> None:
    values = [v for v in returns["2023-24"].values if v.ecode == BIRMINGHAM]
    assert len(values) >= 10
    assert all(v.value_gbp is None for v in values)
    assert {v.published_text for v in values} == {"[x]"}
    birmingham = next(a for a in returns["2023-24"].authorities if a.ecode == BIRMINGHAM)
    assert birmingham.certified is None  # the return says "[x]", not Y or N


def test_old_layout_takes_opening_from_sheet_1_and_closing_from_sheet_2(returns: dict[str, ParsedReturn]) -> None:
    ret = returns["2010-11"]
    labels = {(v.measure, v.point): v.source_label for v in ret.values if v.ecode == SEFTON}
    assert labels[("unallocated_reserves", "opening")].startswith("[RS LA Data 2010-11 (1)]")
    assert "1 April 2010" in labels[("unallocated_reserves", "opening")]
    assert labels[("unallocated_reserves", "closing")].startswith("[RS LA Data 2010-11 (2)]")
    assert "31 March 2011" in labels[("unallocated_reserves", "closing")]
    assert all(a.ons_code is None for a in ret.authorities)  # 2010-11 publishes no ONS codes
    assert next(a for a in returns["2014-15"].authorities if a.ecode == SEFTON).ons_code == "E08000014"


def test_old_files_map_class_l_to_lb(returns: dict[str, ParsedReturn]) -> None:
    for ret in returns.values():
        classes = {a.la_class for a in ret.authorities}
        assert classes <= {"MD", "LB", "UA", "SC", "SD", "O"}
        assert "LB" in classes


def test_ra_net_revenue_expenditure_is_derived_and_says_so(returns: dict[str, ParsedReturn]) -> None:
    ret = returns["2021-22"]
    nre = [v for v in ret.values if v.measure == "net_revenue_expenditure"]
    assert nre and all(v.source_label.startswith("DERIVED:") for v in nre)
    assert "line 900" in nre[0].source_label and "line 904" in nre[0].source_label
    for v in nre:
        if v.value_gbp is not None:
            rev = value(ret, v.ecode, "revenue_expenditure", "year")
            assert rev is not None
    # budget-time estimates (PROVENANCE.md): Sefton unallocated £9.98m, other earmarked £33.9m at 31 March 2022
    assert value(ret, SEFTON, "unallocated_reserves", "closing") == Decimal("9984000")


def test_2023_24_keeps_adjusted_and_unadjusted_earmarked_apart(returns: dict[str, ParsedReturn]) -> None:
    labels = {(v.measure, v.point): v.source_label for v in returns["2023-24"].values if v.ecode == SEFTON}
    assert "(unadjusted)" in labels[("earmarked_reserves", "opening")]
    assert "(adjusted)" in labels[("earmarked_reserves_adjusted", "closing")]
    assert "(unadjusted)" not in labels[("earmarked_reserves_adjusted", "closing")]


# -- cells and labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (11991.0, (Decimal("11991000.00"), None)),
        (8168.730153777793, (Decimal("8168730.15"), None)),
        (-609, (Decimal("-609000.00"), None)),
        ("11,896", (Decimal("11896000.00"), None)),
        ("(1,234)", (Decimal("-1234000.00"), None)),
        ("[x]", (None, "[x]")),
        ("..", (None, "..")),
        ("-", (None, "-")),
        ("[z]", (None, "[z]")),
        ("", (None, None)),
        ("  ", (None, None)),
    ],
)
def test_cells_become_pounds_or_published_text(cell: object, expected: tuple[object, object]) -> None:
    assert gbp_from_thousands(cell) == expected


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_whole_thousands_are_exact(n: int) -> None:
    assert gbp_from_thousands(float(n)) == (Decimal(n) * 1000, None)
    assert gbp_from_thousands(f"{n:,}") == (Decimal(n) * 1000, None)


def test_labels_normalise_case_space_and_notes() -> None:
    assert norm_label("  Estimated DEDICATED schools grant\nadjustment account level at 1 April [Note 12] ") == (
        "estimated dedicated schools grant adjustment account level at 1 april"
    )
    m = match_label("Estimated dedicated schools grant adjustment account level at 31 March [Note 12]")
    assert m is not None and (m.measure, m.point) == ("dsg_adjustment_account", "closing")
    assert match_label("Other earmarked reserves: specific risks at 1 April") is None
    assert match_label("Capital receipts used to finance revenue expenditure under receipts flexibility") is None


# -- files that are not returns ---------------------------------------------------------------------------------


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_return(path)
    assert path.name in str(info.value)
    assert any(p.where.startswith(path.name) for p in info.value.problems)
    return info.value


def test_corrupt_spreadsheets_are_refused_naming_the_file(tmp_path: Path) -> None:
    for name, data in [
        ("broken.xlsx", b"PK\x03\x04 this is not a zip at all"),
        ("broken.xls", b"\xd0\xcf\x11\xe0 not really OLE"),
        ("notes.ods", b"plain text pretending to be a spreadsheet"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        _refused(path)


def test_truncated_official_workbook_is_refused(official_source_dir: Path, tmp_path: Path) -> None:
    data = (official_source_dir / "RS_2016-17_data_by_LA.xlsx").read_bytes()
    path = tmp_path / "RS_2016-17_data_by_LA.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _refused(path)


def test_unrecognised_format_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# not a return\n")
    assert "not a recognised" in str(_refused(path))
    with pytest.raises(InputError, match=r"nope\.xlsx"):
        read_return(tmp_path / "nope.xlsx")


def test_csv_without_authority_table(tmp_path: Path) -> None:
    path = tmp_path / "RS_2023-24_data_by_LA.csv"
    path.write_text("a,b,c\n1,2,3\n")
    assert "E-code" in str(_refused(path))


def _workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "RS LA Data 2023-24"
    sheet.append(["Revenue Outturn (RO) 2023-24: Revenue Outturn Summary (RS) data"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_missing_required_labels_are_all_named(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "partial.xlsx",
        ["E-code", "ONS Code", "Local authority", "Class", "Unallocated financial reserves level at 1 April"],
        [["E4304", "E08000014", "Sefton", "MD", 11991]],
    )
    err = _refused(path)
    text = str(err)
    assert "31 March" in text and "other earmarked" in text and "NET REVENUE EXPENDITURE" in text
    assert len(err.problems) == 4


def test_a_minimal_return_in_the_published_shape_is_read(tmp_path: Path) -> None:
    header = [
        "E-code",
        "Local authority",
        "Class",
        "NET REVENUE EXPENDITURE",
        "Estimated other earmarked financial reserves level at 1 April",
        "Estimated unallocated financial reserves level at 1 April",
        "Estimated other earmarked financial reserves level at 31 March",
        "Estimated unallocated financial reserves level at 31 March",
    ]
    path = _workbook(tmp_path / "mini.xlsx", header, [["E4304", "Sefton", "MD", 1, 2, 3, 4, "[x]"]])
    ret = read_return(path)
    assert ret.financial_year == "2023-24"
    assert value(ret, SEFTON, "unallocated_reserves", "closing") is None
    assert value(ret, SEFTON, "earmarked_reserves", "closing") == Decimal("4000")


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    _refused(path)
