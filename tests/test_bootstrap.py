"""First start on a configured folder of official returns (finance.bootstrap.ensure_ready): the demo is built,
new returns are imported, a later start loads nothing twice, and a broken file is named without stopping the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

from finance.bootstrap import ensure_ready
from finance.store import Store

FILES = ("RS_2023-24_data_by_LA.ods", "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls")


def _folder(tmp_path: Path, official_source_dir: Path) -> Path:
    folder = tmp_path / "official"
    folder.mkdir()
    for name in FILES:
        shutil.copy(official_source_dir / name, folder / name)
    return folder


def _sefton_years(store: Store) -> list[str]:
    rows = store.query("SELECT DISTINCT financial_year FROM official_return WHERE code = 'E08000014' ORDER BY 1")
    return [str(r[0]) for r in rows]


def test_first_start_imports_the_folder_once(store: Store, tmp_path: Path, official_source_dir: Path) -> None:
    folder = _folder(tmp_path, official_source_dir)
    report = ensure_ready(store, folder)
    assert report.demo is not None and report.official_errors == []
    assert sorted(report.official_files) == [
        "RS_2023-24_data_by_LA.ods (2023-24, imported)",
        "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls (2010-11, imported)",
    ]
    # the 2010-11 file gives only MHCLG E-codes: keyed by the ONS code the 2023-24 file gives, in one batch
    assert _sefton_years(store) == ["2010-11", "2023-24"]
    before = store.dump()
    again = ensure_ready(store, folder)
    assert again.demo is None and again.official_files == [] and again.official_errors == []
    assert store.dump() == before


def test_a_broken_file_is_named_and_the_others_still_load(
    store: Store, tmp_path: Path, official_source_dir: Path
) -> None:
    folder = _folder(tmp_path, official_source_dir)
    (folder / "RS_2099-00_broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    report = ensure_ready(store, folder)
    assert len(report.official_errors) == 1 and "RS_2099-00_broken.xlsx" in report.official_errors[0]
    assert len(report.official_files) == 2
    assert _sefton_years(store) == ["2010-11", "2023-24"]
