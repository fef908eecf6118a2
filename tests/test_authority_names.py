"""One name per authority everywhere: the ONS name for its code once the ONS nearest-neighbour file is imported
(E06000015 "Derby", not the returns' "Derby City UA"), with the file it came from recorded; before that, the place
name without the title some returns add ("Wigan MBC", "St Helens MBC" beside "Sefton"). Stored that way on import,
brought into line by migrations 205 and 240 for databases that already hold the old names, and shown that way by the
CLI (codes kept)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from finance.cli import main
from finance.format import authority_name
from finance.official import import_paths
from finance.store import Store, sha256_file
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "finance" / "sql" / "205_authority_names.sql"
ONS_FILE = "clusteringsimilarlocalauthoritiesandnearestneighbours.xlsx"
TITLES = (" MBC", " Council", " CC", " UA", " BC", " DC")


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("Wigan MBC", "Wigan"),
        ("St Helens MBC", "St Helens"),
        ("Sefton Metropolitan Borough Council", "Sefton"),
        ("Leeds City Council", "Leeds"),
        ("Kent CC", "Kent"),
        ("Bristol UA", "Bristol"),
        ("Sefton", "Sefton"),
        ("Greater London Authority", "Greater London Authority"),
        ("  Bury   MBC ", "Bury"),
        ("Council", "Council"),
    ],
)
def test_the_naming_rule(published: str, shown: str) -> None:
    assert authority_name(published) == shown


def _migrated(names: list[str], illustrative: bool = False) -> list[str]:
    """The names after migration 205's statement, run on an authority table holding `names`."""
    con = duckdb.connect()
    con.execute("CREATE TABLE authority (code VARCHAR, name VARCHAR, is_illustrative BOOLEAN)")
    con.executemany("INSERT INTO authority VALUES (?, ?, ?)", [[str(i), n, illustrative] for i, n in enumerate(names)])
    con.execute(MIGRATION.read_text(encoding="utf-8"))
    return [r[0] for r in con.execute("SELECT name FROM authority ORDER BY code::INTEGER").fetchall()]


def test_the_migration_renames_as_the_import_does(shared_raw: Path) -> None:
    with (shared_raw / "la_classes" / "english_la_classes_2023-24.csv").open(encoding="utf-8") as f:
        published = [" ".join(row["la_name"].split()) for row in csv.DictReader(f)]  # as the import cleans them
    names = [*published, "Sefton Metropolitan Borough Council", "Leeds City Council", "Tameside Council"]
    assert _migrated(names) == [authority_name(n) for n in names]
    assert _migrated(["Northbridge MBC"], illustrative=True) == ["Northbridge MBC"]  # the demo keeps its names


def test_a_database_holding_the_old_names_is_brought_into_line(demo_db: str, tmp_path: Path) -> None:
    path = copy_database(demo_db, tmp_path / "old.duckdb")
    con = duckdb.connect(path)  # as a database written before migration 205 left it
    con.execute(
        "INSERT INTO authority SELECT 'E08000010', 'E4210', 'Wigan MBC', 'MD', false, min(source_id) FROM source_file"
    )
    con.execute("DELETE FROM schema_migration WHERE name = '205_authority_names.sql'")
    con.close()
    store = Store.open(path)
    try:
        assert store.scalar("SELECT name FROM authority WHERE code = 'E08000010'") == "Wigan"
        assert store.scalar("SELECT name FROM authority WHERE code = 'DEMO01'") == "Northbridge (illustrative)"
    finally:
        store.close()


