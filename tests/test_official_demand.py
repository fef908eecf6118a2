"""The official demand files through the project's importer: PROVENANCE check figures, provenance, markers kept
missing, recognition by content, another H-CLIC quarter, and refusals that name the file and leave nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finance.errors import InputError
from finance.official import import_paths
from finance.store import Store
from tests.demand_files import SEFTON, TA_FILE, earlier_quarter, save_ta, ta_rows

ENGLAND = "E92000001"
CLA_FILE = "cla_number_and_rate_per_10k_children.csv"
EHC_FILE = "education-health-and-care-plans_2025.zip"


@pytest.fixture(scope="module")
def loaded(demand_db: str) -> Iterator[Store]:
    s = Store.open(demand_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


def figure(store: Store, code: str, metric: str, label: str) -> Any:
    return store.query_one(
        "SELECT value, published_text, basis FROM demand_value WHERE code = ? AND metric = ? AND period_label = ?",
        [code, metric, label],
    )


def test_children_looked_after_check_figures(loaded: Store) -> None:
    # PROVENANCE.md: Sefton, 31 March 2025: 506 children looked after, 92 per 10,000; 31 March 2024: 581, 107
    assert figure(loaded, SEFTON, "cla_count", "31 March 2025") == (506, None, "official count")
    assert figure(loaded, SEFTON, "cla_per_10k", "31 March 2025") == (92, None, "official rate")
    assert figure(loaded, SEFTON, "cla_count", "31 March 2024")[0] == 581
    assert figure(loaded, SEFTON, "cla_per_10k", "31 March 2024")[0] == 107
    years = loaded.query("SELECT DISTINCT period_label FROM demand_value WHERE metric = 'cla_count' ORDER BY 1")
    assert [r[0] for r in years] == [f"31 March {y}" for y in range(2021, 2026)]


def test_ehc_plans_check_figures_from_the_zip(loaded: Store) -> None:
    # PROVENANCE.md: Sefton, all EHC plans: 1,445 in January 2019 (201819), 3,736 in January 2025 (202425)
    assert figure(loaded, SEFTON, "ehc_plans", "January 2019")[0] == 1445
    assert figure(loaded, SEFTON, "ehc_plans", "January 2025") == (3736, None, "official count")
    labels = loaded.query("SELECT DISTINCT period_label FROM demand_value WHERE metric = 'ehc_new_plans'")
    assert sorted(r[0] for r in labels) == [f"calendar year {y}" for y in range(2019, 2025)]
    # the timeliness percentage is the published one, not recomputed (Sefton 2024: 460 of 869 = 52.9%)
    assert figure(loaded, SEFTON, "ehc_within_20_weeks_pct", "calendar year 2024") == (
        52.9,
        None,
        "official percentage",
    )
    # the 2023 change to a person-level collection is recorded, so no trend joins the two
    defs = dict(
        loaded.query(
            "SELECT period_label, definition FROM demand_value WHERE code = ? AND metric = 'ehc_plans'", [SEFTON]
        )
    )
    assert defs["January 2022"] == "SEN2 aggregate return"
    assert defs["January 2023"] == "SEN2 person-level return"


def test_temporary_accommodation_check_figures(loaded: Store) -> None:
    # PROVENANCE.md (TA1, 31 December 2025): England 134,210 households; Sefton 200 households, 1.59 per 1,000
    assert figure(loaded, ENGLAND, "ta_households", "31 December 2025")[0] == 134210
    assert figure(loaded, SEFTON, "ta_households", "31 December 2025")[0] == 200
    assert round(figure(loaded, SEFTON, "ta_per_1000", "31 December 2025")[0], 2) == 1.59


def test_each_value_traces_to_its_file_and_sha256(loaded: Store, shared_raw: Path) -> None:
    sums: dict[str, str] = {}
    for folder in ("demand_dfe_children_looked_after", "demand_dfe_ehc_plans", "demand_mhclg_homelessness"):
        for line in (shared_raw / folder / "SHA256SUMS.txt").read_text().splitlines():
            digest, name = line.split()
            sums[Path(name).name] = digest
    rows = loaded.query(
        """SELECT DISTINCT s.file_name, s.sha256 FROM demand_value v JOIN source_file s USING (source_id)
           WHERE v.code = ?""",
        [SEFTON],
    )
    assert {name for name, _ in rows} == {CLA_FILE, EHC_FILE, TA_FILE}
    for name, digest in rows:
        assert sums[name] == digest


def test_markers_stay_missing_never_zero(loaded: Store) -> None:
    # H-CLIC marks authorities with missing data '..' (Brent, 31 December 2025); DfE marks 'z' (not applicable)
    brent = figure(loaded, "E09000005", "ta_households", "31 December 2025")
    assert brent[0] is None and brent[1] == ".."
    markers = loaded.query("SELECT DISTINCT published_text FROM demand_value WHERE value IS NULL")
    assert {r[0] for r in markers} >= {"..", "z"}
    assert loaded.scalar("SELECT count(*) FROM demand_value WHERE value IS NULL AND published_text IS NULL") == 0


def test_recognised_by_content_under_any_name_and_unchanged_again(
    tmp_path: Path, demand_source_dirs: list[Path], store: Store
) -> None:
    folder = tmp_path / "official"
    folder.mkdir()
    for i, src in enumerate(demand_source_dirs):
        for f in src.iterdir():
            if f.suffix in (".csv", ".zip", ".ods"):
                (folder / f"download-{i}{f.suffix}").symlink_to(f)
    first = import_paths(store, [folder])
    assert sorted(r.status for r in first) == ["imported"] * 3
    assert {r.dataset for r in first} == {
        "DfE children looked after",
        "DfE EHC plans (SEN2)",
        "MHCLG homelessness (H-CLIC TA1)",
    }
    before = store.dump()
    again = import_paths(store, [folder])
    assert [r.status for r in again] == ["unchanged"] * 3
    assert store.dump() == before


def test_another_quarter_in_the_same_layout_adds_a_point(
    tmp_path: Path, demand_source_dirs: list[Path], store: Store
) -> None:
    ods = demand_source_dirs[2] / TA_FILE
    earlier = earlier_quarter(ods, tmp_path / "hclic-q3.xlsx", 180.0)
    reports = import_paths(store, [ods, earlier])
    assert [r.status for r in reports] == ["imported", "imported"]
    held = store.query(
        "SELECT period_label, value FROM demand_value WHERE code = ? AND metric = 'ta_households' ORDER BY period_end",
        [SEFTON],
    )
    assert held == [("30 September 2025", 180.0), ("31 December 2025", 200.0)]


def test_unknown_ta_layout_is_refused_naming_the_sheet(
    tmp_path: Path, demand_source_dirs: list[Path], store: Store
) -> None:
    rows = ta_rows(demand_source_dirs[2] / TA_FILE)
    for row in rows[1:8]:
        for i, cell in enumerate(row):
            if "per (000s)" in str(cell):
                row[i] = "Rate"
    bad = save_ta(tmp_path / "hclic.xlsx", rows)
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_paths(store, [tmp_path])
    assert "hclic.xlsx sheet 'TA1'" in str(err.value)
    assert "unknown layout" in str(err.value)
    assert bad.exists() and store.dump() == before


def _cla_csv(demand_source_dirs: list[Path]) -> list[list[str]]:
    text = (demand_source_dirs[0] / CLA_FILE).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_cla_bad_cell_is_refused_naming_row_and_column(
    tmp_path: Path, demand_source_dirs: list[Path], store: Store
) -> None:
    rows = _cla_csv(demand_source_dirs)
    target = next(i for i, r in enumerate(rows) if SEFTON in r and r[10].startswith("Children looked after on"))
    rows[target][12] = "five hundred"
    bad = _write_csv(tmp_path / "cla.csv", rows)
    before = store.dump()
    with pytest.raises(InputError) as err:
        import_paths(store, [bad])
    assert f"cla.csv row {target + 1} column children_count" in str(err.value)
    assert store.dump() == before


def test_cla_missing_column_is_an_unknown_layout(tmp_path: Path, demand_source_dirs: list[Path], store: Store) -> None:
    rows = _cla_csv(demand_source_dirs)
    drop = rows[0].index("new_la_code")
    bad = _write_csv(tmp_path / "cla.csv", [r[:drop] + r[drop + 1 :] for r in rows])
    with pytest.raises(InputError, match=r"cla\.csv: unknown layout: missing column"):
        import_paths(store, [bad])


def test_ehc_zip_without_an_entry_is_refused_naming_it(
    tmp_path: Path, demand_source_dirs: list[Path], store: Store
) -> None:
    src = demand_source_dirs[1] / EHC_FILE
    bad = tmp_path / "ehc.zip"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(bad, "w") as out:
        for name in z.namelist():
            if name != "data/newplans.csv":
                out.writestr(name, z.read(name))
    before = store.dump()
    with pytest.raises(InputError, match=r"ehc\.zip entry data/newplans\.csv"):
        import_paths(store, [tmp_path])
    assert store.dump() == before


@pytest.mark.both_backends
def test_cla_import_on_both_backends(demand_source_dirs: list[Path], store: Store) -> None:
    reports = import_paths(store, [demand_source_dirs[0] / CLA_FILE])
    assert [r.status for r in reports] == ["imported"]
    assert figure(store, SEFTON, "cla_count", "31 March 2025")[0] == 506
    before = store.dump()
    assert [r.status for r in import_paths(store, [demand_source_dirs[0] / CLA_FILE])] == ["unchanged"]
    assert store.dump() == before
