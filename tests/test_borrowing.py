"""The borrowing importer against the real MHCLG workbook, cross-checked with the tidy extract beside it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from finance.cli import main
from finance.errors import InputError
from finance.indicators.borrowing import import_borrowing
from finance.store import Store

pytestmark = pytest.mark.official

FILE = "Borrowing_and_Investment_Live_Table_Q4_2019_20.xlsx"


@pytest.fixture(scope="session")
def borrowing_dir(shared_raw: Path) -> Path:
    return shared_raw / "la_borrowing_investment_mhclg"


def test_import_matches_the_published_extract_for_a_sample(store: Store, borrowing_dir: Path) -> None:
    report = import_borrowing(store, borrowing_dir / "source" / FILE)
    assert not report.already_loaded
    quarters = [f"{y}-{md}" for y in (2018, 2019) for md in ("06-30", "09-30", "12-31")]
    assert report.period_ends == sorted([f"{y}-03-31" for y in range(2014, 2021)] + quarters)
    extract = pd.read_csv(borrowing_dir / "la_borrowing_investment_long.csv", dtype={"period_end": str})
    extract = extract[extract["period_end"].str.endswith("-03-31")]
    sample = extract[extract["ons_code"].isin(["E08000014", "E08000012", "E06000014", "E09000033"])]
    assert len(sample) == 4 * 7
    for row in sample.itertuples():
        got = store.query(
            """SELECT measure, value_gbp, ons_code, financial_year FROM borrowing_value
               WHERE lgf_code = ? AND period_end = CAST(? AS DATE) AND measure <> 'investments' ORDER BY measure""",
            [row.lgf_code, row.period_end],
        )
        assert {g[0]: g[1] for g in got} == {
            "external_borrowing": Decimal(int(row.total_borrowing)) * 1000,
            "pwlb_borrowing": Decimal(int(row.pwlb_borrowing)) * 1000,
        }, row
        assert {g[2] for g in got} == {row.ons_code}
        end_year = int(row.period_end[:4])
        assert {g[3] for g in got} == {f"{end_year - 1}-{end_year % 100:02d}"}
    # Sefton at 31 March 2020, as in PROVENANCE.md: £168.8m, of which PWLB £162.7m
    sefton = store.scalar(
        "SELECT value_gbp FROM borrowing_value WHERE ons_code = 'E08000014' AND period_end = DATE '2020-03-31' "
        "AND measure = 'external_borrowing'"
    )
    assert sefton == Decimal("168818000.00")
    mds = store.scalar(
        "SELECT count(DISTINCT ons_code) FROM borrowing_value WHERE ons_code LIKE 'E08%' AND value_gbp IS NOT NULL"
    )
    assert mds == 36
    source = store.query_one("SELECT kind, file_name, sha256 FROM source_file WHERE source_id = ?", [report.source_id])
    assert source == ("official", FILE, report.sha256)


def test_import_twice_changes_nothing(store: Store, borrowing_dir: Path) -> None:
    import_borrowing(store, borrowing_dir / "source" / FILE)
    before = store.dump()
    again = import_borrowing(store, borrowing_dir / "source" / FILE)
    assert again.already_loaded
    assert store.dump() == before


def test_a_workbook_that_is_not_the_table_is_refused_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "LA Borrowing 19-20 Q4"
    ws.append(["Outstanding borrowing by local authority and category, as at 31 March 2020, UK"])
    ws.append(["LGF code", "Local authority name", "Loans Longer-term - PWLB (a)", "Widgets"])
    ws.append(["E4304", "Sefton", 100.0, 5.0])
    bad = tmp_path / "not_the_table.xlsx"
    wb.save(bad)
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_borrowing(store, bad)
    assert "LA Borrowing 19-20 Q4!row 2" in str(err.value) and "'Widgets'" in str(err.value)
    assert store.dump() == before


def test_a_text_file_is_refused(store: Store, tmp_path: Path) -> None:
    fake = tmp_path / FILE
    fake.write_text("period_end,lgf_code\n2020-03-31,E4304\n", encoding="utf-8")
    with pytest.raises(InputError, match=FILE):
        import_borrowing(store, fake)


def test_cli_import_borrowing(db_path: str, borrowing_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(borrowing_dir / "source" / FILE)
    assert main(["--db", db_path, "import-borrowing", path, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["already_loaded"] is False and first["rows"] > 7000
    assert main(["--db", db_path, "import-borrowing", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["already_loaded"] is True
    assert main(["--db", db_path, "import-borrowing", "/nonexistent/table.xlsx"]) == 2
    assert "file not found" in capsys.readouterr().err
