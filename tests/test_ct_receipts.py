"""MHCLG's council tax receipts live table from ../shared: recognised by its content, imported with provenance,
figures equal to the cells read here directly with openpyxl, markers kept missing, and the peer comparison
(billing authorities only; a county is "not applicable")."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from finance.committee import build_receipts_view
from finance.errors import InputError
from finance.official import ct_receipts, import_paths, is_receipts_table
from finance.store import Store

FILE = "CT_Receipts_Live_Table_Q4_2022-23.xlsx"


@pytest.fixture(scope="module")
def receipts_file(request: pytest.FixtureRequest) -> Path:
    shared: Path = request.getfixturevalue("shared_raw")
    return shared / "council_tax_receipts_mhclg" / "source" / FILE


def _published(path: Path, ons_code: str, header_text: str) -> object:
    """The cell of Table_5 in the row of `ons_code` and the column whose header is `header_text`."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["Table_5"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "E-code")
    column = [str(c).strip() for c in header].index(header_text)
    row = next(r for r in rows if r[1] == ons_code)
    return row[column]


@pytest.fixture
def loaded(tmp_path: Path, official_db: str, receipts_file: Path) -> Store:
    db = tmp_path / "with-receipts.duckdb"
    shutil.copy(official_db, db)
    folder = tmp_path / "official"
    folder.mkdir()
    shutil.copy(receipts_file, folder / "quarterly.xlsx")  # a name that says nothing: found by its content
    store = Store.open(str(db))
    reports = import_paths(store, [folder], user="tests")
    assert [(r.dataset, r.status, r.financial_year) for r in reports] == [
        ("Council tax receipts", "imported", "2022-23")
    ]
    return store


def test_figures_equal_the_live_table_and_markers_stay_missing(loaded: Store, receipts_file: Path) -> None:
    rows = ct_receipts(loaded, ["E08000014", "E07000004", "E09000033"]).set_index(["code", "financial_year", "quarter"])
    for code, year, quarter, header in (
        ("E08000014", "2022-23", 1, "April to June 2022 (Q1)"),
        ("E08000014", "2022-23", 4, "January to March 2023 (Q4)"),
        ("E08000014", "2010-11", 4, "January to March 2011 (Q4)"),
        ("E09000033", "2021-22", 2, "July to September 2021 (Q2)"),
    ):
        published = _published(receipts_file, code, header)
        assert isinstance(published, int | float)
        assert rows.loc[(code, year, quarter), "receipts_gbp"] == pytest.approx(float(published) * 1000)
    assert _published(receipts_file, "E07000004", "January to March 2023 (Q4)") == "[z]"
    gone = rows.loc[("E07000004", "2022-23", 4)]
    assert gone["receipts_gbp"] != gone["receipts_gbp"] and gone["published_text"] == "[z]"  # NaN, not zero
    assert rows.loc[("E09000033", "2022-23", 1), "class"] == "LB"  # published as 'L'
    sha = hashlib.sha256(receipts_file.read_bytes()).hexdigest()
    assert set(rows["sha256"]) == {sha}
    source = loaded.query_one("SELECT kind, dataset, file_name FROM source_file WHERE sha256 = ?", [sha])
    assert source == ("official", "Council tax receipts", "quarterly.xlsx")


def test_importing_again_changes_nothing(loaded: Store, tmp_path: Path) -> None:
    before = loaded.dump()
    reports = import_paths(loaded, [tmp_path / "official"], user="tests")
    assert [r.status for r in reports] == ["unchanged"]
    assert loaded.dump() == before


def test_recognised_by_content_not_name(receipts_file: Path, tmp_path: Path, official_source_dir: Path) -> None:
    assert is_receipts_table(receipts_file)
    an_rs_file = next(p for p in sorted(official_source_dir.iterdir()) if p.suffix in (".xlsx", ".ods", ".xls"))
    fake = tmp_path / FILE
    shutil.copy(an_rs_file, fake)  # the receipts table's name on another file: not taken for it
    assert not is_receipts_table(fake)


def test_peers_growth_billing_authorities_only(loaded: Store, receipts_file: Path) -> None:
    view = build_receipts_view(loaded, "E08000014")
    assert view.latest_year == "2022-23" and view.message is None
    sefton = view.peers.set_index("code").loc["E08000014"]
    total = "Total receipts of council taxes collected during the financial year - {} (Q1 to Q4)"
    latest = float(_published(receipts_file, "E08000014", total.format("2022 to 2023")))  # type: ignore[arg-type]
    before = float(_published(receipts_file, "E08000014", total.format("2021 to 2022")))  # type: ignore[arg-type]
    assert sefton["growth_pct"] == pytest.approx(100 * (latest / before - 1), abs=0.01)
    assert len(view.peers) == 36 and set(view.peers["class"]) == {"MD"}
    q1 = view.profile.set_index(["financial_year", "quarter"]).loc[("2022-23", 1)]
    q1_before = float(_published(receipts_file, "E08000014", "April to June 2021 (Q1)"))  # type: ignore[arg-type]
    assert q1["growth_pct"] == pytest.approx(100 * (51_318 / q1_before - 1))
    everyone = build_receipts_view(loaded, "E08000014", "ALL")
    statuses = everyone.peers.set_index("code")["status"]
    assert statuses["E10000017"].startswith("not applicable: a shire county")  # Lancashire does not bill
    assert statuses["E07000223"] == "figure"  # Adur, a shire district: a billing authority
    assert "not applicable" in everyone.panels[1].caption
    county = build_receipts_view(loaded, "E10000017")
    assert county.message is not None and "not a billing authority" in county.message
    with pytest.raises(InputError):
        build_receipts_view(loaded, "E08000014", "XX")


def test_the_cli_imports_it_by_content_and_prints_it_with_peers(
    tmp_path: Path, official_db: str, receipts_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from finance.cli import main as cli

    db = tmp_path / "cli.duckdb"
    shutil.copy(official_db, db)
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(receipts_file, folder / "q4.xlsx")  # its name says nothing: the command reads what is in it
    capsys.readouterr()
    assert cli(["--db", str(db), "import-official", str(folder), "--json"]) == 0
    assert "Council tax receipts" in capsys.readouterr().out
    assert cli(["--db", str(db), "collection", "--authority", "E08000014", "--year", "2023-24", "--json"]) == 0
    receipts = json.loads(capsys.readouterr().out)["official_receipts"]
    assert (receipts["latest_year"], receipts["peer_group"]) == ("2022-23", "Metropolitan districts")
    assert len(receipts["peers"]) == 36  # the MD peer group, Sefton's own class by default
    assert receipts["source"].startswith("q4.xlsx (sha256 ")
    q4 = next(r for r in receipts["quarterly_profile"] if (r["financial_year"], r["quarter"]) == ("2022-23", 4))
    published = _published(receipts_file, "E08000014", "January to March 2023 (Q4)")
    assert isinstance(published, int | float) and q4["receipts_gbp"] == pytest.approx(float(published) * 1000)
    sefton = next(p for p in receipts["peers"] if p["code"] == "E08000014")
    assert sefton["status"] == "figure" and sefton["growth_pct"] is not None