@pytest.mark.official
def test_imported_names_and_the_cli_display_names(official_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(official_db, read_only=True)
    try:
        names = dict(store.query("SELECT code, name FROM authority WHERE NOT is_illustrative"))
    finally:
        store.close()
    assert (names["E08000010"], names["E08000013"], names["E08000014"]) == ("Wigan", "St Helens", "Sefton")
    assert [n for n in names.values() if n.endswith(TITLES)] == []
    args = ["--db", official_db, "benchmark", "--year", "2023-24", "--measure", "usable_reserves", "--json"]
    assert main(args) == 0
    rows = {r["ons_code"]: r["name"] for r in json.loads(capsys.readouterr().out)}
    assert rows["E08000013"] == "St Helens" and rows["E08000002"] == "Bury"  # codes kept beside the names


def _names(path: str) -> dict[str, tuple[str, str | None, str | None]]:
    """code -> (name, the file the name came from, its sha256) for every real authority."""
    store = Store.open(path, read_only=True)
    try:
        return _names_in(store)
    finally:
        store.close()


def _names_in(store: Store) -> dict[str, tuple[str, str | None, str | None]]:
    rows = store.query(
        """SELECT a.code, a.name, s.file_name, s.sha256 FROM authority a
           LEFT JOIN authority_name_source n ON n.code = a.code
           LEFT JOIN source_file s ON s.source_id = n.source_id WHERE NOT a.is_illustrative"""
    )
    return {str(r[0]): (str(r[1]), r[2], r[3]) for r in rows}


def _ons_names(folder: Path) -> dict[str, str]:
    """Each code's name in the ONS workbook's table 7a, read here with openpyxl (not the project's reader)."""
    import openpyxl

    book = openpyxl.load_workbook(folder / ONS_FILE, read_only=True)
    names: dict[str, str] = {}
    for row in book["7.a"].iter_rows(values_only=True):
        if row and isinstance(row[0], str) and len(row[0]) == 9 and row[0][0] in "EWSN" and row[1]:
            names[row[0]] = str(row[1])
    return names


@pytest.mark.official
def test_names_are_the_ons_names_for_the_codes_once_the_ons_file_is_held(peer_db: str, peer_groups_dir: Path) -> None:
    names = _names(peer_db)
    sha = sha256_file(peer_groups_dir / ONS_FILE)
    expected = {"E06000015": "Derby", "E08000014": "Sefton", "E08000010": "Wigan", "E08000013": "St. Helens",
                "E06000023": "Bristol, City of", "E10000016": "Kent"}  # fmt: skip
    for code, name in expected.items():
        assert names[code] == (name, ONS_FILE, sha)  # the ONS spelling, and the file (and bytes) it came from
    ons = _ons_names(peer_groups_dir)
    english = {c: n for c, n in ons.items() if c.startswith("E") and c in names}
    assert len(english) > 300
    assert {c: names[c][0] for c in english} == english  # every authority ONS names, exactly as ONS names it
    others = {c: v for c, v in names.items() if c not in ons}  # police, fire, waste, combined authorities
    assert others and all(file is None for _, file, _ in others.values())
    assert [n for n, _, _ in others.values() if n.endswith(TITLES)] == []  # the suffix rule still applies


@pytest.mark.official
def test_without_the_ons_file_the_suffix_rule_names_them(official_db: str) -> None:
    names = _names(official_db)
    assert names["E06000015"] == ("Derby City", None, None)
    assert names["E08000010"] == ("Wigan", None, None)


@pytest.mark.official
@pytest.mark.both_backends
def test_a_return_imported_after_the_ons_file_keeps_the_ons_names(
    store: Store, peer_groups_dir: Path, official_source_dir: Path
) -> None:
    import_paths(store, [peer_groups_dir / ONS_FILE], user="tests")
    import_paths(store, [official_source_dir / "RA_2021-22_data_by_LA.csv"], user="tests")
    published = store.scalar("SELECT name_published FROM official_return WHERE code = 'E06000015'")
    assert published != "Derby"  # the return names it its own way (kept as published) …
    assert _names_in(store)["E06000015"][:2] == ("Derby", ONS_FILE)  # … and the ONS name is the one shown


@pytest.mark.official
def test_migration_240_renames_a_database_that_already_holds_the_ons_file(peer_db: str, tmp_path: Path) -> None:
    path = copy_database(peer_db, tmp_path / "old.duckdb")
    con = duckdb.connect(path)  # as a database written before migration 240 left it
    con.execute("DROP VIEW authority_name_source")
    con.execute("DROP VIEW ons_authority_name")
    con.execute("UPDATE authority SET name = 'Derby City' WHERE code = 'E06000015'")
    con.execute("DELETE FROM schema_migration WHERE name = '240_authority_ons_names.sql'")
    con.close()
    Store.open(path).close()  # opening it applies the migration
    assert _names(path)["E06000015"][:2] == ("Derby", ONS_FILE)
